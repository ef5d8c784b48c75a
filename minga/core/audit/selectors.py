import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from ..tenancy.models import Government
from .models import AuditCheckpoint, AuditEntry


def audit_entries(
    *,
    government,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """A government's audit entries, newest first, filtered by allowlisted criteria."""
    entries = AuditEntry.objects.filter(government=government).select_related("actor")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-sequence")


def action_prefixes(*, government) -> list[str]:
    """Module and object prefixes present in the log (for the filter list)."""
    actions = AuditEntry.objects.filter(government=government).values_list("action", flat=True).distinct()
    prefixes = set()
    for action in actions:
        parts = action.split(".")
        prefixes.add(parts[0])
        prefixes.add(".".join(parts[:2]))
    return sorted(prefixes)


def object_types(*, government) -> list[str]:
    return sorted(
        t
        for t in AuditEntry.objects.filter(government=government).values_list("object_type", flat=True).distinct()
        if t
    )


FEED_DAYS = 31


def daily_checkpoints(*, days: int = FEED_DAYS, now: dt.datetime | None = None) -> list[AuditCheckpoint]:
    """The last checkpoint of each of the last `days` days, newest first (the public feed)."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    by_day: dict[dt.date, AuditCheckpoint] = {}
    for checkpoint in AuditCheckpoint.objects.filter(created_at__gte=since).order_by("sequence"):
        by_day[timezone.localdate(checkpoint.created_at)] = checkpoint
    return sorted(by_day.values(), key=lambda checkpoint: checkpoint.sequence, reverse=True)


def latest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-sequence").first()


def chain_labels() -> dict[str, str]:
    """{chain key: government slug} ("platform" for the platform chain), for the public page."""
    labels = {f"government:{pk}": slug for pk, slug in Government.objects.values_list("pk", "slug")}
    labels["platform"] = "platform"
    return labels


def chain_names() -> dict[str, str]:
    """{chain key: government name} for people reading the public page."""
    return {f"government:{pk}": name for pk, name in Government.objects.values_list("pk", "name")}
