"""How the catalog is used, counted privately: dataset page views, downloads, table previews
and API or query calls, as daily totals per dataset (and resource). Nothing about the visitor
is read or kept: no address, no cookie, no account, no browser string; the User-Agent is only
looked at to leave out obvious crawlers, and is then forgotten.

Counting is cheap: each use is added to a counter in the process's memory, and every couple of
seconds (and when the process exits) those counts are added to counters in the shared cache
(Redis in production), keyed by government, day, kind and ids, one cache operation per counter
rather than per request. A process that dies without exiting loses at most those seconds. The periodic job ``catalog.flush_usage`` (every minute) moves
the counters into ``UsageDaily`` rows (add to the row, create it if missing) and refreshes the
denormalised ``Dataset.usage_total`` and ``usage_recent`` with a queryset update, so sorting
by most used never joins the usage rows. ``MINGA_USAGE_BUFFER = False`` writes at once
instead (tests, or installs without a worker).

Pages served from the page cache are counted too: views wrapped with ``@counted`` note their
uses on the response (``note()``); the wrapper counts them when the view runs and the page
cache's hit hook counts them again from the cached copy on every hit."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import logging
import random
import re
import threading
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from minga.core.search.services import zero_result_record
from minga.core.search.text import demand_key
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.ui.page_cache import on_page_cache_hit

from ..datasets.models import Dataset, Resource
from .models import UsageDaily

logger = logging.getLogger(__name__)

Kind = UsageDaily.Kind
SEARCH = "search"  # a catalog search that found nothing (stored by core's demand counter)
RECENT_DAYS = 30
TREND_DAYS = 90
PREFIX = "minga:usage"
BUFFER_SECONDS = 3 * 24 * 3600  # counters not flushed within three days are dropped
LOCK_SECONDS = 120
# Crawlers, link previewers, monitors and headless browsers announce themselves; scripts that
# call the API (curl, python-requests) are real use and are counted.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|headless"
    r"|lighthouse|pingdom|uptime|monitor|validator|scrapy",
    re.IGNORECASE,
)
COUNTED_METHODS = {"GET", "POST"}
RESPONSE_ATTRIBUTE = "minga_usage"


def buffered() -> bool:
    return bool(getattr(settings, "MINGA_USAGE_BUFFER", True))


# Counting --------------------------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    return bool(BOT_PATTERN.search(user_agent or ""))


def countable(request) -> bool:
    """Only real reads by people or their programs: no HEAD or OPTIONS, no crawlers."""
    return (
        request.method in COUNTED_METHODS
        and getattr(request, "government", None) is not None
        and not is_bot(request.headers.get("User-Agent", ""))
    )


def _counter_key(descriptor: tuple) -> str:
    if descriptor[0] == SEARCH:
        _, government_id, day, term = descriptor
        digest = hashlib.sha256(term.encode()).hexdigest()[:32]
        return f"{PREFIX}:c:{government_id}:{day}:search:{digest}"
    kind, government_id, day, dataset_id, resource_id = descriptor
    return f"{PREFIX}:c:{government_id}:{day}:{kind}:{dataset_id}:{resource_id or 0}"


def _entries_key(day: str) -> str:
    return f"{PREFIX}:n:{day}"


def _entry_key(day: str, number: int) -> str:
    return f"{PREFIX}:e:{day}:{number}"


def _buffer(descriptor: tuple, amount: int = 1) -> None:
    """Add to the descriptor's counter; the first use of a counter registers it in the day's
    list, which the flush reads (caches cannot list their keys)."""
    key = _counter_key(descriptor)
    if not cache.add(key, amount, timeout=BUFFER_SECONDS):
        try:
            cache.incr(key, amount)
            return
        except ValueError:  # expired between add and incr
            cache.set(key, amount, timeout=BUFFER_SECONDS)
    day = descriptor[2]
    cache.add(_entries_key(day), 0, timeout=BUFFER_SECONDS)
    number = cache.incr(_entries_key(day))
    cache.set(_entry_key(day, number), descriptor, timeout=BUFFER_SECONDS)


PUSH_SECONDS = 2.0
_pending: Counter = Counter()
_pending_lock = threading.Lock()
_last_push = [time.monotonic()]


def _record(descriptor: tuple) -> None:
    if not buffered():
        _apply({descriptor: 1})
        return
    now = time.monotonic()
    with _pending_lock:
        _pending[descriptor] += 1
        due = now - _last_push[0] >= PUSH_SECONDS
    if due:
        push_pending()


def push_pending() -> None:
    """Add this process's counts to the shared buffer (what ``flush`` reads)."""
    with _pending_lock:
        counts = dict(_pending)
        _pending.clear()
        _last_push[0] = time.monotonic()
    for descriptor, amount in counts.items():
        try:
            _buffer(descriptor, amount)
        except Exception:
            logger.exception("usage: could not buffer uses")


def discard_pending() -> None:
    """Forget this process's counts not yet pushed (tests start from nothing)."""
    with _pending_lock:
        _pending.clear()


atexit.register(push_pending)


