"""What the thread template gets: the thread as the person reads it, the forms they may use
(each reply form tied to its comment, and a form that failed kept with its text and errors),
and the addresses of the tabs and orders. The template tag and the views that answer htmx
build it the same way."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.http import QueryDict
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import selectors
from .forms import CommentForm

SORT_LABELS = {
    "antiguos": _("Oldest first"),
    "recientes": _("Newest first"),
    "valorados": _("Best rated"),
}
POSITION_LABELS = {
    "": pgettext_lazy("comments shown", "All"),
    "a-favor": pgettext_lazy("comments shown", "In favour"),
    "neutral": pgettext_lazy("comments shown", "Neutral"),
    "en-contra": pgettext_lazy("comments shown", "Against"),
}


def page_url(target, obj) -> str:
    """The address of the page that shows the object's thread, for this request."""
    return get_script_prefix().rstrip("/") + target.url(obj)


def _params(request) -> QueryDict:
    """The page's own query: the request's, or for a request htmx sent from the page (a
    post, a fragment), the query of the address the browser shows."""
    current = request.headers.get("HX-Current-URL")
    if current and request.headers.get("HX-Request") == "true":
        return QueryDict(urlsplit(current).query)
    return request.GET


def _walk(comments):
    for comment in comments:
        yield comment
        yield from _walk(comment.children)


def thread_context(request, target, obj, *, form=None, notice: str = "", heading_level: int = 2, title=None) -> dict:
    government = request.government
    params = _params(request)
    thread = selectors.thread(
        government,
        target,
        obj,
        user=request.user,
        now=timezone.now(),
        sort=params.get("orden", ""),
        position=params.get("postura", ""),
    )
    kinds = dict(target.kinds)
    for comment in _walk(thread.roots):
        comment.extra_html = thread.extras.get(comment.pk, "")
        comment.kind_label = kinds.get(comment.kind, "") if comment.kind else ""
    bound_parent = getattr(getattr(form, "reply_to", None), "pk", None) if form is not None else None
    new_form = None
    if thread.user_can_comment:
        new_form = form if form is not None and bound_parent is None else None
        new_form = new_form or CommentForm(target=target, max_length=thread.max_length)
        for comment in _walk(thread.roots):
            if comment.accepts_replies and not comment.is_hidden and not comment.is_deleted:
                if bound_parent == comment.pk:
                    comment.reply_form = form
                else:
                    comment.reply_form = CommentForm(target=target, max_length=thread.max_length, parent=comment)
    base = page_url(target, obj)
    others = {k: v for k, v in params.items() if k not in ("orden", "postura")}
    thread_url = reverse("core:comment_thread", kwargs={"target": target.key, "object_id": obj.pk})

    def link(sort: str, position: str, *, fragment: bool = False) -> str:
        query = {**({} if fragment else others), **({"orden": sort} if sort != "antiguos" else {})}
        if position:
            query["postura"] = position
        encoded = urlencode(query)
        if fragment:
            return thread_url + (f"?{encoded}" if encoded else "")
        return base + (f"?{encoded}" if encoded else "") + "#" + thread.anchor

    sorts = [
        {
            "name": name,
            "label": label,
            "url": link(name, thread.position),
            "fragment": link(name, thread.position, fragment=True),
            "current": name == thread.sort,
        }
        for name, label in SORT_LABELS.items()
    ]
    tabs = []
    if target.alignment:
        tabs = [
            {
                "name": name,
                "label": label,
                "count": thread.counts.get(name, 0),
                "url": link(thread.sort, name),
                "fragment": link(thread.sort, name, fragment=True),
                "current": name == thread.position,
            }
            for name, label in POSITION_LABELS.items()
        ]
    login = reverse("core:login") + "?" + urlencode({"next": base + "#" + thread.anchor})
    return {
        "thread": thread,
        "target": target,
        "obj": obj,
        "new_form": new_form,
        "notice": notice,
        "heading_level": heading_level,
        "heading_text": f"{title or _('Comments')} ({thread.count})",
        "anchor": thread.anchor,
        "create_url": reverse("core:comment_create", kwargs={"target": target.key, "object_id": obj.pk}),
        "thread_url": thread_url,
        "page_url": base,
        "sorts": sorts,
        "tabs": tabs,
        "login_url": login,
        "request": request,
        "user": request.user,
        "government": government,
    }
