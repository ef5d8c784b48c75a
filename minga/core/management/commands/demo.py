"""`minga demo`: create (idempotently) a demonstration province and two of its cantons with
officials and citizens for every role, then let every module seed its own demo content."""

import base64
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.accounts.models import Membership
from minga.core.audit.verification import CheckpointRefused, checkpoint_if_intact
from minga.core.maintenance import refresh_planner_statistics
from minga.core.progress.terminal import terminal_progress
from minga.core.registry import manifests
from minga.core.search.services import reindex as search_reindex
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope
from minga.core.tenancy.services import government_create_with_admin, membership_grant

DEMO_PASSWORD = "minga-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_DOMAIN = "demo.minga.ec"
# Real names and INEC DPA codes; everything inside them is generated.
DEMO_GOVERNMENTS = [
    {
        "name": "Gobierno Provincial de Manabí",
        "short_name": "Manabí",
        "slug": "manabi",
        "level": "province",
        "dpa_code": "13",
        "primary_colour": "#0b5563",
        "accent_colour": "#b4531a",
        "description": "Prefectura de la provincia de Manabí, en la costa del Ecuador: vialidad rural, riego, "
        "fomento productivo, gestión ambiental y cooperación internacional para sus 22 cantones.",
        "address": "Portoviejo, Manabí",
        "contact_phone": "(05) 000-0000",
    },
    {
        "name": "GAD Municipal del Cantón Portoviejo",
        "short_name": "Portoviejo",
        "slug": "portoviejo",
        "level": "canton",
        "dpa_code": "1301",
        "primary_colour": "#6a1b4d",
        "accent_colour": "#1f6f43",
        "description": "Municipio de Portoviejo, capital de Manabí: agua potable, movilidad, espacio público, "
        "planificación urbana y servicios municipales.",
        "address": "Portoviejo, Manabí",
        "contact_phone": "(05) 000-0001",
    },
    {
        "name": "GAD Municipal del Cantón Manta",
        "short_name": "Manta",
        "slug": "manta",
        "level": "canton",
        "dpa_code": "1308",
        "primary_colour": "#1d4f91",
        "accent_colour": "#9a3412",
        "description": "Municipio de Manta, puerto pesquero y turístico de Manabí: obras públicas, turismo, "
        "ambiente y servicios municipales.",
        "address": "Manta, Manabí",
        "contact_phone": "(05) 000-0002",
    },
]


def unapplied_migrations(database: str = DEFAULT_DB_ALIAS) -> list:
    """The migrations ``migrate`` would apply to the database (all of them on a new one)."""
    executor = MigrationExecutor(connections[database])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def demo_totp_key(email: str) -> str:
    """A fixed key per demo account, so the printed secret stays valid across runs."""
    return email.encode().hex()[:40].ljust(40, "0")


# (local part of the address, role shown) of each government's accounts, in the printed order.
GOVERNMENT_ACCOUNTS = (
    ("admin", "admin"),
    ("editor", "editor/todos los módulos"),
    ("lector", "viewer/todos los módulos"),
)


def totp_secret(device) -> str:
    return base64.b32encode(bytes.fromhex(device.key)).decode()


