from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..access import public, requires
from ..exports import csv_response
from .forms import AuditFilterForm
from .selectors import (
    FEED_DAYS,
    action_prefixes,
    audit_entries,
    chain_labels,
    chain_names,
    daily_checkpoints,
    latest_checkpoint,
    object_types,
)


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


def _heads(checkpoint, labels):
    return [
        {"chain": chain, "government": labels.get(chain, ""), "sequence": sequence, "hash": digest}
        for chain, sequence, digest in checkpoint.heads
    ]


def _named(heads):
    """The heads with the government's name, for people (the feed keeps the stable slug)."""
    names = chain_names()
    return [{**head, "name": names.get(head["chain"], head["government"])} for head in heads]


@public
@require_GET
def chain_heads(request):
    """Public page of the signed chain heads: anyone may archive them and later check the log
    with `minga audit verify --against`."""
    checkpoint = latest_checkpoint()
    context = {
        "checkpoint": checkpoint,
        "heads": _named(_heads(checkpoint, chain_labels())) if checkpoint else [],
        "days": daily_checkpoints(),
        "feed_days": FEED_DAYS,
        "feed_url": request.build_absolute_uri(reverse("core:audit_heads_json")),
    }
    response = render(request, "core/audit/heads.html", context)
    patch_cache_control(response, public=True, max_age=300)
    return response


@public
@require_GET
def chain_heads_json(request):
    labels = chain_labels()
    data = {
        "format": "minga-audit-heads/1",
        "about": "Signed heads of the audit chains, the last checkpoint of each of the last "
        f"{FEED_DAYS} days. Save a copy; `minga audit verify --against <copy>` checks the log against it.",
        "generated_at": timezone.now().isoformat(),
        "checkpoints": [
            {
                "sequence": checkpoint.sequence,
                "created_at": checkpoint.created_at.isoformat(),
                "key_id": checkpoint.key_id,
                "signature": checkpoint.signature,
                "heads": _heads(checkpoint, labels),
            }
            for checkpoint in daily_checkpoints()
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    patch_cache_control(response, public=True, max_age=300)
    return response