def count_use(government_id: int, kind: str, dataset_id: int, resource_id: int | None = None, *, day=None) -> None:
    """Count one use of a dataset (or one of its resources) today. Never raises: a failing
    counter must not break the page."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of use: {kind!r}")
    day = (day or timezone.localdate()).isoformat()
    try:
        _record((kind, int(government_id), day, int(dataset_id), int(resource_id) if resource_id else None))
    except Exception:
        logger.exception("usage: could not count a use")


def count_search_without_results(government_id: int, query: str, *, day=None) -> None:
    """Count a catalog search that found nothing (only its normalised words and the day)."""
    term = demand_key(query)
    if not term:
        return
    day = (day or timezone.localdate()).isoformat()
    try:
        _record((SEARCH, int(government_id), day, term))
    except Exception:
        logger.exception("usage: could not count a search")


def count_request(request, kind: str, dataset_id: int, resource_id: int | None = None) -> None:
    """Count a use made by this request, unless it is a crawler or not a real read."""
    if countable(request):
        count_use(request.government.pk, kind, dataset_id, resource_id)


def note(response, kind: str, dataset_id: int | None = None, resource_id: int | None = None, *, query: str = ""):
    """Mark a response of a @counted view with the use it stands for; kept with the response
    in the page cache so cache hits count it too."""
    uses = getattr(response, RESPONSE_ATTRIBUTE, None) or []
    uses.append((kind, dataset_id, resource_id, query))
    setattr(response, RESPONSE_ATTRIBUTE, uses)
    return response


def count_response(request, response) -> None:
    if response.status_code != 200 or not countable(request):
        return
    for kind, dataset_id, resource_id, query in getattr(response, RESPONSE_ATTRIBUTE, None) or ():
        if kind == SEARCH:
            count_search_without_results(request.government.pk, query)
        else:
            count_use(request.government.pk, kind, dataset_id, resource_id)


def counted(view):
    """Count the uses the view notes on its response, whether the view runs or the page cache
    answers for it. Put it above @public_page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        count_response(request, response)
        return response

    return on_page_cache_hit(count_response)(wrapper)


# Flushing --------------------------------------------------------------------------------


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


def _apply(amounts: dict[tuple, int], *, today: dt.date | None = None) -> int:
    """Write counted uses to the database; returns how many uses were written."""
    by_government: dict[int, list[tuple[tuple, int]]] = defaultdict(list)
    for descriptor, amount in amounts.items():
        if amount > 0:
            by_government[descriptor[1]].append((descriptor, amount))
    written = 0
    for government in Government.objects.filter(pk__in=list(by_government)):
        with government_scope(government), transaction.atomic():
            items = by_government[government.pk]
            dataset_ids = {d[3] for d, _ in items if d[0] != SEARCH}
            resource_ids = {d[4] for d, _ in items if d[0] != SEARCH and d[4]}
            datasets = set(
                Dataset.objects.filter(government=government, pk__in=dataset_ids).values_list("pk", flat=True)
            )
            resources = set(
                Resource.objects.filter(government=government, pk__in=resource_ids).values_list("pk", flat=True)
            )
            touched = set()
            for descriptor, amount in items:
                day = dt.date.fromisoformat(descriptor[2])
                if descriptor[0] == SEARCH:
                    for _ in range(min(amount, 1000)):
                        zero_result_record(government=government, query=descriptor[3], day=day)
                    written += amount
                    continue
                kind, _, _, dataset_id, resource_id = descriptor
                if dataset_id not in datasets or (resource_id and resource_id not in resources):
                    continue  # removed since it was used
                _add(government, day, kind, dataset_id, resource_id, amount)
                touched.add(dataset_id)
                written += amount
            refresh_totals(government, touched, today=today)
    return written


def _pending_days(today: dt.date) -> list[str]:
    return [(today - dt.timedelta(days=back)).isoformat() for back in range(BUFFER_SECONDS // 86400 + 1)]


def _take_buffer(today: dt.date) -> dict[tuple, int]:
    """Read every registered counter and subtract what was read, so uses counted meanwhile
    stay for the next flush and nothing is taken twice."""
    descriptors = set()
    for day in _pending_days(today):
        last = cache.get(_entries_key(day)) or 0
        keys = [_entry_key(day, number) for number in range(1, last + 1)]
        descriptors.update(value for value in cache.get_many(keys).values() if value)
    if not descriptors:
        return {}
    by_key = {_counter_key(descriptor): descriptor for descriptor in descriptors}
    taken = {}
    for key, value in cache.get_many(list(by_key)).items():
        if not value or value <= 0:
            continue
        with contextlib.suppress(ValueError):  # expired after it was read: what was read is still owed
            cache.decr(key, value)
        taken[by_key[key]] = value
    return taken


def _give_back(taken: dict[tuple, int]) -> None:
    for descriptor, amount in taken.items():
        try:
            _buffer(descriptor, amount)
        except Exception:
            logger.exception("usage: could not return uses to the buffer")


def refresh_recent(*, today: dt.date | None = None) -> None:
    """Once a day, let ``usage_recent`` forget the uses older than 30 days of datasets that no
    one used since (the flush only refreshes datasets used in the last minute)."""
    today = today or timezone.localdate()
    with scopes_disabled():
        pairs = list(Dataset.objects.filter(usage_recent__gt=0).values_list("government_id", "pk"))
    by_government = defaultdict(list)
    for government_id, pk in pairs:
        by_government[government_id].append(pk)
    for government in Government.objects.filter(pk__in=list(by_government)):
        with government_scope(government):
            refresh_totals(government, by_government[government.pk], today=today)


def flush(*, today: dt.date | None = None) -> int:
    """Move the buffered counters into UsageDaily. One flush at a time (a cache lock); returns
    the number of uses written."""
    today = today or timezone.localdate()
    push_pending()
    lock = f"{PREFIX}:flush-lock"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return 0
    try:
        taken = _take_buffer(today)
        try:
            written = _apply(taken, today=today)
        except Exception:
            _give_back(taken)
            raise
        if cache.add(f"{PREFIX}:recent-refreshed:{today.isoformat()}", 1, timeout=2 * 86400):
            refresh_recent(today=today)
        return written
    finally:
        cache.delete(lock)


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
