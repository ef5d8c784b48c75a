"""Figures of the budget pages: percentages in the reader's locale ("45,1 %" in Spanish) and
the share of each dollar in cents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value, decimals: int = 1) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    return f"{number_format(round(number, int(decimals)), decimal_pos=int(decimals), use_l10n=True)} %"


@register.filter
def cents(share) -> str:
    """A share in percent read as cents of each dollar: 27.4 → "27 ¢"."""
    if share is None:
        return "—"
    try:
        return f"{int(Decimal(str(share)).quantize(Decimal(1)))} ¢"
    except (InvalidOperation, TypeError, ValueError):
        return "—"


@register.filter
def bar_width(value) -> str:
    """A percentage as a CSS-free bar length for SVG (0–100, capped)."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        number = 0.0
    return f"{max(0.0, min(100.0, number)):.1f}"
