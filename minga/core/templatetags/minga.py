"""Display helpers for templates: money and numbers in Ecuadorian format, and the base map's
attributes of a map island."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def usd(value, decimals: int = 2) -> str:
    """USD amounts as read in Ecuador: "USD 1.234,56" in Spanish, "USD 1,234.56" in English."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"USD {number_format(amount, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)}"


@register.simple_tag(takes_context=True)
def basemap_attributes(context) -> str:
    """The data-basemap-* attributes of a map island (core/ui/basemap.py, core/js/basemap.js)."""
    from ..ui import basemap

    request = context.get("request")
    found = basemap.context(request) if request is not None else {}
    return format_html_join(" ", 'data-basemap-{}="{}"', sorted(found.items()))
