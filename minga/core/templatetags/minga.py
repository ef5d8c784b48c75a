"""Display helpers for templates: money and numbers in Ecuadorian format, and the base map's
attributes of a map island and the backdrop of a map drawn on the server."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from minga.core.ui.numbers import format_money, format_plain

register = template.Library()


@register.filter
def usd(value, decimals: int = 2) -> str:
    """USD amounts as read in Ecuador: "USD 1.234,56" in Spanish, "USD 1,234.56" in English.

    Money always shows its cents, rounded (never cut) the way every chart rounds it, so a
    figure reads the same wherever it appears; ``decimals`` is accepted for older templates
    and ignored."""
    text = format_money(value)
    return f"USD {text}" if text else ""


@register.filter
def plain_number(value) -> str:
    """Years, codes and identifiers without thousand separators: "2025", never "2.025"."""
    return format_plain(value)


@register.simple_tag(takes_context=True)
def svg_backdrop(context, drawing, places=True) -> str:
    """Land, sea and the published boundaries under a map drawn on the server (core/ui/basemap.py)."""
    from ..ui import basemap

    request = context.get("request")
    if not drawing:
        return ""
    return mark_safe(basemap.backdrop_svg(getattr(request, "government", None), drawing, places=places))  # noqa: S308 - numbers and fixed colours


@register.simple_tag(takes_context=True)
def basemap_attributes(context) -> str:
    """The data-basemap-* attributes of a map island (core/ui/basemap.py, core/js/basemap.js)."""
    from ..ui import basemap

    request = context.get("request")
    found = basemap.context(request) if request is not None else {}
    return format_html_join(" ", 'data-basemap-{}="{}"', sorted(found.items()))


@register.filter
def markdown(value, top_heading: int = 3):
    """A long text written in Markdown as safe HTML (core/ui/markdown.py); ``top_heading`` is
    the level its top headings take on the page."""
    from ..ui.markdown import render_markdown

    return render_markdown(str(value or ""), top_heading=top_heading)


@register.filter
def licence_display(code) -> str:
    """A licence code as a reader understands it: the licence's name linked to its text
    ("Creative Commons Atribución 4.0 Internacional"), the code kept in the title; an unknown
    code as typed."""
    from ..licences import known_licence

    licence = known_licence(code)
    if licence is None:
        return conditional_escape(code or "—")
    return format_html('<a href="{}" rel="license" title="{}">{}</a>', licence.url, licence.code, licence.name)
