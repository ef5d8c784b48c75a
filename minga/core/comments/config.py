"""The per-government settings of comments and moderation, kept with the modules' settings
(`Government.modules["comments"]`) and edited by the government's administrators on
/gestion/comentarios/ajustes/; limits per person and minute or hour are the platform's
(Django settings, from the environment)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..registry import SettingSpec

SETTINGS_KEY = "comments"

SETTINGS = (
    SettingSpec(
        "reports_to_hide",
        _("Reports that hide a comment until it is reviewed"),
        3,
        int,
        _("When this many people report a comment it is hidden at once and waits in the moderation queue."),
    ),
    SettingSpec(
        "max_length",
        _("Longest comment (characters)"),
        1000,
        int,
        _("Where a module sets its own length (the works' observations), the module's applies."),
    ),
    SettingSpec(
        "edit_minutes",
        _("Minutes the author may edit a comment"),
        15,
        int,
        _("After that the text stays as published; the author can still delete it."),
    ),
)


@dataclass(frozen=True)
class CommentSettings:
    reports_to_hide: int
    max_length: int
    edit_minutes: int


def comment_settings(government) -> CommentSettings:
    values = {spec.key: spec.default for spec in SETTINGS}
    values.update(government.module_settings(SETTINGS_KEY))
    return CommentSettings(
        reports_to_hide=max(1, int(values["reports_to_hide"])),
        max_length=max(1, int(values["max_length"])),
        edit_minutes=max(0, int(values["edit_minutes"])),
    )


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    window: int  # seconds


def rate_limits(action: str) -> tuple[RateLimit, ...]:
    """The limits per person of one kind of write: comments (replies and edits too), votes,
    reports."""
    if action == "comment":
        return (
            RateLimit("minute", settings.COMMENTS_PER_MINUTE, 60),
            RateLimit("hour", settings.COMMENTS_PER_HOUR, 3600),
        )
    if action == "vote":
        return (RateLimit("minute", settings.COMMENT_VOTES_PER_MINUTE, 60),)
    if action == "report":
        return (RateLimit("hour", settings.COMMENT_REPORTS_PER_HOUR, 3600),)
    raise ValueError(action)
