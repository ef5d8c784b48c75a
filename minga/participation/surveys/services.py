"""Writes of surveys: officials build a survey and its questions (audited); citizens answer.

Once voting has opened in the survey's process (`processes.services.voting_locked`), the
questions, the way people take part and the survey's window are voting rules: a change is
refused with `SurveyLocked` after the attempt is recorded in the audit log (in its own
transaction), as processes do with their voting rules.

`response_submit` writes the participation (who) and the response with its answers (what) in
one transaction, and nothing that joins them (see models.py). A second response of the same
person (or browser) meets the unique constraint on the participation and is refused with
`AlreadyAnswered`; nothing of it stays. Responses are citizens' acts, not officials': they are
not written to the audit log, which would tie a person to a moment."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.audit import services as audit
from minga.core.crud import snapshot, unique_slug
from minga.core.opendata import tables_changed
from minga.core.verification import selectors as verification

from ..features import MODULE
from ..processes import services as process_services
from . import answers as answer_rules
from . import selectors
from .models import Answer, Participation, Question, Response, Survey

SURVEY_FIELDS = ("title", "slug", "introduction", "mode", "opens_at", "closes_at", "is_published")
LOCKED_SURVEY_FIELDS = ("mode", "opens_at", "closes_at")
QUESTION_FIELDS = (
    "kind",
    "title",
    "help_text",
    "required",
    "options",
    "rows",
    "max_choices",
    "condition_question",
    "condition_values",
    "position",
)
ACTION = "participation.survey"  # the verification action (apps.py declares it)


class SurveyLocked(ValidationError):
    def __init__(self, what: str):
        super().__init__(
            _(
                "Voting has opened in this process, so the survey's questions and rules cannot change any more. "
                "The change was not saved and the attempt was recorded. It would have changed: %(what)s."
            )
            % {"what": what},
            code="survey_locked",
        )


class SurveyClosed(ValidationError):
    pass


class AlreadyAnswered(ValidationError):
    def __init__(self):
        super().__init__(
            _("You have already answered this survey: only one response per person is counted."),
            code="already_answered",
        )


def _check_fields(fields: Mapping[str, Any], allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _record(*, actor, government, action, obj, changes, now=None) -> None:
    audit.record(actor=actor, government=government, action=action, obj=obj, changes=changes, now=now)
    tables_changed(government=government, module=MODULE)


def _refuse(*, actor, government, survey: Survey, what: str, changes: dict, now) -> None:
    """Record the refused attempt (committed even though the caller raises) and raise."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            government=government,
            action="participation.survey.change_refused",
            obj=survey,
            changes={"what": what, **changes},
            now=now,
        )
    raise SurveyLocked(what)


def is_locked(survey: Survey, *, now: dt.datetime) -> bool:
    return process_services.voting_locked(survey.process, now=now)


