"""What a browser journey sets up in the served portal's database when the pages cannot
reasonably do it: accounts, verified identities, a process, and moving a process's phases in
time. Run in a child process with the portal's environment (`run()` below), never imported by
the tests themselves: the browser tests keep off the test database and Django's models.

Every function prints one JSON object on its last line of output, which `run()` returns."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zlib
from pathlib import Path

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def run(var_dir: Path, call: str) -> dict:
    """Run `call` (a Python expression calling a function of this module) in the portal's
    database and return what it printed as JSON."""
    from bench.portal import REPO, portal_env

    code = f"from tests.browser import portal_setup as s; s.{call}"
    result = subprocess.run(
        [sys.executable, "-m", "minga.cli", "shell", "-c", code],
        cwd=REPO,
        env=portal_env(var_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"portal setup {call} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _print(data: dict) -> None:
    print(json.dumps(data, default=str))


def cedula(serial: int, province: str = "13") -> str:
    """A valid Ecuadorian cédula number (check digit by the module 10 rule)."""
    body = f"{province}1{serial:06d}"
    total = 0
    for index, digit in enumerate(body):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return body + str((10 - total % 10) % 10)


def participatory_budget_cycle(government_slug: str, prefix: str, citizens: int) -> None:
    """An official (editor of participation, two-factor with the demo's fixed key) and
    `citizens` people with a password and a registered cédula, and a published participatory
    budget now in its proposals-and-supports phase, its vote in two days and its results
    after, with one budget for the whole territory and one project already on it.

    Prints the process's slug and the budget's id, the accounts, and a published work with
    physical progress that the winning project can name."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from minga.core.accounts.models import Membership
    from minga.core.management.commands.demo import DEMO_PASSWORD, demo_totp_key
    from minga.core.tenancy.models import Government
    from minga.core.tenancy.scoping import government_scope
    from minga.core.tenancy.services import membership_grant
    from minga.core.verification import keys
    from minga.core.verification.models import Identity
    from minga.participation.budgets import services as budgets
    from minga.participation.processes import services as processes
    from minga.works.models import Project as Work

    government = Government.objects.get(slug=government_slug)
    now = timezone.now().replace(second=0, microsecond=0)
    User = get_user_model()

    def account(email: str, name: str):
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "email_verified_at": now})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    official = account(f"{prefix}.oficial@demo.minga.ec", "Oficial de participación")
    membership_grant(
        actor=None, government=government, user=official, role=Membership.Role.EDITOR, module="participation"
    )
    TOTPDevice.objects.get_or_create(
        user=official, name="demo", defaults={"key": demo_totp_key(official.email), "confirmed": True}
    )
    people = []
    for number in range(1, citizens + 1):
        person = account(f"{prefix}.persona{number}@demo.minga.ec", f"Persona {number}")
        if not Identity.objects.filter(user=person).exists():
            Identity.objects.create(
                cedula_hash=keys.cedula_hash(cedula(zlib.crc32(person.email.encode()) % 1_000_000)),
                user=person,
                method="online",
                created_at=now,
                linked_at=now,
            )
        people.append(person.email)

    start = now - 3 * DAY
    phases = [
        {
            "title": "Propuestas y apoyos",
            "description": "Proponga y apoye proyectos para su barrio.",
            "starts_at": start,
            "ends_at": now + 2 * DAY,
            "features": ["propose", "support", "comment", "evaluate"],
            "settings": {},
        },
        {
            "title": "Votación",
            "description": "",
            "starts_at": now + 2 * DAY,
            "ends_at": now + 4 * DAY,
            "features": ["vote"],
            "settings": {},
        },
        {
            "title": "Resultados",
            "description": "",
            "starts_at": now + 4 * DAY,
            "ends_at": now + 10 * DAY,
            "features": ["show_results"],
            "settings": {},
        },
    ]
    with government_scope(government):
        process = processes.process_create(
            actor=None,
            government=government,
            title="Presupuesto participativo de los barrios",
            slug=f"{prefix}-presupuesto",
            summary="Usted propone, apoya y vota en qué se invierte una parte del presupuesto.",
            description="Un ciclo completo de **presupuesto participativo**.",
            kind="participatory_budget",
            starts_at=start,
            ends_at=now + 10 * DAY,
            is_published=True,
            phases=phases,
            settings={
                "support_threshold": 3,
                "verification_propose": "email",
                "verification_support": "cedula",
                "verification_vote": "cedula",
            },
            now=now,
        )
        budget = budgets.budget_create(
            actor=None,
            government=government,
            process=process,
            title="Toda la ciudad",
            slug="toda-la-ciudad",
            amount=60_000,
            ballot_kind="approval",
            min_projects=1,
            max_projects=2,
            now=now,
        )
        budgets.project_create(
            actor=None,
            government=government,
            budget=budget,
            title="Iluminación del malecón",
            slug=f"{prefix}-iluminacion",
            description="Luminarias nuevas a lo largo del malecón.",
            cost=55_000,
            position=1,
            now=now,
        )
        work = (
            Work.objects.for_government(government)
            .filter(is_published=True, physical_progress__gt=0, physical_progress__lt=100)
            .order_by("slug")
            .first()
        )
    _print(
        {
            "process": process.slug,
            "budget": budget.pk,
            "official": official.email,
            "people": people,
            "work": work.slug,
            "work_title": work.title,
            "work_progress": str(work.physical_progress),
        }
    )


