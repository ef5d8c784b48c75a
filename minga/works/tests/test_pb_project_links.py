"""A public work can name the participatory-budget projects it builds ("participation.project"):
the participation module finds those works through the registry's backlinks, with their
progress, so a winning project shows how its work is going."""

import pytest
from django.core.exceptions import ValidationError

from minga.core import registry

from .. import services
from ..models import ProjectLink
from . import factories

pytestmark = pytest.mark.django_db


def test_backlinks_of_a_participatory_budget_project(government):
    work = factories.project(government, links={ProjectLink.Kind.PB_PROJECT: ["parque-infantil-inclusivo"]})
    factories.progress(government, work, physical="40")
    found = registry.find_backlinks(government, "participation.project", "parque-infantil-inclusivo")
    assert [record.key for record in found] == [work.slug]
    assert found[0].facts["physical_progress"] == 40
    assert registry.find_backlinks(government, "participation.project", "otro") == []


def test_malformed_project_key_is_refused():
    with pytest.raises(ValidationError):
        services.parse_keys(["No Vale!"], ProjectLink.Kind.PB_PROJECT)


def test_work_page_lists_the_projects_that_name_it(client, government, monkeypatch):
    from minga.core.registry import LinkedRecord
    from minga.core.testing import gov_url

    from ..views import public

    work = factories.project(government)
    pb = LinkedRecord("participation.project", "parque", "Parque del barrio", "/participacion/pp/", "participation")
    monkeypatch.setattr(public.registry, "find_backlinks", lambda g, kind, key: [pb] if key == work.slug else [])
    html = client.get(gov_url(government, "works:project_detail", slug=work.slug)).content.decode()
    assert 'id="pb-projects"' in html and "Parque del barrio" in html
