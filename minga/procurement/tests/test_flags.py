from decimal import Decimal

import pytest

from minga.core.registry import LinkedRecord
from minga.core.tenancy.scoping import government_scope

from .. import flags, group_flags, services
from ..models import BudgetYear, Process
from .conftest import OCID, award_release, do_import, package, release, tender_release


def _flags(government, ocid=OCID):
    with government_scope(government):
        process = Process.objects.get(ocid=ocid)
        return {**process.flags, **process.group_flags}, process


def _state(government, code, ocid=OCID):
    return _flags(government, ocid)[0][code]["state"]


def test_single_bid_states(government):
    do_import(government, package(tender_release(tender={"numberOfTenderers": 1})))
    assert _state(government, "R018") == "fired"
    do_import(government, package(tender_release("ocds-5wno2w-SIE-2", tender={"numberOfTenderers": None})))
    assert _state(government, "R018", "ocds-5wno2w-SIE-2") == "no_data"
    direct = tender_release(
        "ocds-5wno2w-IC-3", tender={"procurementMethod": "direct", "procurementMethodDetails": "Ínfima Cuantía"}
    )
    do_import(government, package(direct))
    assert _state(government, "R018", "ocds-5wno2w-IC-3") == "not_applicable"


def test_short_period_uses_the_procedure_minimum(government):
    period = {"tenderPeriod": {"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-03-09T00:00:00Z"}}
    do_import(government, package(tender_release(tender=period)))
    found, _process = _flags(government)
    assert found["R003"] == {"state": "fired", "values": {"days": 8, "minimum": 15}}
    cotizacion = tender_release("ocds-5wno2w-COTS-2", tender={**period, "procurementMethodDetails": "Cotización"})
    do_import(government, package(cotizacion))
    assert _state(government, "R003", "ocds-5wno2w-COTS-2") == "clear"  # 8 >= 7


def _bids(*bids):
    return {
        "details": [
            {"id": str(i), "status": status, "tenderers": [{"id": who}], "value": {"amount": amount, "currency": "USD"}}
            for i, (who, status, amount) in enumerate(bids)
        ]
    }


def test_disqualification_flags(government):
    winner = ("EC-RUC-1390000000001", "Papelera del Pacífico")
    bids = _bids((winner[0], "valid", 11000), ("B", "disqualified", 9000), ("C", "disqualified", 12000))
    do_import(government, package(tender_release(), award_release(bids=bids)))
    found, _process = _flags(government)
    assert found["R035"]["state"] == "fired"
    assert found["R036"]["state"] == "fired"
    bids = _bids((winner[0], "valid", 11000), ("B", "valid", 12000), ("C", "disqualified", 13000))
    do_import(government, package(tender_release("ocds-5wno2w-SIE-9"), award_release("ocds-5wno2w-SIE-9", bids=bids)))
    found, _process = _flags(government, "ocds-5wno2w-SIE-9")
    assert (found["R035"]["state"], found["R036"]["state"]) == ("clear", "clear")
    do_import(government, package(tender_release("ocds-5wno2w-SIE-10")))
    found, _process = _flags(government, "ocds-5wno2w-SIE-10")
    assert (found["R035"]["state"], found["R036"]["state"]) == ("no_data", "no_data")


def test_amendment_growth(government):
    contract = release(
        OCID,
        3,
        "2025-04-01T00:00:00Z",
        ("contract",),
        contracts=[{"id": "c1", "awardID": "a1", "value": {"amount": 10000, "currency": "USD"}}],
    )
    amended = release(
        OCID,
        4,
        "2025-06-01T00:00:00Z",
        ("contractAmendment",),
        contracts=[
            {
                "id": "c1",
                "awardID": "a1",
                "value": {"amount": 13000, "currency": "USD"},
                "amendments": [{"id": "1", "rationale": "Mayores cantidades"}],
            }
        ],
    )
    do_import(government, package(tender_release(), award_release(), contract))
    assert _state(government, "AMEND") == "clear"
    do_import(government, package(amended))
    found, process = _flags(government)
    assert found["AMEND"]["state"] == "fired"
    assert process.original_contract_amount == Decimal("10000") and process.contract_amount == Decimal("13000")


