"""What the budget makes findable in the portal's search: each budget year with published
cut-offs (its page leads to every line). Lines themselves are found on the year's list of
lines, which searches codes and names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from . import selectors

YEAR_KIND = "budget.year"


def _years(government):
    return selectors.published_years(government)


def _year_entry(budget_year) -> SearchEntry:
    cutoff = selectors.cutoff_for(budget_year)
    return SearchEntry(
        title=f"Presupuesto {budget_year.year}",
        url=government_path("budget:year", year=budget_year.year),
        summary=f"Presupuesto y ejecución presupuestaria {budget_year.year}, al corte {cutoff.key}: "
        "asignado, codificado, comprometido, devengado y pagado por partida.",
        body="cédula presupuestaria ingresos gastos partidas ejecución LOTAIP numeral 6 " + budget_year.notes,
        updated_at=cutoff.published_at,
    )


REGISTRATIONS = (
    SearchRegistration(kind=YEAR_KIND, module="budget", label=_("Budget"), queryset=_years, entry=_year_entry),
)
