"""Imports and publications through the services: preview, remap, publish, discard,
atomicity (a bad file leaves the previous cut-off live), the audit trail and the open-data
signal."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from minga.core import opendata
from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope

from .. import selectors, services
from ..models import BudgetImport, BudgetLine, ClassifierEntry, ColumnMapping, CutOff, LineExecution
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _expense_csv(rows=None):
    return factories.csv_bytes(factories.EXPENSE_HEADERS, rows if rows is not None else factories.good_expense_rows())


def _actions(government):
    """This module's audited actions (the catalog audits its own when it publishes the year)."""
    entries = AuditEntry.objects.filter(government=government, action__startswith="budget.").order_by("sequence")
    return list(entries.values_list("action", flat=True))


def test_upload_keeps_a_ready_import_and_publishes_nothing(government, editor):
    budget_import = factories.upload(government, _expense_csv(), actor=editor)
    assert budget_import.status == BudgetImport.Status.READY
    assert budget_import.report["line_count"] == 3 and budget_import.report["heading_count"] == 2
    assert budget_import.report["totals"]["expense"]["codificado"] == "1900000.00"
    with government_scope(government):
        assert not CutOff.objects.exists() and not BudgetLine.objects.exists()
    assert _actions(government) == ["budget.import.uploaded"]


def test_publish_creates_the_cutoff_lines_and_names(
    government, editor, django_capture_on_commit_callbacks, monkeypatch
):
    notified = []
    monkeypatch.setattr(
        opendata, "_publishers", [lambda government_id, module: notified.append((government_id, module))]
    )
    with django_capture_on_commit_callbacks(execute=True):
        cutoff = factories.publish(government, _expense_csv(), actor=editor)
    assert (government.pk, "budget") in notified
    with government_scope(government):
        assert cutoff.published_at is not None and cutoff.key == "2026-03"
        assert BudgetLine.objects.count() == 3
        line = BudgetLine.objects.get(partida="2.01.750105.001")
        assert (line.item_code, line.programme_code, line.dpa_code, line.location_name) == (
            "750105",
            "2",
            "1303",
            "Chone",
        )
        execution = LineExecution.objects.get(line=line)
        assert execution.stages.saldo_por_comprometer == Decimal("400000.00")
        assert execution.stages.saldo_por_devengar == Decimal("600000.00")
        assert execution.stages.saldo_por_pagar == Decimal("100000.00")
        assert execution.stages.execution_rate == Decimal("50.00")
        assert execution.stages.commitment_rate == Decimal("66.67")
        assert execution.stages.payment_rate == Decimal("83.33")
        # names the file carries: the default group name stays, the new item names are learned
        assert ClassifierEntry.objects.get(code="75").name == "Obras públicas"
        assert ClassifierEntry.objects.get(code="750105").name == "Obras de transporte y vías"
    assert _actions(government) == ["budget.import.uploaded", "budget.cutoff.published"]


def test_a_file_with_errors_cannot_be_published_and_the_previous_cutoff_stays(government, editor):
    factories.publish(government, _expense_csv(), actor=editor)
    rows = factories.good_expense_rows()
    rows[2][10] = "9.999.999,00"  # codificado ≠ asignado + reformas
    rows.append(factories.expense_row("4.01.450105.001", "x", "1", "0", "1", "1", "1", "1", "1"))
    budget_import = factories.upload(government, _expense_csv(rows), actor=editor)
    assert budget_import.status == BudgetImport.Status.REJECTED
    codes = [p["code"] for p in budget_import.report["errors"]]
    assert "nature_unknown" in codes and "stage_order" not in codes
    with government_scope(government), pytest.raises(ValidationError):
        services.import_publish(actor=editor, government=government, budget_import=budget_import)
    with government_scope(government):
        execution = LineExecution.objects.get(line__partida="2.01.750105.001")
        assert execution.codificado == Decimal("1200000.00")
        assert LineExecution.objects.count() == 3
    budget_import.refresh_from_db()
    assert budget_import.status == BudgetImport.Status.REJECTED


def test_republishing_a_month_replaces_only_its_side(government, editor):
    factories.published_budget(government, months=(3,))
    with government_scope(government):
        cutoff = CutOff.objects.get()
        assert selectors.line_count(cutoff, "income") == 2 and selectors.line_count(cutoff, "expense") == 3
    rows = factories.good_expense_rows()[:3]  # one expense line only
    factories.publish(government, _expense_csv(rows), actor=editor)
    with government_scope(government):
        assert selectors.line_count(cutoff, "expense") == 1
        assert selectors.line_count(cutoff, "income") == 2
    assert _actions(government)[-1] == "budget.cutoff.republished"


def test_publish_refuses_a_file_that_became_wrong(government, editor):
    """The checks run again at publication: a nature renamed away in between is caught."""
    budget_import = factories.upload(government, _expense_csv(), actor=editor)
    with government_scope(government):
        ClassifierEntry.objects.filter(code="7").delete()
        with pytest.raises(ValidationError):
            services.import_publish(actor=editor, government=government, budget_import=budget_import)
        assert not LineExecution.objects.exists()


