"""Online votes, paper batches, the count and overrides through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_cedula, make_official
from minga.core.verification.levels import VerificationRequired

from .. import paper, services, tallying, voting
from ..models import Ballot, BudgetResult, BudgetVoter, PaperBatch
from . import helpers

pytestmark = pytest.mark.django_db


def choose(government, budget, *numbers):
    found = helpers.projects(government, budget)
    return {found[n - 1].tally_id: 1 for n in numbers}


def test_a_vote_is_stored_apart_from_the_voter(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    user, _number = helpers.voter()
    with government_scope(government):
        receipt = voting.vote_cast(
            user=user, government=government, budget=budget, choices=choose(government, budget, 1, 2)
        )
        assert receipt.titles == ["Proyecto 1", "Proyecto 2"]
        voter = BudgetVoter.objects.get()
        ballot = Ballot.objects.get()
    assert voter.channel == "online" and len(voter.voter_hash) == 64
    # every field as the ORM would write it (on PostgreSQL the pair is one raw statement)
    assert (voter.government_id, voter.budget_id, voter.process_id) == (government.pk, budget.pk, process.pk)
    assert voter.slot == 1 and voter.batch_id is None and voter.voted_on == timezone.localdate()
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "government", "budget", "channel", "points"}
    assert (ballot.government_id, ballot.budget_id, ballot.channel) == (government.pk, budget.pk, "online")
    assert ballot.points == choose(government, budget, 1, 2)


def test_one_vote_per_person_and_budget(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    user, _number = helpers.voter()
    with government_scope(government):
        voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 1))
        with pytest.raises(voting.VoteRefused) as refused:
            voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 2))
        assert refused.value.reason == "already_voted"
        assert BudgetVoter.objects.count() == Ballot.objects.count() == 1


def test_territory_limit(government):
    process = helpers.voting_process(government, budgets_per_voter=1)
    first = helpers.budget(government, process, title="Norte")
    second = helpers.budget(government, process, title="Sur")
    user, _number = helpers.voter()
    with government_scope(government):
        voting.vote_cast(user=user, government=government, budget=first, choices=choose(government, first, 1))
        with pytest.raises(voting.VoteRefused) as refused:
            voting.vote_cast(user=user, government=government, budget=second, choices=choose(government, second, 1))
    assert refused.value.reason == "too_many_budgets"


def test_vote_outside_the_phase_is_refused(government):
    process = helpers.voting_process(government, over=True)
    budget = helpers.budget(government, process)
    user, _number = helpers.voter()
    with government_scope(government), pytest.raises(voting.VoteRefused) as refused:
        voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 1))
    assert refused.value.reason == "closed"
    assert not BudgetVoter.objects.for_government(government).exists()


def test_unverified_person_is_refused(government):
    from minga.core.testing import UserFactory

    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    with government_scope(government), pytest.raises(VerificationRequired):
        voting.vote_cast(
            user=UserFactory(), government=government, budget=budget, choices=choose(government, budget, 1)
        )


def test_ballot_rules_checked(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process, ballot_kind="knapsack", min_projects=1)
    user, _number = helpers.voter()
    with government_scope(government), pytest.raises(voting.VoteRefused) as refused:
        voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 2, 3))
    assert refused.value.reason == "invalid"
    assert "400" in " ".join(refused.value.messages)


def test_rule_change_after_opening_is_refused_and_audited(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    with government_scope(government):
        with pytest.raises(services.BudgetRulesLocked):
            services.budget_update(actor=official, government=government, budget=budget, amount=999)
        with pytest.raises(services.BudgetRulesLocked):
            services.budget_update(actor=official, government=government, budget=budget, method="greedy")
        project = helpers.projects(government, budget)[0]
        with pytest.raises(services.BudgetRulesLocked):
            services.project_update(actor=official, government=government, project=project, cost=5)
        with pytest.raises(services.BudgetRulesLocked):
            services.project_create(actor=official, government=government, budget=budget, title="Nuevo", cost=5)
        budget.refresh_from_db()
        assert budget.amount == 400
        # titles can still be corrected
        services.budget_update(actor=official, government=government, budget=budget, title="Parroquia Centro Norte")
    refused = AuditEntry.objects.filter(action__endswith="change_refused")
    assert refused.count() == 4


def _batch_text(government, budget, *lines):
    return "\n".join(lines)


def test_paper_ballot_of_someone_who_voted_online_is_refused(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    user, number = helpers.voter()
    other = make_cedula(777)
    today = timezone.localdate()
    with government_scope(government):
        voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 1))
        with pytest.raises(paper.BatchRefused) as refused:
            paper.batch_enter(
                actor=official,
                government=government,
                budget=budget,
                place="Escuela",
                voted_on=today,
                text=f"{other}; 2\n{number}; 1, 2",
            )
        assert [p.line for p in refused.value.problems] == [2]
        assert "en línea" in refused.value.problems[0].message  # "already voted online"
        assert not PaperBatch.objects.exists()  # nothing half-saved
        batch = paper.batch_enter(
            actor=official, government=government, budget=budget, place="Escuela", voted_on=today, text=f"{other}; 2, 3"
        )
        assert BudgetVoter.objects.count() == 1  # not counted before review
        paper.batch_confirm(actor=official, government=government, batch=batch)
        batch.refresh_from_db()
        assert batch.status == "confirmed" and batch.entries == []
        assert BudgetVoter.objects.filter(channel="paper").count() == 1
        assert Ballot.objects.filter(channel="paper").count() == 1
        # the same paper voter cannot then vote online
        with pytest.raises(paper.BatchRefused):
            paper.batch_enter(
                actor=official, government=government, budget=budget, place="Otra", voted_on=today, text=f"{other}; 1"
            )


def test_paper_batch_checks_cedula_and_repeats(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    good = make_cedula(778)
    with government_scope(government), pytest.raises(paper.BatchRefused) as refused:
        paper.batch_enter(
            actor=official,
            government=government,
            budget=budget,
            place="Escuela",
            voted_on=timezone.localdate(),
            text=f"1234567890; 1\n{good}; 1\n{good}; 2\n{make_cedula(779)}; 9",
        )
    lines = sorted({p.line for p in refused.value.problems})
    assert lines == [1, 2, 3, 4]


def test_online_vote_after_paper_confirmation_is_refused(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    user, number = helpers.voter()
    with government_scope(government):
        batch = paper.batch_enter(
            actor=official,
            government=government,
            budget=budget,
            place="Escuela",
            voted_on=timezone.localdate(),
            text=f"{number}; 1",
        )
        paper.batch_confirm(actor=official, government=government, batch=batch)
        with pytest.raises(voting.VoteRefused) as refused:
            voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 2))
    assert refused.value.reason == "already_voted"


def test_confirm_refuses_a_person_who_voted_online_meanwhile(government):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    user, number = helpers.voter()
    with government_scope(government):
        batch = paper.batch_enter(
            actor=official,
            government=government,
            budget=budget,
            place="Escuela",
            voted_on=timezone.localdate(),
            text=f"{number}; 1",
        )
        voting.vote_cast(user=user, government=government, budget=budget, choices=choose(government, budget, 2))
        with pytest.raises(paper.BatchRefused):
            paper.batch_confirm(actor=official, government=government, batch=batch)
        assert BudgetVoter.objects.filter(channel="paper").count() == 0
        batch.refresh_from_db()
        assert batch.status == "review"


def test_tally_publish_override(government, monkeypatch):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    with government_scope(government):
        for numbers in [(1,), (1, 2), (3,), (1,)]:
            user, _n = helpers.voter()
            voting.vote_cast(
                user=user, government=government, budget=budget, choices=choose(government, budget, *numbers)
            )
        with pytest.raises(ValidationError):
            tallying.budget_tally(actor=official, government=government, budget=budget)  # voting still open
        later = timezone.now() + helpers.DAY * 6
        result = tallying.budget_tally(actor=official, government=government, budget=budget, now=later)
        assert result.online_voters == 4 and result.outcome["voters"] == 4
        project = helpers.projects(government, budget)
        assert project[0].tally_id in result.outcome["selected"]
        with pytest.raises(ValidationError):
            tallying.override_add(
                actor=official,
                government=government,
                budget=budget,
                project=project[0],
                action="exclude",
                justification="corto",
            )
        tallying.override_add(
            actor=official,
            government=government,
            budget=budget,
            project=project[0],
            action="exclude",
            justification="El terreno resultó ser zona de riesgo según el informe técnico de la dirección de riesgos.",
        )
        tallying.result_publish(actor=official, government=government, budget=budget, now=later)
        with pytest.raises(ValidationError):
            tallying.budget_tally(actor=official, government=government, budget=budget, now=later)
        stored = BudgetResult.objects.get()
        assert project[0].tally_id not in tallying.winners(stored, list(stored.budget.overrides.all()))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "participation.budget.tallied",
        "participation.budget.result_published",
        "participation.budget.override_added",
    } <= actions
