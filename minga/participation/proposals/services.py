"""Writes of proposals and supports. Each service is keyword-only and atomic, checks the phase
(a proposal only while the current phase has ``propose``, a support while it has ``support``),
the verification the process asks for (core.verification), the process's limits and the
rate limit, and keeps the counts on the proposal. Citizens' writes are not audited (they are
their own acts, like comments) and say themselves that public pages changed; the officials'
writes (evaluation, hiding, merging) are audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core import ratelimit
from minga.core.audit import services as audit
from minga.core.crud import changed_fields, snapshot
from minga.core.images import clean_image
from minga.core.notifications import services as notifications
from minga.core.opendata import tables_changed
from minga.core.ui.page_cache import content_changed
from minga.core.verification import selectors as verification

from ..features import MODULE, PROPOSE, SUPPORT
from ..processes import selectors as process_selectors
from . import rules
from .models import EVALUABLE_STATUSES, OPEN_STATUSES, Proposal, Status, Support

PROPOSE_ACTION = "participation.propose"
SUPPORT_ACTION = "participation.support"
PHOTO_MAX_SIDE = 1600
# Bursts: a person submits at most this many proposals an hour and supports this many a minute.
PROPOSALS_PER_HOUR = 5
SUPPORTS_PER_MINUTE = 30
EDITABLE_FIELDS = ("title", "body", "category", "territory_code", "latitude", "longitude")


def _now(now):
    return now or timezone.now()


def _rate_limit(key: str, *, limit: int, window: int) -> None:
    decision = ratelimit.hit(key, limit=limit, window=window)
    if not decision.allowed:
        minutes = max(1, round(decision.retry_after / 60))
        raise ValidationError(
            _("Too many in a short time. Try again in %(minutes)d minutes.") % {"minutes": minutes},
            code="rate_limited",
        )


def _check_verification(user, government, action: str, level, process) -> verification.Check:
    found = verification.check_action(user, government, action, level=level)
    if not found.allowed:
        raise ValidationError(
            " ".join(part for part in (found.message, found.next_step) if part), code="verification_required"
        )
    return found


def _clean_fields(process, values: dict) -> dict:
    """Title, body, category, territory and location checked; errors keyed by field."""
    errors: dict[str, str] = {}
    title = str(values.get("title") or "").strip()
    body = str(values.get("body") or "").strip()
    if len(title) < 10:
        errors["title"] = _("Write a title of at least 10 characters that says what you propose.")
    elif len(title) > 150:
        errors["title"] = _("Use at most 150 characters for the title.")
    if len(body) < 30:
        errors["body"] = _("Describe the proposal in at least 30 characters: what, where and why.")
    elif len(body) > 6000:
        errors["body"] = _("Use at most 6,000 characters for the description.")
    category = str(values.get("category") or "").strip()
    if category not in rules.categories(process):
        errors["category"] = _("Choose one of the process's categories.")
    territories = dict(rules.territory_choices(process))
    code = str(values.get("territory_code") or "").strip()
    if territories and code not in territories:
        errors["territory_code"] = _("Choose one of the process's territories.")
    elif not territories:
        code = ""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None or latitude == "") != (longitude is None or longitude == ""):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    elif latitude not in (None, ""):
        try:
            latitude, longitude = Decimal(str(latitude)), Decimal(str(longitude))
        except InvalidOperation:
            errors["latitude"] = _("Latitude and longitude are numbers, such as -0.95 and -80.73.")
        else:
            if not (-5.1 <= latitude <= 1.7 and -92.1 <= longitude <= -75.1):
                errors["latitude"] = _("The point is outside Ecuador: check latitude and longitude (WGS 84).")
            latitude, longitude = latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))
    else:
        latitude = longitude = None
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "body": body,
        "category": category,
        "territory_code": code,
        "territory_name": territories.get(code, ""),
        "latitude": latitude,
        "longitude": longitude,
    }


def _store_photo(proposal: Proposal, photo) -> None:
    try:
        cleaned = clean_image(photo, max_side=PHOTO_MAX_SIDE)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    if proposal.photo:
        proposal.photo.delete(save=False)
    proposal.photo.save(cleaned.name, cleaned, save=False)


def _changed(government, proposal, reason: str) -> None:
    content_changed(government, reason=reason)
    tables_changed(government=government, module=MODULE)


def _reindex(*proposals: Proposal) -> None:
    """The proposals' documents of the global search (gone while hidden or not public)."""
    from .. import search

    for proposal in proposals:
        search.index(search.PROPOSAL_KIND, proposal)