def shift_process(government_slug: str, slug: str, days: float) -> None:
    """Move a process and its phases `days` into the past, as if that time had gone by, and
    tell the page cache. A raw update on purpose: the services rightly refuse to move a voting
    phase once voting has opened, and time passing is not an official's change."""
    from django.db.models import F

    from minga.core.tenancy.models import Government
    from minga.core.tenancy.scoping import government_scope
    from minga.core.ui.page_cache import content_changed
    from minga.participation.processes.models import Phase, Process

    government = Government.objects.get(slug=government_slug)
    delta = dt.timedelta(days=days)
    with government_scope(government):
        process = Process.objects.for_government(government).get(slug=slug)
        Process.objects.for_government(government).filter(pk=process.pk).update(
            starts_at=F("starts_at") - delta, ends_at=F("ends_at") - delta
        )
        Phase.objects.for_government(government).filter(process=process).update(
            starts_at=F("starts_at") - delta, ends_at=F("ends_at") - delta
        )
    content_changed(government, reason="time went by")
    _print({"shifted": days})


def council_journey(government_slug: str, prefix: str) -> None:
    """A citizen with a password and a registered cédula, and an editor of the council
    (two-factor with the demo's fixed key). Prints the accounts, the next convened ordinary
    session of the demo with its first item, and a published act with more than one version."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from minga.core.accounts.models import Membership
    from minga.core.management.commands.demo import DEMO_PASSWORD, demo_totp_key
    from minga.core.tenancy.models import Government
    from minga.core.tenancy.scoping import government_scope
    from minga.core.tenancy.services import membership_grant
    from minga.core.verification import keys
    from minga.core.verification.models import Identity
    from minga.council.acts.models import Act
    from minga.council.sessions.models import Session

    government = Government.objects.get(slug=government_slug)
    now = timezone.now().replace(second=0, microsecond=0)
    User = get_user_model()

    def account(email: str, name: str):
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "email_verified_at": now})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    official = account(f"{prefix}.secretaria@demo.minga.ec", "Secretaría del consejo")
    membership_grant(actor=None, government=government, user=official, role=Membership.Role.EDITOR, module="council")
    TOTPDevice.objects.get_or_create(
        user=official, name="demo", defaults={"key": demo_totp_key(official.email), "confirmed": True}
    )
    citizen = account(f"{prefix}.ciudadana@demo.minga.ec", "Rosa Zambrano Loor")
    if not Identity.objects.filter(user=citizen).exists():
        Identity.objects.create(
            cedula_hash=keys.cedula_hash(cedula(zlib.crc32(citizen.email.encode()) % 1_000_000)),
            user=citizen,
            method="online",
            created_at=now,
            linked_at=now,
        )
    with government_scope(government):
        session = (
            Session.objects.filter(status="convened", kind="ordinary", starts_at__gt=now + 3 * DAY)
            .order_by("starts_at")
            .first()
        )
        item = session.items.order_by("position").first()
        published = Act.objects.filter(stage="published", kind="ordinance").order_by("identifier").first()
        versions = published.versions.count()
        in_debate = Act.objects.filter(stage="first_debate", kind="ordinance").order_by("identifier").first()
    _print(
        {
            "official": official.email,
            "citizen": citizen.email,
            "session": session.slug,
            "session_title": session.title,
            "item": item.position,
            "act": published.slug,
            "act_identifier": published.identifier,
            "versions": versions,
            "open_act": in_debate.slug,
            "open_act_pk": in_debate.pk,
        }
    )
