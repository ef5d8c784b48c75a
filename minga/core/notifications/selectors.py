"""Reads of follows and notices, always for one government and, for what is personal, one
person."""

from __future__ import annotations

from dataclasses import dataclass

from . import followables
from .models import Follow, Notification


@dataclass(frozen=True)
class FollowState:
    kind: str
    object_id: int
    title: str
    following: bool
    count: int

    @property
    def dom_id(self) -> str:
        return "follow-" + self.kind.replace(".", "-").replace("_", "-") + f"-{self.object_id}"


def is_following(user, government, *, kind: str, object_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.for_government(government).filter(user=user, kind=kind, object_id=object_id).exists()


def follower_count(government, *, kind: str, object_id: int) -> int:
    return Follow.objects.for_government(government).of_target(kind, object_id).count()


def follow_state(user, government, target) -> FollowState | None:
    """The follow button's state for this person and record; None when the record's kind is
    not followable or its module is switched off."""
    found = followables.entry_for(target)
    if found is None or not followables.is_enabled(found, government):
        return None
    return FollowState(
        kind=found.kind,
        object_id=target.pk,
        title=found.title(target),
        following=is_following(user, government, kind=found.kind, object_id=target.pk),
        count=follower_count(government, kind=found.kind, object_id=target.pk),
    )


def user_notifications(user, government):
    return Notification.objects.for_government(government).filter(user=user)


def unread_count(user, government) -> int:
    if not getattr(user, "is_authenticated", False) or government is None:
        return 0
    return user_notifications(user, government).unread().count()


def notification_of(user, government, pk: int) -> Notification | None:
    return user_notifications(user, government).filter(pk=pk).first()


@dataclass(frozen=True)
class Followed:
    kind: str
    object_id: int
    title: str
    path: str  # government-relative
    kind_label: str


def user_follows(user, government) -> list[Followed]:
    """What the person follows in this government and may still see, by kind then title."""
    rows = list(Follow.objects.for_government(government).filter(user=user).values_list("kind", "object_id"))
    found_rows: list[Followed] = []
    for found in followables.enabled_entries(government):
        ids = [object_id for kind, object_id in rows if kind == found.kind]
        if not ids:
            continue
        for obj in found.visible_rows(government, user).filter(pk__in=ids):
            found_rows.append(Followed(found.kind, obj.pk, found.title(obj), found.path(obj), str(found.label)))
    return sorted(found_rows, key=lambda row: (row.kind_label, row.title.lower()))


def follows_of_kinds(government, prefix: str):
    """Every follow in this government of the kinds starting with ``prefix`` (e.g. "council."),
    as ``(kind, object_id, created_at)`` rows, for a module's own counts: no person is named."""
    return (
        Follow.objects.for_government(government)
        .filter(kind__startswith=prefix)
        .order_by("created_at", "pk")
        .values_list("kind", "object_id", "created_at")
    )
