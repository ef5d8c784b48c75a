"""Following the council (an act, a committee, a member, a subject) and its notices: a step of
an act tells the followers of the act, its committee, its sponsors and its subjects once each,
and an act put on a convened session's agenda tells them too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minga.core.notifications import services as notifications
from minga.core.notifications.models import Follow, Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified

from ..acts import services as act_services
from ..acts.models import Act, Sponsorship, Subject
from ..follows import notices
from ..members.models import Committee, Council, Person
from ..sessions.models import AgendaItem, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seeded):
    """The demo council without the demo's followers: these tests count their own."""
    with government_scope(seeded):
        Follow.objects.filter(government=seeded, kind__startswith="council.").delete()
    return seeded


def _act(identifier="PO-2026-005") -> Act:
    return Act.objects.select_related("committee").get(identifier=identifier)


def _follow(government, user, target):
    assert notifications.follow(user=user, government=government, target=target)


def _notices(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


def test_pages_offer_the_follow_button(client, seeded):
    with government_scope(seeded):
        act = _act()
        committee, person = act.committee, Sponsorship.objects.filter(act=act).first().person
        subject = act.subjects.first()
    pages = {
        gov_url(seeded, "council:act_detail", slug=act.slug): ("council.act", act.pk),
        gov_url(seeded, "council:committee_detail", slug=committee.slug): ("council.committee", committee.pk),
        gov_url(seeded, "council:member_detail", slug=person.slug): ("council.person", person.pk),
        gov_url(seeded, "council:act_list") + f"?tema={subject.slug}": ("council.subject", subject.pk),
    }
    for url, (kind, pk) in pages.items():
        page = client.get(url).content.decode()
        assert gov_url(seeded, "core:follow", kind=kind, pk=pk) in page, url
    # The plain list follows no subject.
    assert "council.subject" not in client.get(gov_url(seeded, "council:act_list")).content.decode()


def test_follow_and_unfollow_through_the_follow_page(client, seeded):
    user = UserFactory()
    login_verified(client, user)
    with government_scope(seeded):
        act = _act()
        targets = {
            "council.act": act,
            "council.committee": act.committee,
            "council.person": Sponsorship.objects.filter(act=act).first().person,
            "council.subject": act.subjects.first(),
        }
    for kind, target in targets.items():
        url = gov_url(seeded, "core:follow", kind=kind, pk=target.pk)
        assert client.get(url).status_code == 200
        assert client.post(url, {"seguir": "1"}).status_code == 302
        with government_scope(seeded):
            assert Follow.objects.filter(user=user, kind=kind, object_id=target.pk).exists(), kind
        client.post(url, {"seguir": "0"})
        with government_scope(seeded):
            assert not Follow.objects.filter(user=user, kind=kind, object_id=target.pk).exists(), kind


def test_non_public_records_cannot_be_followed(client, seeded):
    login_verified(client, UserFactory())
    with government_scope(seeded):
        act = _act()
        Act.objects.filter(pk=act.pk).update(is_public=False)
        lonely = Subject.objects.create(government=seeded, slug="sin-actos", name="Sin actos")
    for kind, pk in (("council.act", act.pk), ("council.subject", lonely.pk)):
        url = gov_url(seeded, "core:follow", kind=kind, pk=pk)
        assert client.get(url).status_code == 404
        assert client.post(url, {"seguir": "1"}).status_code == 404
    with government_scope(seeded):
        assert not Follow.objects.exists()


def test_foreign_government_cannot_follow_records_of_another(client, seeded, other_government):
    login_verified(client, UserFactory())
    with government_scope(seeded):
        act = _act()
    url = gov_url(other_government, "core:follow", kind="council.act", pk=act.pk)
    assert client.post(url, {"seguir": "1"}).status_code == 404


def test_a_step_tells_each_follower_once(seeded, today, django_capture_on_commit_callbacks):
    act_follower, other, official = UserFactory(), UserFactory(), UserFactory()
    many = UserFactory(preferred_language="es")
    with government_scope(seeded):
        act = _act()
        sponsor = Sponsorship.objects.filter(act=act).first().person
        _follow(seeded, act_follower, act)
        for target in (act.committee, sponsor, act.subjects.first(), act):
            _follow(seeded, many, target)
        _follow(seeded, other, _act("PO-2026-006"))
        _follow(seeded, official, act)
        with django_capture_on_commit_callbacks(execute=True):
            act_services.action_record(
                actor=official, government=seeded, act=act, stage="second_debate", date=today, today=today
            )
        assert len(_notices(act_follower)) == 1
        assert len(_notices(many)) == 1
        assert _notices(other) == [] and _notices(official) == []
        notice = _notices(many)[0]
        assert notice.title == "El proyecto PO-2026-005 pasó a «Segundo debate»"
        assert notice.kind == "council.act" and notice.object_id == act.pk
        assert notice.path == f"/concejo/actos/{act.slug}/"
        assert act.title in notice.summary


def test_committee_follower_is_told_of_a_resolution_in_english(seeded, today, django_capture_on_commit_callbacks):
    follower = UserFactory(preferred_language="en")
    with government_scope(seeded):
        act = _act()
        _follow(seeded, follower, act.committee)
        Act.objects.filter(pk=act.pk).update(kind="resolution")
        act.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            act_services.action_record(
                actor=None, government=seeded, act=act, stage="second_debate", date=today, today=today
            )
        assert [n.title for n in _notices(follower)] == ["Resolution PO-2026-005 moved to “Second debate”"]


def test_refused_step_and_non_public_act_tell_nobody(seeded, today, django_capture_on_commit_callbacks):
    follower = UserFactory()
    with government_scope(seeded):
        act = _act()
        _follow(seeded, follower, act.committee)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(act_services.StageRefused):
            act_services.action_record(
                actor=None, government=seeded, act=act, stage="approved", date=today, today=today
            )
        Act.objects.filter(pk=act.pk).update(is_public=False)
        act.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            act_services.action_record(
                actor=None, government=seeded, act=act, stage="second_debate", date=today, today=today
            )
        assert _notices(follower) == []


def _session(government, status=Session.Status.CONVENED) -> Session:
    return Session.objects.create(
        government=government,
        council=Council.objects.get(),
        slug=f"sesion-{status}",
        kind=Session.Kind.ORDINARY,
        title="Sesión ordinaria n.º 12",
        starts_at=timezone.make_aware(dt.datetime(2026, 12, 3, 9, 0)),
        place="Salón del Consejo",
        status=status,
    )


def test_act_on_agenda_tells_the_followers(seeded, django_capture_on_commit_callbacks):
    subject_follower = UserFactory(preferred_language="es")
    member_follower = UserFactory(preferred_language="es")
    with government_scope(seeded):
        act = _act()
        _follow(seeded, subject_follower, act.subjects.first())
        _follow(seeded, member_follower, Sponsorship.objects.filter(act=act).first().person)
        _follow(seeded, member_follower, act.committee)
        item = AgendaItem.objects.create(government=seeded, session=_session(seeded), position=1, title="x", act=act)
        with django_capture_on_commit_callbacks(execute=True):
            assert notices.act_on_agenda(government=seeded, item=item)
        for user in (subject_follower, member_follower):
            [notice] = _notices(user)
            assert notice.title == "El proyecto PO-2026-005 está en el orden del día de «Sesión ordinaria n.º 12»"
            assert "Salón del Consejo" in notice.summary and "Punto 1" in notice.summary
            assert notice.event == notices.AGENDA_EVENT


def test_act_on_agenda_skips_drafts_items_without_acts_and_hidden_acts(seeded, django_capture_on_commit_callbacks):
    follower = UserFactory()
    with government_scope(seeded):
        act = _act()
        _follow(seeded, follower, act)
        draft = _session(seeded, Session.Status.DRAFT)
        convened = _session(seeded)
        items = [
            AgendaItem.objects.create(government=seeded, session=draft, position=1, title="x", act=act),
            AgendaItem.objects.create(government=seeded, session=convened, position=1, title="Varios"),
        ]
        Act.objects.filter(identifier="PO-2026-006").update(is_public=False)
        hidden = _act("PO-2026-006")
        items.append(AgendaItem.objects.create(government=seeded, session=convened, position=2, title="y", act=hidden))
        with django_capture_on_commit_callbacks(execute=True):
            assert not any(notices.act_on_agenda(government=seeded, item=item) for item in items)
        assert _notices(follower) == []


def test_followers_of_other_records_are_not_told(seeded):
    with government_scope(seeded):
        act = _act()
        elsewhere = Committee.objects.exclude(pk=act.committee_id).first()
        outsider = UserFactory()
        _follow(seeded, outsider, elsewhere)
        _follow(seeded, outsider, Person.objects.exclude(sponsorships__act=act).first())
        assert outsider.pk not in notices.followers(seeded, act)


def test_deleting_an_act_forgets_its_follows(seeded):
    user = UserFactory()
    with government_scope(seeded):
        act = _act()
        _follow(seeded, user, act)
        act_services.act_delete(actor=None, government=seeded, act=act)
        assert not Follow.objects.filter(kind="council.act", object_id=act.pk).exists()


def test_a_follower_who_switched_off_those_notices_is_not_told(seeded):
    from minga.core.notifications.models import NotificationPreference

    quiet, partly = UserFactory(), UserFactory()
    with government_scope(seeded):
        act = _act()
        _follow(seeded, quiet, act.committee)
        _follow(seeded, partly, act.committee)
        _follow(seeded, partly, act.subjects.first())
        for user in (quiet, partly):
            NotificationPreference.objects.create(
                user=user, kind="council.committee", delivery="off", updated_at=timezone.now()
            )
        assert notices.followers(seeded, act) == [partly.pk]
