"""Citizens' pages and actions on comments. Each works without JavaScript: a form posts, and
the answer is a redirect back to the comment on the object's page, or, when something is
wrong, a page of its own with the form, the errors and the text kept. With htmx the thread
is swapped in place instead. Another government's comment, or a comment of an object the
person may not see, is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import ratelimit
from ..access import requires
from ..crud import apply_validation_error
from ..permissions import OWN_ACCOUNT
from ..ui.fragments import varies_on_fragment, wants_fragment
from ..ui.page_cache import public_page
from . import selectors, services
from .config import comment_settings, rate_limits
from .forms import AppealForm, CommentForm, EditForm, ReportForm
from .models import Comment
from .threads import page_url, thread_context


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = (seconds + 59) // 60
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _over_limit(user, action: str) -> str:
    """ "" when this person may write now (the write is counted), else the message to show."""
    taken = []
    for limit in rate_limits(action):
        decision = ratelimit.hit(f"comments:{action}:{limit.name}:{user.pk}", limit=limit.limit, window=limit.window)
        if not decision.allowed:
            for earlier in taken:
                ratelimit.give_back(earlier)
            wait = _wait_text(decision.retry_after)
            if action == "vote":
                return _("You voted many times in a short time. Wait %(wait)s and try again.") % {"wait": wait}
            if action == "report":
                return _("You sent many reports in a short time. Wait %(wait)s and try again.") % {"wait": wait}
            return _(
                "You wrote many comments in a short time. Wait %(wait)s and publish again: your text is still in the form."
            ) % {"wait": wait}
        taken.append(decision)
    return ""


def _object(request, target_key: str, object_id: int):
    found = selectors.target_object(request.government, target_key, object_id, request.user)
    if found is None:
        raise Http404
    return found


def _comment(request, pk: int):
    found = selectors.public_comment(request.government, pk, request.user)
    if found is None:
        raise Http404
    return found


def _back(target, obj, comment: Comment | None = None):
    anchor = f"#comentario-{comment.pk}" if comment is not None else ""
    return redirect(page_url(target, obj) + anchor)


def _thread_response(request, target, obj, *, form=None, notice="", status=200):
    context = thread_context(request, target, obj, form=form, notice=notice)
    html = render_to_string("core/comments/thread.html", context, request=request)
    return varies_on_fragment(HttpResponse(html, status=status))


@public_page
@require_GET
def comment_thread(request, target: str, object_id: int):
    """The thread alone, for htmx (tabs, orders); the object's page otherwise."""
    target_obj, obj = _object(request, target, object_id)
    if not wants_fragment(request):
        query = request.GET.urlencode()
        address = page_url(target_obj, obj) + (f"?{query}" if query else "") + "#" + selectors.anchor(target_obj, obj)
        return varies_on_fragment(redirect(address))
    return _thread_response(request, target_obj, obj)


def _form_page(request, target, obj, form, *, heading, status=400, comment=None, intro="", button=""):
    context = {
        "form": form,
        "heading": heading,
        "intro": intro,
        "button": button or _("Send"),
        "target": target,
        "object_url": page_url(target, obj),
        "action": request.path,
        "comment": comment,
    }
    return render(request, "core/comments/form_page.html", context, status=status)


