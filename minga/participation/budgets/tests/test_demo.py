"""The demo's finished cycle gets three budgets, 40 projects, about 3,000 ballots and a paper
batch, counted and published; seeding again adds nothing."""

import io

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.participation import demo
from minga.participation.budgets.models import Ballot, Budget, BudgetResult, BudgetVoter, PaperBatch, Project


@pytest.mark.django_db
def test_demo_budgets(government):
    now = timezone.now()
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        demo.seed(government, now=now, stdout=io.StringIO())
        assert Budget.objects.count() == 3
        assert Project.objects.count() == 40
        assert Ballot.objects.count() == BudgetVoter.objects.count() == 3060
        assert PaperBatch.objects.get().status == "confirmed"
        results = BudgetResult.objects.filter(published_at__isnull=False)
        assert results.count() == 3
        assert all(r.outcome["rule"]["method"] == "equal_shares" for r in results)


def test_a_winner_is_linked_only_to_a_work_of_its_kind_in_its_territory():
    from types import SimpleNamespace

    from ..demo import _same_kind

    works = [
        SimpleNamespace(key="a", title="Albarrada comunitaria de Barraganete, cantón Pichincha"),
        SimpleNamespace(key="b", title="Centro de atención al adulto mayor de Riochico, cantón Portoviejo"),
    ]
    assert _same_kind("Centro de cuidado para personas mayores (Portoviejo)", works).key == "b"
    assert _same_kind("Paradas de bus con cubierta (Portoviejo)", works) is None
    assert _same_kind("Puente peatonal sobre el estero (Portoviejo)", works[:1]) is None
