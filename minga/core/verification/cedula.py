"""The Ecuadorian cédula de identidad: ten digits, a province code, a third digit below 6 (a
natural person) and a check digit (modulo 10, coefficients 2-1-2-1-2-1-2-1-2). The check digit
only filters typing mistakes: anyone can make up a number that passes it, which is why a
cédula counts for a person only once (``models.Identity``) and a census roll or a desk proves
more.

Province codes are 01-24 (the 24 provinces) and 30 (Ecuadorians registered abroad)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

PROVINCES = frozenset({f"{number:02d}" for number in range(1, 25)} | {"30"})
COEFFICIENTS = (2, 1, 2, 1, 2, 1, 2, 1, 2)
_SEPARATORS = re.compile(r"[\s.\-]+")

# Why a number is not a cédula (codes stored in census reports, translated when shown).
REASONS = {
    "empty": _("no cédula number"),
    "not_digits": _("a cédula has only digits"),
    "length": _("a cédula has 10 digits"),
    "province": _("the first two digits are not a province code (01 to 24, or 30)"),
    "third_digit": _("the third digit is above 5: that is not a person's cédula (a company's RUC?)"),
    "check_digit": _("the last digit does not match the others (a typing mistake?)"),
}


def normalise(value: str, *, restore_lost_zero: bool = False) -> str:
    """The number without spaces, dots or dashes. ``restore_lost_zero`` puts back the leading
    zero a spreadsheet drops from the cédulas of provinces 01-09 (nine digits left): for files,
    where that is the usual cause; a person typing nine digits is asked again instead."""
    number = _SEPARATORS.sub("", value or "")
    if restore_lost_zero and len(number) == 9 and number.isdigit():
        number = "0" + number
    return number


def check_digit(first_nine: str) -> int:
    total = 0
    for digit, coefficient in zip(first_nine, COEFFICIENTS, strict=True):
        product = int(digit) * coefficient
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def problem(number: str) -> str:
    """Why ``number`` (already normalised) is not a valid cédula: a key of REASONS, or ""."""
    if not number:
        return "empty"
    if not (number.isascii() and number.isdigit()):
        return "not_digits"
    if len(number) != 10:
        return "length"
    if number[:2] not in PROVINCES:
        return "province"
    if number[2] > "5":
        return "third_digit"
    if check_digit(number[:9]) != int(number[9]):
        return "check_digit"
    return ""


def is_valid(number: str) -> bool:
    return problem(number) == ""


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))
