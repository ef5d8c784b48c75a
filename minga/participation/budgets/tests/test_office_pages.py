"""Back-office pages of budgets that must open whatever the data: a paper batch entered
without a person (the demo's, or one whose author's account is gone) named no one and the page
answered 500."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_cedula, make_official

from ...tests import factories
from .. import paper
from . import helpers

pytestmark = pytest.mark.django_db


def test_a_batch_without_its_author_opens(client, government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    with government_scope(government):
        batch = paper.batch_enter(
            actor=None,
            government=government,
            budget=budget,
            place="Escuela Fiscal 12 de Marzo",
            voted_on=timezone.localdate(),
            text=f"{make_cedula(903)}; 1",
        )
    login_verified(client, make_official(government, "viewer", "participation"))
    response = client.get(gov_url(government, "participation:office_batch", batch=batch.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Escuela Fiscal 12 de Marzo" in text and "Entered by" not in text


def test_once_voting_opened_the_page_offers_no_new_or_deleted_project(client, government):
    official = make_official(government, "editor", "participation")
    login_verified(client, official)
    before = helpers.budget(government, factories.process(government, slug="antes"), title="Antes")
    during = helpers.budget(government, helpers.voting_process(government), title="Durante")
    html = client.get(gov_url(government, "participation:office_budget", pk=before.pk)).content.decode()
    assert 'id="project-create"' in html and "/eliminar/" in html
    html = client.get(gov_url(government, "participation:office_budget", pk=during.pk)).content.decode()
    # The services refuse both once voting opened: the page no longer offers them.
    assert 'id="project-create"' not in html and "/eliminar/" not in html
    assert "/editar/" in html  # descriptions and links can still be corrected


def test_the_counted_rows_name_their_unit(client, government):
    official, budget = helpers.counted(government)
    login_verified(client, official)
    html = client.get(gov_url(government, "participation:office_budget", pk=budget.pk)).content.decode()
    # "Proyecto 1 · 2" said nothing of what the 2 counts.
    assert "Proyecto 1</strong> · 2 votos ·" in html and "Proyecto 2</strong> · 1 voto ·" in html
