"""Long texts that officials write with a little formatting (paragraphs, lists, emphasis,
links, headings): Markdown (CommonMark, through markdown-it-py) with raw HTML switched off and
pictures shown as their description (they would load from anywhere), then cleaned by nh3 to an allowlist of tags,
so no text, however written, can put a script, a style or a tracking picture on a page.
Headings are moved down so that the text's own top heading sits below the page's headings
(one <h1> per page)."""

from __future__ import annotations

import html as html_lib

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False}).disable(["html_block", "html_inline"])


def _image_as_text(self, tokens, idx, options, env) -> str:
    """A picture is shown as its description: pictures from anywhere are not loaded."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_parser.add_render_rule("image", _image_as_text)


def render_markdown(text: str, *, top_heading: int = 3) -> SafeString:
    """``text`` as safe HTML. A heading written with one ``#`` becomes ``<h{top_heading}>``
    (never deeper than h6); links keep only web and mail addresses and get
    ``rel="nofollow noopener noreferrer"``."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - nothing to escape
    top_heading = max(2, min(int(top_heading), 6))
    tokens = _parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) + top_heading - 1
            token.tag = f"h{min(level, 6)}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 to the allowlist above


def plain_text(text: str, limit: int = 300) -> str:
    """The words of a Markdown text without its marks (for summaries, search and feeds)."""
    if not text:
        return ""
    html = _parser.render(text)
    words = " ".join(html_lib.unescape(nh3.clean(html, tags=set())).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
