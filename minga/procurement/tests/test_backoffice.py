import io
from decimal import Decimal

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.tenancy.services import government_set_module_settings
from minga.core.testing import gov_url, login_verified

from ..models import BudgetYear, ImportRun, ProcedureType, Process
from .conftest import award_release, do_import, package, tender_release


def _upload(content: bytes, name="ocds.json"):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _post_and_run(client, government, content: bytes, capture, name="ocds.json"):
    """Upload a file and let the job run (the test queue runs it at the commit); the run's page."""
    with capture(execute=True):
        response = client.post(gov_url(government, "procurement:office_imports"), {"file": _upload(content, name)})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_editor_imports_a_file_and_sees_the_report(
    client, english, government, editor, django_capture_on_commit_callbacks
):
    login_verified(client, editor)
    raw = package(tender_release(), award_release(), {"ocid": "ocds-5wno2w-X-1", "id": "1", "tag": ["tender"]})
    page = _post_and_run(client, government, raw, django_capture_on_commit_callbacks).content.decode()
    assert "imported: 2 new releases, 1 invalid" in page
    assert "date is required and missing." in page
    with government_scope(government):
        run = ImportRun.objects.get()
        assert run.created_by == editor
        assert Process.objects.count() == 1


def test_unreadable_upload_is_reported_and_changes_nothing(
    client, english, government, editor, django_capture_on_commit_callbacks
):
    login_verified(client, editor)
    page = _post_and_run(client, government, b"{no", django_capture_on_commit_callbacks).content.decode()
    assert "was not imported; nothing changed" in page
    assert "is not valid JSON" in page
    with government_scope(government):
        assert Process.objects.count() == 0


def test_import_form_requires_a_file(client, english, government, editor):
    login_verified(client, editor)
    response = client.post(gov_url(government, "procurement:office_imports"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_editor_edits_a_procedure_type_and_keeps_input_on_error(client, english, government, editor):
    login_verified(client, editor)
    client.get(gov_url(government, "procurement:office_procedures"))  # creates the defaults
    with government_scope(government):
        procedure = ProcedureType.objects.get(code="cotizacion")
    url = gov_url(government, "procurement:office_procedure_edit", pk=procedure.pk)
    data = {
        "code": "menor-cuantia",  # taken
        "name": "Cotización de obras",
        "family": "common",
        "match_terms": "cotizacion",
        "threshold_coefficient": "0.000015",
        "is_competitive": "on",
        "order": "80",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already uses this code" in response.content.decode()
    assert "Cotización de obras" in response.content.decode()
    data["code"] = "cotizacion"
    assert client.post(url, data).status_code == 302
    with government_scope(government):
        assert ProcedureType.objects.get(pk=procedure.pk).name == "Cotización de obras"
        assert AuditEntry.objects.filter(action="procurement.procedure.updated").exists()


def test_pie_is_saved_and_deleted(client, english, government, editor):
    login_verified(client, editor)
    url = gov_url(government, "procurement:office_procedures")
    assert client.post(url, {"year": "2025", "pie_amount": "-5"}).status_code == 400
    assert client.post(url, {"year": "2025", "pie_amount": "36000000000"}).status_code == 302
    with government_scope(government):
        year = BudgetYear.objects.get()
        assert year.pie_amount == Decimal("36000000000")
    delete = gov_url(government, "procurement:office_pie_delete", pk=year.pk)
    assert client.post(delete, {}).status_code == 200  # confirmation missing
    assert client.post(delete, {"confirm": "on"}).status_code == 302
    with government_scope(government):
        assert not BudgetYear.objects.exists()
        assert AuditEntry.objects.filter(action="procurement.pie.deleted").exists()


def test_recompute_applies_new_thresholds(client, english, government, editor):
    period = {"tenderPeriod": {"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-03-12T00:00:00Z"}}
    do_import(government, package(tender_release(tender=period)))
    with government_scope(government):
        assert Process.objects.get().flags["R003"]["state"] == "fired"  # 11 days < 15
    government_set_module_settings(
        actor=editor, government=government, module="procurement", values={"r003_min_days": 10}
    )
    login_verified(client, editor)
    response = client.post(gov_url(government, "procurement:office_flags"), {"confirm": "on"}, follow=True)
    assert "1 processes changed" in response.content.decode()
    with government_scope(government):
        assert Process.objects.get().flags["R003"]["state"] == "clear"