# Citizens ------------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, actor, government, process, values: dict, photo=None, now=None) -> Proposal:
    """A citizen's proposal in a process whose current phase has ``propose``."""
    now = _now(now)
    if not process_selectors.feature_on(process, PROPOSE, now):
        raise ValidationError(_("Proposals are not being received in this process right now."), code="phase_closed")
    _check_verification(actor, government, PROPOSE_ACTION, rules.propose_level(process), process)
    cleaned = _clean_fields(process, values)
    limit = rules.proposals_per_person(process)
    if limit:
        mine = (
            Proposal.objects.for_government(government)
            .filter(process=process, author=actor)
            .exclude(status=Status.WITHDRAWN)
            .count()
        )
        if mine >= limit:
            raise ValidationError(
                _("You have already submitted %(n)d proposals in this process, the most it allows.") % {"n": limit},
                code="limit",
            )
    _rate_limit(f"proposals:create:{actor.pk}", limit=PROPOSALS_PER_HOUR, window=3600)
    proposal = Proposal(government=government, process=process, author=actor, created_at=now, **cleaned)
    proposal.full_clean(exclude=["photo"])
    if photo:
        _store_photo(proposal, photo)
    proposal.save()
    notifications.follow(user=actor, government=government, target=proposal, now=now)
    _changed(government, proposal, "participation.proposal.created")
    _reindex(proposal)
    return proposal


def editable_refusal(proposal: Proposal, user) -> str:
    """Why this person may not edit the proposal now ("" when they may)."""
    if not getattr(user, "is_authenticated", False) or proposal.author_id != user.pk:
        return _("Only the author can edit a proposal.")
    if proposal.status != Status.PUBLISHED or proposal.is_hidden:
        return _("This proposal can no longer be edited.")
    if proposal.supports_count > 0:
        return _("The proposal has supports: it can no longer be edited, so that nobody supports something else.")
    return ""


@transaction.atomic
def proposal_update(
    *, actor, government, proposal: Proposal, values: dict, photo=None, remove_photo=False, now=None
) -> Proposal:
    """The author's changes, until the first support (checked under a row lock, so a support
    arriving meanwhile wins)."""
    proposal = Proposal.objects.for_government(government).select_for_update().get(pk=proposal.pk)
    refusal = editable_refusal(proposal, actor)
    if refusal:
        raise ValidationError(refusal, code="not_editable")
    cleaned = _clean_fields(proposal.process, values)
    for name, value in cleaned.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["photo"])
    if photo:
        _store_photo(proposal, photo)
    elif remove_photo and proposal.photo:
        proposal.photo.delete(save=False)
        proposal.photo = ""
    proposal.save()
    _changed(government, proposal, "participation.proposal.updated")
    _reindex(proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, government, proposal: Proposal, reason: str, now=None) -> Proposal:
    """The author withdraws the proposal; it stays visible as withdrawn, with the reason."""
    proposal = Proposal.objects.for_government(government).select_for_update().get(pk=proposal.pk)
    if not getattr(actor, "is_authenticated", False) or proposal.author_id != actor.pk:
        raise ValidationError(_("Only the author can withdraw a proposal."))
    if proposal.status not in OPEN_STATUSES:
        raise ValidationError(_("This proposal can no longer be withdrawn."))
    reason = str(reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say in a few words why you withdraw it: it is published.")})
    proposal.status = Status.WITHDRAWN
    proposal.withdrawn_reason = reason[:1000]
    proposal.withdrawn_at = _now(now)
    proposal.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "updated_at"])
    notifications.notify(
        government=government,
        target=proposal,
        event="withdrawn",
        title=lambda: _("Proposal withdrawn: %(title)s") % {"title": proposal.title},
        summary=proposal.withdrawn_reason,
        actor=actor,
    )
    _changed(government, proposal, "participation.proposal.withdrawn")
    _reindex(proposal)
    return proposal


