import datetime as dt

from django.db.models import QuerySet

from .models import AuditEntry


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
