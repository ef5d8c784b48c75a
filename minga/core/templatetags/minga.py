"""Display helpers for templates: money and numbers in Ecuadorian format."""

from django import template

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
