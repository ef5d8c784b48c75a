"""Open data of the participation module: the table of published processes with their phases,
which the catalog publishes as a dataset and reloads whenever an official changes a process.
Drafts are never exported. Nothing here depends on the day it is read (no status column), so
the table changes only when a process does."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.phases.features import feature_map
from minga.core.tenancy.paths import government_link, government_path

from .budgets import opendata as budgets_opendata
from .features import MODULE
from .processes import selectors
from .proposals.opendata import tables as proposal_tables
from .results import opendata as results_opendata
from .surveys import opendata as survey_opendata  # surveys


def _phase_text(phase, labels) -> str:
    start = timezone.localtime(phase.starts_at).date().isoformat()
    end = timezone.localtime(phase.ends_at).date().isoformat()
    features = ", ".join(str(labels[key].label) for key in phase.features or [] if key in labels)
    return f"{phase.title} ({start} – {end}{': ' + features if features else ''})"


def process_rows(government) -> list[tuple]:
    labels = feature_map(MODULE)
    rows = []
    for process in selectors.public_processes(government).order_by("starts_at", "title"):
        phases = selectors.phases_of(process)
        rows.append(
            (
                process.slug,
                process.title,
                process.get_kind_display(),
                process.summary,
                "; ".join(process.territory_codes),
                "; ".join(process.territory_names) or str(_("Whole territory")),
                timezone.localtime(process.starts_at),
                timezone.localtime(process.ends_at),
                len(phases),
                " | ".join(_phase_text(phase, labels) for phase in phases),
                government_link(government, government_path("participation:process_detail", slug=process.slug)),
                timezone.localtime(process.updated_at),
            )
        )
    return rows


def tables(government) -> list[OpenDataTable]:
    columns = (
        OpenDataColumn("identificador", str(_("Identifier")), str(_("Stable identifier of the process."))),
        OpenDataColumn("titulo", str(_("Title"))),
        OpenDataColumn("tipo", str(_("Kind"))),
        OpenDataColumn("resumen", str(_("Summary"))),
        OpenDataColumn(
            "codigos_territorio",
            str(_("Territory codes")),
            str(
                _(
                    "DPA codes of the parishes, or the government's codes of the neighbourhoods, separated by semicolons; empty: the whole territory."
                )
            ),
        ),
        OpenDataColumn("territorio", str(_("Territory")), str(_("Names of the territories covered."))),
        OpenDataColumn("inicio", str(_("Starts")), type="datetime"),
        OpenDataColumn("fin", str(_("Ends")), type="datetime"),
        OpenDataColumn("numero_fases", str(_("Phases")), str(_("How many phases the process has.")), type="integer"),
        OpenDataColumn(
            "fases",
            str(_("Phase list")),
            str(_("Each phase with its dates and what citizens can do, separated by |.")),
        ),
        OpenDataColumn("direccion", str(_("Page")), str(_("Address of the process's page in the portal."))),
        OpenDataColumn("actualizado", str(_("Updated")), type="datetime"),
    )
    name = government.short_name or government.name
    tables_ = (
        [
            OpenDataTable(
                key="participation.processes",
                module=MODULE,
                title=str(_("Participatory processes of %(name)s") % {"name": name}),
                summary=str(
                    _("The participatory processes the government runs: what, where, when and in which phases.")
                ),
                description=str(_("Published automatically from the participation pages of this portal.")),
                columns=columns,
                rows=lambda: process_rows(government),
                theme="GOVE",
                keywords=("participación ciudadana", "presupuesto participativo", "consulta"),
                frequency="IRREG",
            ),
            *survey_opendata.tables(government),  # surveys
            *proposal_tables(government),
        ]
        + _sub_tables(government)
        + budgets_opendata.tables(government)
    )
    tables_ += results_opendata.tables(government)
    return tables_


def _sub_tables(government) -> list[OpenDataTable]:
    from .committees import opendata as committees_opendata
    from .events import opendata as events_opendata

    return events_opendata.tables(government) + committees_opendata.tables(government)
