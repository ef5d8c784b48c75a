"""Pages of events: calendar with filters, event page, registration forms (typed values kept,
XSS escaped, rate limit), iCal feeds parsed back, back office (minutes PDF check, CSV,
attendance), the role × URL matrix and the tenancy rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)
from minga.participation.tests import factories as process_factories

from .. import services, urls
from ..models import Agreement, Event, EventType, Registration
from .builders import event as make_event

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'


@pytest.fixture
def event(government):
    process = process_factories.process(government, slug="pp-eventos")
    found = make_event(
        government, process=process, registration_enabled=True, capacity=2, title="Asamblea de Portoviejo"
    )
    with government_scope(government):
        services.agreement_save(
            actor=None,
            government=government,
            event=found,
            agreement=None,
            fields={"text": "Reparar", "responsible": "Obras"},
        )
    return found


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "participation")


def test_calendar_lists_upcoming_and_past_with_filters(client, government, event):
    past = make_event(government, days=-5, title="Taller pasado")
    with government_scope(government):
        workshop = EventType.objects.get(key="taller")
        services.event_update(actor=None, government=government, event=past, event_type=workshop)
    page = client.get(gov_url(government, "participation:event_calendar"))
    assert page.status_code == 200
    text = page.content.decode()
    assert event.title in text and "Taller pasado" in text
    assert text.index(event.title) < text.index("Taller pasado")
    only_workshops = client.get(gov_url(government, "participation:event_calendar") + "?tipo=taller").content.decode()
    assert "Taller pasado" in only_workshops and event.title not in only_workshops
    by_process = client.get(
        gov_url(government, "participation:event_calendar") + "?proceso=pp-eventos"
    ).content.decode()
    assert event.title in by_process and "Taller pasado" not in by_process
    month = timezone.localtime(past.starts_at).strftime("%Y-%m")
    by_month = client.get(gov_url(government, "participation:event_calendar") + f"?mes={month}").content.decode()
    assert "Taller pasado" in by_month
    bad = client.get(gov_url(government, "participation:event_calendar") + "?mes=2027-13").content.decode()
    assert "año-mes" in bad


def test_unpublished_events_are_not_shown(client, government):
    draft = make_event(government, is_published=False, title="Borrador secreto")
    assert "Borrador secreto" not in client.get(gov_url(government, "participation:event_calendar")).content.decode()
    assert client.get(gov_url(government, "participation:event_detail", slug=draft.slug)).status_code == 404
    assert client.get(gov_url(government, "participation:event_ics", slug=draft.slug)).status_code == 404


def test_event_page_and_process_section(client, government, event):
    page = client.get(gov_url(government, "participation:event_detail", slug=event.slug)).content.decode()
    assert "Bienvenida" in page and "Casa comunal" in page and 'id="acuerdo-1"' in page
    process_page = client.get(gov_url(government, "participation:process_detail", slug="pp-eventos")).content.decode()
    assert event.title in process_page and 'id="eventos"' in process_page


def test_guest_form_keeps_typed_values_and_escapes_them(client, government, event):
    url = gov_url(government, "participation:event_register", slug=event.slug)
    response = client.post(url, {"name": XSS, "email": "no-es-correo"})
    assert response.status_code == 400
    text = response.content.decode()
    assert XSS not in text and "&lt;script&gt;" in text
    assert 'value="no-es-correo"' in text


def test_guest_registers_and_confirms_by_link(
    client, government, event, mailoutbox, django_capture_on_commit_callbacks
):
    url = gov_url(government, "participation:event_register", slug=event.slug)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Ana Vera", "email": "ana@example.org"})
    assert response.status_code == 302
    link = next(line for line in mailoutbox[0].body.splitlines() if "/confirmar/" in line)
    path = link[link.index("/g/") :]
    confirmed = client.get(path)
    assert confirmed.status_code == 200 and 'id="registration-result"' in confirmed.content.decode()
    with government_scope(government):
        assert Registration.objects.get(email="ana@example.org").status == Registration.Status.CONFIRMED
    forged = client.get(gov_url(government, "participation:event_registration_confirm", token="abc:def"))
    assert forged.status_code == 400


def test_signed_in_citizen_registers_and_cancels(client, government, event):
    person = UserFactory()
    login_verified(client, person)
    client.post(gov_url(government, "participation:event_register", slug=event.slug))
    page = client.get(gov_url(government, "participation:event_detail", slug=event.slug)).content.decode()
    assert 'id="my-registration"' in page
    client.post(gov_url(government, "participation:event_cancel_mine", slug=event.slug))
    with government_scope(government):
        assert Registration.objects.get(user=person).status == Registration.Status.CANCELLED


def test_registration_is_rate_limited(client, government, event, settings):
    url = gov_url(government, "participation:event_register", slug=event.slug)
    for number in range(10):
        client.post(url, {"name": "Ana", "email": f"ana{number}@example.org"})
    refused = client.post(url, {"name": "Ana", "email": "ana99@example.org"})
    assert refused.status_code == 400
    with government_scope(government):
        assert not Registration.objects.filter(email="ana99@example.org").exists()


def test_ical_feeds_parse_back(client, government, event):
    icalendar = pytest.importorskip("icalendar")
    for url in (
        gov_url(government, "participation:event_calendar_ics"),
        gov_url(government, "participation:event_process_ics", slug="pp-eventos"),
        gov_url(government, "participation:event_ics", slug=event.slug),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.content)
        entries = [component for component in calendar.walk("VEVENT")]
        assert [str(entry["summary"]) for entry in entries] == [event.title]
        entry = entries[0]
        assert entry.decoded("dtstart") == event.starts_at
        assert str(entry["uid"]) == f"{event.uid}@participacion.minga"
        assert "Casa comunal" in str(entry["location"])
    assert client.get(gov_url(government, "participation:event_process_ics", slug="no-existe")).status_code == 404


def test_office_event_form_keeps_values_and_saves(client, government, editor):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_event_create")
    with government_scope(government):
        services.ensure_types(government)
        kind = EventType.objects.get(key="cabildo-popular")
    data = {
        "title": XSS,
        "event_type": kind.pk,
        "purpose": "Debatir",
        "agenda": "1. Apertura\n2. Debate",
        "starts_at": "2030-03-01T10:00",
        "ends_at": "2030-03-01T09:00",
        "address": "",
    }
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200 and "&lt;script&gt;" in text and XSS not in text
    assert "1. Apertura" in text
    data.update(title="Cabildo", ends_at="2030-03-01T12:00", address="Parque central", is_published="on")
    assert client.post(url, data).status_code == 302
    with government_scope(government):
        saved = Event.objects.get(title="Cabildo")
    assert saved.agenda == ["Apertura", "Debate"]


def test_office_minutes_refuse_a_non_pdf_and_keep_the_text(client, government, editor):
    past = make_event(government, days=-1)
    login_verified(client, editor)
    url = gov_url(government, "participation:office_event_minutes", pk=past.pk)
    fake = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    response = client.post(url, {"minutes_text": "Texto del acta", "minutes_file": fake, "publish": "on"})
    text = response.content.decode()
    assert response.status_code == 200 and "no es un archivo PDF" in text
    assert "Texto del acta" in text
    with government_scope(government):
        assert not Event.objects.get(pk=past.pk).minutes_file


def test_office_registrations_csv_and_attendance(client, government, editor, event):
    with government_scope(government):
        registration = services.register_guest(event=event, name="=HYPERLINK(1)", email="x@example.org")
        services.confirm_guest(registration=registration)
    login_verified(client, editor)
    url = gov_url(government, "participation:office_event_registrations", pk=event.pk)
    csv_text = client.get(url + "?formato=csv").content.decode()
    assert "'=HYPERLINK(1)" in csv_text and "x@example.org" in csv_text
    client.post(url, {"asistio": [str(registration.pk)]})
    registration.refresh_from_db()
    assert registration.attended


def test_office_agreements(client, government, editor, event):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_event_agreements", pk=event.pk)
    response = client.post(url, {"text": "", "responsible": XSS, "status": "pending"})
    assert response.status_code == 200 and "&lt;script&gt;" in response.content.decode()
    client.post(url, {"text": "Publicar el informe", "responsible": "Planificación", "status": "in_progress"})
    with government_scope(government):
        assert Agreement.objects.filter(event=event).count() == 2


def _addresses(government, event):
    with government_scope(government):
        agreement = Agreement.objects.get(event=event)
        kind = EventType.objects.for_government(government).first()
        registration = services.register_guest(event=event, name="Ana", email="ana-matrix@example.org")
    return {
        "public": [
            gov_url(government, "participation:event_calendar"),
            gov_url(government, "participation:event_calendar_ics"),
            gov_url(government, "participation:event_process_ics", slug="pp-eventos"),
            gov_url(government, "participation:event_detail", slug=event.slug),
            gov_url(government, "participation:event_ics", slug=event.slug),
            gov_url(government, "participation:event_registration_cancel", token=registration.token),
        ],
        "viewer": [
            gov_url(government, "participation:office_events"),
            gov_url(government, "participation:office_event_registrations", pk=event.pk),
        ],
        "editor": [
            gov_url(government, "participation:office_event_create"),
            gov_url(government, "participation:office_event_edit", pk=event.pk),
            gov_url(government, "participation:office_event_minutes", pk=event.pk),
            gov_url(government, "participation:office_event_agreements", pk=event.pk),
            gov_url(government, "participation:office_event_agreement_edit", pk=event.pk, agreement_pk=agreement.pk),
            gov_url(government, "participation:office_event_types"),
            gov_url(government, "participation:office_event_type_edit", type_pk=kind.pk),
        ],
        "editor_posts": [
            gov_url(government, "participation:office_event_delete", pk=event.pk),
            gov_url(government, "participation:office_event_agreement_delete", pk=event.pk, agreement_pk=agreement.pk),
        ],
        # Citizens' addresses not in the matrix's shape: the POST forms and the e-mail link.
        "other": [
            gov_url(government, "participation:event_register", slug=event.slug),
            gov_url(government, "participation:event_cancel_mine", slug=event.slug),
            gov_url(government, "participation:event_registration_confirm", token="x"),
        ],
    }


def test_every_event_url_is_covered(government, event):
    covered = {url for urls_ in _addresses(government, event).values() for url in urls_}
    assert len(covered) == len(urls.urlpatterns)


def test_role_matrix(client, government, other_government, event):
    addresses = _addresses(government, event)
    addresses.pop("other")
    assert_role_matrix(client, government, other_government, "participation", other_module="works", **addresses)
    with government_scope(government):
        assert Event.objects.filter(pk=event.pk).exists()
        assert Agreement.objects.filter(event=event).exists()


def test_another_governments_event_is_404(client, government, other_government, event):
    addresses = _addresses(government, event)
    assert_foreign_government_404(client, other_government, addresses["public"][3:], government)
    login_verified(client, make_official(other_government, "editor", "participation"))
    for url in addresses["viewer"][1:] + addresses["editor"][1:5] + addresses["editor_posts"]:
        foreign = url.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/")
        assert client.post(foreign).status_code == 404, foreign


def test_agreement_link_kind_resolves_and_is_found(government, event):
    from minga.core.registry import resolve_links, search_links

    with government_scope(government):
        key = f"{event.slug}/1"
        found = resolve_links(government, "participation.agreement", [key, "nada/9"])
        assert list(found) == [key] and found[key].facts["status_key"] == "pending"
        assert [record.key for record in search_links(government, "participation.agreement", "Reparar")] == [key]


def test_past_event_page_shows_minutes_and_counts(client, government):
    past = make_event(government, days=-1)
    with government_scope(government):
        services.minutes_save(
            actor=None,
            government=government,
            event=past,
            minutes_text=f"## Acta\n\n{XSS}",
            publish=True,
            attendance={"attendance_total": 12, "attendance_women": 7, "attendance_men": 5, "attendance_other": None},
            now=timezone.now() + dt.timedelta(minutes=1),
        )
    text = client.get(gov_url(government, "participation:event_detail", slug=past.slug)).content.decode()
    assert 'id="attendance"' in text and ">12<" in text and XSS not in text


def test_demo_events_and_committees(government):
    import io

    from minga.participation import demo

    from ...committees.models import Committee

    now = timezone.now()
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        demo.seed(government, now=now, stdout=io.StringIO())  # twice: nothing more
        events = Event.objects.all()
        assert events.count() == 15
        assert events.filter(starts_at__lt=now, minutes_published_at__isnull=False, attendance_total__gt=0).exists()
        assert Agreement.objects.exists()
        assert len(set(events.values_list("event_type__key", flat=True))) == 7
        assert events.exclude(process=None).values("process").distinct().count() >= 2
        full = [e for e in events.filter(capacity__isnull=False, starts_at__gt=now) if services.places_left(e) == 0]
        assert full and Registration.objects.filter(event=full[0], status=Registration.Status.WAITING).exists()
        # The works module is not seeded here: only the committee on the participatory budget.
        assert Committee.objects.filter(object_kind="participation.process").count() == 1


def test_open_data_tables_of_events_and_committees(government, event):
    from minga.core.opendata import tables_for

    past = make_event(government, days=-3, title="Asamblea realizada")
    with government_scope(government):
        services.minutes_save(
            actor=None,
            government=government,
            event=past,
            minutes_text="Acta",
            publish=True,
            attendance={"attendance_total": 9, "attendance_women": 5, "attendance_men": 4, "attendance_other": None},
        )
        make_event(government, is_published=False, title="Borrador")
        found = {table.key: table for table in tables_for(government, "participation")}
        table = found["participation.events"]
        names = [column.name for column in table.columns]
        rows = {row[1]: dict(zip(names, row, strict=True)) for row in table.rows()}
        assert "participation.committees" in found
    assert set(rows) == {event.title, "Asamblea realizada"}
    assert rows["Asamblea realizada"]["asistentes"] == 9 and rows["Asamblea realizada"]["asistentes_mujeres"] == 5
    assert rows[event.title]["numero_acuerdos"] == 1 and "Reparar" in rows[event.title]["acuerdos"]
    assert "email" not in " ".join(names)


def test_event_page_does_not_say_place_under_where(client, government, event):
    """The "Lugar" heading sat over a "Lugar" label; the address now reads as the in-person venue,
    beside "En línea"."""
    page = client.get(gov_url(government, "participation:event_detail", slug=event.slug)).content.decode()
    section = page[page.index('id="convocatoria"') :]
    section = section[: section.index("</section>")]
    assert "<dt>Presencial</dt><dd>Casa comunal" in section
    assert section.count("Lugar") <= 1 and "<dt>Lugar</dt>" not in section


def test_office_event_form_names_the_empty_process_choice(client, government, editor):
    login_verified(client, editor)
    html = client.get(gov_url(government, "participation:office_event_create")).content.decode()
    assert '<option value="" selected>Ninguno (evento independiente)</option>' in html
    assert "---------" not in html
