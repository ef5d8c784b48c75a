"""Publishing a cédula records its progress (checking, storing; lines stored of how many); a
refused publication says why and that the figures published before stayed live."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import importing, services
from ..models import BudgetImport, LineExecution
from . import factories

pytestmark = pytest.mark.django_db


def _expense_csv(rows=None):
    return factories.csv_bytes(factories.EXPENSE_HEADERS, rows if rows is not None else factories.good_expense_rows())


def test_publishing_reports_its_phases_and_records_them(government, editor):
    budget_import = factories.upload(government, _expense_csv(), actor=editor)
    heard = []
    with government_scope(government), translation.override("en"):
        services.import_publish(
            actor=editor, government=government, budget_import=budget_import, progress=lambda *a: heard.append(a)
        )
    assert heard[0] == ("checking", 0, None)
    lines = LineExecution.objects.for_government(government).count()
    assert heard[-1] == ("storing", lines, lines)
    again = factories.upload(government, _expense_csv(), actor=editor, month=4)
    with government_scope(government), translation.override("en"):
        importing.publish_tracked(actor=editor, government=government, budget_import=again)
    record = importing.latest_progress(again)
    assert record.state == "succeeded" and record.kind == "budget.cedula_publish" and record.unit == "lines"


def test_a_refused_publication_says_why_and_what_stayed_live(english, government, editor):
    factories.publish(government, _expense_csv(), actor=editor)
    rows = factories.good_expense_rows()
    rows[2][13] = "950.000,00"  # devengado above comprometido
    budget_import = factories.upload(government, _expense_csv(rows), actor=editor)
    assert budget_import.status == BudgetImport.Status.REJECTED
    with government_scope(government), translation.override("en"), pytest.raises(ValidationError):
        importing.publish_tracked(actor=editor, government=government, budget_import=budget_import)
    record = importing.latest_progress(budget_import)
    assert record.state == "failed" and "problems" in record.failure_reason
    assert record.kept_live.startswith("Nothing changed: the figures of the cut-off 2026-03 published on ")
    client = english
    login_verified(client, editor)
    page = client.get(gov_url(government, "budget:office_import", pk=budget_import.pk)).content.decode()
    assert "It failed." in page and "What stayed live:" in page and record.kept_live in page
