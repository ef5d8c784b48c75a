"""The participatory budgets' section of the process page, and the process setting that
limits how many budgets (territories) one person votes in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.phases.settings import SettingField

from ..components import ProcessComponent, register
from ..features import VOTE
from . import selectors


def _context(request, process, now):
    budgets = selectors.public_budgets(request.government, process)
    if not budgets:
        return None
    return {"overview": selectors.overview(request.government, process, budgets, now)}


COMPONENT = register(
    ProcessComponent(
        key="presupuestos",
        label=_("Participatory budgets"),
        template="participation/budgets/section.html",
        context=_context,
        order=30,
        process_settings=(
            SettingField(
                "budgets_per_voter",
                _("Budgets one person may vote in"),
                "integer",
                1,
                _(
                    "How many of the process's budgets (territories) one person may vote in. A voting rule: fixed "
                    "once voting opens."
                ),
                min_value=1,
                max_value=50,
                locked_by=VOTE,
            ),
        ),
    )
)