def _reach_threshold(government, proposal: Proposal, now) -> bool:
    """A published proposal with enough supports goes to technical evaluation."""
    limit = rules.threshold(proposal.process)
    if proposal.status == Status.PUBLISHED and limit and proposal.supports_count >= limit:
        proposal.status = Status.EVALUATING
        proposal.save(update_fields=["status", "updated_at"])
        notifications.notify(
            government=government,
            target=proposal,
            event="threshold",
            title=lambda: _("Your proposal goes to technical evaluation: %(title)s") % {"title": proposal.title},
            summary=lambda: _("It reached the %(n)d supports the process asks for.") % {"n": limit},
            now=now,
        )
        return True
    return False


@transaction.atomic
def support_add(*, actor, government, proposal: Proposal, now=None) -> Support:
    """One person supports a proposal, once (the database refuses a second support of the
    same account or the same verified person)."""
    now = _now(now)
    proposal = Proposal.objects.for_government(government).select_for_update().get(pk=proposal.pk)
    process = proposal.process
    if not process_selectors.feature_on(process, SUPPORT, now):
        raise ValidationError(_("Supports are not being collected in this process right now."), code="phase_closed")
    if not proposal.is_open:
        raise ValidationError(_("This proposal no longer takes supports."), code="closed")
    found = _check_verification(actor, government, SUPPORT_ACTION, rules.support_level(process), process)
    if proposal.author_id == actor.pk:
        raise ValidationError(_("You cannot support your own proposal."), code="own")
    supports = Support.objects.for_government(government)
    if supports.filter(proposal=proposal, user=actor).exists() or (
        found.identity_id and supports.filter(proposal=proposal, identity_id=found.identity_id).exists()
    ):
        raise ValidationError(_("You already support this proposal."), code="duplicate")
    limit = rules.supports_per_person(process)
    if limit and supports.filter(process=process, user=actor).count() >= limit:
        raise ValidationError(
            _(
                "You have already given the %(n)d supports this process allows each person. Withdraw one to support this."
            )
            % {"n": limit},
            code="limit",
        )
    _rate_limit(f"proposals:support:{actor.pk}", limit=SUPPORTS_PER_MINUTE, window=60)
    try:
        with transaction.atomic():
            support = supports.create(
                government=government,
                proposal=proposal,
                process=process,
                user=actor,
                identity_id=found.identity_id,
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("You already support this proposal."), code="duplicate") from None
    Proposal.objects.for_government(government).filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
    proposal.refresh_from_db(fields=["supports_count"])
    _reach_threshold(government, proposal, now)
    _changed(government, proposal, "participation.support.created")
    return support


@transaction.atomic
def support_withdraw(*, actor, government, proposal: Proposal, now=None) -> bool:
    """A person takes back their support while the support phase lasts; False when they did
    not support it."""
    now = _now(now)
    proposal = Proposal.objects.for_government(government).select_for_update().get(pk=proposal.pk)
    if not process_selectors.feature_on(proposal.process, SUPPORT, now):
        raise ValidationError(_("Supports can only be withdrawn while the support phase lasts."), code="phase_closed")
    deleted, _counts = Support.objects.for_government(government).filter(proposal=proposal, user=actor).delete()
    if not deleted:
        return False
    Proposal.objects.for_government(government).filter(pk=proposal.pk, supports_count__gt=0).update(
        supports_count=F("supports_count") - 1
    )
    _changed(government, proposal, "participation.support.deleted")
    return True


def comments_recount(government, proposal_id: int) -> None:
    """Keep ``comments_count`` in step with the thread: every comment the public reads,
    replies and official answers included (core/comments calls back on each change)."""
    from minga.core.comments.selectors import shown_count

    from .registry import COMMENT_TARGET

    count = shown_count(government, COMMENT_TARGET, proposal_id)
    Proposal.objects.for_government(government).filter(pk=proposal_id).update(comments_count=count)


