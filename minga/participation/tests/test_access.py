"""Who may open what: the role × URL matrix for every participation address, and the tenancy
rule: government B answers 404 for every process of government A (pages, back office, API)."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, assert_role_matrix, gov_url, login_verified, make_official

from .. import urls
from ..api import urls as api_urls
from ..budgets import urls as budgets_urls
from ..budgets.api import urls as budgets_api_urls
from ..processes.models import Process
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(government):
    return factories.process(government, slug="pp-2027")


def matrix_addresses(government, process) -> dict[str, list[str]]:
    """Every page and API address of the module, by who may open it."""
    return {
        "public": [
            gov_url(government, "participation:process_list"),
            gov_url(government, "participation:process_detail", slug=process.slug),
            gov_url(government, "participation-api:processes"),
            gov_url(government, "participation-api:process", slug=process.slug),
        ],
        "viewer": [gov_url(government, "participation:office_processes")],
        "editor": [
            gov_url(government, "participation:office_process_create"),
            gov_url(government, "participation:office_process_edit", pk=process.pk),
        ],
        # POST-only, or pages whose POST writes: refused roles' POSTs must change nothing.
        "editor_posts": [
            gov_url(government, "participation:office_process_publish", pk=process.pk),
            gov_url(government, "participation:office_process_delete", pk=process.pk),
        ],
    }


def test_every_participation_url_is_in_the_matrix(government, process):
    """The lists above name every route of the module, so a new URL must join the matrix."""
    covered = {url for addresses in matrix_addresses(government, process).values() for url in addresses}
    # The budgets' addresses have their own matrix (budgets/tests/test_pages.py).
    assert len(covered) == len(urls.urlpatterns) - len(budgets_urls.urlpatterns) + len(api_urls.urlpatterns) - len(
        budgets_api_urls.urlpatterns
    )


def test_role_matrix(client, government, other_government, process):
    addresses = matrix_addresses(government, process)
    assert_role_matrix(client, government, other_government, "participation", other_module="works", **addresses)
    with government_scope(government):
        stored = Process.objects.get(pk=process.pk)
    assert stored.is_published  # the refused POSTs unpublished nothing and deleted nothing


def test_foreign_government_gets_404_for_every_object(client, government, other_government, process):
    addresses = matrix_addresses(government, process)
    detail = [url for url in addresses["public"] if process.slug in url]
    assert_foreign_government_404(client, other_government, detail, government)
    # B's lists do not contain A's process.
    for name in ("participation:process_list", "participation-api:processes"):
        assert process.title not in client.get(gov_url(other_government, name)).content.decode()
    # B's administrator (every permission in B) still gets 404 for A's process in B's back office.
    login_verified(client, make_official(other_government, "admin"))
    office = [
        gov_url(government, "participation:office_process_edit", pk=process.pk),
        gov_url(government, "participation:office_process_delete", pk=process.pk),
    ]
    assert_foreign_government_404(client, other_government, office, government)
    for url in addresses["editor_posts"]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert client.post(foreign, {"publicar": "0", "confirm": "on"}).status_code == 404, foreign
    with government_scope(government):
        assert Process.objects.get(pk=process.pk).is_published


def test_switched_off_module_answers_404(client, government, process):
    government.modules = {"participation": {"enabled": False}}
    government.save()
    for url in matrix_addresses(government, process)["public"]:
        assert client.get(url).status_code == 404, url
