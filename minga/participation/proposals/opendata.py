"""Open data: the proposals of the published processes with their supports, status and
evaluation. No personal data: no author, no supporters."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from ..features import MODULE
from .models import Proposal


def rows(government) -> list[tuple]:
    found = (
        Proposal.objects.for_government(government)
        .filter(process__is_published=True, is_hidden=False)
        .select_related("process")
        .order_by("process__slug", "pk")
    )
    return [
        (
            proposal.pk,
            proposal.process.slug,
            proposal.title,
            proposal.category,
            proposal.territory_code,
            proposal.territory_name,
            float(proposal.latitude) if proposal.latitude is not None else None,
            float(proposal.longitude) if proposal.longitude is not None else None,
            proposal.status,
            proposal.supports_count,
            proposal.comments_count,
            proposal.cost_estimate,
            proposal.evaluation_answer,
            proposal.merged_into_id,
            timezone.localtime(proposal.created_at),
            government_link(
                government,
                government_path("participation:proposal_detail", slug=proposal.process.slug, pk=proposal.pk),
            ),
        )
        for proposal in found
    ]


def tables(government) -> list[OpenDataTable]:
    columns = (
        OpenDataColumn("identificador", str(_("Identifier")), str(_("Number of the proposal.")), type="integer"),
        OpenDataColumn("proceso", str(_("Process")), str(_("Identifier of the participatory process."))),
        OpenDataColumn("titulo", str(_("Title"))),
        OpenDataColumn("categoria", str(_("Category"))),
        OpenDataColumn("codigo_territorio", str(_("Territory code"))),
        OpenDataColumn("territorio", str(_("Territory"))),
        OpenDataColumn("latitud", str(_("Latitude")), str(_("WGS 84; empty without a location.")), type="number"),
        OpenDataColumn("longitud", str(_("Longitude")), str(_("WGS 84; empty without a location.")), type="number"),
        OpenDataColumn(
            "estado",
            str(_("Status")),
            str(_("published, evaluating, feasible, not_feasible, withdrawn or merged.")),
        ),
        OpenDataColumn("apoyos", str(_("Supports")), type="integer"),
        OpenDataColumn("comentarios", str(_("Comments")), type="integer"),
        OpenDataColumn("costo_estimado", str(_("Cost estimate (USD)")), type="number"),
        OpenDataColumn("respuesta_evaluacion", str(_("Evaluation answer"))),
        OpenDataColumn(
            "fusionada_en", str(_("Merged into")), str(_("Number of the proposal it was merged into.")), type="integer"
        ),
        OpenDataColumn("presentada", str(_("Submitted")), type="datetime"),
        OpenDataColumn("direccion", str(_("Page")), str(_("Address of the proposal's page in the portal."))),
    )
    name = government.short_name or government.name
    return [
        OpenDataTable(
            key="participation.proposals",
            module=MODULE,
            title=str(_("Citizen proposals of %(name)s") % {"name": name}),
            summary=str(
                _("Proposals citizens submitted to the participatory processes, with their supports and evaluation.")
            ),
            description=str(
                _("Published automatically from the participation pages of this portal. No personal data.")
            ),
            columns=columns,
            rows=lambda: rows(government),
            theme="GOVE",
            keywords=("participación ciudadana", "propuestas ciudadanas", "presupuesto participativo"),
            frequency="IRREG",
        )
    ]