def comment_added(*, government, proposal: Proposal, comment, now) -> None:
    """A comment was written on the proposal (core/comments calls back): make the writer
    follow the proposal and tell its followers (the author among them). Core counts it
    through ``comments_recount``."""
    notifications.follow(user=comment.author, government=government, target=proposal, now=now)
    notifications.notify(
        government=government,
        target=proposal,
        event="comment",
        title=lambda: _("New comment on: %(title)s") % {"title": proposal.title},
        summary=comment.body[:300],
        actor=comment.author,
        now=now,
    )


# Officials -----------------------------------------------------------------------------------


def _locked(government, proposal: Proposal) -> Proposal:
    return Proposal.objects.for_government(government).select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_evaluate(
    *, actor, government, proposal: Proposal, feasible: bool, cost_estimate, answer: str, now=None
) -> Proposal:
    """The technical evaluation: feasible or not, a cost estimate (USD) and the published
    answer. Followers (the author among them) are told."""
    now = _now(now)
    proposal = _locked(government, proposal)
    if proposal.status not in EVALUABLE_STATUSES:
        raise ValidationError(_("A withdrawn or merged proposal is not evaluated."))
    answer = str(answer or "").strip()
    errors = {}
    if len(answer) < 20:
        errors["answer"] = _("Write the published answer (at least 20 characters): citizens read why.")
    if cost_estimate not in (None, ""):
        try:
            cost_estimate = Decimal(str(cost_estimate)).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors["cost_estimate"] = _("Enter an amount in dollars, such as 12500.50.")
        else:
            if cost_estimate < 0:
                errors["cost_estimate"] = _("The cost cannot be negative.")
    else:
        cost_estimate = None
    if errors:
        raise ValidationError(errors)
    before = snapshot(proposal)
    proposal.status = Status.FEASIBLE if feasible else Status.NOT_FEASIBLE
    proposal.cost_estimate = cost_estimate
    proposal.evaluation_answer = answer
    proposal.evaluated_at = now
    proposal.save()
    audit.record(
        actor=actor,
        government=government,
        action="participation.proposal.evaluated",
        obj=proposal,
        changes=changed_fields(proposal, before),
        now=now,
    )
    status = proposal.get_status_display()
    notifications.notify(
        government=government,
        target=proposal,
        event="evaluated",
        title=lambda: _("Proposal evaluated: %(title)s") % {"title": proposal.title},
        summary=lambda: f"{status}. {answer[:300]}",
        actor=actor,
        now=now,
    )
    tables_changed(government=government, module=MODULE)
    _reindex(proposal)
    return proposal


@transaction.atomic
def proposal_set_hidden(*, actor, government, proposal: Proposal, hidden: bool, reason: str = "", now=None) -> Proposal:
    """Moderation: hide with a published reason, or show again. Audited."""
    now = _now(now)
    proposal = _locked(government, proposal)
    reason = str(reason or "").strip()
    if hidden and len(reason) < 10:
        raise ValidationError({"reason": _("Give the reason for hiding it (at least 10 characters): it is published.")})
    before = snapshot(proposal)
    proposal.is_hidden = hidden
    proposal.hidden_reason = reason[:1000] if hidden else ""
    proposal.hidden_at = now if hidden else None
    proposal.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
    audit.record(
        actor=actor,
        government=government,
        action="participation.proposal.hidden" if hidden else "participation.proposal.shown",
        obj=proposal,
        changes=changed_fields(proposal, before),
        now=now,
    )
    tables_changed(government=government, module=MODULE)
    _reindex(proposal)
    return proposal


