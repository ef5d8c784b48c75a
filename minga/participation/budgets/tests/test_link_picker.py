"""The project form's link picker, without JavaScript: a search inside the form lists the
published records of a kind (never another government's), a ticked one joins the project's
keys when the form is sent again, and the keys typed one per line still work."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_official

from ...proposals.tests import factories as proposal_factories
from ...tests import factories as process_factories
from ..models import Project, ProjectLink
from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(government, other_government):
    process = proposal_factories.proposing_process(government)
    mine = proposal_factories.proposal(government, process, title="Ciclovía del malecón")
    foreign = proposal_factories.proposal(
        other_government, proposal_factories.proposing_process(other_government), title="Ciclovía ajena"
    )
    budget = helpers.budget(government, process_factories.process(government), projects=())
    return budget, mine, foreign


def _fields(**more):
    return {"title": "Ciclovía", "slug": "", "description": "", "cost": "1000", "position": "1", **more}


def test_search_pick_and_save(client, government, setup):
    budget, mine, foreign = setup
    login_verified(client, make_official(government, "editor", "participation"))
    url = gov_url(government, "participation:office_project_create", pk=budget.pk)
    page = client.get(url).content.decode()
    assert 'name="buscar_tipo"' in page and 'name="buscar_vinculos"' in page
    found = client.post(
        url, _fields(buscar_vinculos="1", buscar_tipo="participation.proposal", buscar="ciclovía", works="puente-rio")
    )
    html = found.content.decode()
    assert found.status_code == 200
    assert f'value="participation.proposal {mine.pk}"' in html and "Ciclovía del malecón" in html
    assert "Ciclovía ajena" not in html and f'participation.proposal {foreign.pk}"' not in html
    assert 'value="Ciclovía"' in html and "puente-rio" in html  # what was typed stays
    with government_scope(government):
        assert not Project.objects.exists()  # a search saves nothing
    saved = client.post(url, _fields(vincular=[f"participation.proposal {mine.pk}"], works="puente-rio"))
    assert saved.status_code == 302
    with government_scope(government):
        project = Project.objects.get()
        links = set(ProjectLink.objects.filter(project=project).values_list("kind", "key"))
    assert links == {("participation.proposal", str(mine.pk)), ("works.project", "puente-rio")}
    edit = client.get(gov_url(government, "participation:office_project_edit", project=project.pk)).content.decode()
    assert "Ciclovía del malecón" in edit and "ningún registro publicado responde" in edit  # the work is unknown


def test_a_ticked_record_joins_the_keys_on_the_next_search(client, government, setup):
    budget, mine, _foreign = setup
    login_verified(client, make_official(government, "editor", "participation"))
    url = gov_url(government, "participation:office_project_create", pk=budget.pk)
    again = client.post(
        url,
        _fields(
            buscar_vinculos="1",
            buscar_tipo="participation.proposal",
            buscar="ciclovía",
            vincular=[f"participation.proposal {mine.pk}", "nonsense", "works.project "],
        ),
    ).content.decode()
    assert f"{mine.pk}</textarea>" in again  # now among the proposals' keys
    assert f'value="participation.proposal {mine.pk}"' not in again  # and no longer a candidate
    assert "Ciclovía del malecón" in again
