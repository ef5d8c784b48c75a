"""Open data of oversight committees: the public registry (no contact data)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from ..features import MODULE
from . import selectors


def committee_rows(government) -> list[tuple]:
    rows = []
    for committee in selectors.public_committees(government).prefetch_related("members", "reports"):
        members = sorted(committee.members.all(), key=lambda member: (member.position, member.pk))
        rows.append(
            (
                committee.slug,
                committee.name,
                committee.object_kind,
                committee.object_key,
                committee.object_title,
                committee.starts_on,
                committee.ends_on,
                committee.get_status_display(),
                "; ".join(
                    f"{member.name} ({member.role}{', ' + member.organisation if member.organisation else ''})"
                    for member in members
                ),
                len(committee.reports.all()),
                government_link(government, government_path("participation:committee_detail", slug=committee.slug)),
            )
        )
    return rows


def tables(government) -> list[OpenDataTable]:
    columns = (
        OpenDataColumn("identificador", str(_("Identifier"))),
        OpenDataColumn("nombre", str(_("Name"))),
        OpenDataColumn("tipo_objeto", str(_("Kind of object overseen"))),
        OpenDataColumn("objeto", str(_("Identifier of the object overseen"))),
        OpenDataColumn("nombre_objeto", str(_("Name of the object overseen"))),
        OpenDataColumn("inicio", str(_("Starts")), type="date"),
        OpenDataColumn("fin", str(_("Ends")), type="date"),
        OpenDataColumn("estado", str(_("Status"))),
        OpenDataColumn("miembros", str(_("Members")), str(_("Names and roles as the members chose to be listed."))),
        OpenDataColumn("numero_informes", pgettext("committee reports", "Reports"), type="integer"),
        OpenDataColumn("direccion", str(_("Page"))),
    )
    name = government.short_name or government.name
    return [
        OpenDataTable(
            key="participation.committees",
            module=MODULE,
            title=str(_("Citizen oversight committees of %(name)s") % {"name": name}),
            summary=str(_("The registry of citizen oversight committees: what each oversees, members and reports.")),
            description=str(_("Published automatically from the participation pages of this portal.")),
            columns=columns,
            rows=lambda: committee_rows(government),
            theme="GOVE",
            keywords=("veeduría ciudadana", "control social"),
            frequency="IRREG",
        )
    ]