def test_published_or_discarded_imports_are_closed(government, editor):
    budget_import = factories.upload(government, _expense_csv(), actor=editor)
    with government_scope(government):
        services.import_discard(actor=editor, government=government, budget_import=budget_import)
        for action in (services.import_publish, services.import_discard):
            with pytest.raises(ValidationError):
                action(actor=editor, government=government, budget_import=budget_import)
        with pytest.raises(ValidationError):
            services.import_remap(
                actor=editor, government=government, budget_import=budget_import, mapping={}, remember=False
            )
    assert _actions(government)[-1] == "budget.import.discarded"


def test_remap_checks_again_and_the_saved_mapping_is_reused(government, editor):
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
    data = factories.csv_bytes(headers, rows)
    budget_import = factories.upload(government, data, actor=editor)
    assert budget_import.status == BudgetImport.Status.REJECTED
    unmapped = {p["params"]["field"] for p in budget_import.report["errors"]}
    assert unmapped == {"reformas", "codificado"}
    mapping = {**budget_import.mapping, "reformas": "Modif.", "codificado": "Vigente"}
    with government_scope(government):
        budget_import = services.import_remap(
            actor=editor, government=government, budget_import=budget_import, mapping=mapping, remember=True
        )
        assert budget_import.status == BudgetImport.Status.READY
        assert ColumnMapping.objects.get().mapping["codificado"] == "Vigente"
    again = factories.upload(government, data, actor=editor)
    assert again.status == BudgetImport.Status.READY and again.mapping["reformas"] == "Modif."
    assert "budget.mapping.saved" in _actions(government)


def test_unreadable_files_and_bad_periods_raise_field_errors(government, editor):
    with pytest.raises(ValidationError) as caught:
        factories.upload(government, b"", actor=editor, year=1800, month=13)
    assert set(caught.value.message_dict) == {"file", "year", "month"}
    with pytest.raises(ValidationError) as caught:
        factories.upload(government, _expense_csv(), actor=editor, scope="other")
    assert "scope" in caught.value.message_dict
    with government_scope(government):
        assert not BudgetImport.objects.exists()


def test_withdraw_hides_a_cutoff(government, editor):
    cutoff = factories.published_budget(government, months=(2, 3))
    with government_scope(government):
        services.cutoff_withdraw(actor=editor, government=government, cutoff=cutoff)
        budget_year = selectors.published_year(government, 2026)
        assert selectors.cutoff_for(budget_year).month == 2
        with pytest.raises(ValidationError):
            services.cutoff_withdraw(actor=editor, government=government, cutoff=cutoff)
    assert "budget.cutoff.withdrawn" in _actions(government)


def test_classifier_names_are_data(government, editor):
    with government_scope(government):
        entry = services.classifier_entry_save(actor=editor, government=government, code="7308", name="Bienes de uso")
        assert entry.level == 4
        services.classifier_entry_save(actor=editor, government=government, code="7308", name="Bienes de uso y consumo")
        assert ClassifierEntry.objects.get(code="7308").name == "Bienes de uso y consumo"
        # a new nature needs its direction and cédula
        with pytest.raises(ValidationError):
            services.classifier_entry_save(actor=editor, government=government, code="4", name="Otra")
        services.classifier_entry_save(
            actor=editor, government=government, code="4", name="Otra", direction="expense", side="expense"
        )
        with pytest.raises(ValidationError):
            services.classifier_entry_save(actor=editor, government=government, code="123", name="x")
        assert "4" in services.classifier_for_checks(government).natures
    assert _actions(government).count("budget.classifier.updated") == 1
    # the new nature 4 is now accepted by imports
    rows = [factories.expense_row("4.01.450105.001", "x", "1", "0", "1", "1", "1", "1", "1")]
    assert factories.upload(government, _expense_csv(rows), actor=editor).status == BudgetImport.Status.READY


def test_year_notes(government, editor):
    factories.published_budget(government)
    with government_scope(government):
        budget_year = selectors.published_year(government, 2026)
        services.year_update_notes(actor=editor, government=government, budget_year=budget_year, notes=" Reforma I ")
        budget_year.refresh_from_db()
        assert budget_year.notes == "Reforma I"
    assert _actions(government)[-1] == "budget.year.updated"


def test_xlsx_import(government, editor):
    headers = [
        "Partida",
        "Nombre",
        "Asignado",
        "Reformas",
        "Codificado",
        "Certificado",
        "Comprometido",
        "Devengado",
        "Pagado",
    ]
    rows = [["730811", "Insumos", 100.1, 0, 100.1, 90, 80, 70.05, 70.05]]
    cutoff = factories.publish(government, factories.xlsx_bytes(headers, rows), filename="cedula.xlsx", actor=editor)
    with government_scope(government):
        assert selectors.totals(cutoff, "expense").devengado == Decimal("70.05")
