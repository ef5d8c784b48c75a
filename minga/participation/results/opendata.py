"""Open data of results: one table of the published results of published processes, with
status, progress, unit and links."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from ..features import MODULE
from . import catalog
from .models import Result, ResultLink


def result_rows(government) -> list[tuple]:
    names = catalog.status_names(government)
    results = list(
        Result.objects.for_government(government)
        .public()
        .select_related("process", "parent")
        .order_by("process__starts_at", "process__slug", "parent_id", "position", "pk")
    )
    links: dict[int, list[str]] = {}
    for result_id, kind, key in (
        ResultLink.objects.for_government(government)
        .filter(result__in=[r.pk for r in results])
        .values_list("result_id", "kind", "key")
    ):
        links.setdefault(result_id, []).append(f"{kind}:{key}")
    return [
        (
            result.pk,
            result.process.slug,
            result.process.title,
            result.parent_id,
            result.reference,
            result.title,
            result.status,
            names.get(result.status, result.status),
            result.progress,
            result.start_date,
            result.end_date,
            result.unit_name,
            "; ".join(sorted(links.get(result.pk, []))),
            government_link(
                government,
                government_path("participation:result_detail", slug=result.process.slug, pk=result.pk),
            ),
            timezone.localtime(result.updated_at),
        )
        for result in results
    ]


def tables(government) -> list[OpenDataTable]:
    columns = (
        OpenDataColumn(
            "identificador", str(_("Identifier")), str(_("Stable identifier of the result.")), type="integer"
        ),
        OpenDataColumn("proceso", str(_("Process identifier"))),
        OpenDataColumn("proceso_titulo", str(_("Process"))),
        OpenDataColumn(
            "padre",
            str(_("Parent result")),
            str(_("Identifier of the parent result; empty for a first-level result.")),
            type="integer",
        ),
        OpenDataColumn("referencia", str(_("Reference"))),
        OpenDataColumn("titulo", str(_("Title"))),
        OpenDataColumn("estado", str(_("Status key"))),
        OpenDataColumn("estado_nombre", str(_("Status"))),
        OpenDataColumn("avance", str(_("Progress (%)")), type="number"),
        OpenDataColumn("inicio", str(_("Start")), type="date"),
        OpenDataColumn("fin", str(_("End")), type="date"),
        OpenDataColumn("unidad_responsable", str(_("Responsible unit"))),
        OpenDataColumn(
            "vinculos",
            str(_("Links")),
            str(
                _(
                    "Linked records as kind:key separated by semicolons (proposals, projects, budget lines, contracts, works)."
                )
            ),
        ),
        OpenDataColumn("direccion", str(_("Page")), str(_("Address of the result's page in the portal."))),
        OpenDataColumn("actualizado", str(_("Updated")), type="datetime"),
    )
    name = government.short_name or government.name
    return [
        OpenDataTable(
            key="participation.results",
            module=MODULE,
            title=str(_("Results of participatory processes of %(name)s") % {"name": name}),
            summary=str(
                _("What came out of each participatory process and how far it has gone: status, progress, unit, links.")
            ),
            description=str(_("Published automatically from the results pages of this portal.")),
            columns=columns,
            rows=lambda: result_rows(government),
            theme="GOVE",
            keywords=("participación ciudadana", "rendición de cuentas", "seguimiento"),
            frequency="IRREG",
        )
    ]