@transaction.atomic
def proposal_merge(*, actor, government, source: Proposal, target: Proposal, now=None) -> Proposal:
    """Merge the duplicate ``source`` into ``target``: the source shows "merged into", its
    supports move to the target without counting anyone twice (a person who supported both
    counts once), its followers follow the target. Audited."""
    now = _now(now)
    first, second = sorted([source.pk, target.pk])
    locked = {
        p.pk: p for p in Proposal.objects.for_government(government).select_for_update().filter(pk__in=[first, second])
    }
    source, target = locked.get(source.pk), locked.get(target.pk)
    if source is None or target is None or source.pk == target.pk:
        raise ValidationError({"target": _("Choose another proposal of the same process.")})
    if source.process_id != target.process_id:
        raise ValidationError({"target": _("Both proposals must belong to the same process.")})
    if source.status in (Status.MERGED, Status.WITHDRAWN):
        raise ValidationError(_("This proposal was already merged or withdrawn."))
    if target.status in (Status.MERGED, Status.WITHDRAWN) or target.is_hidden:
        raise ValidationError(
            {"target": _("The proposal to merge into must be open: not merged, withdrawn or hidden.")}
        )
    supports = Support.objects.for_government(government)
    in_target = supports.filter(proposal=target)
    users = set(in_target.values_list("user_id", flat=True))
    identities = set(in_target.exclude(identity_id__isnull=True).values_list("identity_id", flat=True))
    moving, dropped = [], []
    for support in supports.filter(proposal=source).order_by("pk"):
        if support.user_id in users or (support.identity_id and support.identity_id in identities):
            dropped.append(support.pk)
            continue
        users.add(support.user_id)
        if support.identity_id:
            identities.add(support.identity_id)
        moving.append(support.pk)
    supports.filter(pk__in=dropped).delete()
    supports.filter(pk__in=moving).update(proposal=target)
    # The author of the target cannot support it: their support of the duplicate goes.
    if target.author_id:
        supports.filter(proposal=target, user_id=target.author_id).delete()
    target.supports_count = supports.filter(proposal=target).count()
    # The comments stay in the source's thread, and so in its count.
    target.save(update_fields=["supports_count", "updated_at"])
    target.refresh_from_db()
    before = snapshot(source)
    source.status = Status.MERGED
    source.merged_into = target
    source.merged_at = now
    source.supports_count = 0
    source.save()
    _move_followers(government, source, target, now)
    audit.record(
        actor=actor,
        government=government,
        action="participation.proposal.merged",
        obj=source,
        changes={
            **changed_fields(source, before),
            "merged_into": [None, target.pk],
            "supports_moved": len(moving),
            "supports_counted_once": len(dropped),
        },
        now=now,
    )
    notifications.notify(
        government=government,
        target=source,
        event="merged",
        title=lambda: _("Proposal merged: %(title)s") % {"title": source.title},
        summary=lambda: _("It was merged into “%(other)s”, which keeps its supports.") % {"other": target.title},
        actor=actor,
        now=now,
    )
    _reach_threshold(government, target, now)
    tables_changed(government=government, module=MODULE)
    _reindex(source, target)
    return source


def _move_followers(government, source: Proposal, target: Proposal, now) -> None:
    from minga.core.notifications.models import Follow

    from .registry import FOLLOW_KIND

    follows = Follow.objects.for_government(government)
    already = set(follows.filter(kind=FOLLOW_KIND, object_id=target.pk).values_list("user_id", flat=True))
    new = [
        Follow(government=government, user_id=user_id, kind=FOLLOW_KIND, object_id=target.pk, created_at=now)
        for user_id in follows.filter(kind=FOLLOW_KIND, object_id=source.pk).values_list("user_id", flat=True)
        if user_id not in already
    ]
    Follow.objects.for_government(government).bulk_create(new, ignore_conflicts=True)


def recount(government, process) -> int:
    """Repair the support and comment counts of a process's proposals from the rows
    (maintenance); returns how many support counts were wrong."""
    fixed = 0
    counts = dict(
        Support.objects.for_government(government)
        .filter(process=process)
        .values("proposal_id")
        .annotate(n=Count("pk"))
        .values_list("proposal_id", "n")
    )
    for proposal in Proposal.objects.for_government(government).filter(process=process).only("pk", "supports_count"):
        if proposal.supports_count != counts.get(proposal.pk, 0):
            Proposal.objects.for_government(government).filter(pk=proposal.pk).update(
                supports_count=counts.get(proposal.pk, 0)
            )
            fixed += 1
    for pk in Proposal.objects.for_government(government).filter(process=process).values_list("pk", flat=True):
        comments_recount(government, pk)
    return fixed
