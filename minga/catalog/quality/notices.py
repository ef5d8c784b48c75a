"""E-mails to the publishing units of late datasets (the daily job ``catalog.notify_overdue``):
one per address, in the language of the person with that address. These go to the units'
work addresses, not to followers: follows and their notices are core's (core/notifications)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from minga.core.tenancy.paths import government_link, government_path

from ..datasets import publishers
from ..datasets.models import Dataset
from . import freshness


def _absolute(government, relative: str, origin: str) -> str:
    link = government_link(government, relative)
    if link.startswith("//"):
        return "https:" + link
    return (origin or settings.SITE_URL or "").rstrip("/") + link


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
        Dataset.objects.for_government(government).filter(pk__in=[d.pk for d in datasets]).update(
            overdue_notified_at=now
        )
        sent += 1
    return sent
