import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import set_urlconf

from minga.core import opendata
from minga.core.registry import find_backlinks, resolve_links
from minga.core.tenancy.scoping import government_scope

from .. import summary
from .conftest import OCID, award_release, do_import, package, tender_release


@pytest.fixture
def data(government):
    do_import(government, package(tender_release(), award_release()))
    return government


def test_process_resolver_and_budget_backlinks(data):
    with government_scope(data):
        found = resolve_links(data, "procurement.process", [OCID, "ocds-desconocido"])
        assert list(found) == [OCID]
        linked = found[OCID]
        assert linked.facts["amount"] == Decimal("11000.00")
        assert linked.facts["suppliers"] == ["Papelera del Pacífico"]
        assert linked.facts["procedure"] == "Subasta inversa electrónica"
        assert linked.url.endswith(f"/contratacion/procesos/{OCID}/")
        backlinks = find_backlinks(data, "budget.line", "2025:73.08.04")
        assert [link.key for link in backlinks] == [OCID]
        assert find_backlinks(data, "budget.line", "2024:73.08.04") == []


def test_open_data_table_and_stats(data):
    with government_scope(data):
        (table,) = opendata.tables_for(data, "procurement")
        rows = list(table.rows())
        assert table.key == "procurement.processes"
        assert len(table.columns) == len(rows[0])
        assert rows[0][0] == OCID
        stats = summary.public_stats(data)
        assert list(stats.values())[0] == 1
        set_urlconf(settings.GOVERNMENT_URLCONF)
        try:
            assert summary.latest_updates(data, 5)[0].title.endswith("papel bond")
        finally:
            set_urlconf(None)


def test_import_command(government, tmp_path):
    good = tmp_path / "a.json"
    good.write_bytes(package(tender_release()))
    out = io.StringIO()
    call_command("procurement_import", government.slug, str(good), stdout=out)
    assert "1 new" in out.getvalue()
    bad = tmp_path / "b.json"
    bad.write_bytes(b"[")
    with pytest.raises(CommandError):
        call_command("procurement_import", government.slug, str(bad), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("procurement_import", "nadie", str(good), stdout=io.StringIO())


def test_new_suppliers_reach_the_portal_search(government, django_capture_on_commit_callbacks):
    from minga.core.search.models import SearchDocument

    with django_capture_on_commit_callbacks(execute=True):
        do_import(government, package(tender_release(), award_release()))
    with government_scope(government):
        kinds = set(SearchDocument.objects.filter(government=government).values_list("kind", flat=True))
    assert {"procurement.buyer", "procurement.supplier"} <= kinds
