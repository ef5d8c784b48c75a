"""How the catalog is used, counted privately: dataset page views, downloads, table previews
and API or query calls, as daily totals per dataset (and resource), and searches that found
nothing. Nothing about the visitor is read or kept: no address, no cookie, no account, no
browser string.

The counting itself is core's (``minga.core.usage``): crawlers and HEAD requests left out,
counts buffered in the process and the shared cache, moved into rows every minute by the
periodic job ``core.flush_usage`` (``MINGA_USAGE_BUFFER = False`` writes at once). The catalog
counts under its module key with the dataset as the record and the resource (or the words of a
search) as the count's part, and registers a writer (``write``, see ``apps.py``) that the flush
hands these counts to: it adds them to ``UsageDaily`` rows (add to the row, create it if
missing), records searches without results with core's search demand counter, and refreshes
the denormalised ``Dataset.usage_total`` and ``usage_recent`` of the datasets it touched with a
queryset update, so sorting by most used never joins the usage rows. After a flush, once a day,
``refresh_recent`` lets ``usage_recent`` forget old uses of datasets no one used since.

Pages served from the page cache are counted too: views wrapped with ``@counted`` note their
uses on the response (``note()``); the wrapper counts them when the view runs and the page
cache's hit hook counts them again from the cached copy on every hit."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from minga.core.search.services import zero_result_record
from minga.core.search.text import demand_key
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.usage import services as counts
from minga.core.usage.services import countable, counted  # noqa: F401  (the catalog's views use them from here)

from ..datasets.models import Dataset, Resource
from .models import UsageDaily

MODULE = "catalog"
Kind = UsageDaily.Kind
SEARCH = "search"  # a catalog search that found nothing (stored by core's demand counter)
RECENT_DAYS = 30
TREND_DAYS = 90


# Counting --------------------------------------------------------------------------------


def _check(kind: str) -> None:
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of use: {kind!r}")


def count_use(government_id: int, kind: str, dataset_id: int, resource_id: int | None = None, *, day=None) -> None:
    """Count one use of a dataset (or one of its resources) today. Never raises for a failing
    counter: it must not break the page."""
    _check(kind)
    counts.count_use(government_id, MODULE, kind, dataset_id, part=str(resource_id or ""), day=day)


def count_search_without_results(government_id: int, query: str, *, day=None) -> None:
    """Count a catalog search that found nothing (only its normalised words and the day)."""
    term = demand_key(query)
    if term:
        counts.count_use(government_id, MODULE, SEARCH, part=term, day=day)


def count_request(request, kind: str, dataset_id: int, resource_id: int | None = None) -> None:
    """Count a use made by this request, unless it is a crawler or not a real read."""
    if countable(request):
        count_use(request.government.pk, kind, dataset_id, resource_id)


def note(response, kind: str, dataset_id: int | None = None, resource_id: int | None = None, *, query: str = ""):
    """Mark a response of a @counted view with the use it stands for (a search without results
    with its words); kept with the response in the page cache so cache hits count it too."""
    if kind == SEARCH:
        term = demand_key(query)
        return counts.note(response, MODULE, SEARCH, part=term) if term else response
    _check(kind)
    return counts.note(response, MODULE, kind, dataset_id, part=str(resource_id or ""))


# Writing (called by core's flush) --------------------------------------------------------


def _add(government, day: dt.date, kind: str, dataset_id: int, resource_id: int | None, amount: int) -> None:
    """Add to the day's row, creating it if missing; another process creating it at the same
    time trips the unique constraint, and then the addition goes to its row."""
    rows = UsageDaily.objects.filter(
        government=government, day=day, kind=kind, dataset_id=dataset_id, resource_id=resource_id
    )
    if rows.update(count=F("count") + amount):
        return
    try:
        with transaction.atomic():
            UsageDaily.objects.create(
                government=government,
                day=day,
                kind=kind,
                dataset_id=dataset_id,
                resource_id=resource_id,
                count=amount,
            )
    except IntegrityError:
        rows.update(count=F("count") + amount)


def refresh_totals(government, dataset_ids, *, today: dt.date | None = None) -> None:
    """Store each dataset's uses so far and in the last 30 days on the dataset itself. A
    queryset update: no audit entry, no new version, ``updated_at`` untouched."""
    ids = sorted(set(dataset_ids))
    if not ids:
        return
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    rows = (
        UsageDaily.objects.filter(government=government, dataset_id__in=ids)
        .values("dataset_id")
        .annotate(total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since, day__lte=today)))
    )
    found = {row["dataset_id"]: (row["total"] or 0, row["recent"] or 0) for row in rows}
    for pk in ids:
        total, recent = found.get(pk, (0, 0))
        Dataset.objects.filter(government=government, pk=pk).exclude(usage_total=total, usage_recent=recent).update(
            usage_total=total, usage_recent=recent
        )


def write(government, items) -> int:
    """Core's flush hands over the catalog's counts of one government: ``(kind, dataset id,
    part, day, uses)``. Returns the uses written; uses of a dataset or resource removed since
    are dropped."""
    dataset_ids = {object_id for kind, object_id, _, _, _ in items if kind != SEARCH}
    resource_ids = {int(part) for kind, _, part, _, _ in items if kind != SEARCH and part}
    datasets = set(Dataset.objects.filter(government=government, pk__in=dataset_ids).values_list("pk", flat=True))
    resources = set(Resource.objects.filter(government=government, pk__in=resource_ids).values_list("pk", flat=True))
    touched, written = set(), 0
    for kind, dataset_id, part, day, amount in items:
        if kind == SEARCH:
            for _ in range(min(amount, 1000)):
                zero_result_record(government=government, query=part, day=day)
            written += amount
            continue
        resource_id = int(part) if part else None
        if kind not in Kind.values or dataset_id not in datasets or (resource_id and resource_id not in resources):
            continue  # removed since it was used
        _add(government, day, kind, dataset_id, resource_id, amount)
        touched.add(dataset_id)
        written += amount
    refresh_totals(government, touched)
    return written


def refresh_recent(*, today: dt.date | None = None) -> None:
    """Let ``usage_recent`` forget the uses older than 30 days of datasets that no one used
    since (a flush only refreshes the datasets it wrote uses of)."""
    today = today or timezone.localdate()
    with scopes_disabled():
        pairs = list(Dataset.objects.filter(usage_recent__gt=0).values_list("government_id", "pk"))
    by_government = defaultdict(list)
    for government_id, pk in pairs:
        by_government[government_id].append(pk)
    for government in Government.objects.filter(pk__in=list(by_government)):
        with government_scope(government):
            refresh_totals(government, by_government[government.pk], today=today)


def refresh_recent_daily(today: dt.date) -> None:
    """After core's flush: ``refresh_recent`` once a day."""
    if cache.add(f"minga:catalog:usage-recent-refreshed:{today.isoformat()}", 1, timeout=2 * 86400):
        refresh_recent(today=today)