@requires(OWN_ACCOUNT)
@require_POST
def comment_create(request, target: str, object_id: int):
    government = request.government
    target_obj, obj = _object(request, target, object_id)
    parent = None
    parent_id = request.POST.get("parent", "").strip()
    if parent_id:
        if not parent_id.isdigit():
            raise Http404
        parent = (
            Comment.objects.for_government(government)
            .of_target(target_obj.key, obj.pk)
            .filter(pk=int(parent_id))
            .first()
        )
        if parent is None:
            raise Http404
    max_length = selectors.max_length(government, target_obj)
    form = CommentForm(request.POST, request.FILES, target=target_obj, max_length=max_length, parent=parent)
    heading = _("Your reply") if parent is not None else _("Your comment")
    status = 400
    if not selectors.can_comment(request.user):
        form.is_valid()
        form.add_error(None, _("Confirm your e-mail address before commenting."))
    elif form.is_valid():
        refusal = _over_limit(request.user, "comment")
        if refusal:
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                comment = services.comment_create(
                    actor=request.user,
                    government=government,
                    target_key=target_obj.key,
                    obj=obj,
                    body=form.cleaned_data["body"],
                    alignment=form.cleaned_data.get("alignment", 0),
                    kind=form.cleaned_data.get("kind", ""),
                    parent=parent,
                    extra=form.extra_data() if parent is None else None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                notice = _("Your comment is published.")
                if wants_fragment(request):
                    return _thread_response(request, target_obj, obj, notice=notice)
                messages.success(request, notice)
                return _back(target_obj, obj, comment)
    if wants_fragment(request):
        return _thread_response(request, target_obj, obj, form=form, status=200)
    return _form_page(request, target_obj, obj, form, heading=heading, status=status)


@requires(OWN_ACCOUNT)
@require_POST
def comment_vote(request, pk: int):
    comment, target, obj = _comment(request, pk)
    notice = ""
    try:
        value = int(request.POST.get("voto", "0"))
    except ValueError:
        value = 0
    refusal = _over_limit(request.user, "vote")
    if refusal:
        notice = refusal
    else:
        try:
            services.comment_vote(actor=request.user, government=request.government, comment=comment, value=value)
        except ValidationError as error:
            notice = " ".join(error.messages)
    if wants_fragment(request):
        return _thread_response(request, target, obj, notice=notice)
    if notice:
        messages.error(request, notice)
    return _back(target, obj, comment)


def _comment_form(request, target, obj, comment, form, *, act, success, limit="", **page):
    """The report, edit and appeal forms: a GET shows the form; a POST that validates, keeps
    within the rate limit (``limit``: the action counted, if any) and that the service (``act``,
    called with the cleaned data) accepts goes back to the comment saying ``success``; anything
    else shows the form again with what was typed and why (400, or 429 over the limit)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            refusal = _over_limit(request.user, limit) if limit else ""
            if refusal:
                form.add_error(None, refusal)
                status = 429
            else:
                try:
                    act(form.cleaned_data)
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, success)
                    return _back(target, obj, comment)
    return _form_page(request, target, obj, form, status=status, comment=comment, **page)


@requires(OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def comment_report(request, pk: int):
    comment, target, obj = _comment(request, pk)
    return _comment_form(
        request,
        target,
        obj,
        comment,
        ReportForm(request.POST or None),
        act=lambda data: services.comment_report(
            actor=request.user,
            government=request.government,
            comment=comment,
            reason=data["reason"],
            details=data["details"],
        ),
        success=_("Thank you: the moderators will review the comment."),
        limit="report",
        heading=_("Report a comment"),
        intro=_("The moderators review every report. Your name is not shown to the author."),
        button=_("Send the report"),
    )


@requires(OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int):
    comment, target, obj = _comment(request, pk)
    if comment.author_id != request.user.pk or comment.is_deleted:
        raise Http404
    if request.method == "GET" and not selectors.editable(request.government, comment, now=timezone.now()):
        messages.error(request, _("This comment can no longer be changed; you can still delete it."))
        return _back(target, obj, comment)
    max_length = selectors.max_length(request.government, target)
    minutes = comment_settings(request.government).edit_minutes
    return _comment_form(
        request,
        target,
        obj,
        comment,
        EditForm(request.POST or None, initial={"body": comment.body}, max_length=max_length),
        act=lambda data: services.comment_edit(
            actor=request.user, government=request.government, comment=comment, body=data["body"]
        ),
        success=_("Your comment was changed."),
        limit="comment",
        heading=_("Change your comment"),
        intro=ngettext(
            "A comment can be changed for %(n)d minute after publishing.",
            "A comment can be changed for %(n)d minutes after publishing.",
            minutes,
        )
        % {"n": minutes},
        button=_("Save the change"),
    )


@requires(OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def comment_delete(request, pk: int):
    comment, target, obj = _comment(request, pk)
    if comment.author_id != request.user.pk or comment.is_deleted:
        raise Http404
    if request.method == "POST":
        try:
            services.comment_delete(actor=request.user, government=request.government, comment=comment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your comment was deleted; the replies stay."))
        return _back(target, obj, comment)
    context = {
        "comment": comment,
        "target": target,
        "object_url": page_url(target, obj),
        "cancel_url": page_url(target, obj) + f"#comentario-{comment.pk}",
    }
    return render(request, "core/comments/delete.html", context)


@requires(OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def comment_appeal(request, pk: int):
    comment, target, obj = _comment(request, pk)
    if comment.author_id != request.user.pk or not comment.is_hidden or comment.is_deleted:
        raise Http404
    existing = getattr(comment, "appeal", None)
    if existing is not None:
        return render(
            request,
            "core/comments/appeal_state.html",
            {"comment": comment, "appeal": existing, "target": target, "object_url": page_url(target, obj)},
        )
    return _comment_form(
        request,
        target,
        obj,
        comment,
        AppealForm(request.POST or None),
        act=lambda data: services.appeal_create(
            actor=request.user, government=request.government, comment=comment, text=data["text"]
        ),
        success=_("Your appeal was sent; a moderator will decide."),
        heading=_("Appeal the hiding"),
        intro=_("A moderator hid your comment. You can ask once for it to be shown again."),
        button=_("Send the appeal"),
    )
