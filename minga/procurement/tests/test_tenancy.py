"""Tenancy of what hangs off a process (awarded suppliers, items, budget lines) and of the
search's word lists: another government's rows and ids never reach a government's answers."""

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import ScopeError, scopes_disabled

from minga.core.memo import clear_all
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from .. import columns, selectors, wordlists
from ..models import Process, ProcessBudgetLine, ProcessItem, ProcessSupplier, Supplier
from .conftest import award_release, do_import, package, tender_release

A_OCID = "ocds-5wno2w-SIE-GPM-2025-001-1360"
B_OCID = "ocds-5wno2w-SIE-GPA-2025-007-0101"
B_ITEM = "4811000021"  # a CPC code only government B's process has
B_PARTIDA = "84.01.07"


@pytest.fixture
def two(government, other_government):
    """Both governments buy "papel bond"; B's process has its own item code and budget line."""
    do_import(government, package(tender_release(A_OCID), award_release(A_OCID)))
    b_tender = tender_release(
        B_OCID, tender={"items": [{"id": "1", "description": "Papel bond", "classification": {"id": B_ITEM}}]}
    )
    b_tender["planning"] = {"budget": {"id": B_PARTIDA, "amount": {"amount": 9000, "currency": "USD"}}}
    b_award = award_release(B_OCID, supplier=("EC-RUC-0190000000001", "Papeles del Austro"))
    do_import(other_government, package(b_tender, b_award))
    return government, other_government


def _own_ids(government) -> set[int]:
    with government_scope(government):
        return set(Process.objects.values_list("pk", flat=True))


def test_child_rows_carry_the_government_of_their_process(two):
    for government in two:
        with government_scope(government):
            for model in (ProcessSupplier, ProcessItem, ProcessBudgetLine):
                rows = list(model.objects.select_related("process"))
                assert rows, model
                assert {row.government_id for row in rows} == {government.pk}
                assert {row.process.government_id for row in rows} == {government.pk}


def test_child_tables_refuse_to_answer_without_a_government(two):
    for model in (ProcessSupplier, ProcessItem, ProcessBudgetLine):
        with pytest.raises(ScopeError):
            list(model.objects.all())


def test_foreign_child_rows_are_absent_or_answer_404(client, two):
    a, b = two
    with government_scope(b):
        b_supplier = Supplier.objects.get()
        b_process = Process.objects.get()
        assert ProcessItem.objects.filter(code=B_ITEM).exists()
    with government_scope(a):
        assert not ProcessSupplier.objects.filter(supplier=b_supplier).exists()
        assert not ProcessItem.objects.filter(process=b_process).exists()
        assert not ProcessBudgetLine.objects.filter(key=f"2025:{B_PARTIDA}").exists()
        assert not selectors.backlink_processes(a, f"2025:{B_PARTIDA}").exists()
        assert selectors.yearly_spending(a) == {2025: 11000}
    api = gov_url(a, "procurement-api:processes")
    assert client.get(api, {"proveedor": b_supplier.pk}).json()["count"] == 0
    assert client.get(api, {"categoria": B_ITEM[:5]}).json()["count"] == 0
    assert client.get(gov_url(a, "procurement-api:supplier", pk=b_supplier.pk)).status_code == 404
    assert client.get(gov_url(a, "procurement:supplier_detail", pk=b_supplier.pk)).status_code == 404
    assert client.get(gov_url(a, "procurement:process_detail", ocid=B_OCID)).status_code == 404


def test_word_lists_hand_out_only_the_government_s_own_ids(two):
    a, b = two
    a_ids, b_ids = _own_ids(a), _own_ids(b)
    for government, own in ((a, a_ids), (b, b_ids)):
        with government_scope(government):
            for term, ids in wordlists.term_ids(government, wordlists.query_terms("papel bond")).items():
                assert set(ids.tolist()) == own, term
            assert set(wordlists.matching_ids(government, "papel bond").tolist()) == own
            assert set(wordlists.matching_ids(government, "papel").tolist()) == own
            # Given the government's ids, the lists are cut to them as well.
            given = np.array(sorted(own), dtype=np.int64)
            assert set(wordlists.matching_ids(government, "papel bond", own=given).tolist()) == own


def test_a_search_never_yields_another_government_s_processes_even_from_kept_word_lists(client, two):
    a, b = two
    clear_all()
    for query in ("papel", "papel bond", "bond papel", "papel"):
        # B first, so that any list B's search keeps is there when A searches the same words.
        for government, ocid in ((b, B_OCID), (a, A_OCID)):
            body = client.get(gov_url(government, "procurement-api:processes"), {"q": query}).json()
            assert [row["ocid"] for row in body["results"]] == [ocid], (government.slug, query)
    # Every list kept for A, as a bit per position of A's columns, names A's processes only.
    with government_scope(a):
        kept = columns.columns_for(a)
        assert kept._words._items
        for packed in kept._words._items.values():
            positions = np.flatnonzero(np.unpackbits(packed, count=len(kept)))
            assert set(kept.ids[positions].tolist()) <= _own_ids(a)
    # B publishes more processes with the same words: A's kept lists stay A's.
    do_import(b, package(tender_release("ocds-5wno2w-SIE-GPA-2025-008-0101")))
    body = client.get(gov_url(a, "procurement-api:processes"), {"q": "papel bond"}).json()
    assert [row["ocid"] for row in body["results"]] == [A_OCID]
    body = client.get(gov_url(b, "procurement-api:processes"), {"q": "papel bond"}).json()
    assert body["count"] == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_child_row_the_government_of_its_process():
    executor = MigrationExecutor(connection)
    before = ("procurement", "0006_supplier_registered_on")
    executor.migrate([before])
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "procurement"]
    apps = executor.loader.project_state([before, *others]).apps
    Government = apps.get_model("core", "Government")
    created = {}
    for code in ("13", "01"):
        government = Government.objects.create(
            name=f"Gobierno {code}", short_name=code, slug=f"g{code}", level="province", dpa_code=code, modules={}
        )
        process = apps.get_model("procurement", "Process").objects.create(
            government=government, ocid=f"ocds-x-{code}", updated_at=timezone.now()
        )
        supplier = apps.get_model("procurement", "Supplier").objects.create(
            government=government, identifier=f"EC-{code}", name="Proveedor"
        )
        apps.get_model("procurement", "ProcessSupplier").objects.create(
            process=process, supplier=supplier, government_id_copy=government.pk
        )
        apps.get_model("procurement", "ProcessItem").objects.create(process=process, code="3215100011", family="32151")
        apps.get_model("procurement", "ProcessBudgetLine").objects.create(
            process=process, government_id_copy=government.pk, key="2025:73.08.04"
        )
        created[process.pk] = government.pk
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with scopes_disabled():
        for model in (ProcessSupplier, ProcessItem, ProcessBudgetLine):
            rows = dict(model.objects.values_list("process_id", "government_id"))
            assert rows == created, model