def register() -> None:
    """Hand the catalog's counts to ``write`` and refresh ``usage_recent`` after flushes."""
    counts.register_writer(MODULE, write)
    counts.after_flush(refresh_recent_daily)


# Demo ------------------------------------------------------------------------------------

DEMO_SEARCHES = (
    ("catastro predial", 9),
    ("permisos de construccion", 7),
    ("calidad del aire", 5),
    ("transporte urbano rutas", 4),
    ("ferias ciudadanas", 3),
)


def seed_demo(government, *, now: dt.datetime, never_used: int = 4) -> int:
    """Ninety days of made-up use for the demo datasets: a few datasets get most of it (a
    long tail, as on real portals), weekdays more than weekends, a slow rise, and a few
    published datasets are never used. Also a few searches that found nothing. Idempotent:
    does nothing when the government already has usage rows."""
    if UsageDaily.objects.filter(government=government).exists():
        return 0
    rng = random.Random(f"usage:{government.slug}")  # noqa: S311 - demo data, not security
    today = timezone.localdate(now)
    datasets = list(
        Dataset.objects.filter(government=government, is_published=True).order_by("pk").prefetch_related("resources")
    )
    rng.shuffle(datasets)
    used = datasets[: max(len(datasets) - never_used, 0)]
    rows = []
    for rank, dataset in enumerate(used):
        weight = 60 / (rank + 1) ** 1.1  # Zipf-like: the first few take most of the use
        resources = list(dataset.resources.all())
        for back in range(TREND_DAYS):
            day = today - dt.timedelta(days=back)
            level = weight * (0.55 if day.weekday() >= 5 else 1.0) * (1 - back / (TREND_DAYS * 2.5))
            views = _poisson(rng, level)
            if views:
                rows.append(UsageDaily(government=government, day=day, kind=Kind.VIEW, dataset=dataset, count=views))
            for resource in resources:
                for kind, share in ((Kind.DOWNLOAD, 0.25), (Kind.PREVIEW, 0.3), (Kind.API, 0.12)):
                    if kind != Kind.DOWNLOAD and resource.format not in ("CSV", "XLSX"):
                        continue
                    amount = _poisson(rng, level * share / len(resources))
                    if amount:
                        rows.append(
                            UsageDaily(
                                government=government,
                                day=day,
                                kind=kind,
                                dataset=dataset,
                                resource=resource,
                                count=amount,
                            )
                        )
    UsageDaily.objects.bulk_create(rows, batch_size=1000)
    refresh_totals(government, [dataset.pk for dataset in datasets], today=today)
    for term, searches in DEMO_SEARCHES:
        for i in range(searches):
            zero_result_record(government=government, query=term, day=today - dt.timedelta(days=(i * 5) % 60))
    return len(rows)


def _poisson(rng: random.Random, mean: float) -> int:
    """A small Poisson-distributed count (Knuth's method; means here stay under ~100)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, k, p = 2.718281828459045 ** (-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
