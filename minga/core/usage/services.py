"""Private counting of page views for any module: how many times a record's page was seen,
as daily totals per government, module, kind and record. Nothing about the visitor is read or
kept: no address, no cookie, no account, no browser string; the User-Agent is only looked at to
leave out obvious crawlers, and is then forgotten.

Counting is cheap: each use is added to a counter in the process's memory; every couple of
seconds (and when the process exits) those counts are added to counters in the shared cache
(Redis in production), one cache operation per counter rather than per request. The periodic
job ``core.flush_usage`` (every minute) moves them into ``UsageCount`` rows (add to the row,
create it if missing). ``MINGA_USAGE_BUFFER = False`` writes at once instead (tests, or
installs without a worker).

A module counts a page by decorating its view with ``@counted`` (above ``@public_page``) and
noting the use on the response: ``return note(render(...), "council", "act", act.pk)``. Pages
served from the page cache are counted too: the note travels with the cached response and the
page cache's hit hook counts it again on every hit.

A module that keeps its counts in rows of its own (the catalog's daily use per dataset and
resource) registers a writer for its key with ``register_writer()``: the flush hands that
module's counts to the writer instead of writing ``UsageCount`` rows. Its counts may carry a
``part``, a short string only the writer reads (a resource's id, the words of a search); it is
kept in the buffer's entry and stands in the counter's key only as a digest. Hooks registered
with ``after_flush()`` run after every flush that got the lock (e.g. a daily refresh)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import logging
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..tenancy.models import Government
from ..tenancy.scoping import government_scope
from ..ui.page_cache import on_page_cache_hit
from .models import UsageCount

logger = logging.getLogger(__name__)

PREFIX = "minga:counts"
BUFFER_SECONDS = 3 * 24 * 3600  # counters not flushed within three days are dropped
LOCK_SECONDS = 120
PUSH_SECONDS = 2.0
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Crawlers, link previewers, monitors and headless browsers announce themselves; scripts that
# call the API (curl, python-requests) are real use and are counted.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|headless"
    r"|lighthouse|pingdom|uptime|monitor|validator|scrapy",
    re.IGNORECASE,
)
COUNTED_METHODS = {"GET", "POST"}
RESPONSE_ATTRIBUTE = "minga_counted_uses"

# A counter: (government id, module, kind, object id, ISO day, part).
Descriptor = tuple[int, str, str, int, str, str]
# A module's writer: (government, [(kind, object id, part, day, uses)]) -> uses written. It runs
# in the government's scope and in a transaction.
Writer = Callable[[Government, list[tuple[str, int, str, dt.date, int]]], int]

_writers: dict[str, Writer] = {}
_after_flush: list[Callable[[dt.date], None]] = []


def register_writer(module: str, writer: Writer) -> None:
    """Let a module store its own counts (in rows of its own) instead of ``UsageCount``."""
    _check(module, "writer")
    _writers[module] = writer


def after_flush(hook: Callable[[dt.date], None]) -> None:
    """Run ``hook(today)`` after every flush (once per hook, however often it is registered)."""
    if hook not in _after_flush:
        _after_flush.append(hook)


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


def _check(module: str, kind: str) -> None:
    if not NAME.match(module or "") or not NAME.match(kind or ""):
        raise ValueError(f"Module and kind are short lowercase names: {module!r}, {kind!r}")


def _descriptor(value) -> Descriptor:
    """A descriptor as stored in the buffer's entries (entries of five fields have no part)."""
    value = tuple(value)
    return value if len(value) == 6 else (*value, "")


def _counter_key(descriptor: Descriptor) -> str:
    government_id, module, kind, object_id, day, part = descriptor
    key = f"{PREFIX}:c:{government_id}:{day}:{module}:{kind}:{object_id}"
    return f"{key}:{hashlib.sha256(part.encode()).hexdigest()[:32]}" if part else key


def _entries_key(day: str) -> str:
    return f"{PREFIX}:n:{day}"


def _entry_key(day: str, number: int) -> str:
    return f"{PREFIX}:e:{day}:{number}"


def _buffer(descriptor: Descriptor, amount: int = 1) -> None:
    """Add to the descriptor's counter; the first use of a counter registers it in the day's
    list, which the flush reads (caches cannot list their keys)."""
    key = _counter_key(descriptor)
    if not cache.add(key, amount, timeout=BUFFER_SECONDS):
        try:
            cache.incr(key, amount)
            return
        except ValueError:  # expired between add and incr
            cache.set(key, amount, timeout=BUFFER_SECONDS)
    day = descriptor[4]
    cache.add(_entries_key(day), 0, timeout=BUFFER_SECONDS)
    number = cache.incr(_entries_key(day))
    cache.set(_entry_key(day, number), descriptor, timeout=BUFFER_SECONDS)


_pending: Counter = Counter()
_pending_lock = threading.Lock()
_last_push = [time.monotonic()]


def _record(descriptor: Descriptor) -> None:
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
            logger.exception("counts: could not buffer uses")


def discard_pending() -> None:
    """Forget this process's counts not yet pushed (tests start from nothing)."""
    with _pending_lock:
        _pending.clear()


atexit.register(push_pending)


def count_use(
    government_id: int, module: str, kind: str, object_id: int | None = None, *, part: str = "", day=None
) -> None:
    """Count one use of a module's record (or page, without ``object_id``) today; ``part`` is
    for the module's own writer. Never raises for a failing counter: it must not break the page."""
    _check(module, kind)
    day = (day or timezone.localdate()).isoformat()
    try:
        _record((int(government_id), module, kind, int(object_id or 0), day, str(part or "")))
    except Exception:
        logger.exception("counts: could not count a use")


