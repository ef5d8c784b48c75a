"""A work's page lists the records of other modules that follow it (participation's results),
read through the registry's backlinks."""

from __future__ import annotations

import pytest

from minga.core import registry
from minga.core.registry import LinkedRecord, ModuleManifest
from minga.core.testing import gov_url

from . import factories

pytestmark = pytest.mark.django_db


def test_work_page_shows_the_results_that_follow_it(client, government, monkeypatch):
    project = factories.project(government, title="Puente sobre el río Chico")
    result = LinkedRecord(
        "participation.result",
        "7",
        "Conectividad <rural>",
        "/participacion/pp/resultados/7/",
        "participation",
        {"status": "En ejecución"},
    )
    fake = ModuleManifest(
        key="participation",
        label="P",
        backlinks={"works.project": lambda gov, key: [result] if key == project.slug else []},
    )
    works = registry.manifest("works")
    monkeypatch.setattr(registry, "enabled_manifests", lambda government: [works, fake])
    page = client.get(gov_url(government, "works:project_detail", slug=project.slug)).content.decode()
    assert "Seguimiento ciudadano" in page and "Conectividad &lt;rural&gt;" in page and "En ejecución" in page
