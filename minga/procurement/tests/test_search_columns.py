"""The contracting search filters, counts and sorts in memory (procurement.columns); these
tests hold it to a plain reading of the same rules over the stored processes, for every
filter, several combinations and every sort, on generated data with missing values."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from .. import selectors
from ..demo_data import DemoContracting, release_package
from ..models import Process, ProcessItem, ProcessSupplier
from ..wordlists import query_terms
from .conftest import do_import


@pytest.fixture
def generated(government):
    generator = DemoContracting(government_name=government.name, dpa_code="13", seed=7)
    releases = [release for process in generator.processes(240) for release in process]
    raw = json.dumps(release_package(releases, published=dt.datetime(2026, 1, 5), uri="https://x.invalid/p.json"))
    do_import(government, raw.encode())
    with government_scope(government):
        # Some values missing, as in real files: no date, no amount, no buyer, no year.
        Process.objects.filter(pk__in=Process.objects.order_by("pk").values("pk")[:6]).update(date=None)
        Process.objects.filter(pk__in=Process.objects.order_by("-pk").values("pk")[:5]).update(amount=None)
        Process.objects.filter(pk__in=Process.objects.order_by("pk").values("pk")[10:13]).update(buyer=None, year=None)
        yield list(Process.objects.select_related("procedure").prefetch_related("supplier_links", "items"))


def _local_day(value):
    return timezone.localtime(value).date() if value else None


def _expected(processes, params: dict) -> list[Process]:
    def passes(p: Process) -> bool:
        if "q" in params and not set(query_terms(params["q"])) <= set(p.search_text.split()):
            return False
        if "comprador" in params and p.buyer_id != int(params["comprador"]):
            return False
        if "procedimiento" in params:
            code = p.procedure.code if p.procedure else "-"
            if code != params["procedimiento"]:
                return False
        if "estado" in params and p.stage != params["estado"]:
            return False
        if "anio" in params and p.year != int(params["anio"]):
            return False
        if "proveedor" in params and int(params["proveedor"]) not in {s.supplier_id for s in p.supplier_links.all()}:
            return False
        if "categoria" in params and not any(i.code.startswith(params["categoria"]) for i in p.items.all()):
            return False
        amount = p.amount
        if "monto_min" in params and (amount is None or amount < Decimal(params["monto_min"])):
            return False
        if "monto_max" in params and (amount is None or amount > Decimal(params["monto_max"])):
            return False
        for name, value, after in (
            ("desde", p.date, True),
            ("hasta", p.date, False),
            ("adjudicado_desde", p.award_date, True),
            ("adjudicado_hasta", p.award_date, False),
        ):
            if name in params:
                day, limit = _local_day(value), dt.date.fromisoformat(params[name])
                if day is None or (day < limit if after else day > limit):
                    return False
        return not (params.get("alerta") == "any" and not p.flag_count)

    return [p for p in processes if passes(p)]


def _sorted(processes, sort: str) -> list[int]:
    def key(p: Process):
        date = p.date.timestamp() if p.date else None
        amount = float(p.amount) if p.amount is not None else None
        keys = {
            "recientes": [(date, True), (p.pk, True)],
            "antiguos": [(date, False), (p.pk, False)],
            "monto-mayor": [(amount, True), (p.pk, True)],
            "monto-menor": [(amount, False), (p.pk, False)],
            "alertas": [(p.flag_count, True), (date, True), (p.pk, True)],
        }[sort]
        return [
            (value is None, 0 if value is None else (-value if descending else value)) for value, descending in keys
        ]

    return [p.pk for p in sorted(processes, key=key)]


def _queries(processes):
    sample = processes[20]
    item = ProcessItem.objects.filter(process__in=processes).first()
    supplier = ProcessSupplier.objects.filter(process__in=processes).first()
    words = sample.search_text.split()
    dated = sorted(p.date for p in processes if p.date)
    middle = _local_day(dated[len(dated) // 2]).isoformat()
    amounts = sorted(p.amount for p in processes if p.amount is not None)
    return [
        {},
        {"q": words[0]},
        {"q": " ".join(words[:2])},
        {"q": "palabra-que-no-existe-en-nada"},
        {"comprador": str(sample.buyer_id)},
        {"procedimiento": sample.procedure.code if sample.procedure else "-"},
        {"procedimiento": "-"},
        {"estado": sample.stage},
        {"anio": str(sample.year)},
        {"proveedor": str(supplier.supplier_id)},
        {"categoria": item.code[:2]},
        {"monto_min": str(amounts[len(amounts) // 3])},
        {"monto_max": str(amounts[len(amounts) // 3])},
        {"desde": middle},
        {"hasta": middle},
        {"adjudicado_desde": middle},
        {"adjudicado_hasta": middle},
        {"alerta": "any"},
        {"q": words[0], "estado": sample.stage, "anio": str(sample.year)},
        {
            "monto_min": str(amounts[10]),
            "monto_max": str(amounts[-10]),
            "desde": middle,
            "comprador": str(sample.buyer_id),
        },
    ]


@pytest.mark.parametrize("sort", list(selectors.SORTS))
def test_search_matches_the_rules_in_every_order(government, generated, sort):
    for params in _queries(generated):
        query = selectors.ProcessQuery.from_params({**params, "orden": sort})
        assert not query.errors, params
        found, _facets = selectors.search(government, query)
        expected = _expected(generated, params)
        assert found.count() == len(expected), params
        assert [p.pk for p in found[0 : len(expected) + 5]] == _sorted(expected, sort), params
        # A page in the middle is the same slice of the same order.
        assert [p.pk for p in found[7:12]] == _sorted(expected, sort)[7:12], params


def test_facet_counts_are_the_counts_of_the_matches(government, generated):
    for params in _queries(generated):
        query = selectors.ProcessQuery.from_params(params)
        found, facets = selectors.search(government, query)
        expected = _expected(generated, params)
        total, counts = found.facet_counts()
        assert total == len(expected)
        for name, value_of in (
            ("procedure", lambda p: p.procedure_id),
            ("stage", lambda p: p.stage),
            ("year", lambda p: p.year),
            ("buyer", lambda p: p.buyer_id),
        ):
            tally = {}
            for p in expected:
                tally[value_of(p)] = tally.get(value_of(p), 0) + 1
            assert counts[name] == tally, (params, name)
        shown = {facet.param: {o.value: o.count for o in facet.options} for facet in facets}
        years = {str(y): n for y, n in counts["year"].items() if y is not None}
        assert shown["anio"] == dict(sorted(years.items(), reverse=True)[: selectors.FACET_LIMIT])


@pytest.mark.parametrize("section", ["flags", "group_flags"])
def test_red_flag_filter_reads_the_flag_itself(government, generated, section):
    fired_by_code = {}
    for p in generated:
        for code, result in getattr(p, section).items():
            if result.get("state") == "fired":
                fired_by_code.setdefault(code, []).append(p)
    assert fired_by_code, "the generated data plants these patterns"
    code, fired = sorted(fired_by_code.items())[0]
    found, _facets = selectors.search(government, selectors.ProcessQuery.from_params({"alerta": code}))
    assert [p.pk for p in found[:]] == _sorted(fired, "recientes")


def test_a_change_is_seen_by_the_next_search(government, generated):
    query = selectors.ProcessQuery.from_params({})
    before, _facets = selectors.search(government, query)
    generator = DemoContracting(government_name=government.name, dpa_code="13", seed=8)
    releases = [release for process in generator.processes(3, start=5000) for release in process]
    raw = json.dumps(release_package(releases, published=dt.datetime(2026, 1, 6), uri="https://x.invalid/q.json"))
    do_import(government, raw.encode(), name="more.json")
    after, _facets = selectors.search(government, query)
    assert after.count() == before.count() + 3


def test_a_word_searched_before_a_change_finds_what_the_change_brought(government, generated):
    # Each word's matches are kept between searches; an import must not leave them stale.
    generator = DemoContracting(government_name=government.name, dpa_code="13", seed=8)
    releases = [release for process in generator.processes(30, start=5000) for release in process]
    raw = json.dumps(release_package(releases, published=dt.datetime(2026, 1, 6), uri="https://x.invalid/q.json"))
    words = {word for p in generated for word in p.search_text.split()}
    with government_scope(government):
        searched = {
            w: selectors.search(government, selectors.ProcessQuery.from_params({"q": w}))[0].count() for w in words
        }
    do_import(government, raw.encode(), name="more.json")
    with government_scope(government):
        processes = list(Process.objects.select_related("procedure").prefetch_related("supplier_links", "items"))
        grown = [w for w in words if len(_expected(processes, {"q": w})) > searched[w]]
        assert grown, "the new processes share no word with the old ones: the test proves nothing"
        for word in grown:
            found, _facets = selectors.search(government, selectors.ProcessQuery.from_params({"q": word}))
            assert found.count() == len(_expected(processes, {"q": word})), word


def test_more_words_than_are_kept_still_match_every_word(government, generated, settings):
    settings.PROCUREMENT_SEARCH_WORDS_KEPT = 1
    common = sorted(
        {w for p in generated for w in p.search_text.split()}, key=lambda w: -len(_expected(generated, {"q": w}))
    )
    query = " ".join(common[1:4])
    with government_scope(government):
        for _round in range(2):
            found, _facets = selectors.search(government, selectors.ProcessQuery.from_params({"q": query}))
            assert found.count() == len(_expected(generated, {"q": query})) > 0


def test_other_governments_processes_are_never_in_the_arrays(government, other_government, generated):
    generator = DemoContracting(government_name=other_government.name, dpa_code="09", seed=7)
    releases = [release for process in generator.processes(20) for release in process]
    raw = json.dumps(release_package(releases, published=dt.datetime(2026, 1, 5), uri="https://x.invalid/o.json"))
    do_import(other_government, raw.encode())
    word = generated[0].search_text.split()[0]
    with government_scope(government):
        found, _facets = selectors.search(government, selectors.ProcessQuery.from_params({"q": word}))
        assert {p.government_id for p in found[:]} == {government.pk}
        assert found.count() == len(_expected(generated, {"q": word}))


def test_forgotten_processes_leave_nothing_to_find(government, generated):
    from .. import services, wordlists

    word = generated[0].search_text.split()[0]
    with government_scope(government):
        ids = wordlists.matching_ids(government, word)
        assert len(ids) > 0
        services.processes_forget(government=government)
        assert len(wordlists.matching_ids(government, word)) == 0
        # The index itself forgot them, not only the cut to the government's own processes.
        gone = wordlists.matching_ids(government, word, own=ids)
        assert len(gone) == 0
        found, _facets = selectors.search(government, selectors.ProcessQuery.from_params({"q": word}))
        assert found.count() == 0


def test_a_government_without_processes_searches_to_nothing(government):
    with government_scope(government):
        found, facets = selectors.search(government, selectors.ProcessQuery.from_params({"q": "puente"}))
        assert found.count() == 0 and found[0:25] == []
        assert all(not facet.options for facet in facets)
