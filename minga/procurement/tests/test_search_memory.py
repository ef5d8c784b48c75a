"""The contracting search's per-government memory stays within its budget: governments least
recently searched are let go, and read again, with the same answers, at their next search."""

import numpy as np

from minga.core.memo import BudgetedMemo, clear_all
from minga.core.testing import GovernmentFactory, gov_url

from .. import columns
from .conftest import award_release, do_import, package, tender_release


def _governments(count):
    found = []
    for n in range(count):
        government = GovernmentFactory()
        ocids = [f"ocds-5wno2w-SIE-G{n}-2025-{k:03d}" for k in range(3)]
        releases = [tender_release(ocid) for ocid in ocids] + [award_release(ocids[0], amount=1000 + n)]
        do_import(government, package(*releases))
        found.append((government, sorted(ocids)))
    return found


def _search(client, government):
    body = client.get(gov_url(government, "procurement-api:processes"), {"q": "papel bond", "orden": "monto-mayor"})
    return [row["ocid"] for row in body.json()["results"]]


def test_governments_beyond_the_budget_are_let_go_and_read_again_with_the_same_results(db, client, settings, monkeypatch):
    governments = _governments(4)
    loads = []
    load = columns.ProcessColumns.load.__func__

    def counted(cls, government):
        loads.append(government.pk)
        return load(cls, government)

    monkeypatch.setattr(columns.ProcessColumns, "load", classmethod(counted))
    clear_all()
    first, first_ocids = governments[0]
    assert sorted(_search(client, first)) == first_ocids
    one = columns._memo.total()
    assert one > columns.OVERHEAD_BYTES  # the arrays, a sort order and the kept words count
    settings.PROCUREMENT_SEARCH_MEMORY_BYTES = int(one * 2.5)  # room for two governments

    clear_all()
    loads.clear()
    answers = {government.pk: _search(client, government) for government, _ocids in governments}
    assert loads == [government.pk for government, _ocids in governments]
    kept = [pk for pk, _alias in columns._memo.recency()]
    assert kept == [governments[2][0].pk, governments[3][0].pk]  # the two searched last
    assert columns._memo.total() <= settings.PROCUREMENT_SEARCH_MEMORY_BYTES

    # The first government was let go: its next search reads it again and answers the same.
    assert _search(client, first) == answers[first.pk]
    assert loads[-1] == first.pk and len(loads) == 5
    assert [pk for pk, _alias in columns._memo.recency()] == [governments[3][0].pk, first.pk]
    # A government still kept is not read again.
    assert _search(client, governments[3][0]) == answers[governments[3][0].pk]
    assert len(loads) == 5
    for government, ocids in governments:
        assert sorted(_search(client, government)) == ocids


def test_a_budgeted_memo_counts_what_its_values_grow_to_and_keeps_the_last_one():
    budget = {"bytes": 300}
    memo = BudgetedMemo(budget=lambda: budget["bytes"], size_of=lambda value: sum(a.nbytes for a in value))
    memo.set("a", [np.zeros(100, dtype=np.uint8)])
    memo.set("b", [np.zeros(100, dtype=np.uint8)])
    memo.set("c", [np.zeros(100, dtype=np.uint8)])
    assert memo.recency() == ["a", "b", "c"] and memo.total() == 300
    memo.get("a")  # now more recently used than b
    memo.get("c").append(np.zeros(50, dtype=np.uint8))  # a value grows after it was stored
    memo.trim()
    assert memo.recency() == ["a", "c"] and memo.total() == 250
    memo.set("d", [np.zeros(400, dtype=np.uint8)])  # alone above the budget: kept, the rest go
    assert memo.recency() == ["d"]
    budget["bytes"] = 1000
    memo.set("e", [np.zeros(100, dtype=np.uint8)])
    assert memo.recency() == ["d", "e"]
    budget["bytes"] = 450
    memo.trim()
    assert memo.recency() == ["e"]
