"""The services of proposals and supports: phases, verification, limits, the threshold, the
one-support-per-person constraint, editing until the first support, withdrawing, evaluation
(with the author's notice) and merging without counting anyone twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from minga.core.audit.models import AuditEntry
from minga.core.notifications.models import Follow, Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_official, make_verified_person
from minga.core.verification.levels import Level

from .. import services
from ..models import Proposal, Status, Support
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped(government):
    with government_scope(government):
        yield government


def test_create_in_the_propose_phase_follows_the_author(scoped):
    process = factories.proposing_process(scoped)
    author = UserFactory()
    proposal = services.proposal_create(actor=author, government=scoped, process=process, values=factories.values())
    assert proposal.status == Status.PUBLISHED
    assert Follow.objects.filter(user=author, kind="participation.proposal", object_id=proposal.pk).exists()


def test_propose_outside_the_phase_is_refused(scoped):
    process = factories.supporting_process(scoped)
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(actor=UserFactory(), government=scoped, process=process, values=factories.values())
    assert refused.value.code == "phase_closed"
    assert not Proposal.objects.exists()


def test_verification_refused_with_a_clear_message(scoped):
    process = factories.proposing_process(scoped, settings={"verification_propose": "cedula"})
    person = make_verified_person(scoped, Level.EMAIL)
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(actor=person, government=scoped, process=process, values=factories.values())
    assert refused.value.code == "verification_required"
    assert "cédula" in refused.value.messages[0].lower() or "cedula" in refused.value.messages[0].lower()
    verified = make_verified_person(scoped, Level.CEDULA)
    assert services.proposal_create(actor=verified, government=scoped, process=process, values=factories.values())


def test_fields_are_checked(scoped):
    process = factories.proposing_process(scoped)
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(
            actor=UserFactory(),
            government=scoped,
            process=process,
            values=factories.values(title="Corto", category="Inventada", latitude="40", longitude="-80"),
        )
    assert set(refused.value.message_dict) == {"title", "category", "latitude"}


def test_limit_per_person(scoped):
    process = factories.proposing_process(scoped, settings={"proposals_per_person": 2})
    author = UserFactory()
    for _ in range(2):
        services.proposal_create(actor=author, government=scoped, process=process, values=factories.values())
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(actor=author, government=scoped, process=process, values=factories.values())
    assert refused.value.code == "limit"


def test_rate_limit_stops_a_burst(scoped):
    process = factories.proposing_process(scoped)
    author = UserFactory()
    for _ in range(services.PROPOSALS_PER_HOUR):
        services.proposal_create(actor=author, government=scoped, process=process, values=factories.values())
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(actor=author, government=scoped, process=process, values=factories.values())
    assert refused.value.code == "rate_limited"


def test_support_once_and_threshold_moves_to_evaluation(scoped):
    process = factories.supporting_process(scoped, settings={"support_threshold": 2})
    proposal = factories.proposal(scoped, process)
    first, second = UserFactory(), UserFactory()
    services.support_add(actor=first, government=scoped, proposal=proposal)
    with pytest.raises(ValidationError) as refused:
        services.support_add(actor=first, government=scoped, proposal=proposal)
    assert refused.value.code == "duplicate"
    proposal.refresh_from_db()
    assert (proposal.supports_count, proposal.status) == (1, Status.PUBLISHED)
    services.support_add(actor=second, government=scoped, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.supports_count, proposal.status) == (2, Status.EVALUATING)


def test_one_support_per_person_is_a_database_constraint(scoped):
    process = factories.supporting_process(scoped)
    proposal = factories.proposal(scoped, process)
    person = UserFactory()
    at = proposal.created_at
    Support.objects.create(government=scoped, proposal=proposal, process=process, user=person, created_at=at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(government=scoped, proposal=proposal, process=process, user=person, created_at=at)
    verified_a, verified_b = UserFactory(), UserFactory()
    Support.objects.create(
        government=scoped, proposal=proposal, process=process, user=verified_a, identity_id=77, created_at=at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(
            government=scoped, proposal=proposal, process=process, user=verified_b, identity_id=77, created_at=at
        )


def test_support_limit_per_person_and_withdrawing(scoped):
    process = factories.supporting_process(scoped, settings={"max_supports_per_person": 1})
    one, two = factories.proposal(scoped, process), factories.proposal(scoped, process)
    person = UserFactory()
    services.support_add(actor=person, government=scoped, proposal=one)
    with pytest.raises(ValidationError) as refused:
        services.support_add(actor=person, government=scoped, proposal=two)
    assert refused.value.code == "limit"
    assert services.support_withdraw(actor=person, government=scoped, proposal=one)
    one.refresh_from_db()
    assert one.supports_count == 0
    services.support_add(actor=person, government=scoped, proposal=two)


def test_support_outside_the_phase_and_own_proposal_refused(scoped):
    process = factories.proposing_process(scoped)
    proposal = factories.proposal(scoped, process)
    with pytest.raises(ValidationError) as refused:
        services.support_add(actor=UserFactory(), government=scoped, proposal=proposal)
    assert refused.value.code == "phase_closed"
    supporting = factories.supporting_process(scoped)
    own = factories.proposal(scoped, supporting)
    with pytest.raises(ValidationError) as refused:
        services.support_add(actor=own.author, government=scoped, proposal=own)
    assert refused.value.code == "own"


def test_support_needs_the_process_verification(scoped):
    process = factories.supporting_process(scoped, settings={"verification_support": "cedula"})
    proposal = factories.proposal(scoped, process)
    with pytest.raises(ValidationError) as refused:
        services.support_add(actor=make_verified_person(scoped, Level.EMAIL), government=scoped, proposal=proposal)
    assert refused.value.code == "verification_required"
    support = services.support_add(actor=make_verified_person(scoped), government=scoped, proposal=proposal)
    assert support.identity_id is not None


def test_edit_until_the_first_support(scoped):
    process = factories.supporting_process(scoped)
    proposal = factories.proposal(scoped, process)
    author = proposal.author
    services.proposal_update(
        actor=author, government=scoped, proposal=proposal, values=factories.values(title="Alumbrado LED en el malecón")
    )
    with pytest.raises(ValidationError):
        services.proposal_update(actor=UserFactory(), government=scoped, proposal=proposal, values=factories.values())
    services.support_add(actor=UserFactory(), government=scoped, proposal=proposal)
    with pytest.raises(ValidationError) as refused:
        services.proposal_update(actor=author, government=scoped, proposal=proposal, values=factories.values())
    assert refused.value.code == "not_editable"
    proposal.refresh_from_db()
    assert proposal.title == "Alumbrado LED en el malecón"


def test_withdraw_keeps_it_visible_with_its_reason(scoped):
    process = factories.supporting_process(scoped)
    proposal = factories.proposal(scoped, process)
    services.proposal_withdraw(
        actor=proposal.author, government=scoped, proposal=proposal, reason="Ya lo hace el municipio"
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN and proposal.withdrawn_reason == "Ya lo hace el municipio"
    with pytest.raises(ValidationError):
        services.support_add(actor=UserFactory(), government=scoped, proposal=proposal)


def test_evaluation_is_audited_and_notifies_the_author(scoped, django_capture_on_commit_callbacks):
    process = factories.supporting_process(scoped)
    proposal = factories.proposal(scoped, process)
    official = make_official(scoped, "editor", "participation")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_evaluate(
            actor=official,
            government=scoped,
            proposal=proposal,
            feasible=True,
            cost_estimate="12500.456",
            answer="Es competencia del gobierno provincial y cabe en el presupuesto.",
        )
    proposal.refresh_from_db()
    assert proposal.status == Status.FEASIBLE and proposal.cost_estimate == Decimal("12500.46")
    assert AuditEntry.objects.filter(action="participation.proposal.evaluated").exists()
    assert Notification.objects.filter(
        user=proposal.author, kind="participation.proposal", object_id=proposal.pk
    ).exists()


def test_evaluation_needs_an_answer(scoped):
    process = factories.supporting_process(scoped)
    proposal = factories.proposal(scoped, process)
    with pytest.raises(ValidationError) as refused:
        services.proposal_evaluate(
            actor=None, government=scoped, proposal=proposal, feasible=False, cost_estimate="-3", answer="no"
        )
    assert set(refused.value.message_dict) == {"answer", "cost_estimate"}


def test_merge_moves_supports_without_double_counting(scoped):
    process = factories.supporting_process(scoped)
    source, target = factories.proposal(scoped, process), factories.proposal(scoped, process)
    both, only_source, only_target = UserFactory(), UserFactory(), UserFactory()
    for person in (both, only_source):
        services.support_add(actor=person, government=scoped, proposal=source)
    for person in (both, only_target):
        services.support_add(actor=person, government=scoped, proposal=target)
    follower = UserFactory()
    Follow.objects.create(
        government=scoped,
        user=follower,
        kind="participation.proposal",
        object_id=source.pk,
        created_at=source.created_at,
    )
    services.proposal_merge(actor=None, government=scoped, source=source, target=target)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == Status.MERGED and source.merged_into == target
    assert target.supports_count == 3
    assert Support.objects.filter(proposal=target).count() == 3
    assert Follow.objects.filter(user=follower, kind="participation.proposal", object_id=target.pk).exists()
    assert AuditEntry.objects.filter(action="participation.proposal.merged").exists()
    with pytest.raises(ValidationError):
        services.proposal_merge(actor=None, government=scoped, source=target, target=target)


def test_hide_needs_a_reason_and_is_audited(scoped):
    process = factories.supporting_process(scoped)
    proposal = factories.proposal(scoped, process)
    with pytest.raises(ValidationError):
        services.proposal_set_hidden(actor=None, government=scoped, proposal=proposal, hidden=True, reason="")
    services.proposal_set_hidden(
        actor=None, government=scoped, proposal=proposal, hidden=True, reason="Contiene insultos a una persona."
    )
    proposal.refresh_from_db()
    assert proposal.is_hidden
    assert AuditEntry.objects.filter(action="participation.proposal.hidden").exists()
    services.proposal_set_hidden(actor=None, government=scoped, proposal=proposal, hidden=False)
    proposal.refresh_from_db()
    assert not proposal.is_hidden and AuditEntry.objects.filter(action="participation.proposal.shown").exists()


def test_a_reply_tells_the_author_of_the_comment_it_answers(scoped, django_capture_on_commit_callbacks):
    """Core's comments tell the author of a comment when someone replies to it (not the
    replier, and not when one answers oneself), through the notice of the commented object."""
    from minga.core.comments import services as comments

    process = factories.proposing_process(scoped)
    proposal = factories.proposal(scoped, process)
    first, second = make_verified_person(), make_verified_person()
    comment = comments.comment_create(
        actor=first, government=scoped, target_key="participation.proposal", obj=proposal, body="¿Y el costo?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        comments.comment_create(
            actor=first,
            government=scoped,
            target_key="participation.proposal",
            obj=proposal,
            body="Me respondo: unos 10.000 USD.",
            parent=comment,
        )
    assert not Notification.objects.filter(user=first, event="comment_reply").exists()
    with django_capture_on_commit_callbacks(execute=True):
        comments.comment_create(
            actor=second,
            government=scoped,
            target_key="participation.proposal",
            obj=proposal,
            body="Según el GAD, 12.000 USD.",
            parent=comment,
        )
    notice = Notification.objects.get(user=first, event="comment_reply")
    assert notice.kind == "participation.proposal" and notice.object_id == proposal.pk
    assert "12.000 USD" in notice.summary
    assert not Notification.objects.filter(user=second, event="comment_reply").exists()
