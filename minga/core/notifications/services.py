"""Writes of follows and notices: following and unfollowing, ``notify`` (what modules call when
something their citizens follow changed), read marks, notice preferences, one-click
unsubscribing and forgetting a person or a record.

Follows and notices are a citizen's own records, not official acts: nothing here is audited,
and nothing changes a cached public page (the follow button is on uncached pages or loaded per
person; a follower count on a cached page may lag by ``PUBLIC_PAGE_CACHE_SECONDS``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..tenancy.scoping import scopes_disabled
from . import followables
from .models import DEFAULT_DELIVERY, Delivery, Follow, Notification, NotificationPreference

SEND_EMAILS_TASK = "minga.core.notifications.tasks.send_notification_emails"


def can_follow(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


# Follows ---------------------------------------------------------------------------------


def _entry_of(target) -> followables.Entry:
    found = followables.entry_for(target)
    if found is None:
        raise ValueError(f"{target._meta.label} is not declared followable by any module manifest")
    return found


def follow(*, user, government, target, now: dt.datetime | None = None) -> bool:
    """The person follows the record; False when they already did (the database refuses a
    second follow). Only a record the person may see can be followed."""
    if not can_follow(user):
        raise ValidationError(_("Sign in to follow."))
    found = _entry_of(target)
    if target.government_id != government.pk or followables.find_visible(found, government, user, target.pk) is None:
        raise ValidationError(_("This cannot be followed."))
    try:
        with transaction.atomic():
            Follow.objects.for_government(government).create(
                government=government, user=user, kind=found.kind, object_id=target.pk, created_at=now or timezone.now()
            )
    except IntegrityError:
        return False
    return True


def unfollow(*, user, government, kind: str, object_id: int) -> bool:
    """Stop following; False when the person did not follow it."""
    if not getattr(user, "is_authenticated", False):
        return False
    deleted, _counts = (
        Follow.objects.for_government(government).filter(user=user, kind=kind, object_id=object_id).delete()
    )
    return bool(deleted)


def follow_set(*, user, government, target, following: bool, now: dt.datetime | None = None) -> bool:
    """Follow or stop following; returns whether the person follows the record afterwards."""
    if following:
        follow(user=user, government=government, target=target, now=now)
    else:
        unfollow(user=user, government=government, kind=_entry_of(target).kind, object_id=target.pk)
    return following


def forget_target(*, government, target) -> None:
    """A followed record is deleted: its follows and notices go with it (modules call this in
    the transaction that deletes the record)."""
    kind = _entry_of(target).kind
    Follow.objects.for_government(government).filter(kind=kind, object_id=target.pk).delete()
    Notification.objects.for_government(government).filter(kind=kind, object_id=target.pk).delete()


def forget_person(*, user) -> None:
    """An account is deleted: its follows, notices and preferences go, in every government."""
    with scopes_disabled():
        Follow.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()


# Notices ---------------------------------------------------------------------------------

Text = str | Callable[[], str] | Any  # a string, a lazy translation, or a function called per language


def _text(value: Text) -> str:
    if callable(value):
        value = value()
    return str(value or "")


def notify(
    *,
    government,
    target,
    event: str,
    title: Text,
    summary: Text = "",
    actor=None,
    now: dt.datetime | None = None,
    recipients: Iterable[int] | None = None,
) -> None:
    """Tell the followers of ``target`` (a record of a followable kind) that ``event``
    happened, once the caller's transaction commits (nothing on a rollback). The person who
    acted is not told. ``title`` and ``summary`` are strings, lazy translations or functions
    without arguments: they are rendered in each follower's language. ``recipients`` (user
    ids): tell these people instead of the followers (the author of a comment that got a
    reply), with the same rules of visibility and preferences."""
    kind = _entry_of(target).kind
    object_id = target.pk
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    chosen = None if recipients is None else list(recipients)
    transaction.on_commit(
        lambda: deliver(
            government=government,
            kind=kind,
            object_id=object_id,
            event=event,
            title=title,
            summary=summary,
            actor_id=actor_id,
            now=now,
            recipients=chosen,
        )
    )


def deliver(
    *,
    government,
    kind: str,
    object_id: int,
    event: str,
    title: Text,
    summary: Text = "",
    actor_id: int | None = None,
    now: dt.datetime | None = None,
    recipients: Iterable[int] | None = None,
) -> list[Notification]:
    """Write the notices of one event (``notify`` calls it after the commit) and queue the
    e-mails of those who want them at once. Nobody is told about a record of a switched-off
    module or one they may not see."""
    found = followables.entry(kind)
    if found is None or not government.module_enabled(found.module):
        return []
    if recipients is None:
        follows = (
            Follow.objects.for_government(government)
            .of_target(kind, object_id)
            .exclude(user_id=actor_id)
            .select_related("user")
            .order_by("pk")
        )
        people = [follow.user for follow in follows]
    else:
        people = list(get_user_model().objects.filter(pk__in=list(recipients)).exclude(pk=actor_id).order_by("pk"))
    users = [user for user in people if user.is_active and user.anonymised_at is None]
    if not users:
        return []
    target = found.public_rows(government).filter(pk=object_id).first()
    if target is None:
        if found.followable.visible_to is None:
            return []
        target = found.rows(government).filter(pk=object_id).first()
        users = [user for user in users if followables.find_visible(found, government, user, object_id) is not None]
        if target is None or not users:
            return []
    now = now or timezone.now()
    path = found.path(target)
    chosen = deliveries([user.pk for user in users], kind)
    notices = []
    language_of = _language_of
    for language, group in groupby(sorted(users, key=language_of), key=language_of):
        with translation.override(language):
            title_text, summary_text = _text(title)[:300], _text(summary)
        for user in group:
            delivery = chosen[user.pk]
            if delivery == Delivery.OFF:
                continue
            email = delivery if delivery in (Delivery.IMMEDIATE, Delivery.DAILY, Delivery.WEEKLY) else ""
            notices.append(
                Notification(
                    government=government,
                    user=user,
                    kind=kind,
                    object_id=object_id,
                    event=event[:60],
                    title=title_text,
                    summary=summary_text,
                    path=path,
                    created_at=now,
                    email=email,
                )
            )
    if not notices:
        return []
    Notification.objects.for_government(government).bulk_create(notices)
    at_once = [notice.pk for notice in notices if notice.email == Delivery.IMMEDIATE]
    if at_once:
        import_string(SEND_EMAILS_TASK).enqueue(government.pk, at_once)
    return notices


def _language_of(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


@transaction.atomic
def notification_read(*, user, government, notification: Notification, now: dt.datetime | None = None) -> None:
    Notification.objects.for_government(government).filter(pk=notification.pk, user=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


@transaction.atomic
def notifications_read_all(*, user, government, now: dt.datetime | None = None) -> int:
    return (
        Notification.objects.for_government(government).filter(user=user).unread().update(read_at=now or timezone.now())
    )


# Preferences -----------------------------------------------------------------------------


def deliveries(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """How each of these people wants the notices of ``kind`` (the default when they never
    chose)."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "delivery")
    )
    return {user_id: chosen.get(user_id, DEFAULT_DELIVERY) for user_id in user_ids}


def preferences_of(user) -> dict[str, str]:
    """kind -> delivery for every followable kind (the default where the person never chose)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {found.kind: chosen.get(found.kind, DEFAULT_DELIVERY) for found in followables.entries()}


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str], now: dt.datetime | None = None) -> None:
    """Store the person's choice for each kind; unknown kinds and choices are refused."""
    known = {found.kind for found in followables.entries()}
    now = now or timezone.now()
    for kind, delivery in choices.items():
        if kind not in known:
            raise ValidationError(_("Unknown kind of notice."))
        if delivery not in Delivery.values:
            raise ValidationError({kind: _("Choose one of the options.")})
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery, "updated_at": now}
        )


def email_off(*, user, kinds: Iterable[str], now: dt.datetime | None = None) -> list[str]:
    """One-click unsubscribe: no more e-mails of these kinds (their notices still appear in
    "My notifications"). Returns the kinds that changed."""
    now = now or timezone.now()
    current = preferences_of(user)
    changed = [
        kind for kind in kinds if kind in current and current[kind] not in (Delivery.IN_APP.value, Delivery.OFF.value)
    ]
    if changed:
        preferences_save(user=user, choices=dict.fromkeys(changed, Delivery.IN_APP.value), now=now)
    return changed
