"""The results as charts and tables: the bar chart of each question (core's chart geometry, as
the budget pages draw theirs), the aggregated results as rows (CSV and open data) and every
response as one anonymised row (CSV)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from minga.core.ui import charts

from . import selectors
from .models import Answer, Response, Survey


def with_charts(found: list[selectors.QuestionResult]) -> list[dict]:
    items = []
    for result in found:
        chart = None
        if result.options and result.answered:
            chart = charts.build("bar", [charts.Datum(label, value) for label, value in result.chart_rows], places=0)
        items.append({"result": result, "chart": chart, "chart_id": f"grafico-{result.question.pk}"})
    return items


AGGREGATED_HEADER = (
    "pregunta_numero",
    "pregunta",
    "tipo",
    "fila",
    "opcion",
    "respuestas",
    "porcentaje",
    "posicion_media",
    "puntos_borda",
)


def aggregated_rows(survey: Survey) -> list[tuple]:
    """One row per question and option (per row and column for a matrix; one row with the
    count for a text question): no personal data, no text answers."""
    _total, found = selectors.results(survey)
    rows = []
    for result in found:
        q = result.question
        kind = q.get_kind_display()
        if q.kind == "matrix":
            for row in result.matrix:
                for label, cell in zip(q.options or [], row["cells"], strict=False):
                    rows.append(
                        (q.position, q.title, kind, row["row"], label, cell["count"], cell["percent"], None, None)
                    )
        elif q.is_text:
            rows.append((q.position, q.title, kind, "", "", result.answered, None, None, None))
        else:
            for option in result.options:
                rows.append(
                    (
                        q.position,
                        q.title,
                        kind,
                        "",
                        option.label,
                        option.count,
                        option.percent,
                        option.average_position,
                        option.borda,
                    )
                )
    return rows


def aggregated(survey: Survey) -> tuple[tuple, list[tuple]]:
    return AGGREGATED_HEADER, aggregated_rows(survey)


def _cell(question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if question.is_text:
        return _("[hidden by a moderator]") if answer.is_hidden else answer.text
    options = question.options or []

    def label(n):
        return options[n] if isinstance(n, int) and 0 <= n < len(options) else ""

    if question.kind == "matrix":
        return " | ".join(
            f"{row}: {label(n) if n is not None else ''}"
            for row, n in zip(question.rows or [], answer.choices or [], strict=False)
        )
    if question.kind == "ranking":
        return " > ".join(label(n) for n in answer.choices or [])
    return "; ".join(label(n) for n in answer.choices or [])


def responses(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """One row per response, in the random order of their ids: the response's id, the day and
    one column per question (hidden text answers replaced by a note). Nothing about who."""
    questions = selectors.questions_of(survey)
    header = ["respuesta", "fecha"] + [f"{q.position}. {q.title}" for q in questions]
    by_response: dict = {}
    for answer in Answer.objects.for_government(survey.government_id).filter(response__survey=survey):
        by_response.setdefault(answer.response_id, {})[answer.question_id] = answer
    rows = []
    for response in Response.objects.for_government(survey.government_id).filter(survey=survey).order_by("id"):
        given = by_response.get(response.pk, {})
        rows.append(
            [str(response.pk), response.submitted_on.isoformat()] + [_cell(q, given.get(q.pk)) for q in questions]
        )
    return header, rows
