"""Demo of the silla vacía, seeded after the council's sessions: in the latest held (or closed)
sessions, requests accredited and denied with reasons, an item with two accredited people and
their consensus, and the seat's vote in a vote event; in the next convened session, a request
waiting for the secretariat. The requesters are demo citizens with a registered cédula (as
participation's demo people have confirmed e-mails). Written straight to the tables, like the
rest of the council demo."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile

from minga.core.verification import keys
from minga.core.verification.cedula import check_digit
from minga.core.verification.models import Identity

from ..sessions.models import AgendaItem, Session, VoteEvent
from .models import SeatConsensus, SeatRequest, SeatRules

PDF = b"%PDF-1.4\n% Acta de designacion (demo)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PEOPLE = [
    ("Rosa Zambrano Loor", "Asamblea Ciudadana Local de Portoviejo", "Asamblea local de Portoviejo"),
    ("Kléber Mero Pico", "Comité barrial Los Tamarindos", "Cabildo popular de Picoazá"),
    ("Narcisa Vélez Bravo", "Red de mujeres rurales de Junín", "Audiencia pública de Junín"),
    ("Wilmer Alcívar Solórzano", "Asociación de pescadores artesanales de Jaramijó", "Asamblea local de Jaramijó"),
    ("Patricio Cevallos Moreira", "Colectivo Ciudad Verde", "Asamblea local de Manta"),
]
DENIAL = (
    "La designación presentada corresponde a una asamblea realizada después de la convocatoria y no consta "
    "la firma de la secretaría de la asamblea (ordenanza de la silla vacía, art. 7; verificar)."
)


def _citizens(government, now) -> list:
    """Demo people with a confirmed e-mail and a registered cédula (made-up numbers)."""
    User = get_user_model()
    people = []
    for index, (name, _organisation, _by) in enumerate(PEOPLE, start=1):
        email = f"silla{index}@{government.slug}.demo.minga.ec"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email, full_name=name, date_joined=now, email_verified_at=now, password=make_password(None)
            )
        if not Identity.objects.filter(user=user).exists():
            # A made-up cédula per demo e-mail: province 13, a serial from the address.
            serial = int(hashlib.sha256(email.encode()).hexdigest(), 16) % 1_000_000
            body = f"135{serial:06d}"
            hashed = keys.cedula_hash(body + str(check_digit(body)))
            if not Identity.objects.filter(cedula_hash=hashed).exists():
                Identity.objects.create(cedula_hash=hashed, user=user, method="online", created_at=now, linked_at=now)
        people.append(user)
    return people


def _request(government, item, user, index, *, status, created_at, reasons="", position="for") -> SeatRequest:
    name, organisation, by = PEOPLE[index]
    seat = SeatRequest(
        government=government,
        item=item,
        user=user,
        public_name=name,
        organisation=organisation,
        position=position,
        position_text=(
            "Nuestra asamblea respalda el proyecto y pide que el texto incluya la participación de las "
            "comunidades en su control."
            if position == "for"
            else "La comunidad pide que el punto se difiera hasta que se socialice en las parroquias."
        ),
        designated_by=by,
        designated_on=(created_at - dt.timedelta(days=5)).date(),
        status=status,
        reasons=reasons,
        created_at=created_at,
        answer_due_at=min(created_at + dt.timedelta(hours=24), item.session.starts_at),
        decided_at=created_at + dt.timedelta(hours=6) if status in ("accredited", "denied") else None,
    )
    seat.document.save(f"{secrets.token_hex(16)}.pdf", ContentFile(PDF), save=False)
    seat.save()
    return seat


def seed(government, now, stdout) -> None:
    if SeatRequest.objects.for_government(government).exists():
        return
    SeatRules.objects.for_government(government).get_or_create(government=government)
    sessions = Session.objects.for_government(government)
    held = list(sessions.filter(status__in=["held", "closed"], starts_at__lt=now).order_by("-starts_at")[:2])
    upcoming = sessions.filter(status="convened", starts_at__gt=now).order_by("starts_at").first()
    if not held and upcoming is None:
        stdout.write("  silla vacía: no sessions to seed requests for\n")
        return
    people = _citizens(government, now)
    made = 0
    for session in held:
        items = list(AgendaItem.objects.for_government(government).filter(session=session).order_by("position"))
        if not items:
            continue
        asked = session.starts_at - dt.timedelta(days=3)
        first = items[0]
        if session == held[0]:
            # One person accredited, their vote recorded in the item's first vote event.
            voter = _request(government, first, people[0], 0, status="accredited", created_at=asked)
            event = VoteEvent.objects.for_government(government).filter(item=first).order_by("position").first()
            if event is not None:
                event.empty_chair_option, event.empty_chair_name = "yes", voter.public_name
                event.save(update_fields=["empty_chair_option", "empty_chair_name"])
            _request(government, first, people[1], 1, status="denied", created_at=asked, reasons=DENIAL)
            made += 2
            if len(items) > 1:
                # Two accredited people on the second item, and their consensus.
                second = items[1]
                one = _request(government, second, people[2], 2, status="accredited", created_at=asked)
                _request(government, second, people[3], 3, status="accredited", created_at=asked, position="against")
                SeatConsensus.objects.for_government(government).create(
                    government=government,
                    item=second,
                    chosen=one,
                    note="Acordado entre las dos personas acreditadas antes de la sesión.",
                    recorded_at=session.starts_at - dt.timedelta(hours=2),
                )
                event = VoteEvent.objects.for_government(government).filter(item=second).order_by("position").first()
                if event is not None:
                    event.empty_chair_option, event.empty_chair_name = "no", one.public_name
                    event.save(update_fields=["empty_chair_option", "empty_chair_name"])
                made += 2
        else:
            _request(government, first, people[4], 4, status="denied", created_at=asked, reasons=DENIAL)
            made += 1
    if upcoming is not None:
        item = AgendaItem.objects.for_government(government).filter(session=upcoming).order_by("position").first()
        if item is not None:
            _request(government, item, people[4], 4, status="submitted", created_at=now - dt.timedelta(hours=3))
            made += 1
    stdout.write(f"  silla vacía: {made} requests\n")
