"""Who may open what: the role × URL matrix for every council address, and the tenancy rule:
government B answers 404 for every council record of government A (public pages and back
office), and B's lists do not show A's records."""

from __future__ import annotations

import datetime as dt

import pytest

from minga.core.comments.models import Comment
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
    make_verified_person,
)

from .. import urls
from ..acts.models import Act, Action, Document, Unit
from ..api import urls as api_urls
from ..debate.models import ArticleAnswer, ArticleComment, DebateSetting
from ..debate.text import article_ref
from ..members.models import Committee, CommitteeMembership, Membership, Person
from ..seat import services as seat_services
from ..seat.models import SeatRequest
from ..sessions.models import Session, SessionDocument, VoteEvent
from .seat_helpers import REQUEST, item_of, pdf, session_with_items, vote_event

pytestmark = pytest.mark.django_db


def seat_records(government) -> dict:
    """A convened session of the silla vacía tests, an item, a request and a vote event."""
    item = item_of(session_with_items(government, slug="sesion-silla-vacia"))
    with government_scope(government):
        seat = seat_services.request_submit(
            actor=make_verified_person(government), government=government, item=item, fields=REQUEST, document=pdf()
        )
    return {"chair_item": item, "chair": seat, "chair_event": vote_event(item)}


@pytest.fixture
def records(seeded):
    chair = seat_records(seeded)
    with government_scope(seeded):
        act = Act.objects.get(identifier="PO-2026-003")
        person = Person.objects.get(name="Jorge Intriago Mera")
        committee = Committee.objects.get(slug="comision-de-ambiente-y-recursos-hidricos")
        article = Unit.objects.filter(version__act=act, kind="article").order_by("-version__number", "position")[0]
        comment = Comment.objects.create(
            government=seeded,
            target_key="council.article",
            target_id=article.pk,
            author=make_official(seeded, "viewer", "works"),
            body="Un comentario.",
            created_at=act.created_at,
        )
        ArticleComment.objects.create(government=seeded, comment=comment, unit=article)
        session = Session.objects.get(status="held")
        return {
            "session": session,
            "item": session.items.first(),
            "event": VoteEvent.objects.filter(item__session=session).first(),
            "session_document": SessionDocument.objects.create(
                government=seeded, session=session, title="Convocatoria", file="council/sessions/x.pdf"
            ),
            "article": article,
            "comment": comment,
            "debate_counts": (DebateSetting.objects.count(), ArticleAnswer.objects.count()),
            "act": act,
            "person": person,
            "seat": Membership.objects.filter(person=person).first(),
            "committee": committee,
            "cmember": CommitteeMembership.objects.filter(committee=committee).first(),
            "action": Action.objects.filter(act=act).last(),
            "effect_session": Session.objects.create(
                government=seeded,
                council=act.council,
                slug="sesion-de-prueba",
                kind="ordinary",
                title="Sesión de prueba",
                starts_at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC),
                status="held",
            ),
            "document": Document.objects.create(
                government=seeded, act=act, title="Informe", dated=act.stage_date, file="council/documents/x.pdf"
            ),
            **chair,
        }


def api_addresses(government, r) -> list[str]:
    """The council's API (read-only, public): lists and one record of each kind."""
    return [
        gov_url(government, "council-api:bills"),
        gov_url(government, "council-api:bill", uid=r["act"].uid),
        gov_url(government, "council-api:people"),
        gov_url(government, "council-api:person", uid=r["person"].uid),
        gov_url(government, "council-api:organizations"),
        gov_url(government, "council-api:events"),
        gov_url(government, "council-api:event", uid=r["session"].uid),
        gov_url(government, "council-api:vote_events"),
        gov_url(government, "council-api:vote_event", uid=r["event"].uid),
    ]


