"""Open data of events: published events with their attendance counts (aggregate numbers
only) and their agreements. Registrations (personal data) are never exported."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from ..features import MODULE
from . import selectors


def event_rows(government) -> list[tuple]:
    rows = []
    agreements: dict[int, list] = {}
    for agreement in selectors.public_agreements(government):
        agreements.setdefault(agreement.event_id, []).append(agreement)
    for event in selectors.public_events(government):
        items = sorted(agreements.get(event.pk, []), key=lambda item: item.number)
        rows.append(
            (
                event.slug,
                event.title,
                event.event_type.name,
                event.process.slug if event.process else "",
                event.territory_code,
                event.territory_name,
                event.address,
                timezone.localtime(event.starts_at),
                timezone.localtime(event.ends_at),
                event.attendance_total,
                event.attendance_women,
                event.attendance_men,
                event.attendance_other,
                len(items),
                " | ".join(
                    f"{item.number}. {item.text} ({item.responsible}; {item.get_status_display()}"
                    + (f"; {item.due_on.isoformat()}" if item.due_on else "")
                    + ")"
                    for item in items
                ),
                government_link(government, government_path("participation:event_detail", slug=event.slug)),
            )
        )
    return rows


def tables(government) -> list[OpenDataTable]:
    columns = (
        OpenDataColumn("identificador", str(_("Identifier"))),
        OpenDataColumn("titulo", str(_("Title"))),
        OpenDataColumn("tipo", str(_("Type"))),
        OpenDataColumn("proceso", str(_("Process")), str(_("Identifier of the participatory process, if any."))),
        OpenDataColumn("codigo_territorio", str(_("Territory code"))),
        OpenDataColumn("territorio", str(_("Territory"))),
        OpenDataColumn("lugar", str(_("Place"))),
        OpenDataColumn("inicio", str(_("Starts")), type="datetime"),
        OpenDataColumn("fin", str(_("Ends")), type="datetime"),
        OpenDataColumn("asistentes", str(_("Attendance")), type="integer"),
        OpenDataColumn("asistentes_mujeres", str(_("Women")), type="integer"),
        OpenDataColumn("asistentes_hombres", str(_("Men")), type="integer"),
        OpenDataColumn("asistentes_otros", str(_("Other or not stated")), type="integer"),
        OpenDataColumn("numero_acuerdos", str(_("Agreements")), type="integer"),
        OpenDataColumn(
            "acuerdos",
            str(_("Agreements and commitments")),
            str(_("Each agreement with its responsible, status and due date, separated by |.")),
        ),
        OpenDataColumn("direccion", str(_("Page"))),
    )
    name = government.short_name or government.name
    return [
        OpenDataTable(
            key="participation.events",
            module=MODULE,
            title=str(_("Participatory events of %(name)s") % {"name": name}),
            summary=str(_("Assemblies, hearings and meetings: when, where, how many took part and what was agreed.")),
            description=str(_("Published automatically from the participation pages of this portal.")),
            columns=columns,
            rows=lambda: event_rows(government),
            theme="GOVE",
            keywords=("participación ciudadana", "asamblea", "audiencia pública"),
            frequency="IRREG",
        )
    ]
