"""The demo's results tree, the open-data table and the government's own statuses."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from ... import demo
from .. import catalog, opendata, selectors
from ..models import Result
from . import factories

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_results_tree_once(government):
    now = timezone.now()
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        demo.seed(government, now=now, stdout=io.StringIO())  # again: nothing new
        results = Result.objects.filter(process__slug=f"presupuesto-participativo-{timezone.localtime(now).year - 1}")
        assert results.count() == 11
        tree = selectors.build_tree(government, results)
        assert max(node.depth for node in selectors.flatten(tree)) == 3
        roads = results.get(reference="R1")
        assert roads.progress == selectors.rolled_up([(c.weight, c.progress) for c in roads.children.all()])
        assert roads.timeline.exists()


def test_open_data_lists_published_results_with_links(government, process):
    shown = factories.result(government, process, title="Visible", status="ejecucion", progress=25)
    factories.result(government, process, title="Borrador", is_published=False)
    with government_scope(government):
        shown.links.create(government=government, kind="budget.line", key="2025:750105")
        rows = opendata.result_rows(government)
        [table] = opendata.tables(government)
    assert [row[5] for row in rows] == ["Visible"]
    assert rows[0][7] == "En ejecución" and rows[0][8] == Decimal("25.00") and rows[0][12] == "budget.line:2025:750105"
    assert len(table.columns) == len(rows[0])


def test_the_government_chooses_its_statuses(government, process):
    modules = dict(government.modules or {})
    entry = dict(modules.get("participation", {}))
    entry["settings"] = {
        **entry.get("settings", {}),
        "result_statuses": ["licitacion En licitación", "entregado Entregado"],
    }
    modules["participation"] = entry
    government.modules = modules
    government.save()
    assert [s.name for s in catalog.statuses(government)] == ["En licitación", "Entregado"]
    result = factories.result(government, process, status="licitacion")
    assert result.status == "licitacion"
    with pytest.raises(ValidationError):
        factories.result(government, process, status="ejecucion")
