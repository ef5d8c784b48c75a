"""The council's API in the Open Civic Data shape: bills with actions, versions and sponsors,
people with memberships, organizations, events with their agenda and vote events with counts;
public records of the government only, and answered as the OpenAPI document says."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import answered_as_documented, gov_url

from ..acts.models import Act
from ..members.models import Committee, Council, Person
from .test_opendata import make_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_records(seeded):
    with government_scope(seeded):
        convened, draft, event, hidden = make_sessions(seeded)
        return {"session": convened, "draft": draft, "vote": event, "hidden": hidden}


def _get(client, government, name, **kwargs):
    response = client.get(gov_url(government, f"council-api:{name}", **kwargs))
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_bills_are_the_public_acts_with_their_procedure(client, seeded, council_records):
    listing = _get(client, seeded, "bills")
    with government_scope(seeded):
        assert listing["count"] == Act.objects.filter(is_public=True).count()
        act = Act.objects.get(identifier="PO-2026-004")
    identifiers = [bill["identifier"] for bill in listing["results"]]
    assert council_records["hidden"].identifier not in identifiers
    bill = _get(client, seeded, "bill", uid=act.uid)
    assert bill["id"] == f"ocd-bill/{act.uid}" and bill["classification"] == ["ordinance"]
    assert bill["subject"] == ["Riego"] and bill["stage"] == "second_debate"
    assert [a["classification"][0] for a in bill["actions"]][:2] == ["presented", "qualified"]
    assert bill["versions"][0]["number"] == 1 and bill["versions"][0]["articles"] > 0
    assert bill["sponsorships"][0]["person_id"].startswith("ocd-person/") and bill["sponsorships"][0]["primary"]
    assert bill["url"].endswith(f"/concejo/actos/{act.slug}/")
    hidden = council_records["hidden"]
    assert client.get(gov_url(seeded, "council-api:bill", uid=hidden.uid)).status_code == 404


def test_people_and_organizations(client, seeded, council_records):
    with government_scope(seeded):
        person = Person.objects.get(name="Jorge Intriago Mera")
        council = Council.objects.get()
        committees = Committee.objects.count()
    found = _get(client, seeded, "person", uid=person.uid)
    assert found["id"] == person.ocd_id
    assert {seat["organization"]["id"] for seat in found["memberships"]} >= {council.ocd_id}
    orgs = _get(client, seeded, "organizations")
    assert orgs[0] == {
        "id": council.ocd_id,
        "name": council.name,
        "classification": "legislature",
        "parent_id": None,
        "active": True,
        "url": orgs[0]["url"],
    }
    assert len(orgs) == committees + 1 and {org["parent_id"] for org in orgs[1:]} == {council.ocd_id}
    assert _get(client, seeded, "people")["count"] >= 9


def test_events_and_vote_events_are_of_convened_sessions(client, seeded, council_records):
    session, draft, vote = council_records["session"], council_records["draft"], council_records["vote"]
    events = _get(client, seeded, "events")
    assert [event["id"] for event in events["results"]] == [session.ocd_id]
    event = _get(client, seeded, "event", uid=session.uid)
    assert [(item["order"], item["bill"] and item["bill"]["identifier"]) for item in event["agenda"]] == [
        (1, "PO-2026-004"),
        (2, None),
    ]
    assert event["agenda"][0]["vote_events"] == [vote.ocd_id]
    assert client.get(gov_url(seeded, "council-api:event", uid=draft.uid)).status_code == 404
    votes = _get(client, seeded, "vote_events")
    assert [found["id"] for found in votes["results"]] == [vote.ocd_id]
    found = _get(client, seeded, "vote_event", uid=vote.uid)
    assert {count["option"]: count["value"] for count in found["counts"]} == {
        "yes": 2,
        "no": 1,
        "abstain": 1,
        "blank": 0,
        "absent": 0,
    }
    assert len(found["votes"]) == 4 and found["bill"]["identifier"] == "PO-2026-004"
    assert found["event_id"] == session.ocd_id and found["empty_chair"] is None


def test_answers_match_the_openapi_document(seeded, council_records):
    with government_scope(seeded):
        act = Act.objects.get(identifier="PO-2026-004")
    paths = [
        ("/api/v1/concejo/actos/", {}),
        ("/api/v1/concejo/actos/{uid}/", {"uid": str(act.uid)}),
        ("/api/v1/concejo/miembros/", {}),
        ("/api/v1/concejo/organizaciones/", {}),
        ("/api/v1/concejo/sesiones/", {}),
        ("/api/v1/concejo/sesiones/{uid}/", {"uid": str(council_records["session"].uid)}),
        ("/api/v1/concejo/votaciones/", {}),
        ("/api/v1/concejo/votaciones/{uid}/", {"uid": str(council_records["vote"].uid)}),
    ]
    for path, parameters in paths:
        assert answered_as_documented(seeded, path, path_parameters=parameters).status_code == 200, path


def test_switched_off_module_answers_404(client, seeded, council_records):
    seeded.modules = {"council": {"enabled": False}}
    seeded.save()
    assert client.get(gov_url(seeded, "council-api:bills")).status_code == 404
