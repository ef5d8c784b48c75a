"""Cache of public pages as anonymous visitors see them.

Public pages are the same for every anonymous visitor of a government in a language, so the
rendered response is kept in the cache (Redis in production) and served without running the
view. Views opt in with `@public_page` (never pages that record something per request, such
as search). The key carries a per-government content version. `content_changed(government,
reason=...)` is the one call that bumps it, when the write's transaction commits: the audit
log's `record()` makes it for every official write, and the services of citizens' writes,
which are not audited (data requests, supports, comments, field observations), make it
themselves. So any change shows at once; PUBLIC_PAGE_CACHE_SECONDS bounds how long
time-dependent pages ("upcoming events") can lag behind the clock. With read replicas, a government's requests read from the
primary for a few seconds after a change, so that no page is kept under the new version after
being rendered from a replica that did not have the change yet (core/db_routing.py)."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .. import db_routing
from ..access import public
from .fragments import wants_fragment

CACHEABLE_ATTRIBUTE = "minga_public_page"
HIT_HOOK_ATTRIBUTE = "minga_page_cache_hit_hook"
VERSION_KEY = "minga:page-version:{government_id}"
# Present for DATABASE_PRIMARY_PIN_SECONDS after a change, with read replicas: the government's
# requests read from the primary meanwhile (see PublicPageCacheMiddleware).
CHANGED_KEY = "minga:page-changed:{government_id}"
# For content_changed(EVERY_GOVERNMENT): what a person wrote may be on pages of any
# government, and core does not know which (a name shown with a comment).
EVERY_GOVERNMENT = object()
_EVERY = "all"

logger = logging.getLogger(__name__)


def public_page(view):
    """@public, and the anonymous rendering of the page may be cached."""
    view = public(view)
    setattr(view, CACHEABLE_ATTRIBUTE, True)
    return view


def on_page_cache_hit(hook):
    """For a @public_page view that must still note each visit when its page comes from the
    cache and the view does not run (a daily counter with no personal data, never anything
    per visitor): ``hook(request, cached_response)`` is called on every cache hit."""

    def decorate(view):
        setattr(view, HIT_HOOK_ATTRIBUTE, hook)
        return view

    return decorate


def content_changed(government, *, reason: str) -> None:
    """What anonymous visitors see of this government changed: its cached public pages, home
    figures and process memos are dropped once the current transaction commits (at once
    outside a transaction; never if it rolls back). Called by the service that writes, never
    by a view: audit.record() for official writes, the citizen-write services for theirs.
    `reason` names the write (an audit action code or "module.object.verb") for the log.
    EVERY_GOVERNMENT is for the rare writes that show on pages of governments core cannot
    name (a person's name beside their comments changes or is erased): every government's
    pages follow."""
    if government is None:
        return
    government_id = _EVERY if government is EVERY_GOVERNMENT else government.pk
    transaction.on_commit(lambda: _bump_version(government_id, reason))


def _bump_version(government_id, reason: str) -> None:
    logger.debug("public content of government %s changed: %s", government_id, reason)
    key = VERSION_KEY.format(government_id=government_id)
    if not cache.add(key, 2, timeout=None):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, timeout=None)
    seconds = settings.DATABASE_PRIMARY_PIN_SECONDS
    if db_routing.replicas() and seconds > 0:
        cache.set(CHANGED_KEY.format(government_id=government_id), 1, timeout=seconds)


def content_version(government) -> int:
    """Grows whenever anything public of this government changes (content_changed): the sum
    of its own version and the one of every government, which only ever grow."""
    keys = [VERSION_KEY.format(government_id=government.pk), VERSION_KEY.format(government_id=_EVERY)]
    versions = cache.get_many(keys)
    return sum(versions.get(key) or 1 for key in keys)


def _key(request) -> str:
    government = request.government
    raw = "|".join(
        (
            str(government.pk),
            str(content_version(government)),
            request.get_host(),
            request.LANGUAGE_CODE,
            request.get_full_path(),
            "fragment" if wants_fragment(request) else "page",
        )
    )
    return "minga:page:" + hashlib.sha256(raw.encode()).hexdigest()


class PublicPageCacheMiddleware:
    """Placed after authentication and locale: serves and stores anonymous GET responses of
    views marked with @public_page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        government = getattr(request, "government", None)
        if (
            government is not None
            and db_routing.replicas()
            and cache.get_many([CHANGED_KEY.format(government_id=key) for key in (government.pk, _EVERY)])
        ):
            # A page rendered now (and a process memo filled now) is kept under the new content
            # version: it must not come from a read replica that has not caught up yet.
            db_routing.use_primary()
        response = self.get_response(request)
        key = getattr(request, "_minga_page_cache_key", None)
        if (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(request, "_minga_page_cache_hit", False)
        ):
            cache.set(key, response, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
            or request.method not in ("GET", "HEAD")
            or getattr(request, "government", None) is None
            or not getattr(view_func, CACHEABLE_ATTRIBUTE, False)
            or request.user.is_authenticated
            or len(getattr(request, "_messages", ()))  # a pending notice is for this visitor only
        ):
            return None
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            request._minga_page_cache_hit = True
            hook = getattr(view_func, HIT_HOOK_ATTRIBUTE, None)
            if hook is not None:
                hook(request, cached)
            return cached
        request._minga_page_cache_key = key
        return None
