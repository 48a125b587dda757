"""Decimals as text (socialvalue.kernel.numbers): never an exponent, trailing zeros only where a
file must read the number back as stored."""

from decimal import Decimal

import pytest

from socialvalue.kernel import numbers
from socialvalue.kernel.money import format_gbp_exact


@pytest.mark.parametrize(
    ("value", "plain", "grouped"),
    [
        (Decimal("50.000"), "50", "50"),
        (Decimal("12.50"), "12.5", "12.5"),
        (Decimal("1E+3"), "1000", "1,000"),
        (Decimal("1234567.80"), "1234567.8", "1,234,567.8"),
        (Decimal("0.00"), "0", "0"),
        ("17.50", "17.5", "17.5"),
    ],
)
def test_plain_and_grouped_drop_trailing_zeros_and_never_write_an_exponent(value, plain, grouped):
    assert numbers.plain(value) == plain
    assert numbers.grouped(value) == grouped


def test_exact_keeps_every_stored_digit_for_files_that_read_it_back():
    assert numbers.exact(Decimal("250000.00")) == "250000.00"
    assert numbers.exact(Decimal("5E+1")) == "50"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("12.500"), "12.5%"), (40, "40%"), (Decimal("33.335"), "33.34%"), ("10.00", "10%")],
)
def test_percent_rounds_half_up_to_two_places(value, expected):
    assert numbers.percent(value) == expected


def test_a_proxy_value_keeps_sub_penny_digits_in_files_and_on_pages():
    assert numbers.pence_or_digits(Decimal("728")) == "728.00"
    assert numbers.pence_or_digits(Decimal("0.24550")) == "0.2455"
    assert format_gbp_exact(Decimal("37430.0000")) == "£37,430.00"
    assert format_gbp_exact(Decimal("1234.5678")) == "£1,234.5678"
