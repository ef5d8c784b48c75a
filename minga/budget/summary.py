"""What the government's home page and Atom feed show of the budget: the execution of the
latest published cut-off and the latest publications."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from minga.core.registry import PublicUpdate

from . import selectors
from .models import CutOff


def public_stats(government) -> dict:
    cutoff = selectors.latest_cutoff(government)
    if cutoff is None:
        return {}
    rate = selectors.totals(cutoff, "expense").execution_rate
    label = _("Budget executed %(year)s (to %(cutoff)s)") % {"year": cutoff.budget_year.year, "cutoff": cutoff.label}
    shown = f"{number_format(round(rate, 1), decimal_pos=1, use_l10n=True)} %" if rate is not None else "—"
    return {label: shown}


def latest_updates(government, limit: int) -> list[PublicUpdate]:
    cutoffs = (
        CutOff.objects.filter(government=government)
        .published()
        .select_related("budget_year")
        .order_by("-published_at")[:limit]
    )
    return [
        PublicUpdate(
            title=_("Budget execution to %(cutoff)s") % {"cutoff": cutoff.label},
            url=reverse("budget:year", kwargs={"year": cutoff.budget_year.year}) + f"?corte={cutoff.key}",
            updated_at=cutoff.published_at,
            summary=_("The cédula presupuestaria at the end of the month, line by line."),
            module="budget",
        )
        for cutoff in cutoffs
    ]
