"""The e-mails of notices: one at once, or a daily or weekly digest per person, each in the
person's language, with absolute links (``settings.SITE_URL`` or the government's own host),
and with a signed one-click unsubscribe link in the body and in the RFC 8058 headers
(``List-Unsubscribe`` and ``List-Unsubscribe-Post``). The address is read when the message is
sent; nothing but the person's id is stored with a notice."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..tenancy.models import Government
from ..tenancy.paths import government_link, government_path
from . import followables
from .models import Delivery, Notification
from .services import deliveries

logger = logging.getLogger("minga.notifications")

UNSUBSCRIBE_SALT = "minga.core.notifications.unsubscribe"  # noqa: S105  (a namespace, not a secret)


# Links -----------------------------------------------------------------------------------


def absolute(government, relative_path: str) -> str:
    """An absolute address of a government-relative path (the government's own host, else
    SITE_URL with /g/<slug>/), or of a platform path when ``government`` is None."""
    link = government_link(government, relative_path) if government is not None else relative_path
    if link.startswith("//"):
        return "https:" + link
    return settings.SITE_URL.rstrip("/") + link


def _account_path(government, name: str, **kwargs) -> str:
    if government is not None:
        return government_path(name, **kwargs)
    return reverse(name, urlconf=settings.ROOT_URLCONF, kwargs=kwargs or None)


def preferences_url(government=None) -> str:
    return absolute(government, _account_path(government, "core:notification_preferences"))


def unsubscribe_url(token: str, government=None) -> str:
    return absolute(government, _account_path(government, "core:unsubscribe", token=token))


# One-click unsubscribe tokens -----------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    """What a signed link stops: the e-mails of some kinds, or one follow."""

    user_id: int
    kinds: tuple[str, ...] = ()
    government_id: int | None = None
    follow_kind: str = ""
    follow_object_id: int | None = None

    @property
    def is_follow(self) -> bool:
        return self.follow_object_id is not None


def kinds_token(user, kinds) -> str:
    return signing.dumps({"u": user.pk, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT, compress=True)


def follow_token(user, *, government_id: int, kind: str, object_id: int) -> str:
    return signing.dumps(
        {"u": user.pk, "g": government_id, "f": [kind, object_id]}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def read_token(token: str) -> Unsubscribe | None:
    """The request a link carries; None when the link was altered or is not one of ours. The
    links do not expire: an unsubscribe link must work whenever the message is read."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    try:
        if "f" in data:
            kind, object_id = data["f"]
            return Unsubscribe(
                user_id=int(data["u"]),
                government_id=int(data["g"]),
                follow_kind=str(kind),
                follow_object_id=int(object_id),
            )
        return Unsubscribe(user_id=int(data["u"]), kinds=tuple(str(kind) for kind in data["k"]))
    except (KeyError, TypeError, ValueError):
        return None


# Messages --------------------------------------------------------------------------------


def _message(user, *, subject: str, body: str, unsubscribe: str) -> EmailMessage:
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return EmailMessage(" ".join(subject.split()), body, None, [user.email], headers=headers)


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _can_receive(user) -> bool:
    return bool(user.is_active and user.anonymised_at is None and user.email)


def notice_message(notice: Notification, government) -> EmailMessage:
    """The e-mail of one notice, in the person's language."""
    user = notice.user
    found = followables.entry(notice.kind)
    unsubscribe = unsubscribe_url(kinds_token(user, [notice.kind]), government)
    context = {
        "user": user,
        "government": government,
        "notice": notice,
        "link": absolute(government, notice.path),
        "kind_label": found.label if found else notice.kind,
        "unfollow_link": unsubscribe_url(
            follow_token(user, government_id=government.pk, kind=notice.kind, object_id=notice.object_id), government
        ),
        "unsubscribe_link": unsubscribe,
        "preferences_link": preferences_url(government),
    }
    with translation.override(_language(user)):
        body = render_to_string("core/notifications/email/notice.txt", context)
    return _message(user, subject=notice.title, body=body, unsubscribe=unsubscribe)


