"""Checking a response against the survey's questions, independently of any form.

``clean_answers(questions, raw)`` takes what a person sent, one entry per question id:

- single choice: an option number (or None);
- multiple choice: a list of option numbers;
- ranking: a list of option numbers from first to last (every option once);
- short and long text: a string;
- matrix: a list with one option number (or None) per row.

It decides which questions were shown (a conditional question is shown when an earlier choice
question that is itself shown got one of the condition's answers), discards the answers to
hidden questions, applies "required" only to shown ones, and returns the cleaned answers with
the errors by question id, each a sentence in the person's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 3000


def _numbers(value) -> list[int] | None:
    if value in (None, "", []):
        return []
    if not isinstance(value, list | tuple):
        value = [value]
    found = []
    for item in value:
        if item in (None, ""):
            continue
        try:
            found.append(int(item))
        except (TypeError, ValueError):
            return None
    return found


def shown_questions(questions: Sequence[Any], chosen: Mapping[int, list[int]]) -> set[int]:
    """Ids of the questions shown, given the cleaned choices of the choice questions."""
    shown: set[int] = set()
    for question in questions:  # in order: a condition always names an earlier question
        parent = question.condition_question_id
        if parent is None or parent in shown and set(chosen.get(parent) or []) & set(question.condition_values or []):
            shown.add(question.pk)
    return shown


def _clean_one(question, value) -> tuple[Any, str]:
    """(cleaned value or None when unanswered, error or "")."""
    kind = question.kind
    options = question.options or []
    if kind in ("short_text", "long_text"):
        text = str(value or "").replace("\r\n", "\n").strip()
        limit = SHORT_TEXT_MAX if kind == "short_text" else LONG_TEXT_MAX
        if len(text) > limit:
            return None, _("Write at most %(n)d characters (you wrote %(m)d).") % {"n": limit, "m": len(text)}
        return (text or None), ""
    if kind == "matrix":
        rows = question.rows or []
        given = list(value) if isinstance(value, list | tuple) else []
        given = (given + [None] * len(rows))[: len(rows)]
        cleaned = []
        for item in given:
            if item in (None, ""):
                cleaned.append(None)
                continue
            try:
                number = int(item)
            except (TypeError, ValueError):
                return None, _("Choose one of the options offered in each row.")
            if not 0 <= number < len(options):
                return None, _("Choose one of the options offered in each row.")
            cleaned.append(number)
        if all(item is None for item in cleaned):
            return None, ""
        if question.required and any(item is None for item in cleaned):
            missing = [rows[i] for i, item in enumerate(cleaned) if item is None]
            return None, _("Answer every row; missing: %(rows)s.") % {"rows": ", ".join(missing)}
        return cleaned, ""
    numbers = _numbers(value)
    if numbers is None or any(not 0 <= n < len(options) for n in numbers):
        return None, _("Choose among the options offered.")
    if not numbers:
        return None, ""
    if kind == "single":
        if len(numbers) > 1:
            return None, _("Choose only one option.")
        return numbers, ""
    if len(set(numbers)) != len(numbers):
        if kind == "ranking":
            return None, _("Give each option a different place.")
        return None, _("Choose each option only once.")
    if kind == "multiple":
        limit = question.max_choices or len(options)
        if len(numbers) > limit:
            return None, _("Choose at most %(n)d options (you chose %(m)d).") % {"n": limit, "m": len(numbers)}
        return sorted(numbers), ""
    # ranking: every option, once
    if len(numbers) != len(options):
        return None, _("Give every option a place, from 1 to %(n)d.") % {"n": len(options)}
    return numbers, ""


def clean_answers(questions: Sequence[Any], raw: Mapping[int, Any]) -> tuple[dict[int, Any], dict[int, str]]:
    """(answers by question id, of the shown questions that were answered; errors by id)."""
    questions = sorted(questions, key=lambda q: q.position)
    cleaned: dict[int, Any] = {}
    errors: dict[int, str] = {}
    chosen: dict[int, list[int]] = {}
    shown: set[int] = set()
    for question in questions:
        parent = question.condition_question_id
        visible = parent is None or (
            parent in shown and bool(set(chosen.get(parent) or []) & set(question.condition_values or []))
        )
        if not visible:
            continue  # whatever was sent for a hidden question is discarded
        shown.add(question.pk)
        value, error = _clean_one(question, raw.get(question.pk))
        if error:
            errors[question.pk] = error
            continue
        if value is None:
            if question.required:
                errors[question.pk] = _("This question is required.")
            continue
        cleaned[question.pk] = value
        if question.kind in ("single", "multiple"):
            chosen[question.pk] = value
    return cleaned, errors
