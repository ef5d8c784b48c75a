"""The demonstration budgets: two years of monthly cut-offs that pass the import checks,
inside the demo territory, and a second run adds nothing."""

import datetime as dt
import io

import pytest

from minga.core.tenancy.scoping import government_scope

from .. import demo, selectors
from ..models import BudgetLine, CutOff, LineExecution

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(demo, "EXPENSE_LINES", 120)
    monkeypatch.setattr(demo, "INCOME_LINES", 30)


def test_two_years_of_monthly_cutoffs_and_idempotent(government, small):
    now = dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC)
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        keys = [c.key for c in CutOff.objects.published().order_by("budget_year__year", "month")]
        assert keys[0] == "2025-01" and keys[11] == "2025-12" and keys[-1] == "2026-04" and len(keys) == 16
        assert BudgetLine.objects.filter(budget_year__year=2025).count() == 150
        counts = (BudgetLine.objects.count(), LineExecution.objects.count())
        located = BudgetLine.objects.exclude(dpa_code="").values_list("dpa_code", flat=True)
        assert located and all(code.startswith("13") for code in located)
        cutoff = selectors.cutoff_for(selectors.published_year(government, 2026))
        expense = selectors.totals(cutoff, "expense")
        assert 0 < expense.execution_rate < 100 and expense.comprometido >= expense.devengado
        out = io.StringIO()
        demo.seed(government, now=now, stdout=out)
        assert (BudgetLine.objects.count(), LineExecution.objects.count()) == counts and out.getvalue() == ""
        # a month later, the new cut-off is added
        demo.seed(government, now=now.replace(month=6), stdout=io.StringIO())
        assert CutOff.objects.published().count() == 17


def test_full_size_lines(government):
    specs = demo._line_specs(government, 2026)
    assert len(specs) == demo.EXPENSE_LINES + demo.INCOME_LINES == 2000
    assert len({s["partida"] for s in specs}) == 2000


def test_a_years_income_and_expense_add_up_to_the_same_unround_figure(government):
    specs = demo._line_specs(government, 2026)
    total = demo._budget_total(government, 2026)
    demo._scale(specs, total)
    sides = {side: sum(s["asignado"] for s in specs if s["side"] == side) for side in ("expense", "income")}
    assert sides == {"expense": total, "income": total}
    assert total % 1000 != 0 and total != demo._budget_total(government, 2025)
