"""NEWSUP (award to a newly registered supplier) and THRESH (procedure above its legal
threshold): each fires on a crafted process and not on a clean one, says "no data" when the
data lacks what it needs, is filterable and explained in Spanish and English."""

import datetime as dt
from decimal import Decimal

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_official

from .. import services
from ..models import BudgetYear, Process, Supplier
from .conftest import award_release, do_import, package, tender_release

PIE = Decimal("36000000000")  # ínfima cuantía limit 7,200.00; menor cuantía (goods) 72,000.00
NEW = "ocds-5wno2w-SIE-NEW-1"
OLD = "ocds-5wno2w-SIE-OLD-2"
UNKNOWN = "ocds-5wno2w-SIE-UNK-3"
NOT_AWARDED = "ocds-5wno2w-SIE-TEN-4"


def _with_supplier(ocid, supplier, details=None, amount=11000):
    award = award_release(ocid, amount=amount, supplier=supplier)
    party = {"id": supplier[0], "name": supplier[1], "roles": ["supplier"]}
    if details is not None:
        party["details"] = details
    award["parties"] = [party]
    return [tender_release(ocid), award]


def _state(government, ocid, code):
    with government_scope(government):
        process = Process.objects.get(ocid=ocid)
    return {**process.flags, **process.group_flags}.get(code, {"state": None, "values": {}})


@pytest.fixture
def suppliers(government):
    """Awards on 2025-03-20: one to a supplier registered 20 days before, one to a supplier
    registered in 2012, one whose registration date the data does not give, one not awarded."""
    do_import(
        government,
        package(
            *_with_supplier(NEW, ("EC-RUC-1790000000001", "Recién Creada S.A."), {"registrationDate": "2025-02-28"}),
            *_with_supplier(OLD, ("EC-RUC-1790000000002", "Antigua Cía. Ltda."), {"registrationDate": "2012-06-01"}),
            *_with_supplier(UNKNOWN, ("EC-RUC-1790000000003", "Sin Fecha S.A."), {"scale": "sme"}),
            tender_release(NOT_AWARDED),
        ),
    )
    return government


def test_newly_registered_supplier_fires_and_an_old_one_is_clear(suppliers):
    fired = _state(suppliers, NEW, "NEWSUP")
    assert fired["state"] == "fired"
    assert fired["values"] == {"days": 20, "window": 90, "registered": "2025-02-28", "awarded": "2025-03-20"}
    assert _state(suppliers, OLD, "NEWSUP")["state"] == "clear"
    with government_scope(suppliers):
        assert Supplier.objects.get(identifier="EC-RUC-1790000000001").registered_on == dt.date(2025, 2, 28)
        process = Process.objects.get(ocid=NEW)
    assert process.flag_count >= 1


def test_unknown_registration_is_no_data_never_clear(suppliers):
    assert _state(suppliers, UNKNOWN, "NEWSUP")["state"] == "no_data"
    assert _state(suppliers, NOT_AWARDED, "NEWSUP")["state"] == "not_applicable"


def test_an_import_without_the_date_keeps_the_known_one(suppliers):
    later = "ocds-5wno2w-SIE-OLD-5"
    do_import(suppliers, package(*_with_supplier(later, ("EC-RUC-1790000000002", "Antigua Cía. Ltda."))))
    assert _state(suppliers, later, "NEWSUP")["state"] == "clear"


def test_the_window_and_the_registration_key_are_the_government_s(suppliers):
    nested = "ocds-5wno2w-SIE-RUP-6"
    do_import(
        suppliers,
        package(
            *_with_supplier(
                nested,
                ("EC-RUC-1790000000006", "Registro Anidado S.A."),
                {"rup": {"fechaRegistro": "2025-03-15T00:00:00-05:00"}},
            )
        ),
    )
    assert _state(suppliers, nested, "NEWSUP")["state"] == "no_data"  # not a key the government reads
    suppliers.modules = {
        "procurement": {
            "settings": {"new_supplier_days": 10, "supplier_registration_keys": "registrationDate, rup.fechaRegistro"}
        }
    }
    suppliers.save()
    with government_scope(suppliers):
        services.flags_recompute(actor=None, government=suppliers)
    assert _state(suppliers, nested, "NEWSUP")["state"] == "fired"
    assert _state(suppliers, nested, "NEWSUP")["values"]["days"] == 5
    assert _state(suppliers, NEW, "NEWSUP")["state"] == "clear"  # 20 days, the window is now 10
    suppliers.modules = {"procurement": {"settings": {"supplier_registration_keys": "rup.fechaRegistro"}}}
    suppliers.save()
    with government_scope(suppliers):
        services.flags_recompute(actor=None, government=suppliers)
    assert _state(suppliers, NEW, "NEWSUP")["state"] == "no_data"  # its key is no longer read
    assert _state(suppliers, nested, "NEWSUP")["state"] == "fired"


def _procedure(ocid, details, amount, *, category="goods", tender_value=True):
    tender = {"procurementMethodDetails": details, "procurementMethod": "direct", "mainProcurementCategory": category}
    tender["value"] = {"amount": amount, "currency": "USD"}
    opened = tender_release(ocid, tender=tender)
    if not tender_value:
        del opened["tender"]["value"]
    return [opened, award_release(ocid, amount=amount)]


@pytest.fixture
def thresholds(government):
    with government_scope(government):
        BudgetYear.objects.create(government=government, year=2025, pie_amount=PIE)
    do_import(
        government,
        package(
            *_procedure("ocds-5wno2w-IC-HIGH-1", "Ínfima Cuantía", 9500),
            *_procedure("ocds-5wno2w-IC-LOW-2", "Ínfima Cuantía", 5000),
            *_procedure("ocds-5wno2w-IC-AWD-3", "Ínfima Cuantía", 8000, tender_value=False),
            *_procedure("ocds-5wno2w-MCBS-4", "Menor Cuantía Bienes", 200000),
            *_procedure("ocds-5wno2w-MCO-5", "Menor Cuantía Obras", 200000, category="works"),
            *_procedure("ocds-5wno2w-SIE-6", "Subasta Inversa Electrónica", 900000),
        ),
    )
    return government


