"""Rate limits under parallel requests: no more than the limit gets through, on every cache
backend the platform runs with (local memory in tests, files on disk on one machine, Redis in
production), through the API throttles and the decorator of views outside the API.

Reads of the cache are slowed down in these tests, so that a limit that reads a count and
writes it back (the race these tests guard against) lets parallel requests through every time,
not only when the threads happen to interleave."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from minga.core import ratelimit
from minga.core.api.throttling import AnonThrottle, rate_limited

CLIENTS = 32
LIMIT = 10


def in_parallel(function, count: int = CLIENTS) -> list:
    """Run `function` in `count` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def run(_):
        barrier.wait()
        return function()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


# The counter itself ---------------------------------------------------------------------------


def test_parallel_hits_never_exceed_the_limit(cache_backend, slow_cache_reads):
    key, now = f"test:{uuid.uuid4().hex}", time.time()
    decisions = in_parallel(lambda: ratelimit.hit(key, limit=LIMIT, window=60, now=now))
    assert sum(d.allowed for d in decisions) == LIMIT
    refused = [d for d in decisions if not d.allowed]
    assert refused and all(1 <= d.retry_after <= 60 for d in refused)
    # Refusals gave their count back: the window holds exactly the requests that went ahead.
    assert ratelimit.counters().get(decisions[0].bucket) == LIMIT


def test_the_window_slides():
    key = f"test:{uuid.uuid4().hex}"
    start = 6000.0  # the start of a window of 60 s
    assert all(ratelimit.hit(key, limit=4, window=60, now=start + 50).allowed for _ in range(4))
    assert not ratelimit.hit(key, limit=4, window=60, now=start + 55).allowed
    # 10 s into the next window the previous one still weighs 5/6 of its 4: 3.33 + 1 > 4.
    refused = ratelimit.hit(key, limit=4, window=60, now=start + 70)
    assert not refused.allowed and refused.retry_after == 5  # at 75 s: 4 × 3/4 + 1 = 4
    assert ratelimit.hit(key, limit=4, window=60, now=start + 75).allowed


def test_given_back_counts_do_not_count(cache_backend):
    key = f"test:{uuid.uuid4().hex}"
    for _ in range(5):
        ratelimit.give_back(ratelimit.hit(key, limit=2, window=60))
    assert ratelimit.hit(key, limit=2, window=60).allowed


# The API throttles and the decorator ----------------------------------------------------------


def _anonymous_request(address="10.1.2.3"):
    request = RequestFactory().get("/api/v1/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def _rates(anon: str):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": "1000/min"}}
    )


def test_api_throttle_holds_under_parallel_requests(cache_backend, slow_cache_reads):
    with _rates(f"{LIMIT}/min"):
        allowed = in_parallel(lambda: AnonThrottle().allow_request(_anonymous_request(), None))
    assert sum(allowed) == LIMIT


def test_rate_limited_views_hold_under_parallel_requests(cache_backend, slow_cache_reads):
    @rate_limited()
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    with _rates(f"{LIMIT}/min"):
        statuses = in_parallel(lambda: view(_anonymous_request("10.4.5.6")).status_code)
    assert statuses.count(200) == LIMIT and statuses.count(429) == CLIENTS - LIMIT
