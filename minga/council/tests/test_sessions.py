"""Sessions: the convocation respects the notice period, a vote is recorded once per member and
motion, only members on the day vote, a closed session's minutes are final, documents must be
PDFs; every refusal is audited and leaves nothing half-saved. And the demo's sessions agree
with the demo acts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope

from ..acts.models import Act
from ..members.models import Council, Membership, Person
from ..sessions import services
from ..sessions.models import AgendaItem, Session, SessionDocument, Vote, VoteEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def pdf(name="acta.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def audited(action: str) -> int:
    return AuditEntry.objects.filter(action=f"council.{action}").count()


def new_session(government, *, kind="ordinary", starts=NOW + dt.timedelta(days=3), act=None):
    session = services.session_save(
        actor=None,
        government=government,
        session=None,
        fields={"kind": kind, "title": "Sesión de prueba", "starts_at": starts, "place": "Salón"},
    )
    services.item_save(
        actor=None, government=government, session=session, item=None, fields={"title": "Punto único", "act": act}
    )
    return session


def principals(session):
    """The members on the day who sit in their own right (alternates vote only in their place)."""
    alternates = services.alternates_on(session)
    return [person for person in services.members_on(session) if person.pk not in alternates]


def held(government, **kwargs):
    session = new_session(government, starts=NOW - dt.timedelta(days=1), **kwargs)
    services.session_convene(actor=None, government=government, session=session, now=NOW - dt.timedelta(days=4))
    services.session_mark_held(actor=None, government=government, session=session, now=NOW)
    return session


def test_the_convocation_respects_the_notice_period(seeded):
    with government_scope(seeded):
        session = new_session(seeded, starts=NOW + dt.timedelta(hours=30))
        with pytest.raises(ValidationError) as refused:
            services.session_convene(actor=None, government=seeded, session=session, now=NOW)
        assert "48 horas" in str(refused.value)
        assert Session.objects.get(pk=session.pk).status == "draft"
        assert audited("session.convene_refused") == 1
        # An extraordinary session needs 24 hours; the council's setting is what counts.
        session.kind = "extraordinary"
        session.save()
        services.session_convene(actor=None, government=seeded, session=session, now=NOW)
        assert Session.objects.get(pk=session.pk).status == "convened"
        Council.objects.update(notice_ordinary_hours=12)
        other = new_session(seeded, starts=NOW + dt.timedelta(hours=13))
        other.council.refresh_from_db()
        services.session_convene(actor=None, government=seeded, session=other, now=NOW)


def test_a_session_without_agenda_is_not_convened(seeded):
    with government_scope(seeded):
        session = services.session_save(
            actor=None,
            government=seeded,
            session=None,
            fields={"kind": "ordinary", "title": "Sin orden del día", "starts_at": NOW + dt.timedelta(days=5)},
        )
        with pytest.raises(ValidationError, match="orden del día"):
            services.session_convene(actor=None, government=seeded, session=session, now=NOW)


def test_a_second_vote_of_a_member_or_of_the_motion_is_refused_and_audited(seeded):
    with government_scope(seeded):
        session = held(seeded)
        item = session.items.get()
        people = principals(session)
        with pytest.raises(ValidationError, match="dos votos"):
            services.vote_event_record(
                actor=None,
                government=seeded,
                item=item,
                motion="Aprobar",
                votes=[(people[0], "yes"), (people[0], "no"), (people[1], "yes")],
            )
        assert not VoteEvent.objects.filter(item=item).exists()
        assert audited("session.vote_refused") == 1
        event = services.vote_event_record(
            actor=None, government=seeded, item=item, motion="Aprobar", votes=[(p, "yes") for p in people]
        )
        assert event.result == "passed" and event.votes.count() == len(people)
        with pytest.raises(ValidationError, match="ya está registrada"):
            services.vote_event_record(
                actor=None, government=seeded, item=item, motion="aprobar", votes=[(p, "no") for p in people]
            )
        assert VoteEvent.objects.filter(item=item).count() == 1
        assert audited("session.vote_refused") == 2


def test_people_who_are_not_members_on_the_day_do_not_vote(seeded):
    with government_scope(seeded):
        session = held(seeded)
        former = Person.objects.get(name="Julio Bermello Ponce")  # his term ended before
        assert not Membership.objects.current(session.starts_at.date()).filter(person=former).exists()
        with pytest.raises(ValidationError, match="Julio Bermello Ponce"):
            services.vote_event_record(
                actor=None, government=seeded, item=session.items.get(), motion="Aprobar", votes=[(former, "yes")]
            )
        assert not VoteEvent.objects.filter(item__session=session).exists()
        with pytest.raises(ValidationError):
            services.attendance_record(
                actor=None, government=seeded, session=session, entries={former: ("present", "")}
            )
        assert audited("session.attendance_refused") == 1


def test_an_alternate_and_their_principal_do_not_both_vote(seeded):
    with government_scope(seeded):
        session = held(seeded)
        alternate = Person.objects.get(name="Mario Delgado Zambrano")
        principal = Person.objects.get(name="Patricia Mendoza Alcívar")
        with pytest.raises(ValidationError, match="solo uno de los dos vota"):
            services.vote_event_record(
                actor=None,
                government=seeded,
                item=session.items.get(),
                motion="Aprobar",
                votes=[(alternate, "yes"), (principal, "no")],
            )
        event = services.vote_event_record(
            actor=None,
            government=seeded,
            item=session.items.get(),
            motion="Aprobar",
            votes=[(alternate, "yes"), (principal, "absent")],
        )
        assert event.votes.count() == 2


def test_the_result_is_counted_from_the_members_present():
    assert services.result_of(["yes", "yes", "no", "absent", "absent"]) == "passed"
    assert services.result_of(["yes", "no", "abstain", "absent"]) == "failed"
    assert services.result_of(["absent"]) == "failed"


def test_a_closed_session_keeps_its_minutes(seeded):
    with government_scope(seeded):
        session = held(seeded)
        services.minutes_save(actor=None, government=seeded, session=session, summary="Resumen", upload=pdf())
        first = Session.objects.get(pk=session.pk).minutes.name
        services.session_close(actor=None, government=seeded, session=session)
        with pytest.raises(ValidationError, match="cerrada"):
            services.minutes_save(actor=None, government=seeded, session=session, summary="Otro", upload=pdf())
        session.refresh_from_db()
        assert session.minutes.name == first and session.minutes_summary == "Resumen"
        assert audited("session.minutes_refused") == 1
        with pytest.raises(ValidationError):
            services.vote_event_record(
                actor=None,
                government=seeded,
                item=session.items.get(),
                motion="Tarde",
                votes=[(services.members_on(session)[0], "yes")],
            )


def test_documents_that_are_not_pdfs_are_refused_and_audited(seeded):
    with government_scope(seeded):
        session = new_session(seeded)
        fake = SimpleUploadedFile("informe.pdf", b"<html>no</html>", content_type="application/pdf")
        with pytest.raises(ValidationError, match="no es un archivo PDF"):
            services.document_add(
                actor=None, government=seeded, session=session, kind="support", title="X", upload=fake
            )
        assert not SessionDocument.objects.filter(session=session).exists()
        assert audited("session.document_refused") == 1
        services.document_add(actor=None, government=seeded, session=session, kind="support", title="X", upload=pdf())
        assert SessionDocument.objects.filter(session=session).count() == 1


def test_agenda_items_are_reordered_and_renumbered(seeded):
    with government_scope(seeded):
        session = new_session(seeded)
        for title in ("Segundo", "Tercero"):
            services.item_save(actor=None, government=seeded, session=session, item=None, fields={"title": title})
        third = AgendaItem.objects.get(session=session, title="Tercero")
        services.item_move(actor=None, government=seeded, item=third, step=-1)
        assert list(session.items.order_by("position").values_list("title", flat=True)) == [
            "Punto único",
            "Tercero",
            "Segundo",
        ]
        services.item_delete(actor=None, government=seeded, item=session.items.get(title="Punto único"))
        assert list(session.items.order_by("position").values_list("position", "title")) == [
            (1, "Tercero"),
            (2, "Segundo"),
        ]


def test_a_vote_does_not_change_the_acts_stage(seeded):
    with government_scope(seeded):
        act = Act.objects.get(identifier="PO-2026-005")
        stage = act.stage
        session = held(seeded, act=act)
        services.vote_event_record(
            actor=None,
            government=seeded,
            item=session.items.get(),
            motion="Aprobar en segundo debate",
            votes=[(p, "yes") for p in principals(session)],
        )
        assert Act.objects.get(pk=act.pk).stage == stage
        assert VoteEvent.objects.get(item__session=session).act == act


def test_the_demo_sessions_follow_the_acts(seeded):
    with government_scope(seeded):
        sessions = Session.objects.all()
        assert sessions.count() >= 12
        assert set(sessions.values_list("kind", flat=True)) == {"ordinary", "extraordinary", "committee"}
        assert sessions.filter(status="convened", starts_at__gt=NOW).count() == 2
        assert sessions.filter(status="closed").exists() and sessions.filter(status="held").count() == 1
        # Every act in first debate or beyond had a first-debate vote.
        for act in Act.objects.filter(actions__stage="first_debate"):
            assert VoteEvent.objects.filter(act=act, item__session__starts_at__date__lte=NOW.date()).exists(), act
        rejected = Act.objects.get(identifier="PO-2026-008")
        assert VoteEvent.objects.filter(act=rejected, result="failed").exists()
        assert Vote.objects.count() > 100
