"""Pages of follows and notices: the follow button's address (a fragment for htmx, a page
without JavaScript; POST follows or stops following), "My notifications" with read marks, the
notice preferences, and the one-click unsubscribe (GET confirms, POST acts, no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..access import public, requires
from ..permissions import OWN_ACCOUNT
from . import emails, followables, selectors, services
from .forms import PreferencesForm

PAGE_SIZE = 30


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _government_or_404(request):
    government = getattr(request, "government", None)
    if government is None:
        raise Http404
    return government


def _prefixed(path: str) -> str:
    """A government-relative path as a link of the current request."""
    return get_script_prefix().rstrip("/") + path


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# The follow button ---------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def follow(request, kind: str, pk: int):
    """GET: the person's follow state and button (a fragment for htmx, a page otherwise).
    POST: follow or stop following, then back where the person was (htmx: the new button)."""
    government = _government_or_404(request)
    found = followables.entry(kind)
    if found is None or not followables.is_enabled(found, government):
        raise Http404
    target = followables.find_visible(found, government, request.user, pk)
    if target is None:
        raise Http404
    back = _safe_next(request, _prefixed(found.path(target)))
    htmx = bool(request.headers.get("HX-Request"))
    if request.method == "POST":
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('core:login')}?next={back}")
        following = request.POST.get("seguir") == "1"
        services.follow_set(user=request.user, government=government, target=target, following=following)
        if not htmx:
            title = found.title(target)
            if following:
                messages.success(
                    request, _("You follow “%(title)s”: you will get a notice when it changes.") % {"title": title}
                )
            else:
                messages.success(request, _("You no longer follow “%(title)s”.") % {"title": title})
            return redirect(back)
    context = {"follow": selectors.follow_state(request.user, government, target), "next": back}
    template = "core/notifications/follow_button.html" if htmx else "core/notifications/follow_page.html"
    return _private(render(request, template, context))


# My notifications ----------------------------------------------------------------------


@requires(OWN_ACCOUNT)
def notification_list(request):
    government = _government_or_404(request)
    notices = selectors.user_notifications(request.user, government)
    context = {
        "page": Paginator(notices, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "unread": selectors.unread_count(request.user, government),
        "follows": selectors.user_follows(request.user, government),
    }
    return _private(render(request, "core/notifications/list.html", context))


@requires(OWN_ACCOUNT)
def notification_open(request, pk: int):
    """Opening a notice marks it read and goes to what it is about."""
    government = _government_or_404(request)
    notice = selectors.notification_of(request.user, government, pk)
    if notice is None:
        raise Http404
    services.notification_read(user=request.user, government=government, notification=notice)
    return redirect(_prefixed(notice.path))


@requires(OWN_ACCOUNT)
@require_POST
def notification_read(request, pk: int):
    government = _government_or_404(request)
    notice = selectors.notification_of(request.user, government, pk)
    if notice is None:
        raise Http404
    services.notification_read(user=request.user, government=government, notification=notice)
    return redirect(_safe_next(request, reverse("core:notifications")))


@requires(OWN_ACCOUNT)
@require_POST
def notifications_read_all(request):
    government = _government_or_404(request)
    count = services.notifications_read_all(user=request.user, government=government)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("core:notifications")


# Preferences ---------------------------------------------------------------------------


@requires(OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def preferences(request):
    entries = followables.enabled_entries(getattr(request, "government", None))
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        entries=entries,
        initial_choices=services.preferences_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, choices=form.choices())
        messages.success(request, _("Your notice settings were saved."))
        return redirect("core:notification_preferences")
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "core/notifications/preferences.html", {"form": form}, status=status))


# One-click unsubscribe -----------------------------------------------------------------


def _what_stops(asked, user, government) -> str:
    """What the link stops, in words: the title of a followed record only inside its government
    and while the link's owner may still see it."""
    if asked.is_follow:
        found = followables.entry(asked.follow_kind)
        if found is not None and government is not None and government.pk == asked.government_id:
            target = followables.find_visible(found, government, user, asked.follow_object_id)
            if target is not None:
                return _("Stop following “%(title)s”.") % {"title": found.title(target)}
        return _("Stop following this.")
    labels = [str(found.label) for found in followables.entries() if found.kind in asked.kinds]
    return _("No more e-mails about: %(kinds)s. You will still see the notices in “My notifications”.") % {
        "kinds": ", ".join(labels) or "—"
    }


@public
@csrf_exempt  # mail programs post RFC 8058's "List-Unsubscribe=One-Click" without a form token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what the link stops and a button (link scanners only GET); POST does it,
    with no sign-in: the signed link is the permission. An altered link is refused."""
    asked = emails.read_token(token)
    user = get_user_model().objects.filter(pk=asked.user_id, is_active=True).first() if asked else None
    if asked is None or user is None:
        return _private(render(request, "core/notifications/unsubscribe_invalid.html", status=400))
    government = getattr(request, "government", None)
    if request.method == "POST":
        if asked.is_follow:
            if government is None or government.pk != asked.government_id:
                raise Http404
            services.unfollow(
                user=user, government=government, kind=asked.follow_kind, object_id=asked.follow_object_id
            )
        else:
            services.email_off(user=user, kinds=asked.kinds)
        return _private(render(request, "core/notifications/unsubscribe_done.html", {"follow": asked.is_follow}))
    context = {"what": _what_stops(asked, user, government), "follow": asked.is_follow}
    return _private(render(request, "core/notifications/unsubscribe_confirm.html", context))
