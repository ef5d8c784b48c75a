"""Writes of the citizens' side of the catalog: data requests, their supports and answers
(audited where an official acts). Asking for data or supporting a request follows it (core's
follows); followers are told after the commit (``follows.py``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.crud import snapshot
from minga.core.notifications import services as notifications
from minga.core.search import services as search
from minga.core.ui.page_cache import content_changed

from ..changes import record_change
from ..datasets.models import Dataset
from . import follows
from .models import DataRequest, DataRequestSupport

ANSWER_STATUSES = (DataRequest.Status.ANSWERED, DataRequest.Status.FULFILLED, DataRequest.Status.REJECTED)
REQUEST_KIND = "catalog.request"


# Data requests ---------------------------------------------------------------------------


def can_request(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "email_verified_at", None))


@transaction.atomic
def request_create(*, actor, government, title: str, description: str, now: dt.datetime | None = None) -> DataRequest:
    """A citizen's request; only people with a verified e-mail may ask (they get the answer
    by e-mail as followers)."""
    if not can_request(actor):
        raise ValidationError(_("Confirm your e-mail address before requesting data."))
    now = now or timezone.now()
    data_request = DataRequest(
        government=government,
        title=" ".join(title.split()),
        description=description.strip(),
        requester=actor,
        created_at=now,
    )
    data_request.full_clean()
    data_request.save()
    notifications.follow(user=actor, government=government, target=data_request, now=now)
    search.index_object(kind=REQUEST_KIND, obj=data_request)
    # Not audited (a citizen's write): the service itself refreshes the cached request list.
    content_changed(government, reason="catalog.request.created")
    return data_request


@transaction.atomic
def request_support(*, actor, government, data_request: DataRequest, now: dt.datetime | None = None) -> bool:
    """Add the person's support (and follow the request). False when they already support
    it: the database refuses a second support."""
    if not can_request(actor):
        raise ValidationError(_("Confirm your e-mail address before supporting a request."))
    now = now or timezone.now()
    data_request = DataRequest.objects.for_government(government).select_for_update().get(pk=data_request.pk)
    if not data_request.is_open:
        raise ValidationError(_("This request is closed: it cannot receive more supports."))
    try:
        with transaction.atomic():
            DataRequestSupport.objects.for_government(government).create(
                government=government, request=data_request, user=actor, created_at=now
            )
    except IntegrityError:
        return False
    DataRequest.objects.for_government(government).filter(pk=data_request.pk).update(
        support_count=F("support_count") + 1
    )
    notifications.follow(user=actor, government=government, target=data_request, now=now)
    content_changed(government, reason="catalog.request.supported")  # the count on the list
    return True


@transaction.atomic
def request_answer(
    *,
    actor,
    government,
    data_request: DataRequest,
    status: str,
    answer: str,
    fulfilled_by: Dataset | None = None,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> DataRequest:
    """An official answers: answered (with an explanation), fulfilled (linking the dataset)
    or rejected (with the reason). Followers get an e-mail."""
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose answered, fulfilled or rejected.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer citizens will read.")})
    now = now or timezone.now()
    data_request = DataRequest.objects.for_government(government).select_for_update().get(pk=data_request.pk)
    before = snapshot(data_request)
    data_request.status = status
    data_request.answer = answer.strip()
    data_request.fulfilled_by = fulfilled_by if status == DataRequest.Status.FULFILLED else None
    data_request.answered_at = now
    data_request.full_clean()
    data_request.save()
    after = snapshot(data_request)
    action = {
        DataRequest.Status.ANSWERED: "catalog.request.answered",
        DataRequest.Status.FULFILLED: "catalog.request.fulfilled",
        DataRequest.Status.REJECTED: "catalog.request.rejected",
    }[status]
    record_change(
        actor=actor, government=government, action=action, obj=data_request, before=before, after=after, now=now
    )
    search.index_object(kind=REQUEST_KIND, obj=data_request)
    if notify:
        follows.request_answered(government=government, data_request=data_request, actor=actor)
    return data_request