def count_request(request, module: str, kind: str, object_id: int | None = None, *, part: str = "") -> None:
    """Count a use made by this request, unless it is a crawler or not a real read."""
    if countable(request):
        count_use(request.government.pk, module, kind, object_id, part=part)


def note(response, module: str, kind: str, object_id: int | None = None, *, part: str = ""):
    """Mark a response of a @counted view with the use it stands for; kept with the response
    in the page cache so cache hits count it too."""
    _check(module, kind)
    uses = getattr(response, RESPONSE_ATTRIBUTE, None) or []
    uses.append((module, kind, int(object_id or 0), str(part or "")))
    setattr(response, RESPONSE_ATTRIBUTE, uses)
    return response


def count_response(request, response) -> None:
    if response.status_code != 200 or not countable(request):
        return
    for module, kind, object_id, *part in getattr(response, RESPONSE_ATTRIBUTE, None) or ():
        count_use(request.government.pk, module, kind, object_id, part=part[0] if part else "")


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


def _add(government, descriptor: Descriptor, amount: int) -> None:
    """Add to the day's row, creating it if missing; another process creating it at the same
    time trips the unique constraint, and then the addition goes to its row."""
    _, module, kind, object_id, day, _part = descriptor
    rows = UsageCount.objects.filter(
        government=government, module=module, kind=kind, object_id=object_id, day=dt.date.fromisoformat(day)
    )
    if rows.update(count=F("count") + amount):
        return
    try:
        with transaction.atomic():
            UsageCount.objects.create(
                government=government,
                module=module,
                kind=kind,
                object_id=object_id,
                day=dt.date.fromisoformat(day),
                count=amount,
            )
    except IntegrityError:
        rows.update(count=F("count") + amount)


def _apply(amounts: dict[Descriptor, int], done: set[int] | None = None) -> int:
    """Write counted uses to the database, one transaction a government; returns how many uses
    were written. ``done`` collects the governments whose transaction committed."""
    by_government: dict[int, list[tuple[Descriptor, int]]] = defaultdict(list)
    for descriptor, amount in amounts.items():
        if amount > 0:
            by_government[descriptor[0]].append((descriptor, amount))
    written = 0
    for government in Government.objects.filter(pk__in=list(by_government)):
        by_writer: dict[str, list] = defaultdict(list)
        with government_scope(government), transaction.atomic():
            for descriptor, amount in by_government[government.pk]:
                _, module, kind, object_id, day, part = descriptor
                if module in _writers:
                    by_writer[module].append((kind, object_id, part, dt.date.fromisoformat(day), amount))
                    continue
                _add(government, descriptor, amount)
                written += amount
            for module, items in by_writer.items():
                written += _writers[module](government, items)
        if done is not None:
            done.add(government.pk)
    return written


def _pending_days(today: dt.date) -> list[str]:
    return [(today - dt.timedelta(days=back)).isoformat() for back in range(BUFFER_SECONDS // 86400 + 1)]


def _take_buffer(today: dt.date) -> dict[Descriptor, int]:
    """Read every registered counter and subtract what was read, so uses counted meanwhile
    stay for the next flush and nothing is taken twice."""
    descriptors = set()
    for day in _pending_days(today):
        last = cache.get(_entries_key(day)) or 0
        keys = [_entry_key(day, number) for number in range(1, last + 1)]
        descriptors.update(_descriptor(value) for value in cache.get_many(keys).values() if value)
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


def _give_back(taken: dict[Descriptor, int]) -> None:
    for descriptor, amount in taken.items():
        try:
            _buffer(descriptor, amount)
        except Exception:
            logger.exception("counts: could not return uses to the buffer")


def flush(*, today: dt.date | None = None) -> int:
    """Move the buffered counters into UsageCount rows. One flush at a time (a cache lock);
    returns the number of uses written."""
    today = today or timezone.localdate()
    push_pending()
    lock = f"{PREFIX}:flush-lock"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return 0
    try:
        taken = _take_buffer(today)
        done: set[int] = set()
        try:
            written = _apply(taken, done)
        except Exception:
            # Only what was not written goes back: a government whose counts committed before
            # the failure would otherwise be counted twice at the next flush.
            _give_back({descriptor: amount for descriptor, amount in taken.items() if descriptor[0] not in done})
            raise
        for hook in _after_flush:
            try:
                hook(today)
            except Exception:
                logger.exception("counts: a hook after the flush failed")
        return written
    finally:
        cache.delete(lock)


# Demo ------------------------------------------------------------------------------------


def seed_counts(government, module: str, counts: Iterable[tuple[str, int, dt.date, int]]) -> int:
    """Store made-up daily counts ``(kind, object id, day, count)`` for a demo, unless the
    module already has counts in this government (idempotent). Returns the rows written."""
    if UsageCount.objects.for_government(government).filter(module=module).exists():
        return 0
    totals: Counter = Counter()
    for kind, object_id, day, count in counts:
        _check(module, kind)
        if count > 0:
            totals[(kind, int(object_id or 0), day)] += count
    rows = [
        UsageCount(government=government, module=module, kind=kind, object_id=object_id, day=day, count=count)
        for (kind, object_id, day), count in totals.items()
    ]
    UsageCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