def test_procedure_above_its_threshold_fires_and_below_is_clear(thresholds):
    high = _state(thresholds, "ocds-5wno2w-IC-HIGH-1", "THRESH")
    assert high == {
        "state": "fired",
        "values": {"amount": "9500.00", "limit": "7200.00", "source": "tender", "year": 2025},
    }
    assert _state(thresholds, "ocds-5wno2w-IC-LOW-2", "THRESH")["state"] == "clear"
    awarded = _state(thresholds, "ocds-5wno2w-IC-AWD-3", "THRESH")
    assert (awarded["state"], awarded["values"]["source"]) == ("fired", "award")
    assert _state(thresholds, "ocds-5wno2w-MCBS-4", "THRESH")["state"] == "fired"  # goods limit 72,000
    works = _state(thresholds, "ocds-5wno2w-MCO-5", "THRESH")  # works limit 0.000007 × PIE = 252,000
    assert (works["state"], works["values"]["limit"]) == ("clear", "252000.00")
    assert _state(thresholds, "ocds-5wno2w-SIE-6", "THRESH")["state"] == "not_applicable"  # no upper limit


def test_threshold_without_the_pie_is_no_data(government):
    do_import(government, package(*_procedure("ocds-5wno2w-IC-HIGH-1", "Ínfima Cuantía", 9500)))
    assert _state(government, "ocds-5wno2w-IC-HIGH-1", "THRESH")["state"] == "no_data"


def test_search_filters_by_the_new_flags(client, english, suppliers):
    url = gov_url(suppliers, "procurement:search")
    page = client.get(url, {"alerta": "NEWSUP"}).content.decode()
    assert "1 process" in page and NEW in page and OLD not in page
    api = client.get(gov_url(suppliers, "procurement-api:processes"), {"alerta": "NEWSUP"})
    assert api.status_code == 200
    assert [row["ocid"] for row in api.json()["results"]] == [NEW]


def test_threshold_filter(client, english, thresholds):
    api = client.get(gov_url(thresholds, "procurement-api:processes"), {"alerta": "THRESH"})
    assert api.status_code == 200
    assert sorted(row["ocid"] for row in api.json()["results"]) == [
        "ocds-5wno2w-IC-AWD-3",
        "ocds-5wno2w-IC-HIGH-1",
        "ocds-5wno2w-MCBS-4",
    ]


def test_explanation_page_in_english_with_coverage(client, english, suppliers):
    page = client.get(gov_url(suppliers, "procurement:flags")).content.decode()
    assert "NEWSUP · Award to a newly registered supplier" in page
    assert "THRESH · Procedure above its legal threshold" in page
    # Four awarded processes? Three: the registration date is known for two of them.
    assert "registration date is known for 2 of 3 awarded processes" in page
    detail = client.get(gov_url(suppliers, "procurement:process_detail", ocid=NEW)).content.decode()
    assert 'data-flag="NEWSUP" data-state="fired"' in detail
    assert "The supplier was registered on 28/02/2025, 20 days before the award (20/03/2025)" in detail


def test_explanation_page_in_spanish(client, suppliers):
    page = client.get(gov_url(suppliers, "procurement:flags")).content.decode()
    assert "NEWSUP · Adjudicación a un proveedor recién registrado" in page
    assert "THRESH · Procedimiento por encima de su umbral legal" in page
    assert "la fecha de registro del proveedor se conoce en 2 de 3 procesos adjudicados" in page
    detail = client.get(gov_url(suppliers, "procurement:process_detail", ocid=NEW)).content.decode()
    assert "El proveedor se registró el 28/02/2025, 20 días antes de la adjudicación (20/03/2025)" in detail


def test_back_office_shows_the_coverage(client, suppliers):
    login_verified(client, make_official(suppliers, "viewer", "procurement"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(gov_url(suppliers, "procurement:office_flags")).content.decode()
    assert "registration date is known for 2 of 3 awarded processes" in page


def test_supplier_page_and_api_show_the_registration_date(client, english, suppliers):
    with government_scope(suppliers):
        known = Supplier.objects.get(identifier="EC-RUC-1790000000001")
        unknown = Supplier.objects.get(identifier="EC-RUC-1790000000003")
    page = client.get(gov_url(suppliers, "procurement:supplier_detail", pk=known.pk)).content.decode()
    assert "Registered as a state supplier: 2025-02-28" in page
    page = client.get(gov_url(suppliers, "procurement:supplier_detail", pk=unknown.pk)).content.decode()
    assert "Registered as a state supplier: not published" in page
    body = client.get(gov_url(suppliers, "procurement-api:supplier", pk=known.pk)).json()
    assert body["registered_on"] == "2025-02-28"


def test_days_count_in_the_portal_s_time_zone(government):
    """An award at 21:00 in Ecuador is the next day in UTC; the days count the local calendar."""
    ocid = "ocds-5wno2w-SIE-LATE-7"
    releases = _with_supplier(ocid, ("EC-RUC-1790000000007", "Tardía S.A."), {"registrationDate": "2025-03-20"})
    releases[1]["awards"][0]["date"] = "2025-03-20T21:00:00-05:00"
    do_import(government, package(*releases))
    found = _state(government, ocid, "NEWSUP")
    assert (found["state"], found["values"]["days"], found["values"]["awarded"]) == ("fired", 0, "2025-03-20")
