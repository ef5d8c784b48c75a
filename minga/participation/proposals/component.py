"""The proposals' section of the process page (participation/components.py): how many
proposals, the most supported ones, a link to the list and the "Propose" button while the
phase allows it. Shown for processes that have a phase with ``propose`` or already have
proposals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..components import ProcessComponent, register
from ..features import PROPOSE, SUPPORT
from ..processes import selectors as process_selectors
from . import rules, selectors
from .rules import PROCESS_SETTINGS

TOP = 3


def context(request, process, now) -> dict | None:
    government = request.government
    has_phase = any(phase.has_feature(PROPOSE) for phase in process_selectors.phases_of(process))
    found = selectors.public_proposals(government, process)
    top = list(found.order_by("-supports_count", "-created_at", "-pk").only(*selectors.LIST_FIELDS)[:TOP])
    if not has_phase and not top:
        return None
    return {
        "counts": selectors.counts(government, process),
        "top": top,
        "threshold": rules.threshold(process),
        "propose_on": process_selectors.feature_on(process, PROPOSE, now),
        "support_on": process_selectors.feature_on(process, SUPPORT, now),
    }


COMPONENT = register(
    ProcessComponent(
        key="propuestas",
        label=_("Proposals"),
        template="participation/proposals/section.html",
        context=context,
        order=10,
        process_settings=PROCESS_SETTINGS,
    )
)
