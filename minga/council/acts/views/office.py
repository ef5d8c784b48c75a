"""Back office of acts (concejo/gestion/actos/…): viewers see the list; editors create and
edit acts, add versions of the text, record the steps of the procedure and attach PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import confirm_delete_context, submit

from ...apps import EDIT, VIEW_BACKOFFICE
from ...lifecycle.selectors import overdue_for, stages_for, tacit_for
from ...lifecycle.stages import allowed_next, tacit_keys
from ...members import selectors as member_selectors
from ...members.forms import ConfirmForm
from .. import selectors, services
from ..forms import ActForm, ActionForm, DocumentForm, VersionForm
from ..models import Act, Action, Document, Version


def _posted(request):
    return request.POST if request.method == "POST" else None


def _act(request, pk) -> Act:
    return get_object_or_404(Act.objects.filter(government=request.government), pk=pk)


@requires(VIEW_BACKOFFICE)
def act_list(request):
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "acts": selectors.office_acts(request.government, query=query),
        "q": query,
        "can_edit": request.user.has_perm(EDIT, request.government),
    }
    return render(request, "council/office/act_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def act_edit(request, pk=None):
    government = request.government
    act = _act(request, pk) if pk else None
    initial = None
    if act is not None:
        sponsorships = selectors.sponsorships_of(act)
        initial = {name: getattr(act, name) for name in services.ACT_FIELDS}
        initial["primary"] = next((s.person for s in sponsorships if s.primary), None)
        initial["sponsors"] = [s.person for s in sponsorships if not s.primary]
        initial["subjects"] = ", ".join(act.subjects.values_list("name", flat=True))
    form = ActForm(_posted(request), initial=initial, people=member_selectors.people(government))

    def save():
        data = form.cleaned_data
        return services.act_save(
            actor=request.user,
            government=government,
            act=act,
            fields={name: data[name] for name in services.ACT_FIELDS},
            subject_names=form.subject_names(),
            sponsors=list(data["sponsors"]),
            primary=data["primary"],
        )

    if done := submit(form, save):
        messages.success(request, _("The act “%(n)s” was saved.") % {"n": done.value.identifier})
        return redirect("council:office_act", pk=done.value.pk)
    heading = str(act) if act else _("New act")
    return render(request, "council/office/form.html", {"form": form, "heading": heading})


def _manage_context(request, act, *, version_form=None, action_form=None, document_form=None) -> dict:
    government = request.government
    actions = selectors.actions_of(act)
    stages = stages_for(government)
    today = timezone.localdate()
    tacit = tacit_for(government, actions, today, stages)
    # A tacit stage is offered only once the law holds it reached.
    hidden = tacit_keys(stages) - {item.stage.key for item in tacit}
    allowed = [stage for stage in allowed_next(stages, {a.stage for a in actions}, act.kind) if stage.key not in hidden]
    return {
        "act": act,
        "actions": actions,
        "versions": selectors.versions_of(act),
        "documents": selectors.documents_of(act),
        "overdue": overdue_for(government, actions, today, stages),
        "tacit": tacit,
        "allowed": allowed,
        "can_edit": request.user.has_perm(EDIT, government),
        "version_form": version_form or VersionForm(initial={"dated": timezone.localdate()}),
        "action_form": action_form or _action_form(request, act, None),
        "document_form": document_form or DocumentForm(initial={"dated": timezone.localdate()}),
    }


def _action_form(request, act, data):
    return ActionForm(
        data,
        initial={"date": timezone.localdate()},
        committees=member_selectors.committees(request.government),
        versions=Version.objects.filter(government=request.government, act=act),
    )


@requires(VIEW_BACKOFFICE)
def act_manage(request, pk):
    act = _act(request, pk)
    return render(request, "council/office/act_manage.html", _manage_context(request, act))


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def version_add(request, pk):
    act = _act(request, pk)
    form = VersionForm(_posted(request), initial={"dated": timezone.localdate()})

    def save():
        return services.version_add(actor=request.user, government=request.government, act=act, **form.cleaned_data)

    if done := submit(form, save):
        messages.success(request, _("Version %(n)s was added.") % {"n": done.value.number})
        return redirect("council:office_act", pk=act.pk)
    return render(request, "council/office/version_form.html", {"act": act, "form": form})


@requires(EDIT)
@require_POST
def action_add(request, pk):
    act = _act(request, pk)
    form = _action_form(request, act, request.POST)

    def save():
        return services.action_record(
            actor=request.user,
            government=request.government,
            act=act,
            today=timezone.localdate(),
            **form.cleaned_data,
        )

    if submit(form, save):
        messages.success(request, _("The step was recorded."))
        return redirect("council:office_act", pk=act.pk)
    act.refresh_from_db()
    context = _manage_context(request, act, action_form=form)
    return render(request, "council/office/act_manage.html", context, status=400)


@requires(EDIT)
@require_POST
def action_delete(request, pk, action_pk):
    act = _act(request, pk)
    action = get_object_or_404(Action.objects.filter(government=request.government, act=act), pk=action_pk)
    services.action_delete(actor=request.user, government=request.government, action=action)
    messages.success(request, _("The step was removed."))
    return redirect("council:office_act", pk=act.pk)


@requires(EDIT)
@require_POST
def document_add(request, pk):
    act = _act(request, pk)
    form = DocumentForm(request.POST, request.FILES)

    def save():
        data = form.cleaned_data
        return services.document_add(
            actor=request.user,
            government=request.government,
            act=act,
            kind=data["kind"],
            title=data["title"],
            dated=data["dated"],
            upload=data["file"],
        )

    if submit(form, save):
        messages.success(request, _("The document was added."))
        return redirect("council:office_act", pk=act.pk)
    context = _manage_context(request, act, document_form=form)
    return render(request, "council/office/act_manage.html", context, status=400)


@requires(EDIT)
@require_POST
def document_delete(request, pk, document_pk):
    act = _act(request, pk)
    document = get_object_or_404(Document.objects.filter(government=request.government, act=act), pk=document_pk)
    services.document_delete(actor=request.user, government=request.government, document=document)
    messages.success(request, _("The document was deleted."))
    return redirect("council:office_act", pk=act.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def act_delete(request, pk):
    act = _act(request, pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.act_delete(actor=request.user, government=request.government, act=act)
        messages.success(request, _("The act “%(n)s” was deleted.") % {"n": act.identifier})
        return redirect("council:office_acts")
    context = confirm_delete_context(
        obj=act,
        form=form,
        cancel_url=reverse("council:office_act", kwargs={"pk": act.pk}),
        consequence=_(
            "The act leaves the portal with its versions, steps and documents; the audit log keeps a record."
        ),
    )
    return render(request, "core/confirm_delete.html", context)
