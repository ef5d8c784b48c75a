"""Telling a person, on the page of a binding action, what verification it needs and where to
get it:

    {% load verification %}
    {% verification_action "participation.vote" level=process.vote_level territory=process.territory as need %}
    {% if need %}…the vote form…{% else %}{% verification_notice need %}{% endif %}

``verification_check`` does the same with a level instead of a declared action. The person is
the request's user and the government the request's; the notice links to “Verify my identity”,
which sends the person back to this page when they are done."""

from __future__ import annotations

from django import template

from ..verification import selectors

register = template.Library()


def _who(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    government = getattr(request, "government", None)
    next_path = request.get_full_path() if request is not None else ""
    return user, government, next_path


@register.simple_tag(takes_context=True)
def verification_check(context, level, territory="", action_label=""):
    user, government, next_path = _who(context)
    return selectors.check(
        user, government, level, territory=territory or "", action_label=action_label, next_path=next_path
    )


@register.simple_tag(takes_context=True)
def verification_action(context, action, level=None, territory=""):
    user, government, next_path = _who(context)
    return selectors.check_action(user, government, action, level=level, territory=territory or "", next_path=next_path)


@register.inclusion_tag("core/verification/notice.html")
def verification_notice(check):
    """The sentence "To vote you need …", the next step and its link; nothing when allowed."""
    return {"check": check}
