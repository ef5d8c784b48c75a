"""Open data of surveys: the aggregated results of every published survey whose results the
process publishes (one row per question and option; per row and column for a matrix; the
number of answers for a text question). No response, no text answer, nothing about who took
part. A table that only the phase's dates change: the catalog's daily run republishes it, and
the services call `tables_changed` when an official changes a survey."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from ..features import MODULE
from ..processes import selectors as processes
from . import exports, selectors
from .models import Survey


def result_rows(government) -> list[tuple]:
    now = timezone.now()
    rows = []
    surveys = Survey.objects.for_government(government).published().select_related("process").order_by("pk")
    for survey in surveys:
        process = processes.public_process(government, survey.process.slug)
        if process is None:
            continue
        survey.process = process
        if not selectors.results_published(survey, now):
            continue
        page = government_link(
            government,
            government_path("participation:survey_results", slug=process.slug, survey_slug=survey.slug),
        )
        for row in exports.aggregated_rows(survey):
            rows.append((process.slug, survey.slug, survey.title, *row, page))
    return rows


def tables(government) -> list[OpenDataTable]:
    columns = (
        OpenDataColumn("proceso", str(_("Process")), str(_("Identifier of the participatory process."))),
        OpenDataColumn("encuesta", str(_("Survey")), str(_("Identifier of the survey within the process."))),
        OpenDataColumn("titulo_encuesta", str(_("Survey title"))),
        OpenDataColumn("pregunta_numero", str(_("Question number")), type="integer"),
        OpenDataColumn("pregunta", str(_("Question"))),
        OpenDataColumn("tipo", str(_("Kind of question"))),
        OpenDataColumn("fila", str(_("Row")), str(_("Matrix questions: the row; empty otherwise."))),
        OpenDataColumn("opcion", str(_("Option")), str(_("The option (for a matrix, the column); empty for text."))),
        OpenDataColumn(
            "respuestas",
            str(_("Answers")),
            str(_("People who chose the option (ranking: who ranked it first; text: who answered).")),
            type="integer",
        ),
        OpenDataColumn(
            "porcentaje",
            str(_("Share")),
            str(_("Percentage of those who answered the question (or row).")),
            type="number",
        ),
        OpenDataColumn(
            "posicion_media", str(_("Average position")), str(_("Ranking: average place, 1 = first.")), type="number"
        ),
        OpenDataColumn(
            "puntos_borda",
            str(_("Borda points")),
            str(_("Ranking: for each response, as many points as options ranked below it.")),
            type="integer",
        ),
        OpenDataColumn("direccion", str(_("Page")), str(_("Address of the results page in the portal."))),
    )
    name = government.short_name or government.name
    return [
        OpenDataTable(
            key="participation.survey_results",
            module=MODULE,
            title=str(_("Results of the participatory surveys of %(name)s") % {"name": name}),
            summary=str(
                _("Aggregated results of the surveys and votes of the participatory processes, once published.")
            ),
            description=str(
                _(
                    "Published automatically from the participation pages of this portal. Only totals: no single "
                    "response, no text answer and nothing about who took part."
                )
            ),
            columns=columns,
            rows=lambda: result_rows(government),
            theme="GOVE",
            keywords=("participación ciudadana", "encuesta", "consulta", "votación"),
            frequency="IRREG",
        )
    ]
