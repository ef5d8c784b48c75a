"""The moderators' screens: the queue (comments waiting for review, waiting for an official
answer, hidden, all), one comment's page (its reports and appeal; hide with a published
reason, show again, answer officially, decide the appeal) and the government's settings of
comments. A moderator is whoever holds the permission a comment target names (by default its
module's "moderate", an editor's): the queue shows only their targets' comments, and another
target's comment answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import requires
from ..backoffice.forms import module_settings_form_class
from ..crud import apply_validation_error
from ..permissions import MODERATE_COMMENTS
from ..tenancy import services as tenancy_services
from . import selectors, services
from .config import SETTINGS, SETTINGS_KEY
from .forms import AnswerForm, AppealDecisionForm, HideForm, QueueFilterForm
from .models import CommentAppeal
from .text import render_body

PAGE_SIZE = 30


@requires(MODERATE_COMMENTS)
def moderation_queue(request):
    government = request.government
    targets = selectors.moderated_targets(request.user, government)
    filters = QueueFilterForm(request.GET or None, targets=targets)
    state = target_key = ""
    if filters.is_valid():
        state, target_key = filters.cleaned_data["estado"], filters.cleaned_data["tipo"]
    page = Paginator(selectors.queue(government, request.user, state=state, target_key=target_key), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    selectors.describe(government, page.object_list)
    context = {
        "page": page,
        "filters": filters,
        "state": state or "revisar",
        "can_configure": request.user.has_perm("core.administer_government", government),
    }
    return render(request, "core/comments/office/queue.html", context)


def _moderated(request, pk: int):
    comment = selectors.moderation_record(request.government, pk)
    if comment is None:
        raise Http404
    target = selectors.target(request.government, comment.target_key)
    if target is None:
        raise Http404
    if not selectors.can_moderate(request.user, request.government, target):
        raise PermissionDenied
    return comment, target


@requires(MODERATE_COMMENTS)
@require_http_methods(["GET", "POST"])
def moderation_detail(request, pk: int):
    government = request.government
    comment, target = _moderated(request, pk)
    action = request.POST.get("accion", "")
    hide_form = HideForm(request.POST if action == "ocultar" else None, auto_id="hide-%s")
    answer_form = AnswerForm(request.POST if action == "responder" else None, auto_id="answer-%s")
    appeal = getattr(comment, "appeal", None)
    decision_form = AppealDecisionForm(request.POST if action == "apelacion" else None, auto_id="appeal-%s")
    status = 200
    if request.method == "POST":
        status = 400
        here = redirect("core:comment_moderation", pk=comment.pk)
        try:
            if action == "ocultar" and hide_form.is_valid():
                services.comment_hide(
                    actor=request.user, government=government, comment=comment, reason=hide_form.cleaned_data["reason"]
                )
                messages.success(request, _("The comment is hidden; the reason is shown in its place."))
                return here
            if action == "mostrar":
                services.comment_restore(actor=request.user, government=government, comment=comment)
                messages.success(request, _("The comment is shown; its open reports are dismissed."))
                return here
            if action == "responder" and answer_form.is_valid():
                services.comment_answer(
                    actor=request.user, government=government, comment=comment, body=answer_form.cleaned_data["answer"]
                )
                messages.success(request, _("Your answer is published."))
                return here
            if action == "apelacion" and appeal is not None and decision_form.is_valid():
                uphold = decision_form.cleaned_data["decision"] == "aceptar"
                services.appeal_decide(
                    actor=request.user,
                    government=government,
                    appeal=appeal,
                    uphold=uphold,
                    note=decision_form.cleaned_data["note"],
                )
                messages.success(request, _("The appeal is decided."))
                return here
        except ValidationError as error:
            form = {"ocultar": hide_form, "responder": answer_form, "apelacion": decision_form}.get(action, hide_form)
            apply_validation_error(form, error)
    selectors.describe(government, [comment])
    comment.kind_label = dict(target.kinds).get(comment.kind, comment.kind)
    context = {
        "comment": comment,
        "body_html": render_body(comment.body),
        "target": target,
        "reports": list(comment.reports.all()),
        "appeal": appeal,
        "appeal_pending": appeal is not None and appeal.state == CommentAppeal.State.PENDING,
        "answers": selectors.official_answers(government, comment),
        "extras": target.attachments(government, [comment]) if target.attachments is not None else {},
        "hide_form": hide_form,
        "answer_form": answer_form,
        "decision_form": decision_form,
    }
    return render(request, "core/comments/office/detail.html", context, status=status)


class _Settings:
    key = SETTINGS_KEY
    settings = SETTINGS


@requires("core.administer_government")
@require_http_methods(["GET", "POST"])
def comment_settings(request):
    form_class = module_settings_form_class(_Settings)
    current = {spec.key: spec.default for spec in SETTINGS}
    current.update(request.government.module_settings(SETTINGS_KEY))
    form = form_class(request.POST or None, initial=current)
    for name in ("reports_to_hide", "max_length"):
        form.fields[name].validators.append(MinValueValidator(1))
        form.fields[name].widget.attrs["min"] = "1"
    if request.method == "POST" and form.is_valid():
        tenancy_services.government_set_module_settings(
            actor=request.user, government=request.government, module=SETTINGS_KEY, values=form.cleaned_data
        )
        messages.success(request, _("Settings saved."))
        return redirect("core:comment_settings")
    return render(
        request, "core/comments/office/settings.html", {"form": form}, status=400 if request.method == "POST" else 200
    )
