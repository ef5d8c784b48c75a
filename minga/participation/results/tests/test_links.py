"""Links through core's registry, both ways: a result points to a public work (shown with its
physical progress, which it can take as its own); the work's side finds the result
("participation.result" backlinks); unresolved keys are not shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from minga.core import registry
from minga.core.registry import LinkedRecord, ModuleManifest
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import services
from ..models import ResultLink
from . import factories

pytestmark = pytest.mark.django_db


@dataclass
class Work:
    slug: str
    title: str


WORK = Work("puente-rio-chico", "Puente sobre el río Chico")


def _work_record():
    return LinkedRecord(
        "works.project", WORK.slug, WORK.title, f"/obras/{WORK.slug}/", "works", {"physical_progress": Decimal("62")}
    )


@pytest.fixture
def work(monkeypatch):
    """A works module that publishes one work (62 % built), beside the real participation module."""
    fake = ModuleManifest(
        key="works",
        label="W",
        link_resolvers={"works.project": lambda gov, keys: {k: _work_record() for k in keys if k == WORK.slug}},
        link_search={
            "works.project": lambda gov, text, limit: [_work_record()] if text.lower() in WORK.title.lower() else []
        },
    )
    participation = registry.manifest("participation")
    monkeypatch.setattr(registry, "enabled_manifests", lambda government: [fake, participation])
    return WORK


def test_link_to_a_work_both_ways(client, government, process, work):
    result = factories.result(government, process, title="Conectividad rural")
    with government_scope(government):
        services.link_add(actor=None, government=government, result=result, kind="works.project", key=work.slug)
        backlinks = registry.find_backlinks(government, "works.project", work.slug)
        assert [(r.kind, r.key) for r in backlinks if r.kind == "participation.result"] == [
            ("participation.result", str(result.pk))
        ]
        assert (
            registry.resolve_links(government, "participation.result", [str(result.pk)])[str(result.pk)].title
            == "Conectividad rural"
        )
        assert [r.key for r in registry.search_links(government, "participation.result", "rural")] == [str(result.pk)]
    page = client.get(
        gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk)
    ).content.decode()
    assert "Puente sobre el río Chico" in page and "avance físico 62 %" in page


def test_drafts_are_not_backlinks(government, process, work):
    result = factories.result(government, process, is_published=False)
    with government_scope(government):
        ResultLink.objects.create(government=government, result=result, kind="works.project", key=work.slug)
        assert not [
            r
            for r in registry.find_backlinks(government, "works.project", work.slug)
            if r.kind == "participation.result"
        ]


def test_use_the_works_progress(client, government, process, editor, work):
    result = factories.result(government, process, progress=5)
    with government_scope(government):
        services.link_add(actor=None, government=government, result=result, kind="works.project", key=work.slug)
    login_verified(client, editor)
    page = client.get(gov_url(government, "participation:office_result_edit", pk=result.pk)).content.decode()
    assert "Usarlo como avance del resultado" in page
    client.post(gov_url(government, "participation:office_result_use_work", pk=result.pk), {"obra": work.slug})
    with government_scope(government):
        result.refresh_from_db()
    assert result.progress == Decimal("62.00") and result.progress_by_hand


def test_unresolved_keys_are_not_shown_and_cannot_be_picked(client, government, process, editor):
    result = factories.result(government, process, title="Sin vínculos reales")
    with government_scope(government):
        ResultLink.objects.create(
            government=government, result=result, kind="participation.proposal", key="propuesta-fantasma"
        )
        with pytest.raises(Exception) as error:
            services.link_add(actor=None, government=government, result=result, kind="works.project", key="no-existe")
        assert "no-existe" in str(error.value)
    page = client.get(
        gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk)
    ).content.decode()
    assert "propuesta-fantasma" not in page
    login_verified(client, editor)
    office = client.get(gov_url(government, "participation:office_result_edit", pk=result.pk)).content.decode()
    assert "propuesta-fantasma" in office  # the office sees what is not shown


def test_picker_searches_through_the_registry(client, government, process, editor, work):
    result = factories.result(government, process)
    login_verified(client, editor)
    url = gov_url(government, "participation:office_result_edit", pk=result.pk)
    page = client.get(url, {"tipo": "works.project", "buscar": "Puente"}).content.decode()
    assert "Puente sobre el río Chico" in page and f'value="{work.slug}"' in page
    response = client.post(
        gov_url(government, "participation:office_result_link_add", pk=result.pk),
        {"kind": "works.project", "key": work.slug},
    )
    assert response.status_code == 302
    with government_scope(government):
        assert ResultLink.objects.filter(result=result, kind="works.project", key=work.slug).exists()
