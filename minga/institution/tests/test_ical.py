"""The iCalendar feeds, parsed with the icalendar package as a calendar program would."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from minga.core.testing import gov_url

from . import factories
from .conftest import aware

pytestmark = pytest.mark.django_db


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_government_feed(client, government):
    mayor = factories.authority(government, slug="alcaldesa")
    session = factories.event(
        government,
        title="Sesión ordinaria",
        starts_at=aware(2030, 3, 12, 10),
        ends_at=aware(2030, 3, 12, 12),
        location="Salón de sesiones",
        description="Orden del día.",
        authorities=[mayor],
    )
    fair = factories.event(
        government, title="Feria", starts_at=aware(2030, 3, 20, 0), ends_at=aware(2030, 3, 21, 0), all_day=True
    )
    cancelled = factories.event(
        government, title="Entrega suspendida", status="cancelled", starts_at=aware(2030, 3, 25)
    )
    factories.event(government, title="Reunión privada", visibility="private", starts_at=aware(2030, 3, 13))
    calendar = _parse(client.get(gov_url(government, "institution:agenda_ics")))
    assert str(calendar["X-WR-CALNAME"]).endswith(government.short_name)
    assert calendar["VERSION"] == "2.0"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Sesión ordinaria", "Feria", "Entrega suspendida"}
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["America/Guayaquil"]

    entry = events["Sesión ordinaria"]
    assert str(entry["UID"]) == f"{session.uid}@agenda.minga"
    start = entry.decoded("DTSTART")
    assert start == dt.datetime(2030, 3, 12, 10, tzinfo=ZoneInfo("America/Guayaquil"))
    assert start.utcoffset() == dt.timedelta(hours=-5)
    assert entry.decoded("DTEND") - start == dt.timedelta(hours=2)
    assert str(entry["LOCATION"]) == "Salón de sesiones" and "Orden del día." in str(entry["DESCRIPTION"])
    assert str(entry["URL"]) == f"http://testserver/g/manabi/institucion/agenda/eventos/{session.uid}/"
    assert "DTSTAMP" in entry and str(entry["STATUS"]) == "CONFIRMED"

    all_day = events["Feria"]
    assert all_day.decoded("DTSTART") == dt.date(2030, 3, 20)
    assert all_day.decoded("DTEND") == dt.date(2030, 3, 22)
    assert str(all_day["UID"]) == f"{fair.uid}@agenda.minga"
    assert str(events["Entrega suspendida"]["STATUS"]) == "CANCELLED"
    assert str(events["Entrega suspendida"]["UID"]) == f"{cancelled.uid}@agenda.minga"


def test_authority_feed_only_has_that_authoritys_public_events(client, government):
    mayor = factories.authority(government, slug="alcaldesa", name="Alcaldesa Prueba")
    other = factories.authority(government, slug="concejal")
    factories.event(government, title="Con la alcaldesa", authorities=[mayor])
    factories.event(government, title="Privada con la alcaldesa", authorities=[mayor], visibility="private")
    factories.event(government, title="Con el concejal", authorities=[other])
    calendar = _parse(client.get(gov_url(government, "institution:authority_ics", slug="alcaldesa")))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Con la alcaldesa"]
    assert "Alcaldesa Prueba" in str(calendar["X-WR-CALNAME"])


def test_unpublished_authority_has_no_feed(client, government):
    factories.authority(government, slug="borrador", is_published=False)
    assert client.get(gov_url(government, "institution:authority_ics", slug="borrador")).status_code == 404


def test_subscribe_link_points_to_the_feed(client, government):
    html = client.get(gov_url(government, "institution:agenda_list")).content.decode()
    assert 'id="agenda-subscribe"' in html
    assert 'href="webcal://testserver/g/manabi/institucion/agenda.ics"' in html
    assert 'href="http://testserver/g/manabi/institucion/agenda.ics"' in html
