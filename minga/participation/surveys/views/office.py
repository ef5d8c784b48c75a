"""Back office of surveys (participacion/gestion/encuestas/…): viewers see the surveys and
their results (with every text answer); editors create and edit a survey and its questions;
moderators hide an abusive text answer. Changes to the questions after voting opened are
refused by the services, which record the attempt."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from ...processes.models import Process
from .. import exports, selectors, services
from ..forms import ConfirmForm, QuestionForm, SurveyForm
from ..models import Answer, Question, Survey

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"
MODERATE = "participation.moderate"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _get_survey(request, pk) -> Survey:
    return get_object_or_404(Survey.objects.filter(government=request.government).select_related("process"), pk=pk)


@requires(VIEW)
def survey_list(request):
    government = request.government
    process = None
    if request.GET.get("proceso", "").isdigit():
        process = Process.objects.filter(government=government, pk=int(request.GET["proceso"])).first()
    context = {
        "surveys": selectors.office_surveys(government, process=process),
        "process": process,
        "can_edit": request.user.has_perm(EDIT, government),
        "now": timezone.now(),
    }
    return render(request, "participation/surveys/office/survey_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk=None):
    government = request.government
    now = timezone.now()
    survey = _get_survey(request, pk) if pk else None
    locked = survey is not None and services.is_locked(survey, now=now)
    initial = {}
    if survey is None and request.GET.get("proceso", "").isdigit():
        initial["process"] = int(request.GET["proceso"])
    form = SurveyForm(_posted(request), instance=survey, government=government, locked=locked, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.SURVEY_FIELDS if name in form.cleaned_data}
        try:
            if survey is None:
                saved = services.survey_create(
                    actor=request.user, government=government, process=form.cleaned_data["process"], now=now, **data
                )
            else:
                saved = services.survey_update(
                    actor=request.user, government=government, survey=survey, now=now, **data
                )
        except services.SurveyLocked as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The survey “%(title)s” was saved.") % {"title": saved.title})
            return redirect("participation:office_survey_edit", pk=saved.pk)
    context = {
        "form": form,
        "survey": survey,
        "locked": locked,
        "questions": selectors.questions_of(survey) if survey else [],
    }
    return render(request, "participation/surveys/office/survey_form.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def survey_delete(request, pk):
    government = request.government
    survey = _get_survey(request, pk)
    now = timezone.now()
    refusal = (
        _("Voting has opened in this process, so the survey cannot be deleted: unpublish it instead.")
        if services.is_locked(survey, now=now)
        else ""
    )
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_delete(actor=request.user, government=government, survey=survey, now=now)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The survey “%(title)s” was deleted.") % {"title": survey.title})
            return redirect("participation:office_surveys")
    context = confirm_delete_context(
        obj=survey,
        form=form,
        cancel_url=reverse("participation:office_survey_edit", kwargs={"pk": survey.pk}),
        consequence=_("The survey, its questions and its responses are deleted; the audit log keeps a record."),
        refusal=refusal,
    )
    return render(
        request, "core/confirm_delete.html", context, status=409 if refusal and request.method == "POST" else 200
    )


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk=None):
    government = request.government
    now = timezone.now()
    survey = _get_survey(request, pk)
    question = (
        get_object_or_404(Question.objects.filter(government=government, survey=survey), pk=question_pk)
        if question_pk
        else None
    )
    form = QuestionForm(_posted(request), survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if question is None:
                services.question_create(actor=request.user, government=government, survey=survey, now=now, **fields)
            else:
                services.question_update(
                    actor=request.user, government=government, question=question, now=now, **fields
                )
        except services.SurveyLocked as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("participation:office_survey_edit", pk=survey.pk)
    context = {
        "form": form,
        "survey": survey,
        "question": question,
        "locked": services.is_locked(survey, now=now),
    }
    return render(request, "participation/surveys/office/question_form.html", context)


@requires(EDIT)
@require_POST
def question_delete(request, pk, question_pk):
    government = request.government
    survey = _get_survey(request, pk)
    question = get_object_or_404(Question.objects.filter(government=government, survey=survey), pk=question_pk)
    try:
        services.question_delete(actor=request.user, government=government, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question was deleted."))
    return redirect("participation:office_survey_edit", pk=survey.pk)


@requires(VIEW)
def survey_results(request, pk):
    survey = _get_survey(request, pk)
    total, found = selectors.results(survey, include_hidden=True)
    context = {
        "survey": survey,
        "process": survey.process,
        "total": total,
        "results": exports.with_charts(found),
        "can_moderate": request.user.has_perm(MODERATE, request.government),
        "now": timezone.now(),
    }
    return render(request, "participation/surveys/office/survey_results.html", context)


@requires(MODERATE)
@require_POST
def answer_moderate(request, pk, answer_pk):
    government = request.government
    survey = _get_survey(request, pk)
    answer = get_object_or_404(
        Answer.objects.filter(government=government, question__survey=survey).select_related("question"), pk=answer_pk
    )
    hidden = request.POST.get("ocultar") == "1"
    services.answer_set_hidden(actor=request.user, government=government, answer=answer, hidden=hidden)
    messages.success(
        request, _("The answer is hidden from the public results.") if hidden else _("The answer is shown again.")
    )
    return redirect(
        reverse("participation:office_survey_results", kwargs={"pk": survey.pk}) + f"#pregunta-{answer.question_id}"
    )
