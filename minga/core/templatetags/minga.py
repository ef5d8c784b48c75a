"""Display helpers for templates: money and numbers in Ecuadorian format."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def usd(value, decimals: int = 2) -> str:
    """USD amounts as read in Ecuador: "USD 1.234,56" in Spanish, "USD 1,234.56" in English."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"USD {number_format(amount, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)}"