def send_at_once(*, government, notification_ids, now: dt.datetime | None = None) -> int:
    """Send the e-mails of notices people want at once (the job ``deliver`` queues). Each
    notice is claimed by a conditional update before its message leaves, so a notice is
    e-mailed once; one the person meanwhile moved to a digest waits for it, one whose e-mail
    they switched off is not sent. Returns the number of messages sent."""
    now = now or timezone.now()
    notices = list(
        Notification.objects.for_government(government)
        .filter(pk__in=list(notification_ids), email=Delivery.IMMEDIATE, emailed_at__isnull=True)
        .select_related("user")
    )
    sent = 0
    for kind in {notice.kind for notice in notices}:
        of_kind = [notice for notice in notices if notice.kind == kind]
        chosen = deliveries({notice.user_id for notice in of_kind}, kind)
        for notice in of_kind:
            delivery = chosen[notice.user_id]
            rows = Notification.objects.for_government(government).filter(pk=notice.pk, emailed_at__isnull=True)
            if delivery != Delivery.IMMEDIATE or not _can_receive(notice.user):
                rows.update(email=delivery if delivery in (Delivery.DAILY, Delivery.WEEKLY) else "")
                continue
            with transaction.atomic():
                if rows.update(emailed_at=now):
                    notice_message(notice, government).send()
                    sent += 1
    return sent


# Digests ---------------------------------------------------------------------------------


def _goes_in(frequency: str, delivery: str) -> bool:
    """Whether a pending notice goes into this digest, by the person's choice now: the daily
    one also takes what the person switched to "at once" since."""
    if frequency == Delivery.DAILY:
        return delivery in (Delivery.DAILY, Delivery.IMMEDIATE)
    return delivery == Delivery.WEEKLY


def send_digests(*, frequency: str, now: dt.datetime | None = None) -> int:
    """One e-mail per person with the notices waiting for this digest (``daily`` or
    ``weekly``), grouped by government, in the person's language. Notices of kinds the person
    has since switched to "only in the app" or off are not e-mailed. Returns the number of
    digests sent."""
    if frequency not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValueError(frequency)
    now = now or timezone.now()
    waiting: dict[int, list[Notification]] = defaultdict(list)
    governments = {}
    for government in Government.objects.order_by("pk"):
        notices = list(
            Notification.objects.for_government(government)
            .digest_pending()
            .select_related("user")
            .order_by("created_at", "pk")
        )
        if notices:
            governments[government.pk] = government
        for notice in notices:
            waiting[notice.user_id].append(notice)
    sent = 0
    for notices in waiting.values():
        user = notices[0].user
        taken, dropped = [], []
        for kind in {notice.kind for notice in notices}:
            delivery = deliveries([user.pk], kind)[user.pk]
            of_kind = [notice for notice in notices if notice.kind == kind]
            if delivery in (Delivery.IN_APP, Delivery.OFF) or not _can_receive(user):
                dropped.extend(of_kind)
            elif _goes_in(frequency, delivery):
                taken.extend(of_kind)
        _mark(dropped, governments, email="")
        if not taken:
            continue
        try:
            with transaction.atomic():
                if _claim(taken, governments, now=now) != len(taken):
                    transaction.set_rollback(True)  # another run is sending them
                    continue
                digest_message(
                    user, sorted(taken, key=lambda n: (n.government_id, n.created_at, n.pk)), governments, frequency
                ).send()
        except Exception:
            logger.exception("the %s digest of person %s could not be sent", frequency, user.pk)
            continue
        sent += 1
    return sent


def _by_government(notices, governments):
    groups = defaultdict(list)
    for notice in notices:
        groups[notice.government_id].append(notice)
    return [(governments[government_id], group) for government_id, group in groups.items()]


def _mark(notices, governments, **values) -> int:
    return sum(
        Notification.objects.for_government(government).filter(pk__in=[n.pk for n in group]).update(**values)
        for government, group in _by_government(notices, governments)
    )


def _claim(notices, governments, *, now) -> int:
    return sum(
        Notification.objects.for_government(government)
        .filter(pk__in=[n.pk for n in group], emailed_at__isnull=True)
        .update(emailed_at=now)
        for government, group in _by_government(notices, governments)
    )


def digest_message(user, notices, governments, frequency: str) -> EmailMessage:
    sections = []
    for government, group in _by_government(notices, governments):
        for notice in group:
            notice.link = absolute(government, notice.path)
        sections.append({"government": government, "notices": group})
    home = sections[0]["government"] if len(sections) == 1 else None
    unsubscribe = unsubscribe_url(kinds_token(user, [notice.kind for notice in notices]), home)
    context = {
        "user": user,
        "sections": sections,
        "count": len(notices),
        "frequency": frequency,
        "unsubscribe_link": unsubscribe,
        "preferences_link": preferences_url(home),
    }
    with translation.override(_language(user)):
        subject = render_to_string("core/notifications/email/digest_subject.txt", context)
        body = render_to_string("core/notifications/email/digest.txt", context)
    return _message(user, subject=subject, body=body, unsubscribe=unsubscribe)
