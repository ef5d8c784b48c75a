"""The cédula's check digit and the keyed hashes: what is valid, why not, and that the hash is
stable, keyed and never the number."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from minga.core.testing import make_cedula
from minga.core.verification import cedula, keys
from minga.core.verification.checks import identity_key_check

# Checked by hand: 1·2 7·1 1·2 0·1 0·2 3·1 4·2 0·1 6·2 → 2+7+2+0+0+3+8+0+(12-9) = 25 → check 5.
VALID = ["1710034065", "0926687856", "3050000003", "2400000002"]


@pytest.mark.parametrize("number", VALID)
def test_valid_cedulas_pass(number):
    assert cedula.problem(number) == "" and cedula.is_valid(number)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "empty"),
        ("17100340A5", "not_digits"),
        ("１７１００３４０６５", "not_digits"),  # full-width digits are digits to Python, not to us
        ("171003406", "length"),
        ("17100340655", "length"),
        ("0010034065", "province"),  # 00 is no province
        ("2510034065", "province"),  # 25-29 do not exist
        ("3110034065", "province"),
        ("1760034065", "third_digit"),  # 6: a public entity's RUC
        ("1790034065", "third_digit"),  # 9: a company's RUC
        ("1710034064", "check_digit"),
        ("1710034066", "check_digit"),
        ("1701034065", "check_digit"),  # two digits swapped
    ],
)
def test_invalid_cedulas_say_why(number, reason):
    assert cedula.problem(number) == reason
    assert cedula.reason_text(reason)


def test_every_province_code_is_accepted_and_nothing_else():
    for number in range(100):
        code = f"{number:02d}"
        candidate = make_cedula(7, province=code)
        expected = "" if 1 <= number <= 24 or number == 30 else "province"
        assert cedula.problem(candidate) == expected, code


def test_one_wrong_digit_is_always_caught():
    """The modulo-10 check digit catches every single-digit typing mistake."""
    for position in range(10):
        for digit in "0123456789":
            typo = VALID[0][:position] + digit + VALID[0][position + 1 :]
            if typo != VALID[0]:
                assert not cedula.is_valid(typo), typo


def test_normalise_keeps_digits_and_restores_a_lost_zero_only_for_files():
    assert cedula.normalise(" 171003406-5 ") == "1710034065"
    assert cedula.normalise("171.003.406.5") == "1710034065"
    assert cedula.normalise("926687856") == "926687856"  # typed: asked again
    assert cedula.normalise("926687856", restore_lost_zero=True) == "0926687856"  # a spreadsheet's


def test_hash_is_stable_keyed_and_not_the_number(settings):
    first = keys.cedula_hash("1710034065")
    assert first == keys.cedula_hash("1710034065")
    assert len(first) == 64 and "1710034065" not in first
    assert first != keys.cedula_hash("0926687856")
    settings.IDENTITY_KEY = "another-key-" + "x" * 40
    assert keys.cedula_hash("1710034065") != first  # without the key nobody can test guesses
    assert keys.code_hash("123456", "a") != keys.code_hash("123456", "b")


def test_hashing_without_a_key_refuses(settings):
    settings.IDENTITY_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        keys.cedula_hash("1710034065")


def test_deploy_check_wants_a_key_of_its_own(settings):
    settings.IDENTITY_KEY = keys.development_key(settings.SECRET_KEY)
    assert [error.id for error in identity_key_check(None)] == ["minga.E111"]
    settings.IDENTITY_KEY = "short"
    assert "shorter" in identity_key_check(None)[0].msg
    settings.IDENTITY_KEY = ""
    assert "not set" in identity_key_check(None)[0].msg
    settings.IDENTITY_KEY = settings.AUDIT_KEY.partition(":")[2]
    assert any("audit key" in error.msg for error in identity_key_check(None))
    settings.IDENTITY_KEY = "k" * 48
    assert identity_key_check(None) == []


def test_production_settings_refuse_to_start_without_the_key(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("MINGA_SECRET_KEY", "s" * 60)
    monkeypatch.setenv("MINGA_AUDIT_KEY", "k1:" + "a" * 40)
    monkeypatch.delenv("MINGA_IDENTITY_KEY", raising=False)
    sys.modules.pop("minga.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="MINGA_IDENTITY_KEY"):
        importlib.import_module("minga.settings.production")
    monkeypatch.setenv("MINGA_IDENTITY_KEY", "i" * 48)
    sys.modules.pop("minga.settings.production", None)
    production = importlib.import_module("minga.settings.production")
    assert production.IDENTITY_KEY == "i" * 48
    sys.modules.pop("minga.settings.production", None)


def test_development_key_is_derived_from_the_secret_key():
    assert keys.development_key("a") != keys.development_key("b")
