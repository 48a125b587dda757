"""The published price scoring methods, by name (PRICE_METHODS), and the check of a tender's
chosen method and parameters."""

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
    """A published way of turning prices into a fraction (0 to 1) of the price weighting."""

    name: str
    label: str
    description: str
    formula: str
    parameters: tuple[PriceParameter, ...]
    score: Callable[[Mapping[str, Decimal], Mapping[str, Decimal]], dict[str, Decimal]]


def _check_prices(prices: Mapping[str, Decimal]) -> None:
    bad = [f"bid {bid_id}: price {price}" for bid_id, price in prices.items() if price <= 0]
    if bad:
        raise ScoringError([f"Prices must be greater than zero to be scored ({', '.join(bad)})."])


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def lowest_price_ratio(
    prices: Mapping[str, Decimal], params: Mapping[str, Decimal] | None = None
) -> dict[str, Decimal]:
    """Fraction = lowest price ÷ this bid's price. The lowest bid scores 1."""
    _check_prices(prices)
    if not prices:
        return {}
    lowest = min(prices.values())
    return {bid_id: lowest / price for bid_id, price in prices.items()}


def deduction_per_percent_above_lowest(
    prices: Mapping[str, Decimal], params: Mapping[str, Decimal] | None = None
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
    prices: Mapping[str, Decimal], params: Mapping[str, Decimal] | None = None
) -> dict[str, Decimal]:
    """Fraction = 1 − (price − mean) ÷ mean, clamped to 0..1, mean over the bids being scored.

    So a bid at or below the mean scores the full price weighting, and a bid at twice the mean or
    more scores nothing; between, it loses 1% of the weighting per 1% above the mean.
    """
    _check_prices(prices)
    if not prices:
        return {}
    mean = _sum(prices.values()) / len(prices)
    return {bid_id: _clamp(ONE - (price - mean) / mean) for bid_id, price in prices.items()}


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
                "Bids are compared with the mean (average) of the prices being scored. A bid at "
                "or below the mean receives the full price weighting; above it, the weighting "
                "falls by 1% for each 1% above the mean, reaching zero at twice the mean."
            ),
            formula="score = price weighting × min(1, max(0, 1 − (bid − mean) ÷ mean))",
            parameters=(),
            score=relative_to_mean,
        ),
    )
}


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
