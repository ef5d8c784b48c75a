"""What the catalog's services share: the check of editable fields, audit records, the next
update a dataset promises and the recomputation of its quality once a change is committed.
Slugs and the audited values of a row come from core's CRUD kit (`minga.core.crud`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from minga.core.audit import services as audit

from .datasets.models import Dataset
from .quality import freshness, scores


def check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def record_change(*, actor, government, action: str, obj, before: dict, after: dict, now=None) -> None:
    audit.record(
        actor=actor, government=government, action=action, obj=obj, changes=audit.diff_fields(before, after), now=now
    )


def actor_pk(actor):
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def quality_later(government, dataset_id: int) -> None:
    """The quality score reads what the service wrote (metadata, resources, loads, the data
    dictionary): recompute it once the change is committed."""
    transaction.on_commit(lambda: scores.refresh_dataset(government=government, dataset_id=dataset_id), robust=True)


def refresh_due(dataset: Dataset, now: dt.datetime) -> None:
    due = freshness.next_update_due(dataset.frequency, timezone.localtime(now).date())
    Dataset.objects.for_government(dataset.government_id).filter(pk=dataset.pk).update(next_update_due=due)
    dataset.next_update_due = due
