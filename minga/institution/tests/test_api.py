"""The read-only public API: lists, details, filters; private and unpublished data absent;
writes refused."""

import datetime as dt

import pytest
from django.utils import timezone

from minga.core.testing import gov_url

from . import factories
from .conftest import aware

pytestmark = pytest.mark.django_db


def test_units_list_and_detail(client, government):
    top = factories.unit(government, slug="prefectura", name="Prefectura")
    factories.unit(government, slug="obras", name="Obras", parent=top, functions="Uno\nDos")
    factories.unit(government, slug="reservada", is_public=False)
    data = client.get(gov_url(government, "institution-api:units")).json()
    assert data["count"] == 2 and {u["slug"] for u in data["results"]} == {"prefectura", "obras"}
    detail = client.get(gov_url(government, "institution-api:unit", slug="obras")).json()
    assert detail["parent"] == "prefectura" and detail["functions"] == ["Uno", "Dos"]
    assert detail["url"].endswith("/g/manabi/institucion/unidades/obras/")
    assert client.get(gov_url(government, "institution-api:unit", slug="reservada")).status_code == 404


def test_authorities_current_filter_and_detail(client, government):
    today = timezone.localdate()
    factories.authority(government, slug="actual", term_start=today - dt.timedelta(days=10))
    factories.authority(
        government, slug="pasada", term_start=today - dt.timedelta(days=900), term_end=today - dt.timedelta(days=100)
    )
    factories.authority(government, slug="borrador", is_published=False)
    everyone = client.get(gov_url(government, "institution-api:authorities")).json()
    assert {a["slug"] for a in everyone["results"]} == {"actual", "pasada"}
    current = client.get(gov_url(government, "institution-api:authorities") + "?vigentes=1").json()
    assert [a["slug"] for a in current["results"]] == ["actual"] and current["results"][0]["is_current"] is True
    detail = client.get(gov_url(government, "institution-api:authority", slug="pasada")).json()
    assert detail["is_current"] is False and detail["agenda_ics"].endswith("/autoridades/pasada/agenda.ics")
    assert client.get(gov_url(government, "institution-api:authority", slug="borrador")).status_code == 404


def test_events_filters_and_private_events_absent(client, government):
    mayor = factories.authority(government, slug="alcaldesa")
    works = factories.unit(government, slug="obras")
    march = factories.event(government, title="Marzo", starts_at=aware(2030, 3, 10), authorities=[mayor])
    april = factories.event(government, title="Abril", starts_at=aware(2030, 4, 10), unit=works)
    private = factories.event(government, title="Privado", starts_at=aware(2030, 3, 11), visibility="private")
    url = gov_url(government, "institution-api:events")

    def titles(query=""):
        response = client.get(url + query)
        assert response.status_code == 200, response.content
        return [e["title"] for e in response.json()["results"]]

    assert titles() == ["Marzo", "Abril"]
    assert titles("?desde=2030-04-01") == ["Abril"]
    assert titles("?hasta=2030-03-31") == ["Marzo"]
    assert titles("?autoridad=alcaldesa") == ["Marzo"]
    assert titles("?unidad=obras") == ["Abril"]
    assert titles("?unidad=no-existe") == []
    assert client.get(url + "?desde=ayer").status_code == 400
    detail = client.get(gov_url(government, "institution-api:event", uid=march.uid)).json()
    assert detail["authorities"][0]["slug"] == "alcaldesa" and detail["status"] == "scheduled"
    assert client.get(gov_url(government, "institution-api:event", uid=april.uid)).status_code == 200
    assert client.get(gov_url(government, "institution-api:event", uid=private.uid)).status_code == 404


def test_api_is_read_only(client, government):
    for name in ("institution-api:units", "institution-api:authorities", "institution-api:events"):
        assert client.post(gov_url(government, name), {}).status_code in (401, 403, 405)


def test_lists_are_paginated(client, government):
    for number in range(3):
        factories.unit(government, slug=f"u{number}")
    data = client.get(gov_url(government, "institution-api:units") + "?page_size=2").json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]


def test_the_current_filter_is_yes_or_no(client, government):
    # The schema says boolean; "quizás" used to be read as "no" without a word.
    today = timezone.localdate()
    factories.authority(government, slug="actual", term_start=today - dt.timedelta(days=10))
    url = gov_url(government, "institution-api:authorities")
    assert [a["slug"] for a in client.get(url, {"vigentes": "true"}).json()["results"]] == ["actual"]
    assert client.get(url, {"vigentes": "0"}).status_code == 200
    assert client.get(url, {"vigentes": ""}).status_code == 200
    refused = client.get(url, {"vigentes": "quizás"})
    assert refused.status_code == 400 and list(refused.json()) == ["vigentes"]


@pytest.mark.parametrize(
    "query",
    [
        "mes=2030-03",
        "mes=2030-04",
        "mes=2030-03&autoridad=alcaldesa",
        "mes=2030-04&unidad=obras",
        "mes=2030-03&autoridad=no-existe",
        "mes=2030-03&autoridad=alcaldesa&unidad=obras",
    ],
)
def test_the_month_page_and_the_api_give_the_same_events_for_the_same_query(client, government, query):
    """The events API reads the agenda page's query (selectors.agenda_filters)."""
    mayor = factories.authority(government, slug="alcaldesa")
    works = factories.unit(government, slug="obras")
    factories.event(government, title="Inicio de marzo", starts_at=aware(2030, 3, 1), authorities=[mayor])
    factories.event(government, title="Fin de marzo", starts_at=aware(2030, 3, 31, 20), unit=works)
    factories.event(government, title="Conjunto", starts_at=aware(2030, 3, 15), unit=works, authorities=[mayor])
    factories.event(government, title="Abril", starts_at=aware(2030, 4, 1, 8), unit=works)
    factories.event(government, title="Privado", starts_at=aware(2030, 3, 11), visibility="private")
    page = client.get(gov_url(government, "institution:agenda") + "?" + query)
    in_month = {
        str(event.uid) for week in page.context["weeks"] for day in week if day["in_month"] for event in day["events"]
    }
    api = client.get(gov_url(government, "institution-api:events") + "?" + query + "&page_size=500")
    assert api.status_code == 200
    assert in_month == {event["uid"] for event in api.json()["results"]}
    if "no-existe" not in query:
        assert in_month


def test_the_events_api_reads_the_older_day_window_and_refuses_unreadable_values(client, government):
    factories.event(government, title="Marzo", starts_at=aware(2030, 3, 10))
    url = gov_url(government, "institution-api:events")
    assert [e["title"] for e in client.get(url + "?desde=2030-03-01&hasta=2030-03-31").json()["results"]] == ["Marzo"]
    assert client.get(url + "?mes=2030-13").status_code == 400
    assert client.get(url + "?hasta=mañana").status_code == 400
