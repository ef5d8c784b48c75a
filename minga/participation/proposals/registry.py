"""What proposals lend to the platform through the module manifest (participation/apps.py adds
each tuple or dict here to its own): the verification actions, the followable kind, the
comment target, and the link kind "participation.proposal" that participatory-budget projects,
results and public works point to."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.registry import CommentTarget, Followable, LinkedRecord, VerificationAction
from minga.core.tenancy.paths import government_path
from minga.core.tenancy.scoping import government_scope
from minga.core.verification import selectors as verification
from minga.core.verification.levels import Level

from ..features import COMMENT
from ..processes import selectors as process_selectors
from ..processes.settings import verification_key
from .models import Proposal

FOLLOW_KIND = "participation.proposal"
COMMENT_TARGET = "participation.proposal"
LINK_KIND = "participation.proposal"


def proposal_path(proposal: Proposal) -> str:
    return government_path("participation:proposal_detail", slug=proposal.process.slug, pk=proposal.pk)


def _public(proposals):
    return proposals.filter(is_hidden=False, process__is_published=True)


ACTIONS = (
    VerificationAction(
        "participation.propose", gettext_lazy("submit a proposal"), default_level=Level.EMAIL, minimum_level=Level.NONE
    ),
    VerificationAction(
        "participation.support", gettext_lazy("support a proposal"), default_level=Level.EMAIL, minimum_level=Level.NONE
    ),
)

FOLLOWABLES = (
    Followable(
        kind=FOLLOW_KIND,
        model="participation.Proposal",
        label=gettext_lazy("Proposals"),
        description=gettext_lazy("When a proposal you follow is evaluated, merged, withdrawn or commented on."),
        title=lambda proposal: proposal.title,
        path=proposal_path,
        public=_public,
    ),
)


# Comments ------------------------------------------------------------------------------------


def _lookup(government, object_id: int, user):
    return _public(Proposal.objects.for_government(government)).select_related("process").filter(pk=object_id).first()


def _describe(government, ids: list[int]) -> dict[int, tuple[str, str]]:
    found = Proposal.objects.for_government(government).filter(pk__in=ids).select_related("process")
    return {proposal.pk: (proposal.title, proposal_path(proposal)) for proposal in found}


def _closed_reason(proposal: Proposal, user) -> str:
    process = proposal.process
    if not process_selectors.feature_on(process, COMMENT, timezone.now()):
        return _("Comments are open only while a phase of the process allows them.")
    level = (process.settings or {}).get(verification_key(COMMENT), "email")
    found = verification.check(user, proposal.process.government, level, action_label=_("comment"))
    if not found.allowed:
        return " ".join(part for part in (found.message, found.next_step) if part)
    return ""


def _on_created(*, government, comment, obj, data, now) -> None:
    from . import services

    services.comment_added(government=government, proposal=obj, comment=comment, now=now)


def _recount(government, object_id: int) -> None:
    from . import services

    services.comments_recount(government, object_id)


COMMENT_TARGETS = (
    CommentTarget(
        key=COMMENT_TARGET,
        module="participation",
        label=gettext_lazy("Proposal"),
        lookup=_lookup,
        url=proposal_path,
        describe=_describe,
        closed_reason=_closed_reason,
        alignment=True,
        on_created=_on_created,
        on_shown_changed=_recount,
    ),
)


# Links ---------------------------------------------------------------------------------------


def _record(proposal: Proposal) -> LinkedRecord:
    return LinkedRecord(
        kind=LINK_KIND,
        key=str(proposal.pk),
        title=proposal.title,
        url=proposal_path(proposal),
        module="participation",
        facts={
            "status": proposal.get_status_display(),
            "supports": proposal.supports_count,
            "process": proposal.process.title,
            "territory": proposal.territory_name,
            "cost_estimate": proposal.cost_estimate,
        },
    )


def resolve(government, keys: list[str]) -> dict[str, LinkedRecord]:
    ids = [int(key) for key in keys if str(key).isdigit()]
    with government_scope(government):
        found = _public(Proposal.objects.for_government(government)).select_related("process").filter(pk__in=ids)
        return {str(proposal.pk): _record(proposal) for proposal in found}


def search(government, text: str, limit: int) -> list[LinkedRecord]:
    with government_scope(government):
        found = _public(Proposal.objects.for_government(government)).select_related("process")
        if text.isdigit():
            found = found.filter(pk=int(text))
        elif text:
            found = found.filter(title__icontains=text)
        return [_record(proposal) for proposal in found.order_by("-created_at")[: max(1, min(limit, 100))]]


LINK_RESOLVERS = {LINK_KIND: resolve}
LINK_SEARCH = {LINK_KIND: search}
