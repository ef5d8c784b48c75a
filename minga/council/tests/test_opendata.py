"""The council's open-data tables: every column filled in every row, public records only
(hidden acts and draft sessions never), one government's records only, the vote counts, and
the catalog told after each audited write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minga.core import opendata as core_opendata
from minga.core.search.models import SearchDocument
from minga.core.search.selectors import search as global_search
from minga.core.tenancy.scoping import government_scope

from ..acts import services as act_services
from ..acts.models import Act
from ..members import services as member_services
from ..members.models import Council, Person
from ..sessions.models import AgendaItem, Session, Vote, VoteEvent
from .conftest import strip_demo_activity

pytestmark = pytest.mark.django_db

KEYS = ["acts", "actions", "versions", "members", "sessions", "agenda", "vote_events", "votes"]


def make_sessions(government):
    """A convened session with two items (a public act with a vote, a hidden act) and a draft."""
    strip_demo_activity(government)
    council = Council.objects.get()
    starts = timezone.make_aware(dt.datetime(2026, 12, 3, 9, 0))
    convened = Session.objects.create(
        government=government,
        council=council,
        slug="sesion-12",
        kind="ordinary",
        number="012-2026",
        title="Sesión ordinaria n.º 12",
        starts_at=starts,
        place="Salón",
        status="convened",
    )
    draft = Session.objects.create(
        government=government, council=council, slug="borrador", kind="ordinary", title="Borrador", starts_at=starts
    )
    act = Act.objects.get(identifier="PO-2026-004")
    hidden = Act.objects.get(identifier="PO-2026-006")
    Act.objects.filter(pk=hidden.pk).update(is_public=False)
    item = AgendaItem.objects.create(government=government, session=convened, position=1, title="Riego", act=act)
    AgendaItem.objects.create(government=government, session=convened, position=2, title="Manglares", act=hidden)
    draft_item = AgendaItem.objects.create(government=government, session=draft, position=1, title="Secreto", act=act)
    event = VoteEvent.objects.create(
        government=government, item=item, motion="Aprobar en segundo debate", result="passed", act=act
    )
    VoteEvent.objects.create(government=government, item=draft_item, motion="Secreta", result="failed")
    people = list(Person.objects.order_by("pk")[:4])
    for person, option in zip(people, ["yes", "yes", "no", "abstain"], strict=True):
        Vote.objects.create(government=government, event=event, person=person, option=option)
    return convened, draft, event, hidden


def _tables(government):
    return {table.key.removeprefix("council."): table for table in core_opendata.tables_for(government, "council")}


def test_every_table_has_its_columns_in_every_row(seeded):
    with government_scope(seeded):
        make_sessions(seeded)
        tables = {key: table for key, table in _tables(seeded).items() if key in KEYS}
        assert list(tables) == KEYS
        for key, table in tables.items():
            rows = list(table.rows())
            assert rows, key
            assert all(len(row) == len(table.columns) for row in rows), key
            assert all(column.type in core_opendata.COLUMN_TYPES for column in table.columns)
            assert table.title.endswith("Manabí")


def test_rows_are_the_public_records_in_ocd_terms(seeded):
    with government_scope(seeded):
        convened, draft, event, hidden = make_sessions(seeded)
        tables = _tables(seeded)
        rows = {key: list(table.rows()) for key, table in tables.items()}
        names = {key: [column.name for column in table.columns] for key, table in tables.items()}
        acts = [dict(zip(names["acts"], row, strict=True)) for row in rows["acts"]]
        by_number = {act["numero"]: act for act in acts}
        assert hidden.identifier not in by_number
        assert len(acts) == Act.objects.filter(is_public=True).count()
        act = by_number["PO-2026-004"]
        assert act["id"].startswith("ocd-bill/") and act["clasificacion"] == "ordinance"
        assert act["temas"] == "Riego" and act["etapa"] == "second_debate"
        assert act["proponentes_id"].startswith("ocd-person/")
        assert all(row[0] != hidden.ocd_id for key in ("actions", "versions") for row in rows[key])
        versions = [dict(zip(names["versions"], row, strict=True)) for row in rows["versions"]]
        assert all(v["unidades"] >= v["articulos"] > 0 for v in versions)
        assert [row[0] for row in rows["sessions"]] == [convened.ocd_id]
        agenda = [dict(zip(names["agenda"], row, strict=True)) for row in rows["agenda"]]
        assert [(a["punto"], a["numero_acto"]) for a in agenda] == [(1, "PO-2026-004"), (2, "")]
        [vote_event] = [dict(zip(names["vote_events"], row, strict=True)) for row in rows["vote_events"]]
        assert vote_event["id"] == event.ocd_id and vote_event["resultado"] == "passed"
        assert (vote_event["votos_si"], vote_event["votos_no"], vote_event["votos_abstencion"]) == (2, 1, 1)
        assert len(rows["votes"]) == 4 and {row[0] for row in rows["votes"]} == {event.ocd_id}
        members = [dict(zip(names["members"], row, strict=True)) for row in rows["members"]]
        assert {m["organizacion_id"].split("/")[0] for m in members} == {"ocd-organization"}
        assert any(m["organizacion"].startswith("Comisión") for m in members)
        assert draft.title not in str(rows)


def test_another_governments_records_never_appear(seeded, other_government):
    with government_scope(other_government):
        council = Council.objects.create(government=other_government, name="Consejo del Azuay", kind="provincial")
        Act.objects.create(
            government=other_government, council=council, slug="az-1", identifier="AZ-1", kind="ordinance", title="Az"
        )
        Person.objects.create(government=other_government, slug="azuayo", name="Persona del Azuay")
        theirs = _tables(other_government)
        assert [row[1] for row in theirs["acts"].rows()] == ["AZ-1"]
    with government_scope(seeded):
        ours = _tables(seeded)
        text = str([list(table.rows()) for table in ours.values()])
        assert "AZ-1" not in text and "Persona del Azuay" not in text


def test_audited_writes_tell_the_catalog_after_commit(
    government, today, monkeypatch, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(
        core_opendata, "_publishers", [lambda government_id, module: told.append((government_id, module))]
    )
    with government_scope(government):
        with django_capture_on_commit_callbacks(execute=True):
            member_services.council_save(
                actor=None, government=government, fields={"name": "Consejo Provincial", "kind": "provincial"}
            )
        assert told == [(government.pk, "council")]
        with django_capture_on_commit_callbacks(execute=True):
            member_services.person_save(actor=None, government=government, person=None, fields={"name": "Ana Nueva"})
            act = act_services.act_save(
                actor=None,
                government=government,
                act=None,
                fields={"identifier": "PO-1", "kind": "ordinance", "title": "Uno", "is_public": True},
            )
        assert len(told) == 2  # two writes in one transaction: one notice
        with django_capture_on_commit_callbacks(execute=True):
            act_services.action_record(
                actor=None, government=government, act=act, stage="presented", date=today, today=today
            )
        assert len(told) == 3
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(act_services.StageRefused):
            act_services.action_record(
                actor=None, government=government, act=act, stage="approved", date=today, today=today
            )
        assert len(told) == 3


def test_search_finds_acts_members_and_convened_sessions(seeded, today):
    from minga.core.search.services import index_object, reindex

    with government_scope(seeded):
        reindex(seeded)
        kinds = set(SearchDocument.objects.filter(government=seeded).values_list("kind", flat=True))
        assert {"council.act", "council.person"} <= kinds
        found = global_search(government=seeded, query="riego parcelario", count_zero_results=False)
        titles = [result.title for group in found.groups for result in group.results]
        assert any(title.startswith("PO-2026-004") for title in titles), titles
        convened, draft, _event, hidden = make_sessions(seeded)
        for session in (convened, draft):
            index_object(kind="council.session", obj=session)
        index_object(kind="council.act", obj=Act.objects.get(pk=hidden.pk))
        indexed = SearchDocument.objects.filter(government=seeded)
        assert indexed.filter(kind="council.session", object_id=str(convened.pk)).exists()
        assert not indexed.filter(kind="council.session", object_id=str(draft.pk)).exists()
        assert not indexed.filter(kind="council.act", object_id=str(hidden.pk)).exists()
        person = member_services.person_save(
            actor=None, government=seeded, person=None, fields={"name": "Zoila Quishpe Buscable"}
        )
        assert indexed.filter(kind="council.person", object_id=str(person.pk)).exists()