def matrix_addresses(government, r) -> dict[str, list[str]]:
    act, person, committee = r["act"], r["person"], r["committee"]
    session, item = r["session"], r["item"]
    chair, chair_item = r["chair"], r["chair_item"]
    return {
        "public": [
            gov_url(government, "council:home"),
            gov_url(government, "council:member_detail", slug=person.slug),
            gov_url(government, "council:committee_detail", slug=committee.slug),
            gov_url(government, "council:act_list"),
            gov_url(government, "council:act_detail", slug=act.slug),
            gov_url(government, "council:act_diff", slug=act.slug),
            gov_url(government, "council:article", slug=act.slug, ref=article_ref(r["article"])),
            *api_addresses(government, r),
            gov_url(government, "council:effectiveness"),
            gov_url(government, "council:chair_registry"),
            gov_url(government, "council:chair_about"),
            gov_url(government, "council:session_list"),
            gov_url(government, "council:session_feed"),
            gov_url(government, "council:session_ics"),
            gov_url(government, "council:session_detail", slug=session.slug),
            gov_url(government, "council:member_votes", slug=person.slug),
        ],
        # Pages of a signed-in person (anonymous visitors are sent to sign in).
        "signed_in": [
            gov_url(government, "council:chair_request", session=item.session.slug, position=item.position),
            gov_url(government, "council:chair_mine"),
        ],
        "signed_in_posts": [gov_url(government, "council:chair_withdraw", pk=chair.pk)],
        "viewer": [
            gov_url(government, "council:office_home"),
            gov_url(government, "council:office_acts"),
            gov_url(government, "council:office_act", pk=act.pk),
            gov_url(government, "council:office_stages"),
            gov_url(government, "council:office_article_comments", pk=act.pk),
            gov_url(government, "council:office_article_comments_csv", pk=act.pk),
            gov_url(government, "council:office_effectiveness"),
            gov_url(government, "council:office_chair_list"),
            gov_url(government, "council:office_chair_request", pk=chair.pk),
            gov_url(government, "council:office_chair_document", pk=chair.pk),
            gov_url(government, "council:office_chair_item", item_pk=chair_item.pk),
            gov_url(government, "council:office_sessions"),
            gov_url(government, "council:office_session", pk=session.pk),
        ],
        "editor": [
            gov_url(government, "council:office_council_edit"),
            gov_url(government, "council:office_person_create"),
            gov_url(government, "council:office_person_edit", pk=person.pk),
            gov_url(government, "council:office_seats", pk=person.pk),
            gov_url(government, "council:office_seat_edit", pk=person.pk, seat_pk=r["seat"].pk),
            gov_url(government, "council:office_committee_create"),
            gov_url(government, "council:office_committee_edit", pk=committee.pk),
            gov_url(government, "council:office_committee_members", pk=committee.pk),
            gov_url(government, "council:office_committee_member_edit", pk=committee.pk, member_pk=r["cmember"].pk),
            gov_url(government, "council:office_act_create"),
            gov_url(government, "council:office_act_edit", pk=act.pk),
            gov_url(government, "council:office_version_add", pk=act.pk),
            gov_url(government, "council:office_act_delete", pk=act.pk),
            gov_url(government, "council:office_stage_edit", stage="committee_report"),
            gov_url(government, "council:office_chair_rules"),
            gov_url(government, "council:office_session_create"),
            gov_url(government, "council:office_session_edit", pk=session.pk),
            gov_url(government, "council:office_item_edit", pk=session.pk, item_pk=item.pk),
            gov_url(government, "council:office_item_outcome", pk=session.pk, item_pk=item.pk),
            gov_url(government, "council:office_attendance", pk=session.pk),
            gov_url(government, "council:office_vote_add", pk=session.pk),
            gov_url(government, "council:office_votes_import", pk=session.pk),
            gov_url(government, "council:office_minutes", pk=session.pk),
        ],
        # POST-only, or pages whose POST writes: refused roles' POSTs must change nothing.
        "editor_posts": [
            gov_url(government, "council:office_seat_delete", pk=person.pk, seat_pk=r["seat"].pk),
            gov_url(government, "council:office_committee_member_delete", pk=committee.pk, member_pk=r["cmember"].pk),
            gov_url(government, "council:office_action_add", pk=act.pk),
            gov_url(government, "council:office_action_delete", pk=act.pk, action_pk=r["action"].pk),
            gov_url(government, "council:office_document_add", pk=act.pk),
            gov_url(government, "council:office_document_delete", pk=act.pk, document_pk=r["document"].pk),
            gov_url(government, "council:office_stage_reset", stage="committee_report"),
            gov_url(government, "council:office_article_setting", pk=act.pk),
            gov_url(government, "council:office_article_answer", pk=act.pk, unit_pk=r["article"].pk),
            gov_url(government, "council:office_article_considered", pk=act.pk, comment_pk=r["comment"].pk),
            gov_url(government, "council:office_effectiveness_launch"),
            gov_url(government, "council:office_effectiveness_attendance", pk=r["effect_session"].pk),
            gov_url(government, "council:office_chair_decide", pk=chair.pk),
            gov_url(government, "council:office_chair_consensus", item_pk=chair_item.pk),
            gov_url(government, "council:office_chair_vote", event_pk=r["chair_event"].pk),
            gov_url(government, "council:office_session_status", pk=session.pk, action="cerrar"),
            gov_url(government, "council:office_item_add", pk=session.pk),
            gov_url(government, "council:office_item_move", pk=session.pk, item_pk=item.pk),
            gov_url(government, "council:office_item_delete", pk=session.pk, item_pk=item.pk),
            gov_url(government, "council:office_vote_delete", pk=session.pk, event_pk=r["event"].pk),
            gov_url(government, "council:office_session_document_add", pk=session.pk),
            gov_url(
                government,
                "council:office_session_document_delete",
                pk=session.pk,
                document_pk=r["session_document"].pk,
            ),
        ],
    }


def test_every_council_url_is_in_the_matrix(seeded, records):
    covered = {url for addresses in matrix_addresses(seeded, records).values() for url in addresses}
    assert len({url for url in covered if "/api/" not in url}) == len(urls.urlpatterns)
    assert len(covered - {url for url in covered if "/api/" not in url}) == len(api_urls.urlpatterns)


