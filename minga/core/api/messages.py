"""Wording shared by the API's error answers (kept apart from DRF so that anything may import it)."""

from django.utils.translation import gettext, ngettext


def throttled_message(wait: int | None) -> str:
    if wait is None:
        return gettext("Too many requests. Try again later.")
    return ngettext(
        "Too many requests. Try again in %(seconds)d second.",
        "Too many requests. Try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}
