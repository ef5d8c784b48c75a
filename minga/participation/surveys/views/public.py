"""Public pages of a survey: the questions with the form (while it takes answers), the results
(when the phase publishes them; officials always), and the two CSV downloads. None of them is
cached: the form carries a per-visitor token, and an answer changes the results at once."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minga.core import ratelimit
from minga.core.access import public
from minga.core.exports import csv_response
from minga.core.verification.levels import VerificationRequired

from ...processes import selectors as processes
from .. import exports, selectors, services
from ..forms import field_name, read_response
from ..models import Survey

SESSION_KEY = "participation_survey_voter"
ANONYMOUS_PER_HOUR = 30  # responses to anonymous surveys per client address


def _survey(request, slug, survey_slug) -> Survey:
    process = processes.public_process(request.government, slug)
    if process is None:
        raise Http404
    survey = selectors.public_survey(request.government, process, survey_slug)
    if survey is None:
        raise Http404
    survey.process = process  # with its phases prefetched
    return survey


def _session_token(request, *, create: bool) -> str:
    token = request.session.get(SESSION_KEY, "")
    if not token and create:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = token
    return token


def _already(request, survey) -> bool:
    if survey.mode == Survey.Mode.ANONYMOUS:
        token = _session_token(request, create=False)
        return bool(token) and services.has_answered(survey=survey, voter=services.voter_hash(survey, "session", token))
    if not request.user.is_authenticated:
        return False
    try:
        voter = services.voter_of(government=request.government, survey=survey, user=request.user, session_token="")
    except (PermissionDenied, ValidationError):
        return False
    return services.has_answered(survey=survey, voter=voter)


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def question_rows(questions, data=None, errors=None) -> list[dict]:
    """Each question with what the person typed (to keep it on errors) and its error."""
    data = data or {}
    errors = errors or {}
    rows = []
    for q in questions:
        name = field_name(q)
        row = {"question": q, "name": name, "error": errors.get(str(q.pk), "")}
        if q.kind == "multiple":
            row["chosen"] = [str(v) for v in data.getlist(name)] if hasattr(data, "getlist") else []
        elif q.kind == "ranking":
            row["places"] = [
                {"index": i, "label": label, "value": data.get(f"{name}_{i}", ""), "name": f"{name}_{i}"}
                for i, label in enumerate(q.options or [])
            ]
            row["choices"] = list(range(1, len(q.options or []) + 1))
        elif q.kind == "matrix":
            row["grid"] = [
                {"index": r, "label": label, "value": data.get(f"{name}_f{r}", ""), "name": f"{name}_f{r}"}
                for r, label in enumerate(q.rows or [])
            ]
        else:
            row["value"] = data.get(name, "")
        row["options"] = [{"index": str(i), "label": label} for i, label in enumerate(q.options or [])]
        rows.append(row)
    return rows


@public
@require_http_methods(["GET", "POST"])
def survey_detail(request, slug, survey_slug):
    government = request.government
    survey = _survey(request, slug, survey_slug)
    now = timezone.now()
    questions = selectors.questions_of(survey)
    closed = selectors.closed_reason(survey, now)
    errors: dict[str, str] = {}
    problem = ""
    status = 200
    if request.method == "POST" and not closed:
        if survey.mode == Survey.Mode.ANONYMOUS:
            decision = ratelimit.hit(
                f"participation.survey:{survey.pk}:{_client(request)}", limit=ANONYMOUS_PER_HOUR, window=3600
            )
            if not decision.allowed:
                problem = _("Too many responses from your connection. Try again in %(n)d minutes.") % {
                    "n": max(1, decision.retry_after // 60)
                }
                status = 429
        if not problem:
            try:
                services.response_submit(
                    government=government,
                    survey=survey,
                    user=request.user,
                    session_token=_session_token(request, create=survey.mode == Survey.Mode.ANONYMOUS),
                    raw=read_response(questions, request.POST),
                    now=now,
                    next_path=request.path,
                )
            except VerificationRequired as error:
                problem, status = str(error), 403
            except services.AlreadyAnswered as error:
                problem, status = " ".join(error.messages), 409
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    errors = {key: " ".join(value) for key, value in error.message_dict.items()}
                    problem = _("Some answers need attention: see the messages by each question.")
                else:
                    problem = " ".join(error.messages)
                status = 400
            else:
                messages.success(request, _("Thank you: your response was recorded."))
                return redirect("participation:survey_detail", slug=slug, survey_slug=survey_slug)
    elif request.method == "POST":
        problem, status = closed, 409
    state, opens, closes = selectors.window(survey, now)
    context = {
        "process": survey.process,
        "survey": survey,
        "rows": question_rows(questions, request.POST if request.method == "POST" else None, errors),
        "closed": closed,
        "problem": problem,
        "state": state,
        "opens": opens,
        "closes": closes,
        "answered": _already(request, survey) if not closed else False,
        "results_visible": selectors.can_see_results(request.user, survey, now),
    }
    return render(request, "participation/surveys/survey_detail.html", context, status=status)


def _results_survey(request, slug, survey_slug):
    survey = _survey(request, slug, survey_slug)
    now = timezone.now()
    if not selectors.can_see_results(request.user, survey, now):
        return survey, now, False
    return survey, now, True


@public
def survey_results(request, slug, survey_slug):
    survey, now, visible = _results_survey(request, slug, survey_slug)
    context = {"process": survey.process, "survey": survey, "visible": visible, "now": now}
    if visible:
        total, found = selectors.results(survey)
        context.update(
            total=total,
            results=exports.with_charts(found),
            published=selectors.results_published(survey, now),
        )
    return render(request, "participation/surveys/survey_results.html", context)


@public
def survey_results_csv(request, slug, survey_slug):
    survey, _now, visible = _results_survey(request, slug, survey_slug)
    if not visible:
        raise Http404
    header, rows = exports.aggregated(survey)
    return csv_response(f"{survey.slug}-resultados.csv", header, rows)


@public
def survey_responses_csv(request, slug, survey_slug):
    survey, _now, visible = _results_survey(request, slug, survey_slug)
    if not visible:
        raise Http404
    header, rows = exports.responses(survey)
    return csv_response(f"{survey.slug}-respuestas.csv", header, rows)
