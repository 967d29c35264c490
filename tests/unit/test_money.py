"""How amounts of money are written: sign before symbol, thousands, minor digits, undefined values."""

import math

import pytest

from promo_core.money import CURRENCIES, NO_CURRENCY


@pytest.mark.parametrize(
    ("code", "value", "signed", "decimals", "expected"),
    [
        ("CNY", 1234.5, False, None, "¥1,234.50"),
        ("EUR", -12.0, False, None, "-€12.00"),
        ("USD", 3.2, True, None, "+$3.20"),
        ("USD", -3.2, True, None, "-$3.20"),
        ("GBP", 1_234_567.891, False, 0, "£1,234,568"),
        ("JPY", 1234.56, False, None, "JP¥1,235"),
        ("JPY", 1234.56, False, 2, "JP¥1,235"),
        ("CNY", -0.004, True, None, "+¥0.00"),
        ("", 1234.5, False, None, "1,234.50"),
        ("", -7.0, True, 0, "-7"),
    ],
)
def test_amounts_are_written_with_the_sign_before_the_symbol(code, value, signed, decimals, expected):
    assert CURRENCIES[code].format(value, signed=signed, decimals=decimals) == expected


@pytest.mark.parametrize("value", [None, math.nan])
def test_an_undefined_amount_is_a_dash(value):
    assert CURRENCIES["CNY"].format(value) == "–"


def test_table_and_chart_patterns_carry_the_symbol_and_digits():
    assert CURRENCIES["EUR"].column_format() == "€%,.2f"
    assert CURRENCIES["KRW"].column_format() == "₩%,.0f"
    assert CURRENCIES["CNY"].column_format(decimals=0) == "¥%,.0f"
    assert CURRENCIES["USD"].hover("x") == "$%{x:,.2f}"
    assert NO_CURRENCY.hover("customdata[0]", decimals=0) == "%{customdata[0]:,.0f}"


def test_every_currency_is_listed_under_its_own_code():
    assert all(code == currency.code for code, currency in CURRENCIES.items())
    assert NO_CURRENCY.symbol == ""