def demo_accounts() -> list[tuple[str, str, str]]:
    """The demo accounts that exist, as (e-mail, role, TOTP secret or ""): what `minga demo`
    created, read back so `minga serve` can repeat them after its own start-up lines."""
    users = {user.email: user for user in get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    secrets = {
        device.user_id: totp_secret(device)
        for device in TOTPDevice.objects.filter(user__in=list(users.values()), name="demo", confirmed=True)
    }
    wanted = [(f"plataforma@{DEMO_DOMAIN}", "superadmin de la plataforma")]
    present = dict(
        Government.objects.filter(slug__in=[spec["slug"] for spec in DEMO_GOVERNMENTS]).values_list(
            "slug", "short_name"
        )
    )
    for spec in DEMO_GOVERNMENTS:
        if spec["slug"] in present:
            wanted += [
                (f"{local}.{spec['slug']}@{DEMO_DOMAIN}", f"{role} · {present[spec['slug']]}")
                for local, role in GOVERNMENT_ACCOUNTS
            ]
    wanted += [(f"ciudadania{number}@{DEMO_DOMAIN}", "ciudadanía") for number in (1, 2)]
    return [(email, role, secrets.get(users[email].pk, "")) for email, role in wanted if email in users]


def write_demo_accounts(stdout, accounts: list[tuple[str, str, str]]) -> None:
    stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, role, secret in accounts:
        extra = f"  TOTP secret: {secret}" if secret else ""
        stdout.write(f"  {email:<40} {role}{extra}")
    stdout.write(
        "  Officials sign in with a code from an authenticator app set up with their TOTP secret "
        "(or `oathtool --totp -b SECRET`)."
    )


class Command(BaseCommand):
    help = "Create or refresh demonstration governments, people and content."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-credentials", action="store_true", help="Do not print the accounts.")
        parser.add_argument(
            "--large",
            action="store_true",
            help="Also add the modules' large demo data (the catalog: a 1,000,000-row table) to the first government.",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_false",
            dest="migrate",
            help="Stop with an explanation, instead of running `minga migrate`, if the database is not up to date.",
        )

    def ensure_migrated(self, *, migrate: bool = True) -> None:
        """A database that was never migrated (or lags behind the code) is migrated first: the
        demo writes to every module's tables."""
        plan = unapplied_migrations()
        if not plan:
            return
        if not migrate:
            raise CommandError(
                f"The database is not up to date ({len(plan)} migrations not applied). "
                "Run `minga migrate` first, then `minga demo` again."
            )
        self.stdout.write(
            f"The database is not up to date ({len(plan)} migrations not applied): running `minga migrate`."
        )
        call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr)

    def handle(self, *args, quiet_credentials=False, large=False, migrate=True, **options):
        self.ensure_migrated(migrate=migrate)
        now = timezone.now().replace(second=0, microsecond=0)
        User = get_user_model()
        with transaction.atomic():
            superadmin, created = User.objects.get_or_create(
                email=f"plataforma@{DEMO_DOMAIN}",
                defaults={
                    "full_name": "Administración de la plataforma",
                    "is_staff": True,
                    "is_superuser": True,
                    "email_verified_at": now,
                },
            )
            if created:
                superadmin.set_password(DEMO_PASSWORD)
                superadmin.save()
            # Every permission is granted to a superuser, so it passes two-factor before any
            # back office or platform page, like every official who can make changes.
            self._totp_secret(superadmin)
            governments = []
            for spec in DEMO_GOVERNMENTS:
                government = Government.objects.filter(slug=spec["slug"]).first()
                if government is None:
                    # The government and its administrator, as the platform's operator creates them.
                    admin = self._user(
                        f"admin.{spec['slug']}@{DEMO_DOMAIN}", f"Administración {spec['short_name']}", now
                    )
                    government, _admin, _new = government_create_with_admin(
                        actor=superadmin, admin_email=admin.email, is_demo=True, **spec
                    )
                governments.append(government)
            for government in governments:
                # The editor and the reader have their role in every module, so each back
                # office can be tried with one account.
                every_module = [manifest.key for manifest in manifests()]
                for local, label, role, modules in (
                    ("admin", "Administración", Membership.Role.ADMIN, [""]),
                    ("editor", "Edición", Membership.Role.EDITOR, every_module),
                    ("lector", "Consulta", Membership.Role.VIEWER, every_module),
                ):
                    email = f"{local}.{government.slug}@{DEMO_DOMAIN}"
                    user = self._user(email, f"{label} {government.short_name}", now)
                    for module in modules:
                        if not Membership.objects.filter(user=user, government=government, module=module).exists():
                            membership_grant(
                                actor=superadmin, government=government, user=user, role=role, module=module
                            )
                    if role != Membership.Role.VIEWER:
                        self._totp_secret(user)
            for number in (1, 2):
                self._user(f"ciudadania{number}@{DEMO_DOMAIN}", f"Persona ciudadana {number}", now)
            seeds = [manifest for manifest in manifests() if manifest.demo_seed is not None]
            with terminal_progress(self.stdout, "Demo", unit="steps") as shown:
                steps, done = len(governments) * (len(seeds) + 1), 0
                for government in governments:
                    with government_scope(government):
                        for manifest in seeds:
                            shown.update(f"{government.slug} · {manifest.key}", done=done, total=steps)
                            manifest.demo_seed(government, now=now, stdout=shown.stdout)
                            done += 1
                        shown.update(f"{government.slug} · search", done=done, total=steps)
                        search_reindex(government)
                        done += 1
                shown.update("all governments", done=done, total=steps)
        if large:
            # Outside the transaction above: a large load commits on its own and may take minutes.
            with government_scope(governments[0]):
                for manifest in manifests():
                    if manifest.demo_large_seed is not None:
                        manifest.demo_large_seed(governments[0], now=now, stdout=self.stdout)
        refresh_planner_statistics()  # thousands of rows just arrived: let the planner know
        # The public page of signed chain heads shows the demo's log from the start (in
        # production the daily job signs one).
        try:
            checkpoint = checkpoint_if_intact(now=now)
        except CheckpointRefused as refused:
            raise CommandError("; ".join(refused.problems)) from refused
        self.stdout.write(f"audit checkpoint {checkpoint.sequence} signed ({len(checkpoint.heads)} chains)")
        self.stdout.write(self.style.SUCCESS("Demo data ready: " + ", ".join(f"/g/{g.slug}/" for g in governments)))
        if not quiet_credentials:
            # Last, after every module's lines: the first thing a person looks for.
            write_demo_accounts(self.stdout, demo_accounts())

    def _totp_secret(self, user) -> str:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="demo", defaults={"key": demo_totp_key(user.email), "confirmed": True}
        )
        return totp_secret(device)

    def _user(self, email: str, name: str, now: dt.datetime):
        User = get_user_model()
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "email_verified_at": now})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user
