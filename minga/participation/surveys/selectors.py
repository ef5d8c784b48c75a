"""Reads of surveys: which surveys a process shows, whether one takes answers now, whether
its results are published, and the results themselves (counts, percentages, ranking scores,
matrix tables, text answers)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minga.core.phases import timeline

from ..features import SHOW_RESULTS, VOTE
from ..processes import selectors as processes
from .models import Answer, Question, Response, Survey

OPEN, NOT_YET, CLOSED = "open", "not_yet", "closed"


def public_surveys(government, process):
    return Survey.objects.for_government(government).filter(process=process).published().order_by("title")


def public_survey(government, process, slug: str) -> Survey | None:
    return public_surveys(government, process).filter(slug=slug).select_related("process").first()


def office_surveys(government, *, process=None):
    surveys = Survey.objects.for_government(government).select_related("process")
    if process is not None:
        surveys = surveys.filter(process=process)
    return surveys.order_by("-process__starts_at", "process__title", "title")


def questions_of(survey: Survey) -> list[Question]:
    return list(
        Question.objects.for_government(survey.government_id)
        .filter(survey=survey)
        .select_related("condition_question")
        .order_by("position")
    )


def _vote_phase(survey: Survey, now: dt.datetime):
    phases = processes.phases_of(survey.process)
    voting = [p for p in phases if p.has_feature(VOTE)]
    current = timeline.current_phase(phases, now)
    if current is not None and current.has_feature(VOTE):
        return current, voting
    return None, voting


def window(survey: Survey, now: dt.datetime) -> tuple[str, dt.datetime | None, dt.datetime | None]:
    """(state, opens, closes) at ``now``: open, not yet open or closed, with the moments that
    apply (the survey's own window inside the voting phase, else the phase's dates)."""
    current, voting = _vote_phase(survey, now)
    if current is not None:
        opens = max(current.starts_at, survey.opens_at) if survey.opens_at else current.starts_at
        closes = min(current.ends_at, survey.closes_at) if survey.closes_at else current.ends_at
        if not survey.process.is_published or not survey.is_published:
            return CLOSED, opens, closes
        if now < opens:
            return NOT_YET, opens, closes
        if now >= closes:
            return CLOSED, opens, closes
        return OPEN, opens, closes
    later = [p for p in voting if p.starts_at > now]
    if later:
        opens = max(later[0].starts_at, survey.opens_at) if survey.opens_at else later[0].starts_at
        return NOT_YET, opens, later[0].ends_at
    earlier = [p for p in voting if p.ends_at <= now]
    return CLOSED, None, earlier[-1].ends_at if earlier else None


def closed_reason(survey: Survey, now: dt.datetime) -> str:
    """Why the survey takes no answers at ``now`` (a sentence), or "" when it does."""
    state, opens, closes = window(survey, now)
    if state == OPEN:
        return ""
    if state == NOT_YET and opens is not None:
        return _("This survey opens on %(when)s.") % {"when": date_format(opens, "DATETIME_FORMAT")}
    if closes is not None and closes <= now:
        return _("This survey closed on %(when)s: answers are no longer accepted.") % {
            "when": date_format(closes, "DATETIME_FORMAT")
        }
    return _("This survey is not taking answers: no voting phase of the process is open.")


def results_published(survey: Survey, now: dt.datetime) -> bool:
    return survey.is_published and processes.feature_on(survey.process, SHOW_RESULTS, now)


def can_see_results(user, survey: Survey, now: dt.datetime) -> bool:
    return results_published(survey, now) or user.has_perm("participation.view_backoffice", survey.government)


def response_count(survey: Survey) -> int:
    return Response.objects.for_government(survey.government_id).filter(survey=survey).count()


# Results ---------------------------------------------------------------------------------------


@dataclass
class OptionResult:
    label: str
    count: int
    percent: float  # of the people who answered the question
    average_position: float | None = None  # ranking
    borda: int | None = None  # ranking: n-1 points for first place … 0 for last


@dataclass
class QuestionResult:
    question: Question
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    matrix: list[dict[str, Any]] = field(default_factory=list)  # [{row, cells: [{count, percent}]}]
    texts: list[Answer] = field(default_factory=list)
    hidden_texts: int = 0

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        if self.question.kind == "ranking":
            return [(o.label, o.borda or 0) for o in self.options]
        return [(o.label, o.count) for o in self.options]


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def results(survey: Survey, *, include_hidden: bool = False) -> tuple[int, list[QuestionResult]]:
    """(number of responses, a result per question, in order)."""
    questions = questions_of(survey)
    total = response_count(survey)
    answers: dict[int, list[Answer]] = {q.pk: [] for q in questions}
    for answer in Answer.objects.for_government(survey.government_id).filter(question__survey=survey).order_by("id"):
        answers.setdefault(answer.question_id, []).append(answer)
    found = []
    for question in questions:
        given = answers.get(question.pk, [])
        result = QuestionResult(question=question, answered=len(given))
        options = question.options or []
        if question.kind in ("single", "multiple"):
            counts = Counter(n for a in given for n in a.choices or [])
            result.options = [
                OptionResult(label, counts[i], _percent(counts[i], len(given))) for i, label in enumerate(options)
            ]
        elif question.kind == "ranking":
            n = len(options)
            positions: dict[int, list[int]] = {i: [] for i in range(n)}
            for a in given:
                for place, option in enumerate(a.choices or []):
                    if option in positions:
                        positions[option].append(place + 1)
            items = []
            for i, label in enumerate(options):
                places = positions[i]
                first = sum(1 for p in places if p == 1)
                items.append(
                    OptionResult(
                        label,
                        first,
                        _percent(first, len(given)),
                        round(sum(places) / len(places), 2) if places else None,
                        sum(n - p for p in places),
                    )
                )
            result.options = sorted(items, key=lambda o: (-(o.borda or 0), o.label))
        elif question.kind == "matrix":
            rows = question.rows or []
            for r, row in enumerate(rows):
                column = Counter(
                    a.choices[r]
                    for a in given
                    if isinstance(a.choices, list) and len(a.choices) > r and a.choices[r] is not None
                )
                answered_row = sum(column.values())
                result.matrix.append(
                    {
                        "row": row,
                        "answered": answered_row,
                        "cells": [
                            {"count": column[c], "percent": _percent(column[c], answered_row)}
                            for c in range(len(options))
                        ],
                    }
                )
        else:
            result.hidden_texts = sum(1 for a in given if a.is_hidden)
            result.texts = [a for a in given if include_hidden or not a.is_hidden]
        found.append(result)
    return total, found
