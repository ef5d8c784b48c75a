"""Error pages. They may be rendered for a URL of any namespace instance (an API or a feed),
so links are reversed against each app's default instance (current_app None)."""

from django.shortcuts import render


def _page(request, template: str, status: int):
    request.current_app = None
    return render(request, template, status=status)


def not_found(request, exception=None):
    return _page(request, "core/errors/404.html", 404)


def forbidden(request, exception=None):
    return _page(request, "core/errors/403.html", 403)


def server_error(request):
    return _page(request, "core/errors/500.html", 500)


def csrf_failure(request, reason=""):
    return _page(request, "core/errors/403_csrf.html", 403)