def _survey_errors(survey: Survey) -> dict:
    errors: dict = {}
    try:
        survey.full_clean(exclude=["process"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        errors.setdefault("closes_at", []).append(_("The survey must close after it opens."))
    taken = Survey.objects.for_government(survey.government_id).filter(process=survey.process_id, slug=survey.slug)
    if survey.slug and taken.exclude(pk=survey.pk).exists():
        errors.setdefault("slug", []).append(_("Another survey of this process already uses this identifier."))
    return errors


@transaction.atomic
def survey_create(*, actor, government, process, title: str, now=None, **fields) -> Survey:
    _check_fields(fields, SURVEY_FIELDS)
    survey = Survey(government=government, process=process, title=title, **fields)
    if not survey.slug:
        survey.slug = unique_slug(
            Survey.objects.for_government(government).filter(process=process), title, 70, fallback="encuesta"
        )
    errors = _survey_errors(survey)
    if errors:
        raise ValidationError(errors)
    survey.save()
    _record(
        actor=actor,
        government=government,
        action="participation.survey.created",
        obj=survey,
        changes=audit.diff_fields({}, snapshot(survey)),
        now=now,
    )
    return survey


def survey_update(*, actor, government, survey: Survey, now=None, **fields) -> Survey:
    _check_fields(fields, SURVEY_FIELDS)
    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.for_government(government).select_for_update().get(pk=survey.pk)
        before = snapshot(survey)
        for name, value in fields.items():
            setattr(survey, name, value)
        if not survey.slug:
            survey.slug = unique_slug(
                Survey.objects.for_government(government).filter(process=survey.process_id).exclude(pk=survey.pk),
                survey.title,
                70,
                fallback="encuesta",
            )
        changed = {k: [before.get(k), v] for k, v in snapshot(survey).items() if before.get(k) != v}
        locked = [k for k in LOCKED_SURVEY_FIELDS if k in changed]
        if not locked or not is_locked(survey, now=now):
            errors = _survey_errors(survey)
            if errors:
                raise ValidationError(errors)
            survey.save()
            changes = audit.diff_fields(before, snapshot(survey))
            if changes:
                _record(
                    actor=actor,
                    government=government,
                    action="participation.survey.updated",
                    obj=survey,
                    changes=changes,
                    now=now,
                )
            return survey
    labels = {"mode": _("how people take part"), "opens_at": _("opening"), "closes_at": _("closing")}
    _refuse(
        actor=actor,
        government=government,
        survey=survey,
        what=", ".join(str(labels[k]) for k in locked),
        changes={k: changed[k] for k in locked},
        now=now,
    )


def survey_delete(*, actor, government, survey: Survey, now=None) -> None:
    now = now or timezone.now()
    if is_locked(survey, now=now):
        _refuse(
            actor=actor, government=government, survey=survey, what=_("the whole survey (deleted)"), changes={}, now=now
        )
    with transaction.atomic():
        before = snapshot(survey)
        _record(
            actor=actor,
            government=government,
            action="participation.survey.deleted",
            obj=survey,
            changes=audit.diff_fields(before, {}),
            now=now,
        )
        Question.objects.for_government(government).filter(survey=survey).update(condition_question=None)
        survey.delete()


# Questions -------------------------------------------------------------------------------------


def _clean_lines(values) -> list[str]:
    return [str(v).strip() for v in values or [] if str(v).strip()]


def _question_errors(government, question: Question) -> dict:
    errors: dict = {}
    question.options = _clean_lines(question.options)
    question.rows = _clean_lines(question.rows)
    try:
        question.full_clean(exclude=["survey", "condition_question"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if question.kind in Question.OPTION_KINDS:
        if len(question.options) < 2:
            errors.setdefault("options", []).append(_("Give at least two options, one per line."))
        if len(set(question.options)) != len(question.options):
            errors.setdefault("options", []).append(_("Each option must be different."))
    else:
        question.options = []
    if question.kind == "matrix":
        if not question.rows:
            errors.setdefault("rows", []).append(_("Give at least one row, one per line."))
    else:
        question.rows = []
    if question.kind == "multiple":
        if question.max_choices and question.max_choices > len(question.options):
            errors.setdefault("max_choices", []).append(
                _("The maximum cannot be more than the number of options (%(n)d).") % {"n": len(question.options)}
            )
    else:
        question.max_choices = 0
    parent = question.condition_question
    if parent is not None:
        if parent.survey_id != question.survey_id or parent.kind not in Question.CHOICE_KINDS:
            errors.setdefault("condition_question", []).append(
                _("A condition must be a single or multiple choice question of this survey.")
            )
        elif question.position is not None and parent.position >= question.position:
            errors.setdefault("condition_question", []).append(_("A condition must be a question that comes before."))
        values = sorted({int(v) for v in question.condition_values or []})
        if not values or any(not 0 <= v < len(parent.options) for v in values):
            errors.setdefault("condition_values", []).append(_("Choose which answers of that question show this one."))
        question.condition_values = values
    else:
        question.condition_values = []
    if question.pk is not None:
        dependents = Question.objects.for_government(government).filter(condition_question=question.pk)
        for dependent in dependents:
            if question.kind not in Question.CHOICE_KINDS or any(
                v >= len(question.options) for v in dependent.condition_values or []
            ):
                errors.setdefault("kind", []).append(
                    _("Question %(n)d depends on this one's options: change its condition first.")
                    % {"n": dependent.position}
                )
    return errors


def _question_state(question: Question) -> dict:
    return snapshot(question)


def _lock_refusal(*, actor, government, survey, now, what, changes) -> None:
    if is_locked(survey, now=now):
        _refuse(actor=actor, government=government, survey=survey, what=what, changes=changes, now=now)


def question_create(*, actor, government, survey: Survey, now=None, **fields) -> Question:
    _check_fields(fields, QUESTION_FIELDS)
    now = now or timezone.now()
    _lock_refusal(
        actor=actor,
        government=government,
        survey=survey,
        now=now,
        what=_("a new question"),
        changes={"question": [None, fields.get("title", "")]},
    )
    with transaction.atomic():
        last = Question.objects.for_government(government).filter(survey=survey).aggregate(Max("position"))
        fields.setdefault("position", (last["position__max"] or 0) + 1)
        position = fields.pop("position") or (last["position__max"] or 0) + 1
        taken = Question.objects.for_government(government).filter(survey=survey, position__gte=position)
        question = Question(government=government, survey=survey, position=position, **fields)
        errors = _question_errors(government, question)
        if errors:
            raise ValidationError(errors)
        # Make room: later questions move down one place (from the end, so positions stay unique).
        for later in taken.order_by("-position"):
            Question.objects.for_government(government).filter(pk=later.pk).update(position=F("position") + 1)
        question.save()
        _record(
            actor=actor,
            government=government,
            action="participation.survey.question_created",
            obj=survey,
            changes=audit.diff_fields({}, _question_state(question)),
            now=now,
        )
        return question


def question_update(*, actor, government, question: Question, now=None, **fields) -> Question:
    _check_fields(fields, QUESTION_FIELDS)
    now = now or timezone.now()
    survey = question.survey
    with transaction.atomic():
        question = Question.objects.for_government(government).select_for_update().get(pk=question.pk)
        before = _question_state(question)
        position = fields.pop("position", None)
        for name, value in fields.items():
            setattr(question, name, value)
        errors = _question_errors(government, question)
        after = _question_state(question)
        changes = audit.diff_fields(before, after)
        moves = position is not None and position != question.position
        if (changes or moves) and is_locked(survey, now=now):
            pass  # refused below, outside this transaction
        else:
            if errors:
                raise ValidationError(errors)
            question.save()
            if moves:
                _move(government, question, position)
                changes["position"] = [before["position"], question.position]
            if changes:
                _record(
                    actor=actor,
                    government=government,
                    action="participation.survey.question_updated",
                    obj=survey,
                    changes={"question": question.pk, **changes},
                    now=now,
                )
            return question
    _refuse(
        actor=actor,
        government=government,
        survey=survey,
        what=_("question “%(title)s”") % {"title": before["title"]},
        changes={"question": question.pk, **changes},
        now=now,
    )


def _move(government, question: Question, position: int) -> None:
    questions = list(Question.objects.for_government(government).filter(survey=question.survey_id).order_by("position"))
    others = [q for q in questions if q.pk != question.pk]
    position = max(1, min(position, len(questions)))
    ordered = others[: position - 1] + [question] + others[position - 1 :]
    for q in ordered:
        if q.condition_question_id and ordered.index(q) <= next(
            (i for i, o in enumerate(ordered) if o.pk == q.condition_question_id), -1
        ):
            raise ValidationError({"position": _("A conditional question must stay after the question it depends on.")})
    shift = 10_000
    Question.objects.for_government(government).filter(survey=question.survey_id).update(position=F("position") + shift)
    for number, q in enumerate(ordered, start=1):
        Question.objects.for_government(government).filter(pk=q.pk).update(position=number)
    question.position = ordered.index(question) + 1


def question_delete(*, actor, government, question: Question, now=None) -> None:
    now = now or timezone.now()
    survey = question.survey
    _lock_refusal(
        actor=actor,
        government=government,
        survey=survey,
        now=now,
        what=_("question “%(title)s” (deleted)") % {"title": question.title},
        changes={"question": [question.pk, None]},
    )
    with transaction.atomic():
        if Question.objects.for_government(government).filter(condition_question=question).exists():
            raise ValidationError(_("Other questions depend on this one: change their condition first."))
        before = _question_state(question)
        position = question.position
        question.delete()
        later = Question.objects.for_government(government).filter(survey=survey, position__gt=position)
        for q in later.order_by("position"):
            Question.objects.for_government(government).filter(pk=q.pk).update(position=F("position") - 1)
        _record(
            actor=actor,
            government=government,
            action="participation.survey.question_deleted",
            obj=survey,
            changes=audit.diff_fields(before, {}),
            now=now,
        )


# Responses -------------------------------------------------------------------------------------


def voter_hash(survey: Survey, kind: str, value) -> str:
    """The keyed hash of who answers (kind "identity", "user" or "session"); the key is the
    platform's identity key, so a copy of the database alone does not tell who is behind it."""
    key = (settings.IDENTITY_KEY or settings.SECRET_KEY).encode()
    message = f"minga.participation.survey:{survey.pk}:{kind}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def voter_of(*, government, survey: Survey, user, session_token: str, next_path: str = "") -> str:
    """Who is answering, as the participation stores it; raises VerificationRequired (a
    PermissionDenied) when a verified survey's person lacks the process's level."""
    if survey.mode == Survey.Mode.ANONYMOUS:
        if not session_token:
            raise ValidationError(
                _("Your browser did not keep the session: allow cookies for this site and try again.")
            )
        return voter_hash(survey, "session", session_token)
    level = (survey.process.settings or {}).get("verification_vote") or None
    found = verification.require_action(user, government, ACTION, level=level, next_path=next_path)
    if found.identity_id is not None:
        return voter_hash(survey, "identity", found.identity_id)
    if user is None or not user.is_authenticated:
        raise ValidationError(_("Sign in to answer this survey."), code="sign_in")
    return voter_hash(survey, "user", user.pk)


def response_submit(
    *,
    government,
    survey: Survey,
    user,
    session_token: str = "",
    raw: Mapping[int, Any],
    now: dt.datetime,
    next_path: str = "",
) -> Response:
    """Check the window, the person and the answers, then write the participation and the
    response in one transaction. Raises SurveyClosed, AlreadyAnswered, VerificationRequired or
    a ValidationError whose ``error_dict`` is keyed by question id."""
    closed = selectors.closed_reason(survey, now)
    if closed:
        raise SurveyClosed(closed, code="closed")
    voter = voter_of(government=government, survey=survey, user=user, session_token=session_token, next_path=next_path)
    questions = selectors.questions_of(survey)
    cleaned, errors = answer_rules.clean_answers(questions, raw)
    if errors:
        raise ValidationError({str(pk): message for pk, message in errors.items()}, code="invalid")
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            Participation.objects.create(government=government, survey=survey, voter=voter, created_on=day)
            response = Response.objects.create(government=government, survey=survey, submitted_on=day)
            by_id = {q.pk: q for q in questions}
            Answer.objects.bulk_create(
                [
                    Answer(
                        government=government,
                        response=response,
                        question=by_id[pk],
                        choices=[] if by_id[pk].is_text else value,
                        text=value if by_id[pk].is_text else "",
                    )
                    for pk, value in cleaned.items()
                ]
            )
    except IntegrityError as error:
        raise AlreadyAnswered() from error
    # No tables_changed() here: the open-data table holds published results only, which a
    # response during voting does not change; the catalog's daily run picks up the day a
    # results phase starts (and any phase that both votes and shows results).
    return response


def has_answered(*, survey: Survey, voter: str) -> bool:
    return Participation.objects.for_government(survey.government_id).filter(survey=survey, voter=voter).exists()


# Moderation ------------------------------------------------------------------------------------


@transaction.atomic
def answer_set_hidden(*, actor, government, answer: Answer, hidden: bool, now=None) -> Answer:
    """Hide (or show again) an abusive text answer in the results. Audited with the answer's
    random id and its text, never with who wrote it (nobody knows)."""
    answer = Answer.objects.for_government(government).select_for_update().get(pk=answer.pk)
    if answer.is_hidden == hidden:
        return answer
    answer.is_hidden = hidden
    answer.save(update_fields=["is_hidden"])
    survey = Survey.objects.for_government(government).get(pk=answer.question.survey_id)
    _record(
        actor=actor,
        government=government,
        action="participation.survey.answer_hidden" if hidden else "participation.survey.answer_restored",
        obj=survey,
        changes={"answer": str(answer.pk), "text": answer.text[:200], "is_hidden": [not hidden, hidden]},
        now=now,
    )
    return answer
