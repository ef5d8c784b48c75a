"""The council's page views, counted privately by core (core/usage): daily totals per page,
nothing about the visitor. A public view is counted with two lines::

    @counted
    @public_page
    def act_detail(request, slug):
        ...
        return visit(render(request, "council/act_detail.html", context), ACT, act)
"""

from __future__ import annotations

from minga.core.usage.services import counted, note

MODULE = "council"

HOME = "home"
ACT = "act"  # an act's page and its comparison of versions (object: the act)
ARTICLE = "article"  # the page of one article of an act (object: the act)
SESSION = "session"
PERSON = "person"
COMMITTEE = "committee"
PAGE = "review"  # the effectiveness page itself

KINDS = (HOME, ACT, ARTICLE, SESSION, PERSON, COMMITTEE, PAGE)
ACT_KINDS = (ACT, ARTICLE)

__all__ = ["KINDS", "MODULE", "counted", "visit"]


def visit(response, kind: str, obj=None):
    """Note on a @counted view's response that it is one visit to ``obj``'s page (or to a page
    about no one record)."""
    return note(response, MODULE, kind, obj.pk if obj is not None else None)
