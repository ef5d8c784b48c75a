"""How figures are written, in one place, so a chart and its table never disagree.

Every figure is rounded once, half away from zero (as people and spreadsheets round, not as
banking does), from its exact decimal value (a float is read as the shortest text that gives it
back, so 0.1 + 0.2 is 0.3), and only then written with the page's separators. Django's own
``number_format`` cuts extra decimals instead of rounding them: 92 459 639,995 would read
92.459.639,99 in a table and 92.459.640,00 in a chart that rounded.

- Money always shows two decimals ("USD 1.234,50").
- Years, codes and identifiers never get thousand separators ("2025", not "2.025").
- Other numbers keep their own decimals, grouped in thousands.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

MONEY_PLACES = 2


def to_decimal(value) -> Decimal | None:
    """The exact decimal a value stands for; None for what is not a finite number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = (
            value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))
        )
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def rounded(value, places: int = MONEY_PLACES) -> Decimal | None:
    """``value`` rounded half away from zero to ``places`` decimals."""
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, *, places: int | None = None, grouping: bool = True) -> str:
    """A number in the page's language: "1.234,5" in Spanish, "1,234.5" in English. ``places``
    rounds to that many decimals (and pads with zeros); None keeps the value's own decimals."""
    number = to_decimal(value)
    if number is None:
        return ""
    if places is not None:
        number = rounded(number, places)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    text = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=grouping)
    if not grouping:
        text = text.replace(formats.get_format("THOUSAND_SEPARATOR"), "")
    return text


def format_money(value) -> str:
    """An amount with exactly two decimals, grouped: "1.234,50" (no currency sign)."""
    return format_number(value, places=MONEY_PLACES)


def format_plain(value) -> str:
    """A year, code or identifier as written: no thousand separators ("2025", "1301")."""
    number = to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format_number(number, grouping=False)
