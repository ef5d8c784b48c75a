"""When a remote source is checked next: from the official's cron expression (in the
government's time zone), else from the dataset's update frequency; after failures, sooner
retries that back off. Checking is cheap when nothing changed (a conditional request, then the
checksum), so sources are checked more often than their data is promised to change: at least
weekly, daily when nothing is promised."""

from __future__ import annotations

import datetime as dt
import re

from croniter import CroniterBadCronError, CroniterBadDateError, CroniterNotAlphaError, croniter
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..datasets.models import Frequency

MIN_CRON_INTERVAL = dt.timedelta(minutes=5)
BACKOFF = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(days=1),
)
INTERVALS = {
    Frequency.CONTINUOUS: dt.timedelta(hours=1),
    Frequency.DAILY: dt.timedelta(days=1),
    Frequency.WEEKLY: dt.timedelta(days=7),
    Frequency.MONTHLY: dt.timedelta(days=7),
    Frequency.QUARTERLY: dt.timedelta(days=7),
    Frequency.BIANNUAL: dt.timedelta(days=7),
    Frequency.ANNUAL: dt.timedelta(days=7),
}
DEFAULT_INTERVAL = dt.timedelta(days=1)  # irregular, never, unknown
_CRON_ERRORS = (CroniterBadCronError, CroniterBadDateError, CroniterNotAlphaError, ValueError, KeyError)


def validate_cron(expression: str) -> str:
    """A standard five-field cron expression that runs at most every five minutes."""
    expression = " ".join((expression or "").split())
    if not expression:
        return ""
    if len(expression.split()) != 5:
        raise ValidationError(
            _("Write five fields: minute, hour, day of the month, month and day of the week, e.g. “0 6 * * 1”.")
        )
    try:
        runs = croniter(expression, dt.datetime(2026, 1, 1))
        first, second, third = runs.get_next(dt.datetime), runs.get_next(dt.datetime), runs.get_next(dt.datetime)
    except _CRON_ERRORS as error:
        raise ValidationError(_("This is not a valid cron expression, e.g. “0 6 * * 1” (Mondays at 06:00).")) from error
    if min(second - first, third - second) < MIN_CRON_INTERVAL:
        raise ValidationError(_("Check at most every five minutes (e.g. “*/15 * * * *”)."))
    return expression


# The plain schedules an official chooses in the resource form, written as cron expressions
# (an expert may still type any expression). Days of the week as cron numbers (0 = Sunday).
PLAIN_SCHEDULES = ("frequency", "daily", "weekly", "monthly", "cron")
_DAILY = re.compile(r"^0 (?P<hour>\d{1,2}) \* \* \*$")
_WEEKLY = re.compile(r"^0 (?P<hour>\d{1,2}) \* \* (?P<weekday>[0-6])$")
_MONTHLY = re.compile(r"^0 (?P<hour>\d{1,2}) (?P<day>\d{1,2}) \* \*$")


def plain_cron(schedule: str, *, hour: int = 6, weekday: int = 1, day: int = 1, expression: str = "") -> str:
    """The cron expression of a plain choice ("" follows the dataset's update frequency)."""
    if schedule == "daily":
        return f"0 {hour} * * *"
    if schedule == "weekly":
        return f"0 {hour} * * {weekday}"
    if schedule == "monthly":
        return f"0 {hour} {day} * *"
    if schedule == "cron":
        return validate_cron(expression)
    return ""


def plain_schedule(expression: str) -> dict:
    """The plain choice that writes this expression, for the form's initial values (an
    expression no plain choice writes stays an expert's cron expression)."""
    expression = " ".join((expression or "").split())
    if not expression:
        return {"schedule": "frequency"}
    for schedule, pattern in (("daily", _DAILY), ("weekly", _WEEKLY), ("monthly", _MONTHLY)):
        found = pattern.match(expression)
        if found and int(found["hour"]) < 24 and 1 <= int(found.groupdict().get("day") or 1) <= 28:
            return {"schedule": schedule, **{key: int(value) for key, value in found.groupdict().items()}}
    return {"schedule": "cron"}


def interval_for(frequency: str) -> dt.timedelta:
    return INTERVALS.get(frequency, DEFAULT_INTERVAL)


def next_check(*, cron: str, frequency: str, now: dt.datetime, failures: int = 0) -> dt.datetime:
    if failures:
        return now + BACKOFF[min(failures, len(BACKOFF)) - 1]
    if cron:
        try:
            local = timezone.localtime(now)
            return croniter(cron, local).get_next(dt.datetime)
        except _CRON_ERRORS:
            pass
    return now + interval_for(frequency)
