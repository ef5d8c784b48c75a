"""Comment threads on any page (core/comments/): ``{% load comments %}{% comment_thread
"works.project" project %}`` puts the thread of that object, with its forms, where it is
written; ``{{ comment.body|comment_text }}`` renders a stored text (escaped, paragraphs,
links that search engines do not follow)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

from ..comments import selectors
from ..comments.text import render_body
from ..comments.threads import thread_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, target_key: str, obj, heading_level: int = 2, title=None):
    """The thread of ``obj`` as the person reading the page sees it; nothing when the module
    that owns ``target_key`` is switched off or the person may not see the object."""
    request = context["request"]
    target = selectors.target(request.government, target_key)
    if target is None or obj is None:
        return ""
    # The page that shows the object already decided that this person may see it.
    data = thread_context(request, target, obj, heading_level=int(heading_level), title=title)
    return render_to_string("core/comments/thread.html", data, request=request)


@register.filter
def comment_text(text):
    return render_body(text)


@register.simple_tag
def comment_heading(level, text, element_id=""):
    """A heading of the level a page gives the thread (h2 by default)."""
    level = min(6, max(2, int(level)))
    if element_id:
        return format_html('<h{} id="{}">{}</h{}>', level, element_id, text, level)
    return format_html("<h{}>{}</h{}>", level, text, level)
