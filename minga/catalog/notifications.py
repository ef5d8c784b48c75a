"""E-mails to the followers of a dataset or a data request when it changes, each in the
follower's language. Services schedule them with transaction.on_commit, so nobody is told about
a change that was rolled back."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from minga.core.tenancy.paths import government_link, government_path

from .models import DataRequest, Dataset, Follow


def _absolute(government, relative: str, origin: str) -> str:
    link = government_link(government, relative)
    if link.startswith("//"):
        return "https:" + link
    return (origin or "").rstrip("/") + link


def _send(users, *, template: str, context: dict) -> int:
    sent = 0
    for user in users:
        if not user.is_active or not user.email:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"catalog/email/{template}_subject.txt", {**context, "user": user})
            body = render_to_string(f"catalog/email/{template}.txt", {**context, "user": user})
        send_mail(" ".join(subject.split()), body, None, [user.email])
        sent += 1
    return sent


def _followers(government, **target):
    follows = Follow.objects.with_scope(government=government).filter(**target).select_related("user")
    return [follow.user for follow in follows]


def notify_dataset_followers(
    *, government, dataset_id: int, change: str, origin: str = "", exclude_user_id=None
) -> int:
    dataset = Dataset.objects.with_scope(government=government).filter(pk=dataset_id, is_published=True).first()
    if dataset is None:
        return 0
    users = [u for u in _followers(government, dataset_id=dataset_id) if u.pk != exclude_user_id]
    link = _absolute(government, government_path("catalog:dataset_detail", slug=dataset.slug), origin)
    context = {"government": government, "dataset": dataset, "change": change, "link": link}
    return _send(users, template="dataset_changed", context=context)


def notify_request_followers(*, government, request_id: int, origin: str = "", exclude_user_id=None) -> int:
    data_request = DataRequest.objects.with_scope(government=government).filter(pk=request_id).first()
    if data_request is None:
        return 0
    users = [u for u in _followers(government, request_id=request_id) if u.pk != exclude_user_id]
    link = _absolute(government, government_path("catalog:request_detail", pk=data_request.pk), origin)
    context = {"government": government, "data_request": data_request, "link": link}
    return _send(users, template="request_changed", context=context)
