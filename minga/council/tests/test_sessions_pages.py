"""Pages of sessions: the list, a session's votes member by member, a member's voting record
(counted, filtered by year, a few queries whatever its length), an act's sessions and votes,
the feeds; and the import of votes from the secretariat's CSV through the back office: all or
nothing, every bad row explained, the same votes never imported twice."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..acts.models import Act
from ..members.models import Person
from ..sessions import imports, services
from ..sessions.models import Session, Vote, VoteEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def fresh(seeded):
    """A held session with two items and no votes yet."""
    with government_scope(seeded):
        session = services.session_save(
            actor=None,
            government=seeded,
            session=None,
            fields={"kind": "ordinary", "title": "Sesión ordinaria de prueba", "starts_at": NOW - dt.timedelta(days=1)},
        )
        act = Act.objects.get(identifier="PO-2026-005")
        for title, item_act in (("Segundo debate", act), ("Varios", None)):
            services.item_save(
                actor=None, government=seeded, session=session, item=None, fields={"title": title, "act": item_act}
            )
        services.session_convene(actor=None, government=seeded, session=session, now=NOW - dt.timedelta(days=5))
        services.session_mark_held(actor=None, government=seeded, session=session, now=NOW)
        return session


def csv_for(session, *, sep=";", bom=False, rows=None) -> bytes:
    people = services.members_on(session)
    lines = [sep.join(("punto", "mocion", "miembro", "voto"))]
    words = ["Sí", "si", "A favor", "No", "Abstención", "Blanco", "Ausente", "en contra", "SÍ", "sí"]
    for index, person in enumerate(people):
        lines.append(sep.join(("1", "Aprobar en segundo debate", person.name, words[index % len(words)])))
    lines += rows or []
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def test_the_csv_import_records_every_vote(seeded, fresh):
    with government_scope(seeded):
        outcome = imports.import_votes(actor=None, government=seeded, session=fresh, data=csv_for(fresh, bom=True))
        assert not outcome.errors
        event = VoteEvent.objects.get(item__session=fresh)
        assert event.motion == "Aprobar en segundo debate" and event.act.identifier == "PO-2026-005"
        people = services.members_on(fresh)
        assert event.votes.count() == len(people)
        assert event.votes.get(person=people[0]).option == "yes"
        assert event.votes.get(person=people[3]).option == "no"
        assert event.votes.get(person=people[4]).option == "abstain"
        assert AuditEntry.objects.filter(action="council.session.votes_imported").count() == 1


def test_comma_separated_files_and_slugs_are_read(seeded, fresh):
    with government_scope(seeded):
        person = services.members_on(fresh)[0]
        data = f"punto,mocion,miembro,voto,resultado\n2,Archivar,{person.slug},Sí,Aprobada\n".encode()
        outcome = imports.import_votes(actor=None, government=seeded, session=fresh, data=data)
        assert not outcome.errors
        assert VoteEvent.objects.get(item__position=2, item__session=fresh).result == "passed"


def test_a_file_with_a_bad_row_saves_nothing_and_says_why(seeded, fresh):
    with government_scope(seeded):
        people = services.members_on(fresh)
        bad = [
            "9;Aprobar;Leonor Cedeño Vera;Sí",
            "1;Aprobar en segundo debate;Nadie Conocido;Sí",
            "1;Aprobar en segundo debate;Julio Bermello Ponce;Sí",
            f"2;Otra moción;{people[0].name};Quizás",
            f"1;Aprobar en segundo debate;{people[0].name};No",
        ]
        outcome = imports.import_votes(actor=None, government=seeded, session=fresh, data=csv_for(fresh, rows=bad))
        reasons = {error.line: error.reason for error in outcome.errors}
        first = len(people) + 2
        assert "no hay un punto «9»" in reasons[first]
        assert "«Nadie Conocido» no es miembro" in reasons[first + 1]
        assert "«Julio Bermello Ponce» no es miembro" in reasons[first + 2]
        assert "«Quizás»" in reasons[first + 3]
        assert "ya votó esta moción en la línea 2" in reasons[first + 4]
        assert (
            not VoteEvent.objects.filter(item__session=fresh).exists()
            and not Vote.objects.filter(event__item__session=fresh).exists()
        )
        assert AuditEntry.objects.filter(action="council.session.votes_import_refused").count() == 1


def test_the_same_votes_are_not_imported_twice(seeded, fresh):
    with government_scope(seeded):
        data = csv_for(fresh, sep=",")
        assert not imports.import_votes(actor=None, government=seeded, session=fresh, data=data).errors
        again = imports.import_votes(actor=None, government=seeded, session=fresh, data=data)
        assert again.errors and "ya está registrada" in again.errors[0].reason
        assert VoteEvent.objects.filter(item__session=fresh).count() == 1


def test_the_import_page_lists_the_bad_rows(client, seeded, fresh, editor):
    login_verified(client, editor)
    url = gov_url(seeded, "council:office_votes_import", pk=fresh.pk)
    upload = SimpleUploadedFile("votos.csv", csv_for(fresh, rows=["1;Aprobar en segundo debate;Nadie;Sí"]))
    response = client.post(url, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "No se guardó nada" in page and "«Nadie» no es miembro" in page
    response = client.post(url, {"file": SimpleUploadedFile("votos.csv", csv_for(fresh))})
    assert response.status_code == 302
    with government_scope(seeded):
        assert VoteEvent.objects.filter(item__session=fresh).count() == 1
    # The bytes of something else are refused with the reason.
    response = client.post(url, {"file": SimpleUploadedFile("votos.csv", b"\xff\xfe\x00garbage")})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()


def test_the_vote_form_records_one_vote_per_member(client, seeded, fresh, editor):
    login_verified(client, editor)
    with government_scope(seeded):
        people = services.members_on(fresh)
        item = fresh.items.get(position=1)
    data = {"item": item.pk, "motion": "Aprobar en segundo debate", "result": "", "empty_chair_option": "yes"}
    data.update({f"p{person.pk}": "yes" for person in people})
    with government_scope(seeded):
        alternates = services.alternates_on(fresh)
    data.update({f"p{pk}": "" for pk in alternates})  # the alternate did not sit
    data["empty_chair_name"] = "María Ciudadana"
    response = client.post(gov_url(seeded, "council:office_vote_add", pk=fresh.pk), data)
    assert response.status_code == 302
    response = client.post(gov_url(seeded, "council:office_vote_add", pk=fresh.pk), data)
    assert response.status_code == 200 and "no se registran dos veces" in response.content.decode()
    with government_scope(seeded):
        event = VoteEvent.objects.get(item=item)
        assert event.votes.count() == len(people) - len(alternates) and event.empty_chair_option == "yes"
    page = client.get(gov_url(seeded, "council:session_detail", slug=fresh.slug)).content.decode()
    assert "María Ciudadana" in page and "Silla vacía" in page


def test_the_attendance_form_leaves_alternates_out_unless_they_stand_in(client, seeded, fresh, editor):
    login_verified(client, editor)
    url = gov_url(seeded, "council:office_attendance", pk=fresh.pk)
    with government_scope(seeded):
        alternate = Person.objects.get(name="Mario Delgado Zambrano")
        principal = Person.objects.get(name="Patricia Mendoza Alcívar")
        people = services.members_on(fresh)
        assert services.alternates_on(fresh) == {alternate.pk}
    page = client.get(url).content.decode()
    assert "elija solo si reemplazó al principal" in page
    data = {f"p{person.pk}": "present" for person in people}
    data[f"p{alternate.pk}"] = ""
    assert client.post(url, data).status_code == 302
    with government_scope(seeded):
        assert not fresh.attendance.filter(person=alternate).exists()
    data[f"p{alternate.pk}"], data[f"p{principal.pk}"] = "present", "replaced"
    assert client.post(url, data).status_code == 302
    with government_scope(seeded):
        rows = dict(fresh.attendance.values_list("person__name", "status"))
        assert rows["Mario Delgado Zambrano"] == "present" and rows["Patricia Mendoza Alcívar"] == "replaced"
        assert len(rows) == len(people)
        assert AuditEntry.objects.filter(action="council.session.attendance_recorded").count() >= 2


def test_minutes_of_a_closed_session_are_refused_on_the_page(client, seeded, fresh, editor):
    login_verified(client, editor)
    with government_scope(seeded):
        services.session_close(actor=None, government=seeded, session=fresh)
    pdf = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(gov_url(seeded, "council:office_minutes", pk=fresh.pk), {"file": pdf, "summary": "x"})
    assert response.status_code == 400 and "cerrada" in response.content.decode()
    with government_scope(seeded):
        assert not Session.objects.get(pk=fresh.pk).minutes


def test_the_session_page_shows_each_members_vote(client, seeded):
    with government_scope(seeded):
        event = VoteEvent.objects.filter(result="failed").select_related("item__session").first()
        session = event.item.session
        no = Vote.objects.filter(event=event, option="no").select_related("person").first()
    page = client.get(gov_url(seeded, "council:session_detail", slug=session.slug)).content.decode()
    assert event.motion in page and "Negada" in page and no.person.name in page
    assert "Cómo votó cada miembro" in page and "Asistencia" in page
    listing = client.get(gov_url(seeded, "council:session_list")).content.decode()
    assert "Próximas sesiones" in listing and session.title in listing
    draft = client.get(gov_url(seeded, "council:session_list") + "?tipo=committee").content.decode()
    assert "Sesión ordinaria n.º" not in draft


def test_a_draft_session_is_not_public(client, seeded):
    with government_scope(seeded):
        session = services.session_save(
            actor=None,
            government=seeded,
            session=None,
            fields={"kind": "ordinary", "title": "Borrador secreto", "starts_at": NOW + dt.timedelta(days=9)},
        )
    assert client.get(gov_url(seeded, "council:session_detail", slug=session.slug)).status_code == 404
    assert "Borrador secreto" not in client.get(gov_url(seeded, "council:session_list")).content.decode()


def test_a_members_voting_record_is_counted_in_a_few_queries(client, seeded):
    with government_scope(seeded):
        person = Person.objects.get(name="Jorge Intriago Mera")
        votes = Vote.objects.filter(person=person)
        expected = {option: votes.filter(option=option).count() for option in ("yes", "no", "abstain")}
        total = votes.count()
    url = gov_url(seeded, "council:member_votes", slug=person.slug)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert len(queries) < 20, [q["sql"][:120] for q in queries]
    assert f"A favor: <strong>{expected['yes']}</strong>" in page
    assert f"En contra: <strong>{expected['no']}</strong>" in page
    assert f"Total: <strong>{total}</strong>" in page
    assert page.count("<tr>") == total + 1
    empty = client.get(url + "?anio=2001").content.decode()
    assert "Total: <strong>0</strong>" in empty
    member = client.get(gov_url(seeded, "council:member_detail", slug=person.slug)).content.decode()
    assert "Asistencia a sesiones: presente en" in member and "/votaciones/" in member


def test_the_act_page_shows_its_sessions_and_votes(client, seeded):
    with government_scope(seeded):
        act = Act.objects.get(identifier="PO-2026-003")
        events = list(VoteEvent.objects.filter(act=act))
    page = client.get(gov_url(seeded, "council:act_detail", slug=act.slug)).content.decode()
    assert "Votaciones sobre este acto" in page
    for event in events:
        assert event.motion in page


def test_the_feeds_parse(client, seeded):
    atom = client.get(gov_url(seeded, "council:session_feed"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    with government_scope(seeded):
        published = Session.objects.exclude(status="draft").count()
    assert len(entries) == published
    ics = client.get(gov_url(seeded, "council:session_ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == published and all(event.get("dtstart") for event in events)
