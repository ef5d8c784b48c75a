"""The figures of the effectiveness review, per month and per act: visits to the council's
pages (core's private counters), follows of council records, comments on them, silla vacía
requests accepted and denied, and citizens attending sessions; with the months before and
after the portal's launch compared by their averages."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldError
from django.utils import timezone

from minga.core.comments.selectors import comments_of_targets
from minga.core.notifications.selectors import follows_of_kinds
from minga.core.usage import selectors as usage

from ..acts.models import Act, Unit
from ..members.selectors import council_of
from ..sessions.models import Session
from .counting import ACT_KINDS, MODULE

MAX_MONTHS = 24
FEW_MONTHS = 3  # fewer months than this before the launch: the comparison says little
ACT_ROWS = 100
METRICS = ("visits", "followers", "comments", "seat_accepted", "seat_denied", "attendance")


@dataclass
class Month:
    month: dt.date
    before_launch: bool = False
    visits: int = 0
    followers: int = 0  # follows started that month
    comments: int = 0
    seat_accepted: int = 0
    seat_denied: int = 0
    attendance: int = 0  # citizens in the room at the sessions held that month
    sessions: int = 0  # sessions held that month

    def value(self, metric: str) -> int:
        return getattr(self, metric)


@dataclass
class Comparison:
    metric: str
    before: float | None  # monthly average, None without months before
    after: float | None

    @property
    def change(self) -> float | None:
        """Percentage change of the monthly average; None when there is nothing to compare."""
        if self.before is None or self.after is None or not self.before:
            return None
        return round((self.after - self.before) / self.before * 100)


@dataclass
class ActRow:
    act: Act
    visits: int = 0
    followers: int = 0
    comments: int = 0
    seat_accepted: int = 0
    seat_denied: int = 0


@dataclass
class Review:
    launch: dt.date | None
    launch_set: bool  # set by the secretariat (else: the day the first act was registered)
    months: list[Month]
    totals: dict[str, int]
    comparisons: list[Comparison]
    months_before: int
    months_after: int
    acts: list[ActRow] = field(default_factory=list)

    @property
    def few_months_before(self) -> bool:
        return self.months_before < FEW_MONTHS

    @property
    def has_figures(self) -> bool:
        return any(self.totals.values())


def launch_date(government, council=None) -> tuple[dt.date | None, bool]:
    """The portal's launch date and whether the secretariat set it; by default the day the
    first act was registered."""
    council = council if council is not None else council_of(government)
    if council is not None and council.launched_on:
        return council.launched_on, True
    first = Act.objects.for_government(government).order_by("created_at").values_list("created_at", flat=True).first()
    return (timezone.localtime(first).date() if first else None), False


def _month(value) -> dt.date:
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def seat_decisions(government) -> list[tuple[dt.date, str, int | None]]:
    """(month decided, "accepted" or "denied", act id) of each answered silla vacía request;
    none while the council has no register of requests."""
    try:
        model = apps.get_model("council", "SeatRequest")
    except LookupError:
        return []
    try:
        rows = list(
            model.objects.for_government(government)
            .filter(status__in=["accredited", "denied"])
            .values_list("status", "decided_at", "created_at", "item__act_id")
        )
    except FieldError:
        return []
    return [
        (_month(decided or created), "accepted" if status == "accredited" else "denied", act_id)
        for status, decided, created, act_id in rows
    ]


def _article_acts(government, unit_ids) -> dict[int, int]:
    """Act of each commented article (comments on articles name the article's unit)."""
    if not unit_ids:
        return {}
    return dict(
        Unit.objects.for_government(government).filter(pk__in=set(unit_ids)).values_list("pk", "version__act_id")
    )


def _comments(government) -> list[tuple[dt.date, int | None]]:
    """(month written, act id or None) of each comment shown on a council record."""
    rows = list(comments_of_targets(government, f"{MODULE}."))
    units = _article_acts(government, [target_id for key, target_id, _ in rows if key == "council.article"])
    found = []
    for key, target_id, created in rows:
        act_id = target_id if key == "council.act" else units.get(target_id) if key == "council.article" else None
        found.append((_month(created), act_id))
    return found


def _attendance(government, until: dt.date):
    return (
        Session.objects.for_government(government)
        .filter(status__in=[Session.Status.HELD, Session.Status.CLOSED], starts_at__date__lte=until)
        .values_list("starts_at", "public_attendance")
    )


def review(government, *, today: dt.date | None = None, with_acts: bool = True) -> Review:
    today = today or timezone.localdate()
    council = council_of(government)
    launch, launch_set = launch_date(government, council)
    this_month = today.replace(day=1)

    months: dict[dt.date, Month] = {}

    def month(key: dt.date) -> Month | None:
        if key > this_month:
            return None
        if key not in months:
            months[key] = Month(month=key)
        return months[key]

    for key, visits in usage.monthly_totals(government, MODULE, until=today).items():
        month(key).visits += visits
    follows = list(follows_of_kinds(government, f"{MODULE}."))
    for _kind, _object_id, created in follows:
        if found := month(_month(created)):
            found.followers += 1
    comments = _comments(government)
    for key, _act in comments:
        if found := month(key):
            found.comments += 1
    decisions = seat_decisions(government)
    for key, outcome, _act in decisions:
        if found := month(key):
            setattr(found, f"seat_{outcome}", found.value(f"seat_{outcome}") + 1)
    for starts_at, attendance in _attendance(government, today):
        found = month(_month(starts_at))
        found.sessions += 1
        found.attendance += attendance or 0

    # Every month from the first with figures (or the launch) to this one, at most MAX_MONTHS.
    first = min([*months, *([_month(launch)] if launch else [])], default=None)
    series: list[Month] = []
    if first is not None:
        first = max(first, _add_months(this_month, -(MAX_MONTHS - 1)))
        key = first
        while key <= this_month:
            row = months.get(key) or Month(month=key)
            row.before_launch = launch is not None and key < _month(launch)
            series.append(row)
            key = _add_months(key, 1)

    before = [row for row in series if row.before_launch]
    after = [row for row in series if not row.before_launch] if launch else []
    comparisons = [
        Comparison(metric, _average(before, metric), _average(after, metric)) for metric in METRICS if launch
    ]
    totals = {metric: sum(row.value(metric) for row in series) for metric in METRICS}
    totals["followers_now"] = len(follows)
    totals["sessions"] = sum(row.sessions for row in series)
    result = Review(
        launch=launch,
        launch_set=launch_set,
        months=series,
        totals=totals,
        comparisons=comparisons,
        months_before=len(before),
        months_after=len(after),
    )
    if with_acts:
        result.acts = act_rows(government, follows, comments, decisions)
    return result


def _average(rows: list[Month], metric: str) -> float | None:
    if not rows:
        return None
    return round(sum(row.value(metric) for row in rows) / len(rows), 1)


def act_rows(government, follows=None, comments=None, decisions=None) -> list[ActRow]:
    """The public acts with their visits, followers, comments and silla vacía requests, the most
    visited first."""
    follows = follows if follows is not None else list(follows_of_kinds(government, f"{MODULE}."))
    comments = comments if comments is not None else _comments(government)
    decisions = decisions if decisions is not None else seat_decisions(government)
    visits: Counter = Counter()
    for kind in ACT_KINDS:
        visits.update(usage.totals_by_object(government, MODULE, kind))
    followers = Counter(object_id for kind, object_id, _ in follows if kind == "council.act")
    commented = Counter(act_id for _, act_id in comments if act_id)
    seats: dict[str, Counter] = defaultdict(Counter)
    for _, outcome, act_id in decisions:
        if act_id:
            seats[outcome][act_id] += 1
    rows = [
        ActRow(
            act=act,
            visits=visits[act.pk],
            followers=followers[act.pk],
            comments=commented[act.pk],
            seat_accepted=seats["accepted"][act.pk],
            seat_denied=seats["denied"][act.pk],
        )
        for act in Act.objects.for_government(government).published().only("pk", "identifier", "title", "slug")
    ]
    rows.sort(key=lambda row: (-row.visits, -row.followers, -row.comments, row.act.identifier))
    return rows[:ACT_ROWS]
