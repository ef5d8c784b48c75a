"""The government urlconf plus the bare view, so /g/<slug>/bench/bare/ also pays for the
government lookup and the tenancy scope (reported beside the platform-level bare view)."""

from django.urls import include, path

from minga.urls_government import handler403, handler404, handler500  # noqa: F401

from .bench_urls import bare

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("minga.urls_government")),
]
