"""The official's journey through HTTP: upload a cédula, read the report, fix the columns,
publish, withdraw; bad files are explained and nothing is published."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, xlsx_with_padded_sheet

from ..models import BudgetImport, ClassifierEntry, ColumnMapping, CutOff, LineExecution
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(english, editor, django_capture_on_commit_callbacks):
    login_verified(english, editor)
    english.run_jobs = django_capture_on_commit_callbacks  # the test queue runs a job at the commit
    return english


def _upload(client, government, data, *, name="cedula.csv", scope="expense", month=3, year=2026):
    with client.run_jobs(execute=True):
        return client.post(
            gov_url(government, "budget:office_upload"),
            {
                "year": year,
                "month": month,
                "scope": scope,
                "file": SimpleUploadedFile(name, data, content_type="text/csv"),
            },
        )


def _publish(client, government, budget_import):
    with client.run_jobs(execute=True):
        return client.post(gov_url(government, "budget:office_import_publish", pk=budget_import.pk))


def test_upload_preview_publish(signed_in, government):
    data = factories.csv_bytes(factories.EXPENSE_HEADERS, factories.good_expense_rows())
    response = _upload(signed_in, government, data)
    assert response.status_code == 302
    preview = signed_in.get(response["Location"]).content.decode()
    assert "3 lines are ready to publish" in preview and 'id="import-publish"' in preview
    assert "DEVENGADO (f)" in preview  # the headers as read, in the mapping selects
    with government_scope(government):
        budget_import = BudgetImport.objects.get()
        assert not CutOff.objects.exists()
    response = _publish(signed_in, government, budget_import)
    assert response.status_code == 302 and response["Location"] == gov_url(
        government, "budget:office_import", pk=budget_import.pk
    )
    with government_scope(government):
        assert CutOff.objects.get().published_at is not None and LineExecution.objects.count() == 3
    body = signed_in.get(response["Location"]).content.decode()
    assert "The cut-off 2026-03 is published." in body and "Published" in body


def test_a_file_with_errors_is_explained_and_cannot_be_published(signed_in, government):
    rows = factories.good_expense_rows()
    rows[2][13] = "950.000,00"  # devengado above comprometido
    rows[3][0] = "4.01.450105.001"
    response = _upload(signed_in, government, factories.csv_bytes(factories.EXPENSE_HEADERS, rows))
    body = signed_in.get(response["Location"]).content.decode()
    assert "The file has 2 problems" in body
    # Stage names follow the page's language (English here).
    assert "Accrued (950,000.00) is greater than Committed (800,000.00)." in body
    assert "Unknown classifier code" in body and "DEVENGADO (f)" in body
    assert 'id="import-publish"' not in body
    with government_scope(government):
        budget_import = BudgetImport.objects.get()
    response = _publish(signed_in, government, budget_import)
    assert response.status_code == 409 and "cannot be published" in response.content.decode()
    with government_scope(government):
        assert not LineExecution.objects.exists()
    report = b"".join(
        signed_in.get(gov_url(government, "budget:office_import_report", pk=budget_import.pk)).streaming_content
    )
    assert report.decode("utf-8-sig").count("\nerror,") == 2


def test_unreadable_file_keeps_what_was_typed(signed_in, government):
    response = _upload(signed_in, government, b"%PDF-1.4", name="cedula.pdf", month=7, year=2025)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Upload the cédula as CSV or XLSX." in body
    assert 'value="2025"' in body and '<option value="7" selected>' in body
    with government_scope(government):
        assert not BudgetImport.objects.exists()


def test_an_xlsx_zip_bomb_is_refused_and_the_published_cutoff_stays(signed_in, government):
    """A cédula of a few tens of kilobytes whose worksheet inflates to 40 MB (the probe's was
    1.1 MB inflating to 400 MB) is refused before it is opened; what was published stays."""
    factories.published_budget(government)
    with government_scope(government):
        lines_before, imports_before = LineExecution.objects.count(), BudgetImport.objects.count()
    bomb = xlsx_with_padded_sheet(factories.xlsx_bytes(factories.EXPENSE_HEADERS, factories.good_expense_rows()), 40)
    assert len(bomb) < 100_000
    response = signed_in.post(
        gov_url(government, "budget:office_upload"),
        {"year": 2026, "month": 3, "scope": "expense", "file": SimpleUploadedFile("cedula.xlsx", bomb)},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "zip bomb" in body and 'value="2026"' in body
    with government_scope(government):
        assert BudgetImport.objects.count() == imports_before
        assert CutOff.objects.get(budget_year__year=2026, month=3).published_at is not None
        assert LineExecution.objects.count() == lines_before > 0


def test_fix_the_columns_and_remember_them(signed_in, government):
    headers = [
        "Cuenta",
        "Detalle",
        "Inicial",
        "Modif.",
        "Vigente",
        "Certificado",
        "Comprometido",
        "Devengado",
        "Pagado",
    ]
    rows = [["730811", "Insumos", "10,00", "0,00", "10,00", "9,00", "8,00", "7,00", "6,00"]]
    response = _upload(signed_in, government, factories.csv_bytes(headers, rows))
    url = response["Location"]
    assert "No column is chosen for Reformas" in signed_in.get(url).content.decode()
    with government_scope(government):
        budget_import = BudgetImport.objects.get()
    form = {f"map_{key}": header for key, header in budget_import.mapping.items()}
    form.update(map_reformas="Modif.", map_codificado="Vigente", remember="on")
    response = signed_in.post(url, form)
    assert response.status_code == 302
    assert "ready to publish" in signed_in.get(url).content.decode()
    with government_scope(government):
        assert ColumnMapping.objects.get().mapping["reformas"] == "Modif."


def test_discard(signed_in, government):
    response = _upload(
        signed_in, government, factories.csv_bytes(factories.EXPENSE_HEADERS, factories.good_expense_rows())
    )
    with government_scope(government):
        budget_import = BudgetImport.objects.get()
    signed_in.post(gov_url(government, "budget:office_import_discard", pk=budget_import.pk))
    with government_scope(government):
        budget_import.refresh_from_db()
    assert budget_import.status == "discarded" and budget_import.raw_rows == []
    assert "mapping-submit" not in signed_in.get(response["Location"]).content.decode()


def test_year_screen_notes_and_withdraw(signed_in, government, client):
    cutoff = factories.published_budget(government, months=(3,))
    url = gov_url(government, "budget:office_year", year=2026)
    assert "2026-03" in signed_in.get(url).content.decode()
    signed_in.post(url, {"notes": "Primera reforma aprobada en marzo."})
    assert (
        "Primera reforma aprobada en marzo."
        in client.get(gov_url(government, "budget:year", year=2026)).content.decode()
    )
    signed_in.post(gov_url(government, "budget:office_cutoff_withdraw", pk=cutoff.pk))
    assert client.get(gov_url(government, "budget:year", year=2026)).status_code == 404


def test_classifier_screen(signed_in, government):
    url = gov_url(government, "budget:office_classifier")
    assert "Obras públicas" in signed_in.get(url + "?q=obras").content.decode()
    response = signed_in.post(url, {"code": "7308", "name": "Bienes de uso y consumo de inversión"})
    assert response.status_code == 302
    with government_scope(government):
        assert ClassifierEntry.objects.get(code="7308").level == 4
    response = signed_in.post(url, {"code": "123", "name": "x"})
    assert response.status_code == 200 and "A classifier code has 1, 2, 4 or 6 digits." in response.content.decode()
    response = signed_in.post(url, {"code": "4", "name": "Otra"})
    assert "A nature needs its direction and its cédula." in response.content.decode()


def test_an_empty_upload_form_reports_every_field(signed_in, government):
    response = signed_in.post(gov_url(government, "budget:office_upload"), {})
    assert response.status_code == 200
    assert response.content.decode().count('class="field-errors"') == 4
