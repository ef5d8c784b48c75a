"""E-mails to the followers of a dataset or a data request when it changes, each in the
follower's language. Services schedule them with transaction.on_commit, so nobody is told about
a change that was rolled back."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from minga.core.tenancy.paths import government_link, government_path

from ..datasets import publishers
from ..datasets.models import Dataset
from ..quality import freshness
from .models import DataRequest, Follow


def _absolute(government, relative: str, origin: str) -> str:
    link = government_link(government, relative)
    if link.startswith("//"):
        return "https:" + link
    return (origin or settings.SITE_URL or "").rstrip("/") + link


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


def notify_overdue(*, government, now=None, origin: str = "") -> int:
    """Tell the publishing units of late datasets, once per late period: one e-mail per
    address (the dataset's publisher e-mail, else its unit's contact e-mail from the
    organisation chart, else the dataset's contact e-mail) listing its late
    datasets with links to the back office, in the language of the person with that address
    (Spanish when nobody has an account with it). Returns the number of e-mails sent."""
    now = now or timezone.now()
    today = freshness.government_today(government, now=now)
    late = freshness.attach(freshness.overdue_to_notify(government, today=today), government=government, today=today)
    directory = publishers.Directory()
    by_address: dict[str, list] = {}
    for dataset in late:
        by_address.setdefault(directory.notice_address(dataset, government), []).append(dataset)
    if not by_address:
        return 0
    languages = {
        email.lower(): language
        for email, language in get_user_model()
        .objects.filter(email__in=[a.lower() for a in by_address] + list(by_address), is_active=True)
        .values_list("email", "preferred_language")
    }
    panel = _absolute(government, government_path("catalog:office_freshness"), origin)
    sent = 0
    for address, datasets in by_address.items():
        datasets.sort(key=lambda d: (-d.freshness.days, d.title.lower()))
        for dataset in datasets:
            dataset.office_link = _absolute(
                government, government_path("catalog:office_dataset", pk=dataset.pk), origin
            )
        context = {"government": government, "datasets": datasets, "panel_link": panel, "count": len(datasets)}
        with translation.override(languages.get(address.lower()) or settings.LANGUAGE_CODE):
            subject = render_to_string("catalog/email/dataset_overdue_subject.txt", context)
            body = render_to_string("catalog/email/dataset_overdue.txt", context)
        send_mail(" ".join(subject.split()), body, None, [address])
        # Marked per address once its e-mail is out: a failure later on leaves the others to retry.
        Dataset.objects.for_government(government).filter(pk__in=[d.pk for d in datasets]).update(overdue_notified_at=now)
        sent += 1
    return sent
