"""Every URL declares the permission it needs (or that it is public): the check is the
default a view opts out of, never something a view must remember."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from minga.core.access import declared_permission
from minga.core.permissions import PUBLIC, declared_permissions

# Django's own static-file and media helpers are not part of the application.
IGNORED_CALLBACK_MODULES = ("django.views.static", "django.contrib.staticfiles")


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def all_routes():
    for urlconf in (settings.ROOT_URLCONF, settings.GOVERNMENT_URLCONF):
        yield from walk(get_resolver(urlconf).url_patterns)


def test_every_url_declares_a_known_permission():
    known = declared_permissions() | {PUBLIC}
    missing, unknown = [], []
    routes = list(all_routes())
    assert len(routes) > 10
    for route, callback in routes:
        if callback.__module__.startswith(IGNORED_CALLBACK_MODULES):
            continue
        permission = declared_permission(callback)
        if permission is None:
            missing.append(route)
        elif permission not in known:
            unknown.append(f"{route}: {permission}")
    assert not missing, f"URLs without a declared permission: {missing}"
    assert not unknown, f"URLs with an undeclared permission name: {unknown}"
