"""Price scoring methods: each turns prices into a fraction of the price weighting."""

from decimal import Decimal as D

import pytest

from tenders.scoring import (
    PRICE_METHODS,
    ScoringError,
    deduction_per_percent_above_lowest,
    lowest_price_ratio,
    relative_to_mean,
    validate_price_method,
)


def prices(**values):
    return {bid_id: D(v) for bid_id, v in values.items()}


def test_lowest_price_ratio_gives_lowest_full_marks_and_others_in_proportion():
    assert lowest_price_ratio(prices(a="50000", b="80000", c="100000")) == {
        "a": D("1"),
        "b": D("0.625"),
        "c": D("0.5"),
    }


def test_lowest_price_ratio_keeps_full_precision_for_repeating_fractions():
    fractions = lowest_price_ratio(prices(a="100", b="300"))
    assert fractions["b"] == D(1) / D(3)
    assert fractions["b"] == D("0.3333333333333333333333333333")


@pytest.mark.parametrize(
    ("price", "fraction"),
    [
        ("80000", "1"),  # the lowest
        ("84400", "0.89"),  # 5.5% above: part-percentages count proportionally
        ("88000", "0.8"),  # 10% above loses 2 × 10 = 20%
        ("100000", "0.5"),  # 25% above
        ("120000", "0"),  # exactly 50% above reaches zero
        ("130000", "0"),  # beyond: floored at zero, never negative
    ],
)
def test_deduction_per_percent_above_lowest(price, fraction):
    scored = deduction_per_percent_above_lowest(
        prices(lowest="80000", bid=price), {"points_per_percent": D("2")}
    )
    assert scored["bid"] == D(fraction)
    assert scored["lowest"] == D("1")


@pytest.mark.parametrize(
    ("bid_prices", "expected"),
    [
        # mean 100: below the mean is clamped to full marks; 40% above loses 40%.
        ({"a": "60", "b": "100", "c": "140"}, {"a": "1", "b": "1", "c": "0.6"}),
        # mean 32.5: 100 is more than twice the mean, so clamped to zero.
        ({"a": "10", "b": "10", "c": "10", "d": "100"}, {"a": "1", "b": "1", "c": "1", "d": "0"}),
    ],
)
def test_relative_to_mean(bid_prices, expected):
    assert relative_to_mean(prices(**bid_prices)) == {k: D(v) for k, v in expected.items()}


def test_relative_to_mean_with_a_repeating_fraction():
    # mean 150; 250 is 100/150 above the mean, so scores 1 − 2/3.
    scored = relative_to_mean(prices(a="50", b="250"))
    assert scored == {"a": D("1"), "b": D(1) - D(100) / D(150)}


@pytest.mark.parametrize("name", sorted(PRICE_METHODS))
@pytest.mark.parametrize("bad_price", ["0", "-1"])
def test_every_method_refuses_zero_or_negative_prices_naming_the_bid(name, bad_price):
    method = PRICE_METHODS[name]
    with pytest.raises(ScoringError, match=r"bid b: price " + bad_price.replace("-", r"\-")):
        method.score(prices(a="100", b=bad_price), {"points_per_percent": D("1")})


@pytest.mark.parametrize("name", sorted(PRICE_METHODS))
def test_every_method_returns_fractions_between_zero_and_one(name):
    sample = prices(a="10", b="15", c="22", d="90", e="1000")
    scored = PRICE_METHODS[name].score(sample, {"points_per_percent": D("1")})
    assert set(scored) == set(sample)
    assert all(D(0) <= value <= D(1) for value in scored.values())


@pytest.mark.parametrize("name", sorted(PRICE_METHODS))
def test_every_method_has_a_label_description_and_formula_for_the_tender_page(name):
    method = PRICE_METHODS[name]
    assert method.name == name
    assert method.label and method.description and method.formula


def test_unknown_method_is_refused_listing_the_choices():
    problems = validate_price_method("cheapest_wins", {})
    assert "lowest_price_ratio" in problems[""]


def test_deduction_method_needs_its_parameter_and_refuses_strangers():
    assert set(validate_price_method("deduction_per_percent_above_lowest", {"x": D(1)})) == {
        "x",
        "points_per_percent",
    }
    assert validate_price_method(
        "deduction_per_percent_above_lowest", {"points_per_percent": D("-1")}
    ) == {"points_per_percent": "Must be zero or more (it is -1)."}
    assert validate_price_method("lowest_price_ratio", {}) == {}
