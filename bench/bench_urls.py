"""The portal's urlconf plus the peer every page is compared with: a bare Django view that
goes through the same middleware (sessions, tenancy, locale, CSRF, auth, OTP, CSP, ...) and
returns a constant, with no template and no database query."""

from django.http import HttpResponse
from django.urls import include, path

from minga.core.access import public
from minga.urls import handler403, handler404, handler500  # noqa: F401 - the same error pages


@public
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("minga.urls")),
]
