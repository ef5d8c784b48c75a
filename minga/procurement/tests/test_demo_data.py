"""The demonstration contracting data reads like real data: each process's dates follow the legal
order and stop at the publication date, and its amounts lie inside its procedure's legal range
and what its object plausibly costs (except the processes planted to fire a red flag). A property
test over many seeds and process numbers; no database."""

import datetime as dt
import re

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ..demo_data import ABOVE_THRESHOLD_PATTERNS, ITEMS, PROCEDURES, PUBLISHED, DemoContracting, procedure_limits

_NUMBER = re.compile(r"-(\d{4})-(\d{6,})-")
PLAUSIBLE = {item[1]: item[3] for item in ITEMS}
BY_DETAILS = {procedure[1]: procedure for procedure in PROCEDURES}


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def _check_dates(releases: list[dict], until: dt.datetime = PUBLISHED) -> None:
    by_tag = {release["tag"][0]: release for release in releases}
    tender = by_tag["tender"]["tender"]
    published = _moment(by_tag["tender"]["date"])
    steps = [("planning", _moment(by_tag["planning"]["date"])), ("publication", published)]
    assert _moment(tender["documents"][0]["datePublished"]) == published
    if "tenderPeriod" in tender:
        assert _moment(tender["tenderPeriod"]["startDate"]) == published
        steps.append(("bid deadline", _moment(tender["tenderPeriod"]["endDate"])))
    if "tenderCancellation" in by_tag:
        # Cancelled after publication and at least a day before the bid deadline; nothing follows.
        cancelled = _moment(by_tag["tenderCancellation"]["date"])
        assert published < cancelled
        if "tenderPeriod" in tender:
            assert cancelled <= _moment(tender["tenderPeriod"]["endDate"]) - dt.timedelta(days=1)
        assert releases[-1] is by_tag["tenderCancellation"]
    if "award" in by_tag:
        award = by_tag["award"]["awards"][0]
        steps.append(("award", _moment(award["date"])))
    if "contract" in by_tag:
        contract = by_tag["contract"]["contracts"][0]
        signed = _moment(contract["dateSigned"])
        steps.append(("contract", signed))
        assert _moment(contract["period"]["startDate"]) >= signed
    if "contractAmendment" in by_tag:
        amended = by_tag["contractAmendment"]["contracts"][0]["amendments"][0]
        steps.append(("amendment", _moment(amended["date"])))
        assert _moment(amended["date"]) < _moment(contract["period"]["endDate"])
    for (before, first), (after, second) in zip(steps, steps[1:], strict=False):
        assert first <= second, f"{before} {first} after {after} {second}"
    # Nothing has happened after the package was published (a bid deadline may lie ahead).
    assert all(moment <= until for name, moment in steps if name != "bid deadline")
    assert all(_moment(release["date"]) <= until for release in releases)
    if "tenderPeriod" in tender and "award" in by_tag:
        # The award waits for the bids: strictly after the deadline.
        assert _moment(award["date"]) > _moment(tender["tenderPeriod"]["endDate"])
    assert [release["date"] for release in releases] == sorted(release["date"] for release in releases)


def _check_amounts(releases: list[dict]) -> None:
    tender_release = releases[1]
    tender = tender_release["tender"]
    year, number = (int(part) for part in _NUMBER.search(tender_release["ocid"]).groups())
    procedure = BY_DETAILS[tender["procurementMethodDetails"]]
    lower, upper = procedure_limits(year)[procedure[0]]
    item = tender["items"][0]["description"]
    low, high = PLAUSIBLE[item]
    amounts = [tender["value"]["amount"]]
    awards = [release for release in releases if release["tag"] == ["award"]]
    if awards:
        amounts.append(awards[0]["awards"][0]["value"]["amount"])
        assert awards[0]["awards"][0]["value"]["amount"] <= tender["value"]["amount"]
    planted = number % 97 in ABOVE_THRESHOLD_PATTERNS and procedure[0] in ("IC", "CDC")
    for amount in amounts:
        if planted:
            assert upper is not None and amount > upper
            continue
        assert lower < amount, (procedure[0], item, amount, lower)
        assert upper is None or amount <= upper, (procedure[0], item, amount, upper)
        assert low <= amount <= high, (procedure[0], item, amount)
    # The object suits the procedure: works by works procedures, studies by consultancy ones.
    assert procedure[7] in next(entry[4] for entry in ITEMS if entry[1] == item).split()
    assert tender["mainProcurementCategory"] == next(entry[2] for entry in ITEMS if entry[1] == item)


@hypothesis_settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), start=st.integers(0, 10**7), count=st.integers(1, 120))
def test_generated_processes_have_dates_in_legal_order_and_amounts_within_their_procedure(seed, start, count):
    generator = DemoContracting(government_name="Gobierno de prueba", dpa_code="13", seed=seed)
    for releases in generator.processes(count, start=start):
        _check_dates(releases)
        _check_amounts(releases)


@hypothesis_settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), day=st.integers(31, 364))
def test_a_demo_loaded_any_day_runs_up_to_that_day_and_never_past_it(seed, day):
    """`minga demo` dates the processes over last year and this one, up to the moment it runs:
    the portal's contracting is current, and no tender is dated in the future (in January the
    demo takes the two years before, demo.demo_years)."""
    published = dt.datetime(2026, 1, 1, 8) + dt.timedelta(days=day)
    generator = DemoContracting(
        government_name="Gobierno de prueba", dpa_code="13", seed=seed, years=(2025, 2026), published=published
    )
    tenders = []
    for releases in generator.processes(300):
        _check_dates(releases, until=published)
        tenders.append(_moment(releases[1]["date"]))
    assert max(tenders) > published - dt.timedelta(days=30)


def test_a_bridge_costs_what_a_bridge_costs_and_its_amendments_fit_it():
    generator = DemoContracting(government_name="Gobierno de prueba", dpa_code="13", seed=7)
    bridges, amended = 0, 0
    reasons = {item[1]: item[6] for item in ITEMS}
    for releases in generator.processes(3000):
        tender = releases[1]["tender"]
        item = tender["items"][0]["description"]
        if item == "Construcción de puentes":
            bridges += 1
            assert tender["value"]["amount"] >= 150_000
            assert tender["mainProcurementCategory"] == "works"
        for release in releases:
            if release["tag"] == ["contractAmendment"]:
                amended += 1
                rationale = release["contracts"][0]["amendments"][0]["rationale"].lower()
                assert any(reason.lower() in rationale for reason in reasons[item]), (item, rationale)
    assert bridges > 10
    assert amended > 10


def test_the_generator_is_deterministic():
    def releases(seed):
        generator = DemoContracting(government_name="Gobierno de prueba", dpa_code="13", seed=seed)
        return list(generator.processes(200, start=500))

    assert releases(3) == releases(3)
    assert releases(3) != releases(4)
