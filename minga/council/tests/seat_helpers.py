"""Records the silla vacía tests need: a council, a convened session with agenda items, a
held one with a vote event, and a PDF upload (made with the models directly)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from ..members.models import Council
from ..sessions.models import AgendaItem, Session, VoteEvent

PDF = b"%PDF-1.4\n% acta\n%%EOF\n"


def pdf(name="acta.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def council_of(government):
    with government_scope(government):
        return Council.objects.for_government(government).first() or Council.objects.create(
            government=government, name="Consejo Provincial de Manabí", kind="provincial"
        )


def session_with_items(government, *, slug="sesion-ordinaria-12", status="convened", starts_at=None, items=2):
    council = council_of(government)
    starts_at = starts_at or timezone.now() + dt.timedelta(days=10)
    with government_scope(government):
        session = Session.objects.create(
            government=government,
            council=council,
            slug=slug,
            kind="ordinary",
            title=f"Sesión {slug}",
            starts_at=starts_at,
            status=status,
        )
        for position in range(1, items + 1):
            AgendaItem.objects.create(
                government=government,
                session=session,
                position=position,
                title=f"Ordenanza de prueba número {position}",
            )
    return session


def item_of(session, position=1):
    with government_scope(session.government):
        return AgendaItem.objects.get(session=session, position=position)


def vote_event(item, position=1):
    with government_scope(item.government):
        return VoteEvent.objects.create(
            government=item.government,
            item=item,
            position=position,
            motion="Aprobar en segundo debate",
            result="passed",
        )


REQUEST = {
    "public_name": "Rosa Zambrano Loor",
    "organisation": "Asamblea Ciudadana Local de Portoviejo",
    "position": "for",
    "position_text": "Respaldamos el proyecto.",
    "designated_by": "Asamblea local de Portoviejo",
    "designated_on": dt.date(2026, 1, 2),
    "phone": "0991234567",
}
