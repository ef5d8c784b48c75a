"""A comment's text: stored as the plain text the person wrote, never as HTML, and rendered
escaped, in paragraphs, with web addresses made into links that search engines do not follow
(rel="nofollow ugc"). What could deceive a reader goes on the way in: control characters,
invisible format characters (the direction overrides that make text read backwards, zero-width
joiners) and runs of blank lines."""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Allowed among the control characters: the line break and the tab.
_KEEP = {"\n", "\t"}
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# http(s) addresses and www. names; what follows an address and usually ends a sentence
# (a full stop, a closing parenthesis or quote) is left out of the link.
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
_TRAILING = ".,;:!?)]}'\"»”’"
_WHOLE = re.compile(r"(?i)(?:https?://|www\.)\w")


def clean_body(text: str) -> str:
    """The text to store: NFC, Unix line breaks, without control or invisible format
    characters, trailing spaces or more than one blank line in a row, trimmed."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _link(address: str) -> str:
    href = address if address.lower().startswith(("http://", "https://")) else f"https://{address}"
    return f'<a href="{escape(href)}" rel="nofollow ugc noopener" class="comment-link">{escape(address)}</a>'


def _linkify(line: str) -> str:
    out: list[str] = []
    position = 0
    for match in _URL.finditer(line):
        address = match.group(0)
        stripped = address.rstrip(_TRAILING)
        # a closing parenthesis that belongs to the address (a Wikipedia link) stays
        while stripped.count("(") > stripped.count(")") and len(stripped) < len(address):
            stripped = address[: len(stripped) + 1]
        out.append(escape(line[position : match.start()]))
        if _WHOLE.match(stripped):
            out.append(_link(stripped))
        else:
            out.append(escape(stripped))
        position = match.start() + len(stripped)
    out.append(escape(line[position:]))
    return "".join(out)


def render_body(text: str) -> SafeString:
    """HTML of a stored text: every character escaped, paragraphs at blank lines, line breaks
    kept, http(s) addresses as links."""
    paragraphs = [part for part in str(text or "").split("\n\n") if part.strip()]
    html = "".join("<p>" + "<br>".join(_linkify(line) for line in part.split("\n")) + "</p>" for part in paragraphs)
    return mark_safe(html)  # noqa: S308 (every piece of the text went through escape())