def test_award_above_budget_prefers_the_certified_amount(government, monkeypatch):
    do_import(government, package(tender_release(), award_release(amount=12500)))
    assert _flags(government)[0]["BUDGET"]["values"]["source"] == "planning"
    assert _state(government, "BUDGET") == "clear"  # 12,500 <= 13,000 planned
    monkeypatch.setattr(
        services,
        "resolve_links",
        lambda gov, kind, keys: {
            key: LinkedRecord(kind, key, key, "/", "budget", {"certificado": Decimal("12000")}) for key in keys
        },
    )
    with government_scope(government):
        services.flags_recompute(actor=None, government=government)
    found, _process = _flags(government)
    assert found["BUDGET"]["state"] == "fired"
    assert found["BUDGET"]["values"]["source"] == "certified"


def test_award_above_budget_without_any_budget_is_no_data(government):
    plain = tender_release()
    plain.pop("planning")
    do_import(government, package(plain, award_release()))
    assert _state(government, "BUDGET") == "no_data"


def _infima(number, day, amount=6000, supplier=("EC-RUC-1", "Papelera")):
    ocid = f"ocds-5wno2w-IC-{number}"
    tender = tender_release(
        ocid,
        tender={"procurementMethod": "direct", "procurementMethodDetails": "Ínfima Cuantía"},
        date=f"2025-03-{day:02d}T10:00:00Z",
    )
    award = award_release(ocid, amount=amount, supplier=supplier, date=f"2025-03-{day:02d}T12:00:00Z")
    return [tender, award]


def test_splitting_needs_the_pie_and_fires_inside_the_window(government):
    releases = _infima(1, 2) + _infima(2, 10) + _infima(3, 25, supplier=("EC-RUC-2", "Otra"))
    do_import(government, package(*releases))
    assert _state(government, "FRAC", "ocds-5wno2w-IC-1") == "no_data"  # no PIE yet
    with government_scope(government):
        BudgetYear.objects.create(government=government, year=2025, pie_amount=Decimal("36000000000"))
        group_flags.refresh_group_flags(government=government)
    found, _process = _flags(government, "ocds-5wno2w-IC-1")
    assert found["FRAC"]["state"] == "fired"
    assert found["FRAC"]["values"]["threshold"] == "7200.00"
    assert found["FRAC"]["values"]["count"] == 2
    assert _state(government, "FRAC", "ocds-5wno2w-IC-3") == "clear"


def test_emergency_share_and_concentration(government):
    emergency = tender_release(
        "ocds-5wno2w-EM-1",
        tender={"procurementMethodDetails": "Contratación de Emergencia", "procurementMethod": "limited"},
    )
    releases = [emergency, award_release("ocds-5wno2w-EM-1", amount=50000)]
    for number in range(5):
        ocid = f"ocds-5wno2w-SIE-{number + 10}"
        releases += [
            tender_release(ocid),
            award_release(ocid, amount=1000, supplier=(f"EC-RUC-{number}", f"S{number}")),
        ]
    do_import(government, package(*releases))
    found, _process = _flags(government, "ocds-5wno2w-EM-1")
    assert found["EMER"]["state"] == "fired"
    assert found["CONC"]["state"] == "fired"
    assert _state(government, "EMER", "ocds-5wno2w-SIE-10") == "not_applicable"
    assert _state(government, "CONC", "ocds-5wno2w-SIE-11") == "clear"


def test_every_state_has_an_explanation():
    for indicator in flags.INDICATORS:
        for state in (flags.NO_DATA, flags.NOT_APPLICABLE):
            assert flags.explain(indicator.code, {"state": state, "values": {}})


@pytest.mark.parametrize(
    "text, expected", [("cotizacion=7, licitacion=10", {"cotizacion": 7, "licitacion": 10}), ("x=;y", {})]
)
def test_days_by_procedure(text, expected):
    assert flags.days_by_procedure(text) == expected
