"""Rate limits. Same scopes as DRF's anon/user throttles, but the rate is read from
settings at request time (so it can be changed per deployment and in tests), the client
address is taken from X-Forwarded-For only when REST_FRAMEWORK["NUM_PROXIES"] says how many
proxies to trust (otherwise anyone could dodge the limit with a forged header), and requests
are counted with the atomic sliding window of `core.ratelimit` instead of DRF's history list
(read from the cache and written back, so parallel requests all passed on the same list)."""

import math
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .. import ratelimit
from .messages import throttled_message


class _SettingsRate:
    decision: ratelimit.Decision | None = None

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.decision = ratelimit.hit(key, limit=self.num_requests, window=self.duration)
        return self.decision.allowed

    def wait(self):
        return self.decision.retry_after if self.decision is not None else None

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    pass


def throttle_wait(request) -> int | None:
    """For views outside DRF (CKAN's Action API, DCAT, downloads): the same anonymous and
    per-user limits as /api/v1/. None when the request may go ahead, else the seconds to wait."""
    waits = []
    for throttle in (AnonThrottle(), UserThrottle()):
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait())
    if not waits:
        return None
    return max(1, math.ceil(max(wait or 1 for wait in waits)))


def rate_limited(refused: Callable[[HttpRequest, int], HttpResponse] | None = None):
    """Decorator: answer 429 with Retry-After when the client is over its rate. ``refused``
    builds the body in the interface's own error shape (JSON with a message by default)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = throttle_wait(request)
            if wait is None:
                return view(request, *args, **kwargs)
            if refused is not None:
                response = refused(request, wait)
            else:
                response = JsonResponse({"detail": throttled_message(wait), "retry_after": wait})
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response

        return wrapped

    return decorate
