"""The ranges and decimal places of the numbers the service accepts (socialvalue.kernel.limits)."""

from decimal import Decimal

import pytest

from socialvalue.kernel import limits
from socialvalue.kernel.limits import LimitError, decimal_places, read_id


def refused(limit, text, what="a price") -> str:
    with pytest.raises(LimitError) as error:
        limit.read(text, what=what)
    return error.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e30", "Enter a price of £10,000,000,000 or less."),
        ("10000000000.01", "Enter a price of £10,000,000,000 or less."),
        ("9" * 5000, "Enter a price of £10,000,000,000 or less."),
        ("1e-30", "Enter a price with no more than 2 decimal places."),
        ("12.345", "Enter a price with no more than 2 decimal places."),
        ("-5", "A price cannot be negative."),
        ("NaN", "Enter a price as a number of pounds, like 250000 or 250,000.50."),
        ("Infinity", "Enter a price as a number of pounds, like 250000 or 250,000.50."),
        ("1e999999999999999999", "Enter a price of £10,000,000,000 or less."),
        ("ten pounds", "Enter a price as a number of pounds, like 250000 or 250,000.50."),
    ],
)
def test_a_price_outside_the_money_limit_is_refused_saying_what_is_allowed(text, message):
    assert refused(limits.MONEY, text) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£250,000", Decimal("250000")),
        (" 1,234.50 ", Decimal("1234.50")),
        ("1E+3", Decimal("1000")),
        ("-0", Decimal("0")),
        ("10000000000", Decimal("10000000000")),
        ("12.300", Decimal("12.3")),
        ("١٢٣", Decimal("123")),
    ],
)
def test_pounds_are_read_cleanly_up_to_ten_billion(text, expected):
    amount = limits.MONEY.read(text, what="a price")
    assert amount == expected
    # Read into plain digits: no exponent and no minus zero reaches a column or a page.
    assert "E" not in str(amount) and not str(amount).startswith("-")


def test_blank_is_nothing_typed():
    assert limits.MONEY.read("  ", what="a price") is None
    assert limits.MONEY.read(None, what="a price") is None


@pytest.mark.parametrize(
    ("limit", "text", "what", "message"),
    [
        (limits.WEIGHT, "0", "a weight", "Enter a weight greater than zero."),
        (limits.WEIGHT, "100.5", "a weight", "Enter a weight of 100% or less."),
        (
            limits.WEIGHT,
            "12.3456",
            "a weight",
            "Enter a weight with no more than 3 decimal places.",
        ),
        (limits.PERCENT, "101%", "a VAT rate", "Enter a VAT rate of 100% or less."),
        (limits.QUANTITY, "0", "a quantity", "Enter a quantity greater than zero."),
        (limits.QUANTITY, "1e11", "a quantity", "Enter a quantity of 10,000,000,000 or less."),
        (
            limits.PROXY_VALUE,
            "20000000",
            "a proxy value",
            "Enter a proxy value of £10,000,000 or less.",
        ),
        (limits.HIGHEST_MARK, "1001", "a highest mark", "Enter a highest mark of 1,000 or less."),
        (limits.WORD_LIMIT, "0", "a word limit", "Enter a word limit of 1 or more."),
        (limits.WORD_LIMIT, "2.5", "a word limit", "Enter a word limit as a whole number."),
        (
            limits.WORD_LIMIT,
            "many",
            "a word limit",
            "Enter a word limit as a whole number, like 500.",
        ),
    ],
)
def test_each_kind_of_number_states_its_own_range(limit, text, what, message):
    assert refused(limit, text, what) == message


def test_a_percentage_may_be_typed_with_its_sign():
    assert limits.PERCENT.read("12.5%", what="a VAT rate") == Decimal("12.5")


@pytest.mark.parametrize(
    ("limit", "column_digits", "column_places"),
    [
        (limits.MONEY, 14, 2),  # tenders.Tender.estimated_value, Lot, Bid.price
        (limits.QUANTITY, 14, 2),  # tenders.Commitment.quantity, PriorityMeasure.target_quantity
        (limits.PROXY_VALUE, 14, 4),  # measurement.ProxyValue.value
        (limits.WEIGHT, 7, 3),  # tenders.Criterion.weight
        (limits.PERCENT, 6, 2),  # tenders.LocalMinimumWeighting.percent
        (limits.MARK, 7, 2),  # tenders.Criterion.max_mark and pass_mark
    ],
)
def test_every_limit_fits_its_database_column(limit, column_digits, column_places):
    assert limit.places <= column_places
    assert limit.max_digits - limit.places <= column_digits - column_places


def test_decimal_places_are_counted_without_rounding_a_long_number():
    assert decimal_places(Decimal("12.50")) == 1
    assert decimal_places(Decimal("1E+3")) == 0
    assert decimal_places(Decimal("1E-30")) == 30
    assert decimal_places(Decimal("1." + "0" * 40 + "1")) == 41


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("abc", None),
        ("-1", None),
        ("0", None),
        ("1e3", None),
        ("１", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("9" * 400, None),
        (None, None),
    ],
)
def test_an_id_is_a_positive_64_bit_whole_number_or_nothing(text, expected):
    assert read_id(text) == expected
