"""The read-only public API of processes: published processes only, with their phases and the
state of each at the time of the request; the public list's filters; writes refused."""

from __future__ import annotations

import pytest

from minga.core.testing import GovernmentFactory, gov_url

from . import factories
from .factories import DAY

pytestmark = pytest.mark.django_db


def test_list_and_detail(client, government, now):
    factories.process(government, slug="pp", start=now - 15 * DAY, description="Texto **marcado**")
    factories.process(government, slug="borrador", is_published=False)
    data = client.get(gov_url(government, "participation-api:processes")).json()
    assert data["count"] == 1 and data["results"][0]["slug"] == "pp"
    detail = client.get(gov_url(government, "participation-api:process", slug="pp")).json()
    assert detail["status"] == "ongoing" and detail["current_phase"] == 2
    assert [p["state"] for p in detail["phases"]] == ["past", "current", "upcoming", "upcoming"]
    assert detail["phases"][2]["features"] == ["vote"] and detail["phases"][2]["settings"]["hide_vote_counts"] is True
    assert detail["settings"]["verification_vote"] == "cedula"
    assert detail["territories"] == [] and detail["kind"] == "participatory_budget"
    assert detail["url"].endswith("/g/manabi/participacion/pp/") and detail["image"] is None
    assert client.get(gov_url(government, "participation-api:process", slug="borrador")).status_code == 404


def test_filters_are_the_pages(client, government, now):
    GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo", parent=government)
    factories.process(government, slug="en-portoviejo", territories=["1301"])
    factories.process(government, slug="todo", kind="consultation")
    factories.process(government, slug="proximo", start=now + 3 * DAY)
    url = gov_url(government, "participation-api:processes")

    def slugs(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return sorted(p["slug"] for p in response.json()["results"])

    assert slugs(estado="en-curso") == ["en-portoviejo", "todo"]
    assert slugs(estado="proximos") == ["proximo"]
    assert slugs(tipo="consultation") == ["todo"]
    assert slugs(territorio="1301") == ["en-portoviejo", "proximo", "todo"]
    assert slugs(territorio="1308") == ["proximo", "todo"]
    detail = client.get(gov_url(government, "participation-api:process", slug="en-portoviejo")).json()
    assert detail["territories"] == [{"code": "1301", "name": "Portoviejo"}]
    refused = client.get(url, {"estado": "ayer"})
    assert refused.status_code == 400 and list(refused.json()) == ["estado"]


def test_api_is_read_only(client, government):
    factories.process(government, slug="pp")
    assert client.post(gov_url(government, "participation-api:processes"), {}).status_code in (401, 403, 405)
    assert client.delete(gov_url(government, "participation-api:process", slug="pp")).status_code in (401, 403, 405)
