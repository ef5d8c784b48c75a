"""Who may open what among the proposals' addresses (role × URL matrix), and tenancy: another
government's proposal answers 404 on every page, office page and API address."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, assert_role_matrix, gov_url, login_verified, make_official

from .. import api, urls
from ..models import Proposal, Status
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(government):
    return factories.supporting_process(government)


@pytest.fixture
def proposal(government, process):
    return factories.proposal(government, process, latitude="-0.95", longitude="-80.73")


def matrix_addresses(government, process, proposal) -> dict[str, list[str]]:
    slug, pk = process.slug, proposal.pk
    return {
        "public": [
            gov_url(government, "participation:proposal_list", slug=slug),
            gov_url(government, "participation:proposal_map", slug=slug),
            gov_url(government, "participation:proposal_geojson", slug=slug),
            gov_url(government, "participation:proposal_detail", slug=slug, pk=pk),
            gov_url(government, "participation-api:proposals", slug=slug),
        ],
        "viewer": [
            gov_url(government, "participation:office_proposals"),
            gov_url(government, "participation:office_proposal", pk=pk),
        ],
        "editor": [],
        "editor_posts": [
            gov_url(government, "participation:office_proposal_evaluate", pk=pk),
            gov_url(government, "participation:office_proposal_moderate", pk=pk),
            gov_url(government, "participation:office_proposal_merge", pk=pk),
        ],
    }


def citizen_addresses(government, process, proposal) -> list[str]:
    """Pages of a signed-in citizen (anonymous visitors are sent to sign in)."""
    slug, pk = process.slug, proposal.pk
    return [
        gov_url(government, "participation:proposal_create", slug=slug),
        gov_url(government, "participation:proposal_edit", slug=slug, pk=pk),
        gov_url(government, "participation:proposal_withdraw", slug=slug, pk=pk),
        gov_url(government, "participation:proposal_support", slug=slug, pk=pk),
    ]


def test_every_proposal_url_is_listed(government, process, proposal):
    listed = {url for urls_ in matrix_addresses(government, process, proposal).values() for url in urls_}
    listed |= set(citizen_addresses(government, process, proposal))
    assert len(listed) == len(urls.urlpatterns) + len(api.urlpatterns)


def test_role_matrix(client, government, other_government, process, proposal):
    addresses = matrix_addresses(government, process, proposal)
    assert_role_matrix(client, government, other_government, "participation", other_module="works", **addresses)
    with government_scope(government):
        stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.status == Status.PUBLISHED and not stored.is_hidden  # refused POSTs changed nothing


def test_citizen_pages_send_anonymous_to_sign_in(client, government, process, proposal):
    for url in citizen_addresses(government, process, proposal):
        method = client.post if url.endswith("/apoyo/") else client.get
        response = method(url)
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"], url


def test_foreign_government_gets_404(client, government, other_government, process, proposal):
    addresses = matrix_addresses(government, process, proposal)
    assert_foreign_government_404(client, other_government, addresses["public"], government)
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, addresses["viewer"][1:], government)
    office_list = client.get(gov_url(other_government, "participation:office_proposals")).content.decode()
    assert proposal.title not in office_list
    assert_foreign_government_404(
        client, other_government, citizen_addresses(government, process, proposal)[:3], government
    )
    for url in addresses["editor_posts"] + citizen_addresses(government, process, proposal)[3:]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        response = client.post(foreign, {"feasible": "1", "answer": "x" * 30, "ocultar": "1", "reason": "x" * 20})
        assert response.status_code == 404, foreign
    # The same process slug in B with another proposal id: A's id under B's process is 404 too.
    other_process = factories.supporting_process(other_government, slug=process.slug)
    url = gov_url(other_government, "participation:proposal_detail", slug=other_process.slug, pk=proposal.pk)
    assert client.get(url).status_code == 404
    with government_scope(government):
        stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.status == Status.PUBLISHED and not stored.is_hidden
