"""The procedure's rules: which steps may follow, what a jump past a mandatory step answers
(a clear refusal, audited, nothing saved), per-kind mandatory steps, a government's own rules,
and overdue steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..acts import services
from ..acts.models import Act, Action
from ..lifecycle.models import StageRule
from ..lifecycle.selectors import overdue_for, stages_for
from ..lifecycle.stages import STAGES, allowed_next, default_stages, missing_steps, overdue_steps
from ..members import services as member_services

pytestmark = pytest.mark.django_db
D = dt.date


def test_missing_steps_for_an_ordinance_and_a_resolution():
    stages = default_stages("province")
    assert missing_steps(stages, "presented", set(), "ordinance") == []
    assert [s.key for s in missing_steps(stages, "first_debate", {"presented"}, "ordinance")] == [
        "qualified",
        "committee_assigned",
        "committee_report",
    ]
    through_first = {"presented", "qualified", "committee_assigned", "committee_report", "first_debate"}
    assert [s.key for s in missing_steps(stages, "approved", through_first, "ordinance")] == ["second_debate"]
    assert missing_steps(stages, "approved", through_first, "resolution") == []  # one debate is enough
    approved = through_first | {"second_debate", "approved"}
    assert [s.key for s in missing_steps(stages, "published", approved, "ordinance")] == ["sanctioned"]
    assert missing_steps(stages, "published", approved | {"objected"}, "ordinance") == []
    assert missing_steps(stages, "archived", {"presented"}, "agreement") == []


def test_overdue_steps_count_from_their_start_and_stop_when_answered():
    stages = default_stages("canton")
    stages["sanctioned"] = replace(stages["sanctioned"], tacit="")  # no tacit sanction here
    dates = {"presented": D(2026, 1, 1), "approved": D(2026, 3, 1)}
    late = overdue_steps(stages, dates, D(2026, 3, 20))
    assert [(item.stage.key, item.due_on, item.days_late) for item in late] == [("sanctioned", D(2026, 3, 9), 11)]
    assert overdue_steps(stages, {**dates, "objected": D(2026, 3, 5)}, D(2026, 3, 20)) == []
    assert overdue_steps(stages, dates, D(2026, 3, 9)) == []  # the last day is still in time
    assert overdue_steps(stages, {**dates, "archived": D(2026, 3, 2)}, D(2026, 5, 1)) == []


def test_every_default_stage_names_known_stages():
    keys = {s.key for s in STAGES}
    for stage in STAGES:
        assert set(stage.requires) <= keys and set(stage.requires_any) <= keys
        assert not stage.deadline_from or stage.deadline_from in keys


@pytest.fixture
def act(government):
    with government_scope(government):
        member_services.council_save(
            actor=None, government=government, fields={"name": "Consejo Provincial", "kind": "provincial"}
        )
        return services.act_save(
            actor=None,
            government=government,
            act=None,
            fields={"identifier": "PO-1", "kind": "ordinance", "title": "Ordenanza de prueba"},
        )


def _record(government, act, stage, day, **extra):
    return services.action_record(
        actor=None, government=government, act=act, stage=stage, date=day, today=D(2026, 12, 31), **extra
    )


def test_a_jump_past_a_mandatory_step_is_refused_in_spanish_and_audited(government, act):
    with government_scope(government):
        _record(government, act, "presented", D(2026, 1, 5))
        with pytest.raises(ValidationError) as refused:
            _record(government, act, "first_debate", D(2026, 1, 6))
        message = refused.value.message_dict["stage"][0]
        assert (
            "primero registre «Calificado por la secretaría», «Asignado a comisión», «Informe de comisión»" in message
        )
        assert Action.objects.filter(act=act).count() == 1
        assert Act.objects.get(pk=act.pk).stage == "presented"
        entry = AuditEntry.objects.filter(action="council.act.stage_refused").get()
        assert entry.changes["stage"] == ["presented", "first_debate"]


def test_steps_in_order_move_the_stage_and_a_closed_act_takes_no_more(government, act):
    with government_scope(government):
        committee = member_services.committee_save(
            actor=None, government=government, council=act.council, committee=None, fields={"name": "Comisión A"}
        )
        _record(government, act, "presented", D(2026, 1, 5))
        _record(government, act, "qualified", D(2026, 1, 6))
        with pytest.raises(ValidationError):  # which committee?
            _record(government, act, "committee_assigned", D(2026, 1, 7))
        _record(government, act, "committee_assigned", D(2026, 1, 7), committee=committee)
        act.refresh_from_db()
        assert (act.stage, act.committee) == ("committee_assigned", committee)
        with pytest.raises(ValidationError):  # dated before the last step
            _record(government, act, "committee_report", D(2026, 1, 1))
        with pytest.raises(ValidationError):  # in the future
            services.action_record(
                actor=None,
                government=government,
                act=act,
                stage="committee_report",
                date=D(2027, 1, 1),
                today=D(2026, 12, 31),
            )
        _record(government, act, "archived", D(2026, 2, 1))
        with pytest.raises(ValidationError) as refused:
            _record(government, act, "committee_report", D(2026, 2, 2))
        assert "cerrado" in refused.value.message_dict["stage"][0]


def test_a_government_can_make_a_step_optional_and_change_a_deadline(government, act):
    with government_scope(government):
        StageRule.objects.create(government=government, stage="qualified", mandatory_for=[], deadline_days=None)
        StageRule.objects.create(
            government=government, stage="committee_report", mandatory_for=["ordinance"], deadline_days=5
        )
        stages = stages_for(government)
        assert stages["committee_report"].deadline_days == 5
        _record(government, act, "presented", D(2026, 1, 5))
        committee = member_services.committee_save(
            actor=None, government=government, council=act.council, committee=None, fields={"name": "Comisión B"}
        )
        _record(government, act, "committee_assigned", D(2026, 1, 6), committee=committee)  # no qualification
        actions = list(Action.objects.filter(act=act))
        assert [o.stage.key for o in overdue_for(government, actions, D(2026, 1, 12))] == ["committee_report"]
        assert overdue_for(government, actions, D(2026, 1, 11)) == []


def test_editors_change_a_stage_rule_and_go_back_to_the_default(client, seeded, editor):
    login_verified(client, editor)
    url = gov_url(seeded, "council:office_stage_edit", stage="committee_report")
    response = client.post(
        url,
        {
            "mandatory_for": ["ordinance"],
            "deadline_days": "15",
            "deadline_from": "committee_assigned",
            "legal_reference": "Reglamento art. 12",
        },
    )
    assert response.status_code == 302
    with government_scope(seeded):
        assert stages_for(seeded)["committee_report"].deadline_days == 15
        assert stages_for(seeded)["committee_report"].mandatory_for == ("ordinance",)
    page = client.get(gov_url(seeded, "council:office_stages")).content.decode()
    assert "Reglamento art. 12" in page and "Definida por este gobierno" in page
    refused = client.post(url, {"deadline_days": "15", "deadline_from": ""})
    assert refused.status_code == 200 and "Indique desde qué etapa" in refused.content.decode()
    assert client.post(gov_url(seeded, "council:office_stage_reset", stage="committee_report")).status_code == 302
    with government_scope(seeded):
        assert stages_for(seeded)["committee_report"].deadline_days == 30
        assert AuditEntry.objects.filter(action__startswith="council.stage_rule.").count() == 2
    assert client.get(gov_url(seeded, "council:office_stage_edit", stage="nonsense")).status_code == 404


def test_allowed_next_steps():
    stages = default_stages("parish")
    assert [s.key for s in allowed_next(stages, set(), "ordinance")] == ["presented"]
    assert [s.key for s in allowed_next(stages, {"presented"}, "ordinance")] == ["qualified", "archived"]
    assigned = {"presented", "qualified", "committee_assigned"}
    assert [s.key for s in allowed_next(stages, assigned, "ordinance")][:2] == [
        "committee_assigned",
        "committee_report",
    ]
    assert allowed_next(stages, {"presented", "archived"}, "ordinance") == []


def test_a_stage_already_recorded_is_refused_unless_repeatable(government, act):
    with government_scope(government):
        committee = member_services.committee_save(
            actor=None, government=government, council=act.council, committee=None, fields={"name": "Comisión R"}
        )
        _record(government, act, "presented", D(2026, 1, 5))
        with pytest.raises(ValidationError) as refused:
            _record(government, act, "presented", D(2026, 1, 6))
        assert refused.value.message_dict["stage"] == [
            "«Presentado» ya está registrado en este acto; esta etapa no se registra dos veces."
        ]
        assert Action.objects.filter(act=act).count() == 1
        entry = AuditEntry.objects.filter(action="council.act.stage_refused").get()
        assert entry.changes["stage"] == ["presented", "presented"]
        # A report before each debate, and a second assignment, are legitimate repetitions.
        _record(government, act, "qualified", D(2026, 1, 6))
        _record(government, act, "committee_assigned", D(2026, 1, 7), committee=committee)
        _record(government, act, "committee_report", D(2026, 1, 20))
        _record(government, act, "first_debate", D(2026, 2, 1))
        _record(government, act, "committee_assigned", D(2026, 2, 2), committee=committee)
        _record(government, act, "committee_report", D(2026, 2, 20))
        assert Action.objects.filter(act=act, stage="committee_report").count() == 2
        with pytest.raises(ValidationError):
            _record(government, act, "first_debate", D(2026, 2, 21))
        assert AuditEntry.objects.filter(action="council.act.stage_refused").count() == 2


def test_repeatability_is_stage_data_a_level_can_change(monkeypatch):
    from ..lifecycle import stages as stages_module

    assert default_stages("canton")["committee_report"].repeatable
    assert not default_stages("canton")["presented"].repeatable
    monkeypatch.setitem(stages_module.LEVEL_OVERRIDES, "parish", {"committee_report": {"repeatable": False}})
    assert not default_stages("parish")["committee_report"].repeatable


def test_a_sanction_deadline_passed_unanswered_is_a_tacit_sanction_not_an_overdue_step(monkeypatch):
    from ..lifecycle import stages as stages_module
    from ..lifecycle.stages import tacit_steps

    stages = default_stages("canton")
    dates = {"presented": D(2026, 1, 1), "approved": D(2026, 3, 1)}
    assert tacit_steps(stages, dates, D(2026, 3, 9)) == []  # still in time
    [tacit] = tacit_steps(stages, dates, D(2026, 3, 20))
    assert (tacit.stage.key, tacit.source.key, tacit.since) == ("tacitly_sanctioned", "sanctioned", D(2026, 3, 9))
    assert overdue_steps(stages, dates, D(2026, 3, 20)) == []
    assert tacit_steps(stages, {**dates, "objected": D(2026, 3, 5)}, D(2026, 3, 20)) == []
    assert tacit_steps(stages, {**dates, "tacitly_sanctioned": D(2026, 3, 9)}, D(2026, 3, 20)) == []
    assert (
        missing_steps(stages, "published", set(dates) | {"tacitly_sanctioned"} | set(STAGES_BEFORE), "ordinance") == []
    )
    # A level whose rules have no tacit sanction keeps the step overdue.
    monkeypatch.setitem(stages_module.LEVEL_OVERRIDES, "parish", {"sanctioned": {"tacit": ""}})
    parish = default_stages("parish")
    assert tacit_steps(parish, dates, D(2026, 3, 20)) == []
    assert [item.stage.key for item in overdue_steps(parish, dates, D(2026, 3, 20))] == ["sanctioned"]


STAGES_BEFORE = ("qualified", "committee_assigned", "committee_report", "first_debate", "second_debate")


def _approve(government, act, day):
    committee = member_services.committee_save(
        actor=None, government=government, council=act.council, committee=None, fields={"name": "Comisión T"}
    )
    _record(government, act, "presented", day)
    for stage in STAGES_BEFORE:
        _record(government, act, stage, day, committee=committee if stage == "committee_assigned" else None)
    _record(government, act, "approved", day)


def test_an_editor_records_the_tacit_sanction_dated_at_the_deadline(government, act):
    with government_scope(government):
        _approve(government, act, D(2026, 3, 1))
        early = dict(actor=None, government=government, act=act, stage="tacitly_sanctioned", date=D(2026, 3, 9))
        with pytest.raises(ValidationError) as refused:
            services.action_record(**early, today=D(2026, 3, 9))
        assert "hasta entonces no hay «Sanción tácita»" in refused.value.message_dict["stage"][0]
        assert AuditEntry.objects.filter(action="council.act.stage_refused").count() == 1
        action = services.action_record(**{**early, "date": D(2026, 3, 25)}, today=D(2026, 3, 30))
        assert action.date == D(2026, 3, 9)  # the last day of the executive's deadline
        act.refresh_from_db()
        assert (act.stage, act.stage_date) == ("tacitly_sanctioned", D(2026, 3, 9))
        _record(government, act, "published", D(2026, 3, 31))


def test_the_tacit_sanction_is_refused_once_the_executive_answered(government, act):
    with government_scope(government):
        _approve(government, act, D(2026, 3, 1))
        _record(government, act, "objected", D(2026, 3, 5))
        with pytest.raises(ValidationError) as refused:
            _record(government, act, "tacitly_sanctioned", D(2026, 3, 20))
        assert "«Objetado por el ejecutivo» ya está registrado" in refused.value.message_dict["stage"][0]
        assert not Action.objects.filter(stage="tacitly_sanctioned").exists()
