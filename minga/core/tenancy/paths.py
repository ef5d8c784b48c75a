"""Addresses inside a government, independent of how the government is being served (own
host or /g/<slug>/ prefix). Store government-relative paths; turn them into links with
`government_link()` at display time."""

from django.conf import settings
from django.urls import get_script_prefix, reverse

from .selectors import own_host


def government_path(name: str, *args, **kwargs) -> str:
    """Path of a named government page relative to the government root, e.g.
    "/institucion/unidades/obras-publicas/", whatever the current request's prefix."""
    path = reverse(name, urlconf=settings.GOVERNMENT_URLCONF, args=args or None, kwargs=kwargs or None)
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    return path


def government_link(government, relative_path: str, *, in_request_of=None) -> str:
    """A link to a stored government-relative path. Inside a request of the same government
    the current script prefix applies; otherwise the /g/<slug>/ form (or the own host)."""
    if in_request_of is not None and getattr(in_request_of, "government", None) == government:
        return get_script_prefix().rstrip("/") + relative_path
    host = own_host(government)
    if host:
        return f"//{host}{relative_path}"
    return f"/g/{government.slug}{relative_path}"
