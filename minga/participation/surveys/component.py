"""The surveys' section of the public process page: each published survey with its state
(open until…, opens on…, closed), its "Responder" button while it takes answers and the link
to its results when they are published. Nothing here depends on who is looking, so the
process page stays cacheable."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..components import ProcessComponent, register
from . import selectors


def section(request, process, now):
    surveys = list(selectors.public_surveys(request.government, process))
    if not surveys:
        return None
    items = []
    for survey in surveys:
        survey.process = process
        state, opens, closes = selectors.window(survey, now)
        items.append(
            {
                "survey": survey,
                "state": state,
                "opens": opens,
                "closes": closes,
                "results": selectors.results_published(survey, now),
            }
        )
    return {"surveys": items}


COMPONENT = register(
    ProcessComponent(
        key="encuestas",
        label=_("Surveys and votes"),
        template="participation/surveys/section.html",
        context=section,
        order=30,
    )
)
