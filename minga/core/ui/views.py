"""The public shell: platform home, government home, branding stylesheet, language switch,
Atom feed of a government's latest updates."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from ..access import public
from ..tenancy.selectors import child_governments, government_home_url, public_governments
from .page_cache import public_page
from .selectors import latest_updates, public_sections


@public
@require_GET
def platform_home(request):
    governments = list(public_governments())
    for government in governments:
        government.home_url = government_home_url(government)
    return render(request, "core/platform_home.html", {"governments": governments})


@public_page
@require_GET
def government_home(request):
    government = request.government
    children = list(child_governments(government))
    for child in children:
        child.home_url = government_home_url(child)
    return render(
        request,
        "core/government_home.html",
        {
            "sections": public_sections(government),
            "updates": latest_updates(government, limit=8),
            "children": children,
        },
    )


@public_page
@require_GET
def theme_css(request):
    """Per-government colours as CSS custom properties: a stylesheet, not inline styles, so
    the Content-Security-Policy can forbid inline styles."""
    government = getattr(request, "government", None)
    primary = government.primary_colour if government else "#0b5563"
    accent = government.accent_colour if government else "#b4531a"
    css = f":root{{--brand:{primary};--accent:{accent};}}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response


@public
def set_language(request):
    """Switch language. A GET form in the header keeps public pages free of per-visitor
    tokens (so they can be cached); POST works as in Django."""
    if request.method != "GET":
        return django_set_language(request)
    language = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@public_page
@require_GET
def atom_feed(request):
    government = request.government
    feed = Atom1Feed(
        title=_("%(name)s: latest updates") % {"name": government.name},
        link=request.build_absolute_uri(reverse("core:home")),
        description=government.description,
        language=request.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(),
    )
    for update in latest_updates(government, limit=30):
        feed.add_item(
            title=update.title,
            link=request.build_absolute_uri(update.url),
            description=update.summary,
            updateddate=update.updated_at,
            pubdate=update.updated_at,
            unique_id=request.build_absolute_uri(update.url),
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
