"""Every URL declares the permission it needs (or that it is public): the check is the
default a view opts out of, never something a view must remember."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from minga.core.access import declared_permission
from minga.core.permissions import OWN_ACCOUNT, PUBLIC, declared_permissions
from minga.core.testing import assert_second_factor_first, make_superuser

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


# Dummy values for route converters: the permission check runs before the view looks
# anything up, so no object has to exist.
CONVERTER_VALUES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?\w+>")


def concrete(route: str) -> str:
    return CONVERTER.sub(lambda m: CONVERTER_VALUES[m["kind"] or "str"], route)


def guarded_routes(urlconf):
    for route, callback in walk(get_resolver(urlconf).url_patterns):
        if callback.__module__.startswith(IGNORED_CALLBACK_MODULES):
            continue
        permission = declared_permission(callback)
        if permission not in (PUBLIC, OWN_ACCOUNT):
            is_api = getattr(callback, "cls", None) is not None
            yield concrete(route), is_api


@pytest.mark.django_db
def test_superuser_without_two_factor_is_sent_to_it_by_every_guarded_url(client, government):
    """Every permission is granted to a superuser: without the second factor, every
    back-office page (GET and POST) sends to the two-factor set-up and no write happens,
    and the API refuses."""
    client.force_login(make_superuser())  # the password only
    pages, api = [], []
    for path, is_api in guarded_routes(settings.GOVERNMENT_URLCONF):
        (api if is_api else pages).append(f"/g/{government.slug}/{path}")
    assert len(pages) > 50 and api
    assert_second_factor_first(client, government, pages, pages)
    refused = 0
    for url in api:
        for method in ("get", "post", "delete"):
            response = getattr(client, method)(url)
            # A method the endpoint does not serve answers 405 before any credentials are looked at.
            assert response.status_code in (403, 405), f"{method.upper()} {url} answered {response.status_code}"
            refused += response.status_code == 403
    assert refused >= len(api)  # every endpoint refused at least the method it serves

    platform = [f"/{path}" for path, _ in guarded_routes(settings.ROOT_URLCONF)]
    assert platform
    for url in platform:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith("/cuenta/doble-factor/?"), url
