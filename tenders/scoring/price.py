"""The published price scoring methods, by name (PRICE_METHODS), the short names the
`score_bids` format also accepts (PRICE_METHOD_ALIASES), and the check of a tender's chosen
method and parameters.

Every method maps the prices of the bids still in the running to a fraction (0 to 1) of the
price weighting, and never gives a lower price a smaller fraction than a higher one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tenders.scoring.tree import HUNDRED, ONE, ZERO, ScoringError, _sum


@dataclass(frozen=True)
class PriceParameter:
    name: str
    label: str
    description: str


@dataclass(frozen=True)
class PriceMethod:
    """A published way of turning prices into a fraction (0 to 1) of the price weighting.

    `score(prices, params, quality=...)`: `quality` (each bid's quality points, 0 to 100) is
    given to every method and read only by those with `uses_quality`.
    """

    name: str
    label: str
    description: str
    formula: str
    parameters: tuple[PriceParameter, ...]
    score: Callable[..., dict[str, Decimal]]
    uses_quality: bool = False


def _check_prices(prices: Mapping[str, Decimal]) -> None:
    bad = [f"bid {bid_id}: price {price}" for bid_id, price in prices.items() if price <= 0]
    if bad:
        raise ScoringError([f"Prices must be greater than zero to be scored ({', '.join(bad)})."])


def lowest_price_ratio(
    prices: Mapping[str, Decimal],
    params: Mapping[str, Decimal] | None = None,
    quality: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Fraction = lowest price ÷ this bid's price. The lowest bid scores 1."""
    _check_prices(prices)
    if not prices:
        return {}
    lowest = min(prices.values())
    return {bid_id: lowest / price for bid_id, price in prices.items()}


def deduction_per_percent_above_lowest(
    prices: Mapping[str, Decimal],
    params: Mapping[str, Decimal] | None = None,
    quality: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Fraction = 1 − deduction × (percent above the lowest) ÷ 100, floored at 0.

    `points_per_percent` is the share of the price weighting (in percentage points) lost for each
    1% a bid is above the lowest; the percentage above is used exactly, not rounded to whole
    percents. With 2, a bid 10% above the lowest keeps 80% of the price weighting and a bid 50%
    or more above scores nothing.
    """
    _check_prices(prices)
    if not prices:
        return {}
    deduction = (params or {})["points_per_percent"]
    lowest = min(prices.values())
    scores = {}
    for bid_id, price in prices.items():
        percent_above = (price - lowest) / lowest * HUNDRED
        scores[bid_id] = max(ZERO, ONE - deduction * percent_above / HUNDRED)
    return scores


def relative_to_mean(
    prices: Mapping[str, Decimal],
    params: Mapping[str, Decimal] | None = None,
    quality: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Each bid gains 1% for each 1% below the mean price and loses 1% for each 1% above it,
    then every bid is scaled so that the lowest price receives the full weighting.

    Raw = max(0, 1 − (price − mean) ÷ mean) = max(0, 2 − price ÷ mean); fraction = raw ÷ the
    lowest price's raw. So the score keeps falling as the price rises (£90k beats £100k), the
    lowest price scores 1, and a price at twice the mean or more scores 0. Mean over the bids
    being scored (those still in the running).
    """
    _check_prices(prices)
    if not prices:
        return {}
    mean = _sum(prices.values()) / len(prices)
    raw = {bid_id: max(ZERO, 2 - price / mean) for bid_id, price in prices.items()}
    # The lowest price is at or below the mean, so its raw value is at least 1: never zero.
    best = raw[min(prices, key=lambda bid_id: prices[bid_id])]
    return {bid_id: value / best for bid_id, value in raw.items()}


def price_per_quality_point(
    prices: Mapping[str, Decimal],
    params: Mapping[str, Decimal] | None = None,
    quality: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Fraction = lowest (price ÷ quality points) ÷ this bid's (price ÷ quality points).

    Quality points are the bid's score on the quality criteria as a share of their weighting
    (0 to 100), so social value weighs only through its own criteria. The bid paying least per
    quality point scores 1; a bid with no quality points scores 0; with no quality points
    anywhere, every bid scores 0.
    """
    _check_prices(prices)
    if not prices:
        return {}
    points = quality or {}
    missing = sorted(bid_id for bid_id in prices if bid_id not in points)
    if missing:
        raise ScoringError(
            [f"Price per quality point needs every bid's quality points (missing: {missing})."]
        )
    per_point = {
        bid_id: price / points[bid_id] for bid_id, price in prices.items() if points[bid_id] > 0
    }
    if not per_point:
        return dict.fromkeys(prices, ZERO)
    cheapest = min(per_point.values())
    return {
        bid_id: cheapest / per_point[bid_id] if bid_id in per_point else ZERO for bid_id in prices
    }


PRICE_METHODS: dict[str, PriceMethod] = {
    method.name: method
    for method in (
        PriceMethod(
            name="lowest_price_ratio",
            label="Lowest price divided by bid price",
            description=(
                "The lowest price receives the full price weighting. Every other bid receives the "
                "weighting multiplied by the lowest price divided by its own price, so a bid "
                "twice the lowest receives half the weighting."
            ),
            formula="score = price weighting × lowest price ÷ bid price",
            parameters=(),
            score=lowest_price_ratio,
        ),
        PriceMethod(
            name="deduction_per_percent_above_lowest",
            label="Deduction for each 1% above the lowest price",
            description=(
                "The lowest price receives the full price weighting. For each 1% a bid is above "
                "the lowest price, a stated percentage of the price weighting is deducted "
                "(proportionally for part-percentages). A bid cannot score below zero."
            ),
            formula=(
                "score = price weighting × max(0, 1 − deduction × ((bid − lowest) ÷ lowest × 100)"
                " ÷ 100)"
            ),
            parameters=(
                PriceParameter(
                    name="points_per_percent",
                    label="Percentage of the price weighting deducted per 1% above the lowest",
                    description=(
                        "For example 2 means a bid 10% above the lowest price keeps 80% of the "
                        "price weighting."
                    ),
                ),
            ),
            score=deduction_per_percent_above_lowest,
        ),
        PriceMethod(
            name="relative_to_mean",
            label="Relative to the mean price",
            description=(
                "Bids are compared with the mean (average) of the prices being scored: each bid "
                "gains 1% for each 1% below the mean and loses 1% for each 1% above it (nothing "
                "at twice the mean or more). The results are then scaled so that the lowest "
                "price receives the full price weighting, so every lower price scores more."
            ),
            formula=("score = price weighting × max(0, 2 − bid ÷ mean) ÷ (2 − lowest ÷ mean)"),
            parameters=(),
            score=relative_to_mean,
        ),
        PriceMethod(
            name="price_per_quality_point",
            label="Price per quality point",
            description=(
                "Each bid's price is divided by its quality score (as a percentage of the quality "
                "weighting). The bid with the lowest price per quality point receives the full "
                "price weighting; every other bid receives the weighting multiplied by the "
                "lowest price per point divided by its own. A bid with no quality points "
                "receives nothing for price."
            ),
            formula=(
                "score = price weighting × lowest (price ÷ quality points) ÷ "
                "(bid price ÷ bid quality points)"
            ),
            parameters=(),
            score=price_per_quality_point,
            uses_quality=True,
        ),
    )
}

# The short names of the `score_bids` JSON format: each is one of PRICE_METHODS with fixed
# parameters. `deduct_from_lowest` is weight × max(0, 1 − (bid − lowest) ÷ lowest), that is one
# percentage point of the weighting per 1% above the lowest.
PRICE_METHOD_ALIASES: dict[str, tuple[str, dict[str, Decimal]]] = {
    "lowest_ratio": ("lowest_price_ratio", {}),
    "deduct_from_lowest": ("deduction_per_percent_above_lowest", {"points_per_percent": ONE}),
}


def resolve_price_method(
    name: str, params: Mapping[str, Decimal] | None = None
) -> tuple[str, dict[str, Decimal]]:
    """The PRICE_METHODS name and parameters for `name`, which may be an alias (whose fixed
    parameters are used) or a method's own name (with `params` as given)."""
    if name in PRICE_METHOD_ALIASES:
        method, fixed = PRICE_METHOD_ALIASES[name]
        return method, dict(fixed)
    return name, dict(params or {})


def validate_price_method(name: str, params: Mapping[str, Any] | None) -> dict[str, str]:
    """Problems with a price method and its parameters, keyed by parameter name ('' = method)."""
    problems: dict[str, str] = {}
    method = PRICE_METHODS.get(name)
    if method is None:
        known = ", ".join(PRICE_METHODS)
        problems[""] = f"Unknown price method '{name}'; choose one of {known}."
        return problems
    params = params or {}
    expected = {p.name for p in method.parameters}
    for extra in sorted(set(params) - expected):
        problems[extra] = f"The method '{name}' takes no parameter '{extra}'."
    for parameter in method.parameters:
        if parameter.name not in params:
            problems[parameter.name] = f"The method '{name}' needs '{parameter.name}'."
            continue
        value = params[parameter.name]
        if not isinstance(value, Decimal):
            problems[parameter.name] = "Must be a Decimal."
        elif not value.is_finite() or value < 0:
            problems[parameter.name] = f"Must be zero or more (it is {value})."
    return problems
