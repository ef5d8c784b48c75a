"""Who may open what among the results' addresses (role × URL matrix), and tenancy: another
government answers 404 for every result, entry and link of this one."""

from __future__ import annotations

import datetime as dt

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, assert_role_matrix, gov_url, login_verified, make_official

from ... import urls as participation_urls
from ...api import urls as api_urls
from .. import services, urls
from ..models import Result, ResultLink
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(government, process):
    result = factories.result(government, process, title="Vialidad", status="ejecucion")
    with government_scope(government):
        entry = services.timeline_add(
            actor=None, government=government, result=result, date=dt.date(2025, 3, 1), text="Inicio"
        )
        link = ResultLink.objects.create(government=government, result=result, kind="works.project", key="no-existe")
    return result, entry, link


def matrix_addresses(government, process, tree) -> dict[str, list[str]]:
    result, entry, link = tree
    return {
        "public": [
            gov_url(government, "participation:results_tree", slug=process.slug),
            gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk),
            gov_url(government, "participation-api:process_results", slug=process.slug),
        ],
        "viewer": [
            gov_url(government, "participation:office_results"),
            gov_url(government, "participation:office_process_results", pk=process.pk),
        ],
        "editor": [
            gov_url(government, "participation:office_result_create", pk=process.pk),
            gov_url(government, "participation:office_results_import", pk=process.pk),
            gov_url(government, "participation:office_result_edit", pk=result.pk),
            gov_url(government, "participation:office_result_delete", pk=result.pk),
        ],
        "editor_posts": [
            gov_url(government, "participation:office_result_timeline_add", pk=result.pk),
            gov_url(government, "participation:office_result_timeline_delete", pk=entry.pk),
            gov_url(government, "participation:office_result_link_add", pk=result.pk),
            gov_url(government, "participation:office_result_link_remove", pk=link.pk),
            gov_url(government, "participation:office_result_use_work", pk=result.pk),
        ],
    }


def test_every_results_url_is_in_the_matrix(government, process, tree):
    covered = {url for addresses in matrix_addresses(government, process, tree).values() for url in addresses}
    api = [p for p in api_urls.urlpatterns if "resultados" in str(p.pattern)]
    assert len(covered) == len(urls.urlpatterns) + len(api)
    assert all(pattern in participation_urls.urlpatterns for pattern in urls.urlpatterns)


def test_role_matrix(client, government, other_government, process, tree):
    addresses = matrix_addresses(government, process, tree)
    assert_role_matrix(client, government, other_government, "participation", other_module="works", **addresses)
    with government_scope(government):
        stored = Result.objects.get(pk=tree[0].pk)
        assert stored.timeline.count() == 1 and stored.links.count() == 1  # refused POSTs changed nothing


def test_foreign_government_gets_404(client, government, other_government, process, tree):
    addresses = matrix_addresses(government, process, tree)
    assert_foreign_government_404(client, other_government, addresses["public"], government)
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, addresses["viewer"][1:] + addresses["editor"], government)
    for url in addresses["editor_posts"]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert (
            client.post(foreign, {"date": "2025-01-01", "text": "x", "kind": "works.project", "key": "x"}).status_code
            == 404
        )
    with government_scope(government):
        assert Result.objects.get(pk=tree[0].pk).timeline.count() == 1


def test_draft_results_are_not_public(client, government, process, tree):
    result = tree[0]
    factories.update(government, result, is_published=False)
    assert (
        client.get(gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk)).status_code
        == 404
    )
    page = client.get(gov_url(government, "participation:results_tree", slug=process.slug)).content.decode()
    assert "Vialidad" not in page
