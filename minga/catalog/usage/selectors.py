"""Reads of how the catalog is used: the statistics page (top datasets, a trend of the last
ninety days, datasets never used), the public list of searches that found nothing, and
whether a search counts as unmet demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from minga.core.search.selectors import zero_result_demand
from minga.core.search.text import is_searchable

from ..datasets.models import Dataset
from .models import UsageDaily
from .services import RECENT_DAYS, TREND_DAYS, Kind

# Searches without results are shown publicly only when several searches on different days
# asked for them, so a one-off search for a person's name never appears.
PUBLIC_DEMAND_MIN_SEARCHES = 3
PUBLIC_DEMAND_MIN_DAYS = 2



@dataclass
class TopDataset:
    dataset: Dataset
    total: int
    by_kind: dict[str, int]


@dataclass
class TrendDay:
    day: dt.date
    count: int
    x: float = 0
    y: float = 0
    height: float = 0


@dataclass
class Trend:
    days: list[TrendDay]
    maximum: int
    total: int
    width: int
    height: int
    bar_width: float
    ticks: list[tuple[float, int]]
    labels: list[tuple[float, dt.date]]


@dataclass
class Statistics:
    recent: dict[str, int]
    recent_total: int
    all_time: dict[str, int]
    all_time_total: int
    top: list[TopDataset]
    never_used: list[Dataset]
    never_used_count: int
    published_count: int
    trend: Trend
    demand: list


def _by_kind(rows) -> dict[str, int]:
    found = {kind: 0 for kind in Kind.values}
    for row in rows:
        found[row["kind"]] = row["n"] or 0
    return found


def _trend(government, today: dt.date, days: int) -> Trend:
    since = today - dt.timedelta(days=days - 1)
    rows = (
        UsageDaily.objects.filter(government=government, day__gte=since, day__lte=today)
        .values("day")
        .annotate(n=Sum("count"))
        .order_by()
    )
    per_day = {row["day"]: row["n"] or 0 for row in rows}
    series = [TrendDay(since + dt.timedelta(days=i), per_day.get(since + dt.timedelta(days=i), 0)) for i in range(days)]
    maximum = max((item.count for item in series), default=0)
    scale_top = _nice_ceiling(maximum)
    width, height, left, bottom, top = 720, 240, 48, 24, 8
    plot_height = height - bottom - top
    step = (width - left) / days
    for i, item in enumerate(series):
        item.height = round(plot_height * item.count / scale_top, 1) if scale_top else 0
        item.x = round(left + i * step, 1)
        item.y = round(top + plot_height - item.height, 1)
    ticks = [(round(top + plot_height - plot_height * part / 4, 1), scale_top * part // 4) for part in range(5)]
    labels = [(round(left + i * step, 1), series[i].day) for i in range(0, days, 14)]
    return Trend(
        days=series,
        maximum=maximum,
        total=sum(item.count for item in series),
        width=width,
        height=height,
        bar_width=round(max(step - 1, 1), 1),
        ticks=ticks,
        labels=labels,
    )


def _nice_ceiling(value: int) -> int:
    """A round number at or above value, divisible by 4 for the axis ticks."""
    if value <= 0:
        return 0
    magnitude = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 4, 5, 8, 10):
        candidate = factor * magnitude
        if candidate >= value and candidate % 4 == 0:
            return candidate
    return ((value + 3) // 4) * 4


def public_demand(government, *, today: dt.date, limit: int = 15) -> list:
    """Searches that found nothing, asked for often enough and on enough days to be a need
    rather than one person's search."""
    found = zero_result_demand(government=government, today=today, limit=200)
    return [row for row in found if row.searches >= PUBLIC_DEMAND_MIN_SEARCHES and row.days >= PUBLIC_DEMAND_MIN_DAYS][
        :limit
    ]


def statistics(government, *, today: dt.date | None = None, top: int = 10, never_used_limit: int = 100) -> Statistics:
    """Everything the public statistics page shows, for this government only."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    usage = UsageDaily.objects.filter(government=government)
    recent = _by_kind(usage.filter(day__gte=since, day__lte=today).values("kind").annotate(n=Sum("count")).order_by())
    all_time = _by_kind(usage.values("kind").annotate(n=Sum("count")).order_by())
    published = Dataset.objects.filter(government=government, is_published=True)
    leaders = list(published.filter(usage_recent__gt=0).order_by("-usage_recent", "-usage_total", "title", "pk")[:top])
    split: dict[int, dict[str, int]] = {dataset.pk: {kind: 0 for kind in Kind.values} for dataset in leaders}
    for row in (
        usage.filter(dataset_id__in=list(split), day__gte=since, day__lte=today)
        .values("dataset_id", "kind")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        split[row["dataset_id"]][row["kind"]] = row["n"] or 0
    never = published.filter(usage_total=0).order_by("created_at", "title")
    return Statistics(
        recent=recent,
        recent_total=sum(recent.values()),
        all_time=all_time,
        all_time_total=sum(all_time.values()),
        top=[TopDataset(dataset, dataset.usage_recent, split[dataset.pk]) for dataset in leaders],
        never_used=list(never[:never_used_limit]),
        never_used_count=never.count(),
        published_count=published.count(),
        trend=_trend(government, today, TREND_DAYS),
        demand=public_demand(government, today=today),
    )


def search_without_results(query, total: int) -> bool:
    """Whether a catalog search should count as unmet demand: words worth counting, no
    filters narrowing it, nothing found."""
    return total == 0 and bool(query.q) and not query.filters and is_searchable(query.q)