def test_role_matrix(client, seeded, other_government, records):
    addresses = matrix_addresses(seeded, records)
    signed_in, signed_in_posts = addresses.pop("signed_in"), addresses.pop("signed_in_posts")
    assert_role_matrix(client, seeded, other_government, "council", other_module="works", **addresses)
    # A signed-in person's pages: anonymous visitors are sent to sign in; any account opens them.
    for url in signed_in + signed_in_posts:
        assert client.get(url).status_code in (302, 405), url
    assert client.post(signed_in_posts[0]).status_code == 302
    login_verified(client, make_official(seeded, "editor", "council"))
    for url in signed_in:
        assert client.get(url).status_code == 200, url
    # Another person's request: 404, and it stays.
    assert client.post(signed_in_posts[0]).status_code == 404
    with government_scope(seeded):
        assert SeatRequest.objects.get(pk=records["chair"].pk).status == "submitted"
        assert VoteEvent.objects.get(pk=records["chair_event"].pk).empty_chair_option == ""
    with government_scope(seeded):
        assert Membership.objects.filter(pk=records["seat"].pk).exists()
        assert Action.objects.filter(pk=records["action"].pk).exists()
        assert Document.objects.filter(pk=records["document"].pk).exists()
        assert Act.objects.get(pk=records["act"].pk).stage == "approved"
        assert Session.objects.get(pk=records["effect_session"].pk).public_attendance is None
        assert not ArticleComment.objects.get(comment=records["comment"]).considered
        assert DebateSetting.objects.count() == records["debate_counts"][0]
        assert ArticleAnswer.objects.count() == records["debate_counts"][1]
        assert Act.objects.get(pk=records["act"].pk).council.launched_on is not None  # the demo's, unchanged
        assert Session.objects.get(pk=records["session"].pk).status == "held"
        assert VoteEvent.objects.filter(pk=records["event"].pk).exists()
        assert SessionDocument.objects.filter(pk=records["session_document"].pk).exists()


def test_foreign_government_gets_404_for_every_object(client, seeded, other_government, records):
    addresses = matrix_addresses(seeded, records)
    names = (records["act"].slug, records["person"].slug, records["committee"].slug, records["session"].slug)
    detail = [url for url in addresses["public"] if any(name in url for name in names)]
    detail.append(addresses["signed_in"][0])  # the request form of A's agenda item
    assert_foreign_government_404(client, other_government, detail, seeded)
    for name in ("council:home", "council:act_list", "council:chair_registry"):
        page = client.get(gov_url(other_government, name)).content.decode()
        assert records["act"].identifier not in page and records["person"].name not in page
        assert records["chair"].public_name not in page
    # The API: A's records by their uuid answer 404 in B, and B's lists do not name them.
    api = api_addresses(seeded, records)
    assert_foreign_government_404(client, other_government, [url for url in api if url.count("/") > 7], seeded)
    for url in api:
        body = client.get(url.replace(f"/g/{seeded.slug}/", f"/g/{other_government.slug}/", 1)).content.decode()
        assert str(records["act"].uid) not in body and records["person"].name not in body, url
    for name in ("council:home", "council:act_list", "council:session_list", "council:session_feed"):
        page = client.get(gov_url(other_government, name)).content.decode()
        assert records["act"].identifier not in page and records["person"].name not in page
        assert records["session"].slug not in page
    # B's administrator (every permission in B) still gets 404 for A's records in B's back office.
    login_verified(client, make_official(other_government, "admin"))
    # The back-office addresses of one of A's records (those with an id in them).
    office = [
        url for url in addresses["viewer"] + addresses["editor"] if any(c.isdigit() for c in url.split("/gestion/")[1])
    ]
    assert len(office) >= 10
    assert_foreign_government_404(client, other_government, office, seeded)
    for url in addresses["editor_posts"]:
        if "/etapas/" in url or url.endswith("/efectividad/lanzamiento/"):
            continue  # B's own procedure rules or launch date, not a record of A
        foreign = url.replace(f"/g/{seeded.slug}/", f"/g/{other_government.slug}/", 1)
        assert (
            client.post(foreign, {"stage": "sanctioned", "date": "2026-11-29", "confirm": "on"}).status_code == 404
        ), foreign
    # B's people cannot withdraw A's request through B's address either.
    foreign = addresses["signed_in_posts"][0].replace(f"/g/{seeded.slug}/", f"/g/{other_government.slug}/", 1)
    assert client.post(foreign).status_code == 404
    with government_scope(seeded):
        assert Act.objects.get(pk=records["act"].pk).stage == "approved"
        assert Action.objects.filter(pk=records["action"].pk).exists()
        assert DebateSetting.objects.count() == records["debate_counts"][0]
        assert ArticleAnswer.objects.count() == records["debate_counts"][1]
        assert SeatRequest.objects.get(pk=records["chair"].pk).status == "submitted"
        assert Session.objects.get(pk=records["session"].pk).status == "held"
        assert VoteEvent.objects.filter(pk=records["event"].pk).exists()


def test_switched_off_module_answers_404(client, seeded, records):
    seeded.modules = {"council": {"enabled": False}}
    seeded.save()
    addresses = matrix_addresses(seeded, records)
    for url in addresses["public"] + addresses["signed_in"]:
        assert client.get(url).status_code == 404, url
