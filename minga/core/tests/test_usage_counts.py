"""Core's private page counters (core/usage): only daily totals per government, module, kind
and record are kept (no address, cookie, account or browser string in the rows or the cache),
crawlers and HEAD requests are left out, the buffer is flushed once and adds to existing rows,
page cache hits count through the hook, and the selectors sum by month and by record."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from minga.core.scheduling.services import periodic_jobs
from minga.core.tenancy.scoping import scopes_disabled
from minga.core.ui.page_cache import HIT_HOOK_ATTRIBUTE
from minga.core.usage import selectors, services
from minga.core.usage.models import UsageCount

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
SECRET_IP = "203.0.113.77"
SECRET_COOKIE = "sessionid=very-secret-cookie"
DAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _empty_cache():
    services.discard_pending()
    cache.clear()
    yield
    services.discard_pending()
    cache.clear()


def _request(government, *, agent=BROWSER, method="GET"):
    request = getattr(RequestFactory(), method.lower())(
        "/concejo/", HTTP_USER_AGENT=agent, REMOTE_ADDR=SECRET_IP, HTTP_COOKIE=SECRET_COOKIE
    )
    request.government = government
    return request


@services.counted
def _page(request, pk):
    return services.note(HttpResponse("ok"), "council", "act", pk)


def _counts(government) -> dict:
    with scopes_disabled():
        return {
            (row.module, row.kind, row.object_id, row.day): row.count
            for row in UsageCount.objects.filter(government=government)
        }


def test_uses_are_buffered_then_flushed_to_daily_rows_without_personal_data(government):
    for _ in range(3):
        _page(_request(government), 7)
    _page(_request(government), 8)
    assert _counts(government) == {}  # buffered until the flush
    services.push_pending()
    stored = repr(sorted((str(k), repr(v)) for k, v in cache._cache.items()))  # the local-memory test cache
    assert SECRET_IP not in stored and "very-secret-cookie" not in stored and "Chrome" not in stored
    assert services.flush() == 4
    today = timezone.localdate()
    assert _counts(government) == {("council", "act", 7, today): 3, ("council", "act", 8, today): 1}
    with scopes_disabled():
        row = UsageCount.objects.get(government=government, object_id=7)
    fields = {field.name for field in UsageCount._meta.get_fields()}
    assert fields == {"id", "government", "module", "kind", "object_id", "day", "count"}
    assert SECRET_IP not in str(row.__dict__) and BROWSER not in str(row.__dict__)
    # A second flush finds nothing new; a later use adds to the same row.
    assert services.flush() == 0
    _page(_request(government), 7)
    services.flush()
    assert _counts(government)[("council", "act", 7, today)] == 4


@pytest.mark.parametrize(
    "agent", ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "HeadlessChrome/120"]
)
def test_crawlers_are_not_counted(government, agent):
    _page(_request(government, agent=agent), 7)
    services.flush()
    assert _counts(government) == {}


def test_head_requests_and_errors_are_not_counted(government):
    _page(_request(government, method="HEAD"), 7)
    services.count_response(_request(government), services.note(HttpResponse(status=404), "council", "act", 7))
    services.flush()
    assert _counts(government) == {}


def test_page_cache_hits_are_counted_from_the_cached_response(government):
    response = _page(_request(government), 7)
    hook = getattr(_page, HIT_HOOK_ATTRIBUTE)
    hook(_request(government), response)
    hook(_request(government), response)
    services.flush()
    assert _counts(government) == {("council", "act", 7, timezone.localdate()): 3}


def test_without_the_buffer_uses_are_written_at_once(government):
    with override_settings(MINGA_USAGE_BUFFER=False):
        services.count_use(government.pk, "council", "home", day=DAY)
        services.count_use(government.pk, "council", "home", day=DAY)
    assert _counts(government) == {("council", "home", 0, DAY): 2}


def test_names_are_checked(government):
    with pytest.raises(ValueError):
        services.count_use(government.pk, "Council Module", "act", 1)


def test_each_government_keeps_its_own_counts(government, other_government):
    with override_settings(MINGA_USAGE_BUFFER=False):
        services.count_use(government.pk, "council", "act", 1, day=DAY)
        services.count_use(other_government.pk, "council", "act", 1, day=DAY)
        services.count_use(other_government.pk, "council", "act", 1, day=DAY)
    assert selectors.total(government, "council") == 1
    assert selectors.total(other_government, "council") == 2


def test_a_failed_flush_gives_back_only_what_was_not_written(government, other_government, monkeypatch):
    """One government's counts commit, the next one's write fails: the next flush writes the
    second's and does not count the first's twice."""
    services.count_use(government.pk, "council", "act", 1, day=DAY)
    services.count_use(other_government.pk, "council", "act", 1, day=DAY)
    services.count_use(other_government.pk, "council", "act", 1, day=DAY)
    services.push_pending()
    real_add, calls = services._add, []

    def add_then_fail(target, descriptor, amount):
        calls.append(target.pk)
        if len(calls) > 1:
            raise RuntimeError("the database went away")
        return real_add(target, descriptor, amount)

    monkeypatch.setattr(services, "_add", add_then_fail)
    with pytest.raises(RuntimeError):
        services.flush(today=DAY)
    monkeypatch.setattr(services, "_add", real_add)
    services.flush(today=DAY)
    assert selectors.total(government, "council") == 1
    assert selectors.total(other_government, "council") == 2


def test_selectors_sum_by_month_kind_and_record(government):
    counts = [
        ("act", 1, dt.date(2026, 9, 3), 5),
        ("act", 1, dt.date(2026, 9, 20), 2),
        ("act", 2, dt.date(2026, 10, 1), 4),
        ("home", 0, dt.date(2026, 10, 31), 6),
    ]
    assert services.seed_counts(government, "council", counts) == 4
    assert services.seed_counts(government, "council", counts) == 0  # idempotent
    assert selectors.monthly_totals(government, "council") == {dt.date(2026, 9, 1): 7, dt.date(2026, 10, 1): 10}
    assert selectors.monthly_by_kind(government, "council", kinds=["act"]) == {
        dt.date(2026, 9, 1): {"act": 7},
        dt.date(2026, 10, 1): {"act": 4},
    }
    assert selectors.totals_by_object(government, "council", "act") == {1: 7, 2: 4}
    assert selectors.total(government, "council", since=dt.date(2026, 10, 1)) == 10
    assert selectors.first_day(government, "council") == dt.date(2026, 9, 3)


def test_the_flush_runs_every_minute():
    job = next(job for job in periodic_jobs() if job.name == "core.flush_usage")
    assert job.task == "minga.core.usage.tasks.flush_usage" and job.every == dt.timedelta(minutes=1)


@pytest.fixture
def writer():
    """A module that stores its counts itself: the flush hands them over with their part."""
    received, hooks = [], []

    def write(government, items):
        received.extend((government.pk, *item) for item in items)
        return sum(item[4] for item in items) - 1  # one use refused, as a writer may

    services.register_writer("elsewhere", write)
    services.after_flush(hooks.append)
    yield received, hooks
    services._writers.pop("elsewhere")
    services._after_flush.remove(hooks.append)


def test_a_registered_writer_gets_its_modules_counts_with_their_part(government, writer):
    received, hooks = writer
    services.count_use(government.pk, "elsewhere", "file", 3, part="41", day=DAY)
    services.count_use(government.pk, "elsewhere", "file", 3, part="41", day=DAY)
    services.count_use(government.pk, "elsewhere", "file", 3, part="42", day=DAY)
    services.count_use(government.pk, "council", "act", 3, day=DAY)
    services.push_pending()
    assert not any("41" in key.split(":")[-1] for key in cache._cache)  # the part is only a digest in keys
    assert services.flush(today=DAY) == 1 + 2
    assert sorted(received) == [
        (government.pk, "file", 3, "41", DAY, 2),
        (government.pk, "file", 3, "42", DAY, 1),
    ]
    assert _counts(government) == {("council", "act", 3, DAY): 1}  # other modules keep core's rows
    assert hooks == [DAY]
    services.flush(today=DAY)
    assert len(received) == 2 and hooks == [DAY, DAY]  # nothing new, the hook runs after each flush


def test_counters_buffered_before_parts_existed_are_still_flushed(government):
    descriptor = (government.pk, "council", "act", 7, DAY.isoformat(), "")
    cache.set(services._counter_key(descriptor), 2)
    cache.set(services._entries_key(DAY.isoformat()), 1)
    cache.set(services._entry_key(DAY.isoformat(), 1), descriptor[:5])  # an entry of five fields
    assert services.flush(today=DAY) == 2
    assert _counts(government) == {("council", "act", 7, DAY): 2}
