"""The follow button of any followable record (core/notifications):
``{% follow_button obj %}`` on pages rendered per person, ``{% follow_button_lazy obj %}`` on
cached public pages (htmx loads the person's button; without JavaScript it links to the
follow page)."""

from __future__ import annotations

from django import template

from ..notifications.selectors import follow_state

register = template.Library()


@register.inclusion_tag("core/notifications/follow_button.html", takes_context=True)
def follow_button(context, target):
    request = context["request"]
    return {
        "follow": follow_state(request.user, request.government, target),
        "user": request.user,
        "request": request,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("core/notifications/follow_lazy.html", takes_context=True)
def follow_button_lazy(context, target, label=""):
    request = context["request"]
    return {"follow": follow_state(None, request.government, target), "label": label}
