"""Services of the composition and of acts beyond the procedure's rules: one running chair per
committee, alternates name their principal, ending a term keeps it, versions are numbered in
order, removing a step puts the stage back, and every write is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope

from ..acts import services as act_services
from ..acts.models import Act, Action, Version
from ..members import selectors
from ..members import services as member_services
from ..members.models import Committee, Membership, Person

pytestmark = pytest.mark.django_db
D = dt.date


def test_one_running_chair_per_committee(seeded):
    with government_scope(seeded):
        committee = Committee.objects.get(slug="comision-de-vialidad-y-produccion")
        other = Person.objects.get(name="Rosa Quijije Anchundia")
        with pytest.raises(ValidationError) as refused:
            member_services.committee_membership_save(
                actor=None,
                government=seeded,
                committee=committee,
                membership=None,
                fields={"person": other, "role": "chair", "starts_on": D(2026, 1, 1), "ends_on": None},
            )
        assert "ya tiene presidente" in str(refused.value)
        # A past chair (with an end date) is history, not a conflict.
        member_services.committee_membership_save(
            actor=None,
            government=seeded,
            committee=committee,
            membership=None,
            fields={"person": other, "role": "chair", "starts_on": D(2020, 1, 1), "ends_on": D(2021, 1, 1)},
        )


def test_alternates_name_their_principal_and_terms_end_with_a_date(seeded):
    with government_scope(seeded):
        council = selectors.council_of(seeded)
        person = member_services.person_save(actor=None, government=seeded, person=None, fields={"name": "Ana Alterna"})
        with pytest.raises(ValidationError):
            member_services.membership_save(
                actor=None,
                government=seeded,
                council=council,
                membership=None,
                fields={"person": person, "role": "alternate", "starts_on": D(2026, 1, 1)},
            )
        with pytest.raises(ValidationError):
            member_services.membership_save(
                actor=None,
                government=seeded,
                council=council,
                membership=None,
                fields={"person": person, "role": "member", "starts_on": D(2026, 1, 1), "ends_on": D(2025, 1, 1)},
            )
        seat = member_services.membership_save(
            actor=None,
            government=seeded,
            council=council,
            membership=None,
            fields={"person": person, "role": "member", "starts_on": D(2026, 1, 1)},
        )
        assert seat in selectors.current_seats(seeded, D(2026, 6, 1))
        member_services.membership_save(
            actor=None, government=seeded, council=council, membership=seat, fields={"ends_on": D(2026, 5, 31)}
        )
        assert seat not in selectors.current_seats(seeded, D(2026, 6, 1))
        assert seat in selectors.past_seats(seeded, D(2026, 6, 1))
        assert Membership.objects.filter(pk=seat.pk).exists()
        assert AuditEntry.objects.filter(action="council.membership.saved").count() >= 12


def test_versions_are_numbered_and_removing_a_step_puts_the_stage_back(seeded):
    with government_scope(seeded):
        act = Act.objects.get(identifier="PO-2026-007")
        numbers = list(Version.objects.filter(act=act).values_list("number", flat=True))
        version = act_services.version_add(
            actor=None, government=seeded, act=act, label="Texto corregido", dated=D(2026, 11, 29), text="Art. 1.- Uno."
        )
        assert version.number == max(numbers) + 1
        last = Action.objects.filter(act=act).order_by("-date", "-pk").first()
        assert (act.stage, last.stage) == ("qualified", "qualified")
        act_services.action_delete(actor=None, government=seeded, action=last)
        act.refresh_from_db()
        assert act.stage == "presented"
        assert AuditEntry.objects.filter(action="council.act.action_deleted").count() == 1


def test_act_numbers_are_unique_and_sponsors_of_another_government_refused(seeded, other_government):
    with government_scope(seeded):
        with pytest.raises(ValidationError) as refused:
            act_services.act_save(
                actor=None,
                government=seeded,
                act=None,
                fields={"identifier": "PO-2026-001", "kind": "ordinance", "title": "Duplicada"},
            )
        assert "PO-2026-001" in str(refused.value)
    with government_scope(other_government):
        stranger = Person.objects.create(government=other_government, slug="ajeno", name="Persona ajena")
    with government_scope(seeded):
        with pytest.raises(ValidationError):
            act_services.act_save(
                actor=None,
                government=seeded,
                act=None,
                fields={"identifier": "PO-2026-100", "kind": "ordinance", "title": "Nueva"},
                sponsors=[stranger],
            )
        assert not Act.objects.filter(identifier="PO-2026-100").exists()
