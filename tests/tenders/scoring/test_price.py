"""Price scoring methods: each turns prices into a fraction of the price weighting."""

from decimal import Decimal as D

import pytest

from tenders.scoring import (
    PRICE_METHODS,
    ScoringError,
    deduction_per_percent_above_lowest,
    lowest_price_ratio,
    price_per_quality_point,
    relative_to_mean,
    resolve_price_method,
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


def test_relative_to_mean_worked_by_hand():
    # mean 100. Raw = 2 − price ÷ mean: 60 → 1.4, 100 → 1, 140 → 0.6; scaled by the lowest
    # price's raw (1.4): 1, 1/1.4, 0.6/1.4.
    scored = relative_to_mean(prices(a="60", b="100", c="140"))
    assert scored["a"] == D(1)
    assert scored["b"] == D(1) / D("1.4")
    assert scored["c"] == D("0.6") / D("1.4")


def test_relative_to_mean_keeps_falling_as_the_price_rises_below_the_mean():
    # The old method gave every bid at or below the mean full marks, so £90k tied £100k.
    scored = relative_to_mean(prices(a="90000", b="100000", c="200000"))
    assert scored["a"] == D(1)
    assert scored["a"] > scored["b"] > scored["c"]
    # mean 130,000: raw 90k = 2 − 9/13 = 17/13, 100k = 16/13; so b = 16/17 of the weighting.
    assert abs(scored["b"] - D(16) / D(17)) < D("1E-25")


def test_relative_to_mean_scores_nothing_at_twice_the_mean_or_more():
    # mean 32.5: 100 is more than twice the mean.
    scored = relative_to_mean(prices(a="10", b="10", c="10", d="100"))
    assert scored == {"a": D(1), "b": D(1), "c": D(1), "d": D(0)}


def test_relative_to_mean_with_a_repeating_fraction():
    # mean 150: raw 50 → 5/3, 250 → 1/3, so 250 keeps a fifth of the weighting.
    scored = relative_to_mean(prices(a="50", b="250"))
    assert scored["a"] == D(1)
    assert abs(scored["b"] - D("0.2")) < D("1E-25")


def test_price_per_quality_point_worked_by_hand():
    # a: 100 for 80 points = 1.25 a point; b: 90 for 60 = 1.5; c: 120 for 100 = 1.2 (cheapest).
    scored = price_per_quality_point(
        prices(a="100", b="90", c="120"),
        quality={"a": D(80), "b": D(60), "c": D(100)},
    )
    assert scored == {"a": D("1.2") / D("1.25"), "b": D("1.2") / D("1.5"), "c": D(1)}


def test_price_per_quality_point_gives_nothing_for_no_quality_points():
    scored = price_per_quality_point(prices(a="100", b="10"), quality={"a": D(50), "b": D(0)})
    assert scored == {"a": D(1), "b": D(0)}
    assert price_per_quality_point(prices(a="1"), quality={"a": D(0)}) == {"a": D(0)}


def test_price_per_quality_point_needs_every_bids_quality_points():
    with pytest.raises(ScoringError, match="quality points"):
        price_per_quality_point(prices(a="100", b="90"), quality={"a": D(1)})


@pytest.mark.parametrize(
    ("alias", "method", "params"),
    [
        ("lowest_ratio", "lowest_price_ratio", {}),
        ("deduct_from_lowest", "deduction_per_percent_above_lowest", {"points_per_percent": D(1)}),
        ("relative_to_mean", "relative_to_mean", {}),
    ],
)
def test_score_bids_names_resolve_to_the_engines_methods(alias, method, params):
    assert resolve_price_method(alias) == (method, params)


def test_deduct_from_lowest_is_one_percent_of_the_weighting_per_percent_above():
    name, params = resolve_price_method("deduct_from_lowest")
    scored = PRICE_METHODS[name].score(prices(low="80", mid="100", high="200"), params)
    # weight × max(0, 1 − (bid − lowest) ÷ lowest): 100 is 25% above, 200 is 150% above.
    assert scored == {"low": D(1), "mid": D("0.75"), "high": D(0)}


@pytest.mark.parametrize("name", sorted(PRICE_METHODS))
@pytest.mark.parametrize("bad_price", ["0", "-1"])
def test_every_method_refuses_zero_or_negative_prices_naming_the_bid(name, bad_price):
    method = PRICE_METHODS[name]
    with pytest.raises(ScoringError, match=r"bid b: price " + bad_price.replace("-", r"\-")):
        method.score(
            prices(a="100", b=bad_price),
            {"points_per_percent": D("1")},
            quality={"a": D(1), "b": D(1)},
        )


@pytest.mark.parametrize("name", sorted(PRICE_METHODS))
def test_every_method_returns_fractions_between_zero_and_one(name):
    sample = prices(a="10", b="15", c="22", d="90", e="1000")
    quality = {"a": D(10), "b": D(90), "c": D(0), "d": D(55), "e": D(100)}
    scored = PRICE_METHODS[name].score(sample, {"points_per_percent": D("1")}, quality=quality)
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
