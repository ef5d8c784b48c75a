"""Pages that htmx updates in place: the same URL answers with the whole page, or with only the
part htmx swaps in when it asks (HX-Request). A history restore (the visitor goes back and
htmx has no snapshot) needs the whole page again. Both answers vary on those headers, and the
public page cache keeps them apart."""

from __future__ import annotations

from django.utils.cache import patch_vary_headers

HEADERS = ["HX-Request", "HX-History-Restore-Request"]


def wants_fragment(request) -> bool:
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


def varies_on_fragment(response):
    patch_vary_headers(response, HEADERS)
    return response
