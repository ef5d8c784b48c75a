"""Resolve the government of each request.

A government is found by the request host (its own domain, once the platform's operator
approved it) or, on single-host installs and in the demo, by a `/g/<slug>/` path prefix. The
platform's own hosts (settings.PLATFORM_HOSTS) are checked first and never resolve to a
government, so no government can shadow the platform's pages. Government pages are served from
settings.GOVERNMENT_URLCONF; with the prefix, the prefix becomes the script prefix so that
`reverse()` and `{% url %}` produce prefixed addresses without knowing about tenancy."""

import re

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix, set_urlconf
from django.utils import translation
from django_scopes import scope

from ..registry import module_keys
from ..ui.errors import not_found
from .hosts import is_platform_host
from .selectors import government_for_host, government_for_slug

PREFIX = re.compile(r"^/g/(?P<slug>[-a-z0-9]+)(?P<rest>/.*)?$")


class GovernmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.government = None
        host = request.META.get("HTTP_HOST", "")
        government = None if not host or is_platform_host(host) else government_for_host(host)
        if government is not None:
            request.government = government
            request.urlconf = settings.GOVERNMENT_URLCONF
            return self.get_response(request)

        match = PREFIX.match(request.path_info)
        if match is None:
            return self.get_response(request)
        government = government_for_slug(match["slug"])
        if government is None:
            # Answered before LocaleMiddleware runs: in the visitor's language all the same.
            with translation.override(translation.get_language_from_request(request)):
                return not_found(request)
        if match["rest"] is None:  # /g/slug -> /g/slug/
            return HttpResponsePermanentRedirect(request.path + "/")
        request.government = government
        request.urlconf = settings.GOVERNMENT_URLCONF
        previous_prefix = get_script_prefix()
        request.path_info = match["rest"]
        set_script_prefix(f"{previous_prefix.rstrip('/')}/g/{government.slug}/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous_prefix)
            set_urlconf(None)


class GovernmentScopeMiddleware:
    """Runs every government request inside a django-scopes scope, so government-owned
    managers only ever see that government's rows. Also answers 404 for the pages and API of
    a module the government switched off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        government = getattr(request, "government", None)
        if government is None:
            return self.get_response(request)
        with scope(government=government):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        government = getattr(request, "government", None)
        match = getattr(request, "resolver_match", None)
        if government is None or match is None:
            return None
        for app_name in match.app_names:
            if app_name in module_keys() and not government.module_enabled(app_name):
                raise Http404("module disabled")
        return None
