"""Proposals, participatory-budget projects and results in the portal's global search: only
what the public reads (a published process; a proposal not hidden; a published result),
brought along when the process is withdrawn or published again, and never another
government's."""

from __future__ import annotations

import pytest

from minga.core.search.selectors import search
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official

from ..budgets import services as budget_services
from ..budgets.tests import helpers as budget_helpers
from ..processes import services as process_services
from ..proposals import services as proposal_services
from ..proposals.tests import factories as proposal_factories
from ..results import services as result_services
from ..results.tests import factories as result_factories
from . import factories

pytestmark = pytest.mark.django_db


def _titles(government, query):
    with government_scope(government):
        found = search(government=government, query=query, count_zero_results=False)
    return sorted(result.title for group in found.groups for result in group.results)


def _publish(government, process, value):
    with government_scope(government):
        process_services.process_set_published(actor=None, government=government, process=process, is_published=value)


def test_proposals_are_found_while_public(government, other_government):
    process = proposal_factories.proposing_process(government)
    proposal = proposal_factories.proposal(government, process, title="Ciclovía junto al estero Salado")
    assert _titles(government, "ciclovía estero") == ["Ciclovía junto al estero Salado"]
    assert _titles(other_government, "ciclovía estero") == []
    official = make_official(government, "editor", "participation")
    with government_scope(government):
        proposal_services.proposal_set_hidden(
            actor=official, government=government, proposal=proposal, hidden=True, reason="Ofende a una persona."
        )
    assert _titles(government, "ciclovía") == []
    with government_scope(government):
        proposal_services.proposal_set_hidden(actor=official, government=government, proposal=proposal, hidden=False)
    assert _titles(government, "ciclovía") == ["Ciclovía junto al estero Salado"]
    _publish(government, process, False)
    assert _titles(government, "ciclovía") == []
    _publish(government, process, True)
    assert _titles(government, "ciclovía") == ["Ciclovía junto al estero Salado"]


def test_budget_projects_are_found_in_published_processes_only(government, other_government):
    process = budget_helpers.voting_process(government)
    budget = budget_helpers.budget(government, process, projects=(100,))
    draft_process = factories.process(government, is_published=False)
    draft_budget = budget_helpers.budget(government, draft_process, projects=(100,))
    with government_scope(government):
        project = budget_helpers.projects(government, budget)[0]
        budget_services.project_update(
            actor=None, government=government, project=project, title="Parque lineal del río Chone"
        )
        draft = budget_helpers.projects(government, draft_budget)[0]
        budget_services.project_update(actor=None, government=government, project=draft, title="Parque secreto del río")
    assert _titles(government, "parque río") == ["Parque lineal del río Chone"]
    assert _titles(other_government, "parque río") == []
    _publish(government, draft_process, True)
    assert _titles(government, "parque río") == ["Parque lineal del río Chone", "Parque secreto del río"]
    with government_scope(government):
        budget_services.budget_delete(actor=None, government=government, budget=draft_budget)
    assert _titles(government, "parque río") == ["Parque lineal del río Chone"]


def test_results_are_found_when_published(government, other_government):
    process = factories.process(government)
    shown = result_factories.result(government, process, title="Mercado municipal renovado")
    hidden = result_factories.result(government, process, title="Mercado mayorista nuevo", is_published=False)
    assert _titles(government, "mercado") == ["Mercado municipal renovado"]
    assert _titles(other_government, "mercado") == []
    result_factories.update(government, hidden, is_published=True)
    assert _titles(government, "mercado") == ["Mercado mayorista nuevo", "Mercado municipal renovado"]
    with government_scope(government):
        result_services.result_delete(actor=None, government=government, result=shown)
    assert _titles(government, "mercado") == ["Mercado mayorista nuevo"]
    _publish(government, process, False)
    assert _titles(government, "mercado") == []
