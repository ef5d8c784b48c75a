"""An article's address and its text as the article page shows it: the passages citizens quoted
marked with <mark> (and a label for screen readers), every piece of text carrying its offset
in the article's text so the page's script can tell which passage a person selects."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..acts.models import Unit

KIND_SLUGS = {
    Unit.Kind.GENERAL: "general",
    Unit.Kind.TRANSITORY: "transitoria",
    Unit.Kind.REFORMATORY: "reformatoria",
    Unit.Kind.DEROGATORY: "derogatoria",
    Unit.Kind.FINAL: "final",
}


def article_ref(unit: Unit) -> str:
    """The piece of the article's address: its number (12), a provision's kind and number
    (transitoria-primera), or its position (p7) when it has no number. The same article keeps
    its address from one version to the next while its number stays."""
    number = slugify(unit.number or "")
    if not number:
        return f"p{unit.position}"
    if unit.kind == Unit.Kind.ARTICLE:
        return number
    return f"{KIND_SLUGS.get(unit.kind, unit.kind)}-{number}"


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where a pasted passage is in the article: exactly, or else with its spaces and line
    breaks taken as any run of white space. None when it is not there."""
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    words = quote.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(word) for word in words), text)
    return (found.start(), found.end()) if found else None


def _merged(ranges) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _pieces(text: str, offset: int) -> str:
    """Escaped text with line breaks as <br>, in spans that carry their offset."""
    out = []
    for index, line in enumerate(text.split("\n")):
        if index:
            out.append("<br>")
            offset += 1
        if line:
            out.append(f'<span data-o="{offset}">{escape(line)}</span>')
        offset += len(line)
    return "".join(out)


def marked_text(text: str, ranges) -> str:
    """The article's text with the quoted ranges (start, end) marked."""
    text = text or ""
    label = escape(_("Passage quoted by citizens:"))
    out = []
    cursor = 0
    for start, end in _merged((s, e) for s, e in ranges if 0 <= s < e <= len(text)):
        out.append(_pieces(text[cursor:start], cursor))
        out.append(f'<mark><span class="visually-hidden">{label} </span>{_pieces(text[start:end], start)}</mark>')
        cursor = end
    out.append(_pieces(text[cursor:], cursor))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
