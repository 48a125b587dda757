"""The shared template filters for money, quantities and percentages."""

from decimal import Decimal

import pytest

from socialvalue.templatetags import numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "£1,234.50"),
        ("0.005", "£0.01"),
        (None, ""),
        (Decimal("-2.345"), "-£2.35"),
    ],
)
def test_gbp_rounds_half_up_to_pence(value, expected):
    assert numbers.gbp(value) == expected


def test_whole_pounds_round_half_up():
    assert numbers.gbp_whole(Decimal("299999.50")) == "£300,000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.500"), "12.5%"),
        (40, "40%"),
        (Decimal("33.335"), "33.34%"),
        (Decimal("0.125"), "0.13%"),
    ],
)
def test_percent_shows_two_places_at_most_rounding_half_up(value, expected):
    assert numbers.percent(value) == expected


def test_proxy_value_keeps_sub_penny_digits_and_names_a_missing_value():
    assert numbers.proxy_value(Decimal("0.2455")) == "£0.2455"
    assert numbers.proxy_value(Decimal("728.0000")) == "£728.00"
    assert numbers.proxy_value(None) == "No value"


def test_quantity_drops_trailing_zeros():
    assert numbers.quantity(Decimal("1200.00")) == "1,200"
    assert numbers.quantity(Decimal("12.50")) == "12.5"
