"""Validation against the OCDS 1.1.5 release schema the module ships: every error with its
path, in Spanish first, and only the invalid releases kept out."""

import hashlib
import json

import pytest
from django.utils import translation

from .. import ocds
from ..demo_data import DemoContracting
from .conftest import award_release, do_import, package, release, tender_release


def _problems(data, language="en"):
    with translation.override(language):
        return ocds.release_problems(data)


def test_the_shipped_schema_is_the_official_one_described_in_its_readme():
    raw = ocds.SCHEMA_FILE.read_bytes()
    readme = (ocds.SCHEMA_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(raw).hexdigest() in readme
    schema = json.loads(raw)
    assert schema["id"] == "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert (ocds.SCHEMA_FILE.parent / "LICENSE").read_text(encoding="utf-8").count("Apache License") >= 1


def test_the_validator_is_built_once():
    assert ocds._validator() is ocds._validator()


def test_valid_releases_have_no_problems():
    assert _problems(tender_release()) == []
    assert _problems(award_release()) == []


def test_the_demo_generator_publishes_valid_ocds():
    generator = DemoContracting(government_name="Gobierno de prueba", dpa_code="13", seed=7)
    releases = [item for process in generator.processes(120) for item in process]
    assert {tuple(_problems(item)) for item in releases} == {()}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"tender": {"status": "abierto"}},
            'tender.status is "abierto", which is not in the closed codelist tenderStatus',
        ),
        (
            {"tender": {"procurementMethod": "subasta"}},
            'tender.procurementMethod is "subasta", which is not in the closed codelist method (open, selective, limited, direct)',
        ),
        (
            {"tender": {"value": {"amount": 10, "currency": "usd"}}},
            'tender.value.currency is "usd", not an ISO 4217 currency code',
        ),
        (
            {"tender": {"value": {"amount": 10, "currency": "DOLARES"}}},
            'tender.value.currency is "DOLARES", not an ISO 4217 currency code',
        ),
        (
            {"tender": {"tenderPeriod": {"startDate": "2025-03-01"}}},
            'tender.tenderPeriod.startDate is not a date and time with its time zone (ISO 8601, such as 2025-03-01T10:00:00-05:00): "2025-03-01".',
        ),
        (
            {"tender": {"tenderPeriod": {"endDate": "2025-03-01T10:00:00"}}},
            "tender.tenderPeriod.endDate is not a date and time with its time zone",
        ),
        (
            {"tender": {"numberOfTenderers": 2.5}},
            "tender.numberOfTenderers must be a whole number, not a number (2.5).",
        ),
        ({"tender": {"numberOfTenderers": -1}}, "tender.numberOfTenderers must not be negative."),
        ({"tender": {"items": {"id": "1"}}}, "tender.items must be a list, not an object"),
        (
            {"tender": {"items": [{"id": "1", "description": "Papel"}, {"id": "1", "description": "Papel"}]}},
            "tender.items has the same item more than once.",
        ),
        (
            {"tender": {"documents": [{"id": "d", "url": "no es una dirección"}]}},
            "tender.documents[0].url is not a complete web address",
        ),
        (
            {"initiationType": "direct"},
            'initiationType is "direct", which is not in the closed codelist initiationType (tender).',
        ),
        ({"ocid": ""}, "ocid must not be empty."),
        ({"id": 7}, "id must be a text, not a whole number (7)."),
        ({"tag": []}, "tag must have at least 1 item(s)."),
    ],
)
def test_each_schema_rule_is_reported_with_its_path(changes, expected):
    data = tender_release()
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    found = " ".join(_problems(data))
    assert expected in found


def test_numbers_that_json_does_not_have_are_reported():
    data = tender_release()
    data["tender"]["value"]["amount"] = float("nan")
    assert _problems(data) == ["tender.value.amount is not a finite number (NaN and Infinity are not JSON numbers)."]


def test_amounts_too_large_for_the_columns_are_reported():
    data = tender_release(tender={"value": {"amount": 1e17, "currency": "USD"}})
    data["planning"]["budget"]["budgetBreakdown"] = [{"id": "1", "amount": {"amount": -2e15, "currency": "USD"}}]
    found = _problems(data)
    assert "tender.value.amount is too large to be an amount of money (1E+17)." in found
    assert any(message.startswith("planning.budget.budgetBreakdown[0].amount.amount is too large") for message in found)


def test_awards_and_contracts_statuses_and_required_ids():
    data = award_release()
    data["awards"][0]["status"] = "adjudicado"
    data["awards"][0].pop("id")
    data["contracts"] = [{"id": "c1", "status": "vigente"}]
    found = _problems(data)
    assert 'awards[0].status is "adjudicado", which is not in the closed codelist awardStatus' in " ".join(found)
    assert "awards[0].id is required and missing." in found
    assert "contracts[0].awardID is required and missing." in found
    assert 'contracts[0].status is "vigente", which is not in the closed codelist contractStatus' in " ".join(found)


def test_messages_are_in_spanish_first():
    data = tender_release(tender={"status": "abierto", "value": {"amount": "mucho", "currency": "USD"}})
    data.pop("date")
    found = _problems(data, "es")
    assert "Falta date, que es obligatorio." in found
    assert 'tender.value.amount debe ser un número, no un texto ("mucho").' in found
    assert any("no está en la lista cerrada de códigos tenderStatus" in message for message in found)


def test_a_release_with_many_errors_reports_the_first_ones_and_counts_the_rest():
    items = [{"id": str(number), "quantity": "muchos"} for number in range(30)]
    found = _problems(tender_release(tender={"items": items}))
    assert len(found) == ocds.MAX_SCHEMA_PROBLEMS + 1
    assert found[-1] == "And 10 more problems with the schema."


def test_invalid_releases_stay_out_and_valid_ones_go_in(government):
    bad_status = tender_release("ocds-5wno2w-X-1", tender={"status": "abierto"})
    bad_currency = award_release("ocds-5wno2w-X-2")
    bad_currency["awards"][0]["value"]["currency"] = "US$"
    no_initiation = release("ocds-5wno2w-X-3")
    no_initiation.pop("initiationType")
    run = do_import(government, package(bad_status, bad_currency, no_initiation, tender_release()))
    assert (run.releases_invalid, run.releases_added, run.processes_created) == (3, 1, 1)
    by_place = {problem["where"]: problem for problem in run.problems}
    assert "tender.status" in by_place["releases[0]"]["message"]
    assert by_place["releases[1]"]["ocid"] == "ocds-5wno2w-X-2"
    assert "awards[0].value.currency" in by_place["releases[1]"]["message"]
    assert "initiationType is required and missing." in by_place["releases[2]"]["message"]
