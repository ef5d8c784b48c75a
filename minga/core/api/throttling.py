"""Rate limits. Same scopes as DRF's anon/user throttles, but the rate is read from
settings at request time (so it can be changed per deployment and in tests) and the
client address is taken from X-Forwarded-For only when REST_FRAMEWORK["NUM_PROXIES"] says
how many proxies to trust (otherwise anyone could dodge the limit with a forged header)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    pass
