from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..access import requires
from ..exports import csv_response
from .forms import AuditFilterForm
from .selectors import action_prefixes, audit_entries, object_types


def _filtered(request):
    government = request.government
    form = AuditFilterForm(
        request.GET or None, actions=action_prefixes(government=government), types=object_types(government=government)
    )
    criteria = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entries(government=government, **{k: v for k, v in criteria.items() if v})
    return form, entries


@requires("core.view_audit")
@require_GET
def audit_log(request):
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "core/audit/log.html", {"form": form, "page": page, "query": query.urlencode()})


@requires("core.view_audit")
@require_GET
def audit_log_csv(request):
    _, entries = _filtered(request)
    rows = (
        (
            e.created_at.isoformat(),
            e.chain_key,
            e.sequence,
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.changes,
            e.entry_hash,
        )
        for e in entries.iterator()
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"auditoria-{request.government.slug}-{stamp}.csv",
        ["created_at", "chain", "sequence", "actor", "action", "object_type", "object_id", "object", "changes", "hash"],
        rows,
    )
