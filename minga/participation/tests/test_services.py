"""The process services: validation of the process, its settings, its territories and its
ordered phases; the voting rules that freeze once voting opens (refused and audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory

from ..processes import services
from ..processes.models import Phase, Process
from . import factories
from .factories import DAY, budget_phases, items_of, phase

pytestmark = pytest.mark.django_db


def _update(government, process, **fields):
    with government_scope(government):
        return services.process_update(actor=None, government=government, process=process, **fields)


def _phases(government, process):
    with government_scope(government):
        return list(Phase.objects.filter(process=process).order_by("position"))


def _refusals(government, process):
    return list(
        AuditEntry.objects.filter(
            government=government, action="participation.process.change_refused", object_id=str(process.pk)
        )
    )


# Creating and validating ------------------------------------------------------------------


def test_create_places_phases_by_their_start_and_audits(government, now):
    start = now - 5 * DAY
    shuffled = list(reversed(budget_phases(start)))
    process = factories.process(government, start=start, phases=shuffled, slug="")
    assert process.slug.startswith("presupuesto-participativo-de-prueba")
    phases = _phases(government, process)
    assert [p.title for p in phases] == ["Propuestas", "Apoyos", "Votación", "Resultados"]
    assert [p.position for p in phases] == [1, 2, 3, 4]
    assert phases[0].settings == {"announcement": "", "hide_support_counts": False, "hide_vote_counts": True}
    entry = AuditEntry.objects.get(action="participation.process.created", object_id=str(process.pk))
    assert [p["title"] for p in entry.changes["phases"][1]] == ["Propuestas", "Apoyos", "Votación", "Resultados"]
    # Defaults of the process's settings were filled in from the schema.
    assert process.settings["verification_vote"] == "cedula" and process.settings["max_votes_per_person"] == 1


def test_overlapping_phases_and_phases_outside_the_process_are_refused_by_phase(government, now):
    start = now + 10 * DAY
    phases = [
        phase("Propuestas", start, start + 12 * DAY, ["propose"]),
        phase("Apoyos", start + 10 * DAY, start + 20 * DAY, ["support"]),  # overlaps the first
        phase("Votación", start + 30 * DAY, start + 50 * DAY, ["vote"]),  # ends after the process
        phase("Nada", start + 25 * DAY, start + 24 * DAY, ["dance"]),  # ends before it starts; unknown feature
    ]
    with pytest.raises(ValidationError) as caught:
        factories.process(government, start=start, phases=phases)
    by_phase = caught.value.by_phase
    assert "starts_at" in by_phase[1] and "Propuestas" in by_phase[1]["starts_at"][0]
    assert "ends_at" in by_phase[2]
    assert "ends_at" in by_phase[3] and "features" in by_phase[3]
    assert 0 not in by_phase
    assert any(message.startswith("Votación:") for message in caught.value.message_dict["phases"])
    with government_scope(government):
        assert not Process.objects.exists()


def test_phases_may_meet_at_one_instant(government, now):
    start = now + DAY
    phases = [phase("Uno", start, start + DAY, ["comment"]), phase("Dos", start + DAY, start + 2 * DAY, ["vote"])]
    process = factories.process(government, start=start, phases=phases)
    assert len(_phases(government, process)) == 2


def test_settings_are_checked_against_the_schema(government, now):
    with pytest.raises(ValidationError) as caught:
        factories.process(
            government,
            settings={"support_threshold": -1, "verification_vote": "fingerprint", "colour": "red"},
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"setting_support_threshold", "setting_verification_vote", "setting_colour"}
    bad_phase = budget_phases(now)
    bad_phase[0]["settings"] = {"hide_vote_counts": "maybe"}
    with pytest.raises(ValidationError) as caught:
        factories.process(government, start=now, phases=bad_phase)
    assert "setting_hide_vote_counts" in caught.value.by_phase[0]


def test_process_dates_slug_and_kind(government, now):
    with pytest.raises(ValidationError) as caught:
        factories.process(government, start=now, ends_at=now - DAY, phases=[])
    assert "ends_at" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        factories.process(government, slug="gestion")
    assert "slug" in caught.value.message_dict
    factories.process(government, slug="pp-2027")
    with pytest.raises(ValidationError) as caught:
        factories.process(government, slug="pp-2027")
    assert "slug" in caught.value.message_dict
    # Another government may use the same slug.
    factories.process(GovernmentFactory(), slug="pp-2027")


def test_territories_must_belong_to_the_government(government, now):
    GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo", parent=government)
    government.modules = {"participation": {"settings": {"neighbourhoods": ["B-07 Barrio San Pablo", "sin-nombre"]}}}
    government.save()
    process = factories.process(government, territories=["B-07", "1301"])
    assert process.territories == [
        {"code": "1301", "name": "Portoviejo"},
        {"code": "B-07", "name": "Barrio San Pablo"},
    ]
    with pytest.raises(ValidationError) as caught:
        factories.process(government, territories=["0101", "1301"])
    message = caught.value.message_dict["territories"][0]
    assert "0101" in message and "1301" not in message.split(":")[-1]


# Changing phases -----------------------------------------------------------------------------


def test_update_replaces_the_phase_list(government, now):
    process = factories.process(government, start=now + 10 * DAY)
    items = items_of(process)
    propose, support, vote, results = items
    support["title"] = "Apoyos ciudadanos"
    new = phase("Evaluación", vote["starts_at"] - 4 * DAY, vote["starts_at"], ["evaluate"])
    support["ends_at"] = new["starts_at"]
    _update(government, process, phases=[propose, support, new, vote])  # results left out: deleted
    phases = _phases(government, process)
    assert [(p.position, p.title) for p in phases] == [
        (1, "Propuestas"),
        (2, "Apoyos ciudadanos"),
        (3, "Evaluación"),
        (4, "Votación"),
    ]
    assert phases[1].pk == support["id"] and phases[3].pk == vote["id"]
    entry = AuditEntry.objects.filter(action="participation.process.updated").latest("sequence")
    assert "phases" in entry.changes


def test_phase_of_another_process_cannot_be_taken(government, now):
    one, two = factories.process(government), factories.process(government)
    foreign = items_of(two)[:1]
    with pytest.raises(ValueError):
        _update(government, one, phases=foreign)


def test_before_voting_opens_the_voting_rules_can_change(government, now):
    process = factories.process(government, start=now - 15 * DAY)  # voting opens in 5 days
    items = items_of(process)
    items[2]["ends_at"] -= DAY
    items[3]["starts_at"] -= DAY
    _update(government, process, phases=items, settings={"max_votes_per_person": 3}, now=now)
    phases = _phases(government, process)
    assert phases[2].ends_at == items[2]["ends_at"]
    assert not _refusals(government, process)


# The voting rules freeze ----------------------------------------------------------------------


@pytest.fixture
def voting(government, now):
    """A process whose voting phase started two days ago."""
    return factories.process(government, start=now - 22 * DAY)


@pytest.mark.parametrize(
    "change",
    [
        "vote_dates",
        "vote_features",
        "vote_removed",
        "vote_added_elsewhere",
        "new_vote_phase",
        "votes_per_person",
        "verification_to_vote",
        "hide_vote_counts",
    ],
)
def test_changes_to_voting_rules_are_refused_and_audited(government, now, voting, change):
    items = items_of(voting)
    settings = None
    if change == "vote_dates":
        items[2]["ends_at"] += DAY
        items[3]["starts_at"] += DAY
    elif change == "vote_features":
        items[2]["features"] = ["vote", "comment"]
    elif change == "vote_removed":
        del items[2]
    elif change == "vote_added_elsewhere":
        items[3]["features"] = ["show_results", "vote"]
    elif change == "new_vote_phase":
        items[3]["ends_at"] -= 2 * DAY
        items.append(phase("Segunda vuelta", items[3]["ends_at"], items[3]["ends_at"] + DAY, ["vote"]))
    elif change == "votes_per_person":
        settings = {"max_votes_per_person": 2}
    elif change == "verification_to_vote":
        settings = {"verification_vote": "none"}
    elif change == "hide_vote_counts":
        items[2]["settings"] = {"hide_vote_counts": False}
    before = _phases(government, voting)
    with translation.override("es"), pytest.raises(services.VotingRulesLocked) as caught:
        _update(government, voting, phases=items, settings=settings, title="Otro título", now=now)
    assert "sus reglas de votación ya no pueden cambiar" in str(caught.value)
    # Nothing changed, not even the title that came with the refused change.
    with government_scope(government):
        stored = Process.objects.get(pk=voting.pk)
    assert stored.title == voting.title and stored.settings == voting.settings
    after = _phases(government, voting)
    assert [(p.pk, p.starts_at, p.ends_at, p.features, p.settings) for p in after] == [
        (p.pk, p.starts_at, p.ends_at, p.features, p.settings) for p in before
    ]
    # The attempt is in the audit log, with what it would have changed.
    (refusal,) = _refusals(government, voting)
    assert refusal.changes and refusal.actor_label == "system"
    if change == "votes_per_person":
        assert refusal.changes == {"settings.max_votes_per_person": [1, 2]}
    if change == "vote_dates":
        vote_pk = before[2].pk
        assert set(refusal.changes) == {f"phase:{vote_pk}.ends_at"}


def test_other_changes_stay_possible_while_voting(government, now, voting):
    items = items_of(voting)
    items[2]["title"] = "Votación de proyectos"
    items[2]["settings"] = {"announcement": "Vota hasta el domingo."}
    items[0]["description"] = "Ya cerró."
    _update(government, voting, phases=items, settings={"support_threshold": 20}, now=now)
    phases = _phases(government, voting)
    assert phases[2].title == "Votación de proyectos" and phases[2].settings["announcement"] == "Vota hasta el domingo."
    assert not _refusals(government, voting)
    # Publishing and unpublishing are not voting rules either.
    with government_scope(government):
        services.process_set_published(actor=None, government=government, process=voting, is_published=False, now=now)
    assert AuditEntry.objects.filter(action="participation.process.unpublished").count() == 1


def test_voting_opened_explicitly_locks_before_the_phase_starts(government, now):
    process = factories.process(government, start=now - 15 * DAY)
    with government_scope(government):
        assert not services.voting_locked(process, now=now)
        services.process_open_voting(actor=None, government=government, process=process, now=now)
        assert services.voting_locked(Process.objects.get(pk=process.pk), now=now)
    items = items_of(process)
    items[2]["ends_at"] += DAY
    items[3]["starts_at"] += DAY
    with pytest.raises(services.VotingRulesLocked):
        _update(government, Process.objects.for_government(government).get(pk=process.pk), phases=items, now=now)
    assert len(_refusals(government, process)) == 1


def test_the_freeze_starts_exactly_when_the_voting_phase_starts(government, now):
    process = factories.process(government, start=now - 15 * DAY)
    vote_start = _phases(government, process)[2].starts_at
    items = items_of(process)
    items[2]["settings"] = {"hide_vote_counts": False}
    _update(government, process, phases=items, now=vote_start - dt.timedelta(minutes=1))
    items[2]["settings"] = {"hide_vote_counts": True}
    with pytest.raises(services.VotingRulesLocked):
        _update(government, process, phases=items, now=vote_start)


def test_deleting_is_refused_and_audited_once_voting_opened(government, now, voting):
    with government_scope(government):
        assert services.process_delete_refusal(process=voting, now=now)
        with pytest.raises(services.VotingRulesLocked):
            services.process_delete(actor=None, government=government, process=voting, now=now)
        assert Process.objects.filter(pk=voting.pk).exists()
    assert AuditEntry.objects.filter(action="participation.process.delete_refused").count() == 1
    later = factories.process(government, start=now + 5 * DAY)
    with government_scope(government):
        assert services.process_delete_refusal(process=later, now=now) == ""
        services.process_delete(actor=None, government=government, process=later, now=now)
        assert not Process.objects.filter(pk=later.pk).exists()
        assert not Phase.objects.filter(process_id=later.pk).exists()
    assert AuditEntry.objects.filter(action="participation.process.deleted").count() == 1
