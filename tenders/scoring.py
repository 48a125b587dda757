"""Pure scoring engine for the most advantageous tender (MEAT in PCR 2015, MAT in the 2023 Act).

A tender's award criteria form a tree: price, quality and social value groups at the top, each
split into weighted sub-criteria. Weights are percentages of their parent (siblings add up to
100), so a leaf's share of the total score is the product of the weights above it. Quality and
social value leaves are marked on a published scale (the panel's moderated consensus mark);
the single priced leaf is scored by a published price method. Scores keep full Decimal
precision; only `presented()` rounds them (2 dp, ROUND_HALF_UP) for people.

No Django, no settings, no I/O except `load_abnormally_low_policy()`, which reads this app's
own data file. Views, the API and the `score_bids` command translate to and from these types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any

from socialvalue.kernel import numbers, sourced
from socialvalue.kernel.money import MoneyError, to_decimal
from socialvalue.kernel.sourced import Source

PRICE = "price"
QUALITY = "quality"
SOCIAL_VALUE = "social_value"
KINDS = (PRICE, QUALITY, SOCIAL_VALUE)

HUNDRED = Decimal("100")
ZERO = Decimal("0")
ONE = Decimal("1")
PRESENTED_PLACES = Decimal("0.01")
# Totals are compared at 20 decimal places: far finer than anything shown to a person, but
# coarse enough that two mathematically equal totals reached by different arithmetic (which
# can differ in the 28th significant digit) still count as tied.
TIE_PLACES = Decimal("1E-20")
PRECISION = 28

TIE_POLICY = (
    "Bids with equal total scores share a rank and are reported as tied; the engine does not "
    "break ties. The next rank after a tie skips (1, 1, 3). Totals are compared at full "
    "precision (20 decimal places), not as rounded for display."
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class ScoringError(ValueError):
    """Inputs that cannot be scored: an invalid tree, bad prices or marks, unknown method."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


# --------------------------------------------------------------------------- criteria tree


@dataclass(frozen=True)
class Scale:
    """A marking scale: marks from 0 to `max_mark`, with optional descriptors per mark."""

    max_mark: Decimal
    descriptors: tuple[tuple[Decimal, str], ...] = ()

    def descriptor_for(self, mark: Decimal) -> str | None:
        """The published descriptor for exactly this mark, if there is one."""
        for descriptor_mark, text in self.descriptors:
            if descriptor_mark == mark:
                return text
        return None


@dataclass(frozen=True)
class Criterion:
    """One award criterion. `weight` is a percentage of its parent; siblings add up to 100.

    A leaf of kind quality or social_value has a `scale` and may have a `pass_mark` (a bid whose
    moderated mark is below it is excluded). The price leaf has neither: the price method scores it.
    """

    key: str
    name: str
    kind: str
    weight: Decimal
    children: tuple[Criterion, ...] = ()
    scale: Scale | None = None
    pass_mark: Decimal | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class CriteriaTree:
    """The root of a tender's criteria: the top-level groups, whose weights add up to 100."""

    criteria: tuple[Criterion, ...]

    def walk(self) -> Iterable[tuple[tuple[str, ...], Criterion]]:
        """Every node in tree order (depth first), with its path of keys from the top."""

        def visit(node: Criterion, parents: tuple[str, ...]):
            path = (*parents, node.key)
            yield path, node
            for child in node.children:
                yield from visit(child, path)

        for top in self.criteria:
            yield from visit(top, ())

    def leaves(self) -> list[Criterion]:
        return [node for _, node in self.walk() if node.is_leaf]

    def price_leaf(self) -> Criterion | None:
        """The single priced leaf, or None for a tender scored on quality alone."""
        for leaf in self.leaves():
            if leaf.kind == PRICE:
                return leaf
        return None


@dataclass(frozen=True)
class TreeError:
    """A problem with one node of the tree. `path` is the keys from the top; () is the top level."""

    path: tuple[str, ...]
    code: str
    message: str

    @property
    def location(self) -> str:
        return " > ".join(self.path) if self.path else "top level"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def validate_tree(root: CriteriaTree) -> list[TreeError]:
    """Every problem with the tree, each naming the path of the node it concerns.

    Checks: sibling weights add up to 100 at every level; weights are positive; keys are present
    and unique; kinds are known and children share their parent's kind; marked leaves have a
    scale with a positive maximum and pass marks and descriptors within it; the price leaf has
    no scale; there is at most one priced leaf.
    """
    errors: list[TreeError] = []
    if not root.criteria:
        errors.append(TreeError((), "empty", "The tender has no award criteria."))
        return errors
    _check_siblings((), root.criteria, errors)

    seen: dict[str, tuple[str, ...]] = {}
    price_leaves: list[tuple[str, ...]] = []
    for path, node in root.walk():
        if not node.key.strip():
            errors.append(TreeError(path, "key_missing", "Every criterion needs a key."))
        elif node.key in seen:
            first = " > ".join(seen[node.key])
            errors.append(
                TreeError(
                    path, "duplicate_key", f"The key '{node.key}' is already used at {first}."
                )
            )
        else:
            seen[node.key] = path
        if node.kind not in KINDS:
            errors.append(
                TreeError(
                    path, "kind", f"Kind must be one of {', '.join(KINDS)}, not '{node.kind}'."
                )
            )
        if node.weight <= 0:
            errors.append(
                TreeError(
                    path, "weight", f"Weight must be greater than zero (it is {node.weight})."
                )
            )
        for child in node.children:
            if child.kind != node.kind:
                errors.append(
                    TreeError(
                        (*path, child.key),
                        "kind_mismatch",
                        f"A {child.kind} criterion cannot sit inside a {node.kind} group.",
                    )
                )
        if node.children:
            _check_siblings(path, node.children, errors)
        if node.is_leaf and node.kind == PRICE:
            price_leaves.append(path)
        _check_marking(path, node, errors)

    if len(price_leaves) > 1:
        places = ", ".join(" > ".join(p) for p in price_leaves)
        # Name the group that holds them when they share one; else the top level.
        common = price_leaves[0][:1] if len({p[0] for p in price_leaves}) == 1 else ()
        errors.append(
            TreeError(
                common,
                "price_leaves",
                f"Price must be a single priced criterion; found {len(price_leaves)} ({places}).",
            )
        )
    return errors


def _check_siblings(
    path: tuple[str, ...], siblings: Sequence[Criterion], errors: list[TreeError]
) -> None:
    total = _sum(child.weight for child in siblings)
    if total != HUNDRED:
        names = ", ".join(f"{c.key} {c.weight}" for c in siblings)
        errors.append(
            TreeError(
                path,
                "weights_total",
                f"The weights of the criteria directly under here add up to {total}, not 100 "
                f"({names}).",
            )
        )


def _check_marking(path: tuple[str, ...], node: Criterion, errors: list[TreeError]) -> None:
    if not node.is_leaf:
        if node.scale is not None or node.pass_mark is not None:
            errors.append(
                TreeError(
                    path,
                    "group_scale",
                    "Only the lowest-level criteria are marked; a group has no scale or pass mark.",
                )
            )
        return
    if node.kind == PRICE:
        if node.scale is not None or node.pass_mark is not None:
            errors.append(
                TreeError(
                    path,
                    "price_scale",
                    "Price is scored by the price method, so it has no marking scale or pass mark.",
                )
            )
        return
    if node.scale is None:
        errors.append(TreeError(path, "scale_missing", "A marked criterion needs a marking scale."))
        return
    maximum = node.scale.max_mark
    if maximum <= 0:
        errors.append(
            TreeError(path, "scale_max", f"The maximum mark must be above zero (it is {maximum}).")
        )
        return
    if node.pass_mark is not None and not ZERO <= node.pass_mark <= maximum:
        errors.append(
            TreeError(
                path,
                "pass_mark",
                f"The pass mark {node.pass_mark} is outside the scale 0 to {maximum}.",
            )
        )
    for mark, _text in node.scale.descriptors:
        if not ZERO <= mark <= maximum:
            errors.append(
                TreeError(
                    path,
                    "descriptor",
                    f"A descriptor is given for mark {mark}, outside 0 to {maximum}.",
                )
            )


def effective_weights(root: CriteriaTree) -> dict[str, Decimal]:
    """Each node's share of the total score, as a percentage (the product of weights above it)."""
    weights: dict[str, Decimal] = {}
    with localcontext() as ctx:
        ctx.prec = PRECISION

        def visit(node: Criterion, parent_share: Decimal) -> None:
            share = parent_share * node.weight / HUNDRED
            weights[node.key] = share
            for child in node.children:
                visit(child, share)

        for top in root.criteria:
            visit(top, HUNDRED)
    return weights


# --------------------------------------------------------------------------- price methods


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


# --------------------------------------------------------------------------- bids and results


@dataclass(frozen=True)
class Bid:
    """A bid as scored: its price and the moderated consensus mark per marked leaf (by key)."""

    bid_id: str
    price: Decimal | None
    marks: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class BidProblem:
    """An input error in one bid. `field` is 'bid_id', 'price' or 'marks' (then `criterion_key`)."""

    bid_index: int
    bid_id: str
    field: str
    message: str
    criterion_key: str | None = None

    def __str__(self) -> str:
        where = f"{self.field}.{self.criterion_key}" if self.criterion_key else self.field
        return f"bid {self.bid_id} {where}: {self.message}"


def validate_bids(tree: CriteriaTree, bids: Sequence[Bid]) -> list[BidProblem]:
    """Input errors in the bids: duplicate ids, non-positive prices, unknown or out-of-scale marks.

    A missing mark or price is not an error here: it excludes the bid, with a reason, when scored.
    """
    problems: list[BidProblem] = []
    marked = {leaf.key: leaf for leaf in tree.leaves() if leaf.kind != PRICE}
    seen: set[str] = set()
    for index, bid in enumerate(bids):
        if not bid.bid_id.strip():
            problems.append(BidProblem(index, bid.bid_id, "bid_id", "Every bid needs an id."))
        elif bid.bid_id in seen:
            problems.append(
                BidProblem(index, bid.bid_id, "bid_id", f"The bid id '{bid.bid_id}' is repeated.")
            )
        seen.add(bid.bid_id)
        if bid.price is not None and bid.price <= 0:
            problems.append(
                BidProblem(
                    index,
                    bid.bid_id,
                    "price",
                    f"A price must be greater than zero (it is {bid.price}).",
                )
            )
        for key, mark in bid.marks.items():
            leaf = marked.get(key)
            if leaf is None:
                problems.append(
                    BidProblem(index, bid.bid_id, "marks", "No marked criterion has this key.", key)
                )
            elif leaf.scale is not None and not ZERO <= mark <= leaf.scale.max_mark:
                problems.append(
                    BidProblem(
                        index,
                        bid.bid_id,
                        "marks",
                        f"The mark {mark} is outside the scale 0 to {leaf.scale.max_mark}.",
                        key,
                    )
                )
    return problems


@dataclass(frozen=True)
class Exclusion:
    """Why a bid was not ranked. `code` is below_pass_mark, missing_mark or missing_price."""

    code: str
    message: str
    criterion_key: str | None = None


@dataclass(frozen=True)
class CriterionScore:
    """One node of a bid's breakdown, in tree order.

    For a marked leaf: `mark` (the moderated mark), `max_mark`, `fraction` = mark ÷ max. For the
    price leaf: `price` and the price method's `fraction`. `weighted_score` = fraction × effective
    weight; for a group it is the sum of its children. Values are at full precision.
    """

    key: str
    name: str
    kind: str
    depth: int
    is_leaf: bool
    effective_weight: Decimal
    weighted_score: Decimal | None
    mark: Decimal | None = None
    max_mark: Decimal | None = None
    price: Decimal | None = None
    fraction: Decimal | None = None


@dataclass(frozen=True)
class AbnormallyLowCheck:
    """How far a bid's price sits below the mean of the other bids' prices.

    `flagged` means: ask the bidder to explain the price or costs (PCR 2015 reg. 69; the 2023
    Act's competitive tendering provisions). It never excludes a bid by itself.
    """

    bid_id: str
    price: Decimal
    mean_of_others: Decimal
    percent_below_mean: Decimal
    threshold_percent: Decimal
    flagged: bool


@dataclass(frozen=True)
class BidResult:
    bid_id: str
    price: Decimal | None
    breakdown: tuple[CriterionScore, ...]
    exclusions: tuple[Exclusion, ...]
    total: Decimal | None
    rank: int | None
    tied: bool
    abnormally_low: AbnormallyLowCheck | None

    @property
    def eligible(self) -> bool:
        return not self.exclusions


@dataclass(frozen=True)
class RankEntry:
    rank: int
    bid_id: str
    total: Decimal
    tied: bool


@dataclass(frozen=True)
class Result:
    """A scored tender: per-bid breakdowns, the ranking, exclusions and price checks.

    `bids` lists ranked bids in rank order (ties in input order), then excluded bids in input
    order. `abnormally_low_percent` is None when the check was not run.
    """

    price_method: str
    params: Mapping[str, Decimal]
    effective_weights: Mapping[str, Decimal]
    bids: tuple[BidResult, ...]
    ranking: tuple[RankEntry, ...]
    abnormally_low_percent: Decimal | None
    tie_policy: str = TIE_POLICY

    def bid(self, bid_id: str) -> BidResult:
        for bid in self.bids:
            if bid.bid_id == bid_id:
                return bid
        raise KeyError(bid_id)

    @property
    def flagged_abnormally_low(self) -> tuple[AbnormallyLowCheck, ...]:
        return tuple(
            b.abnormally_low for b in self.bids if b.abnormally_low and b.abnormally_low.flagged
        )


def presented(score: Decimal | None) -> Decimal | None:
    """A score rounded for people: 2 decimal places, halves away from zero (ROUND_HALF_UP).

    Rounded parts may not add up to the rounded total; ranks always use full precision.
    """
    if score is None:
        return None
    return score.quantize(PRESENTED_PLACES, rounding=ROUND_HALF_UP)


def abnormally_low_checks(
    prices: Mapping[str, Decimal], percent: Decimal
) -> dict[str, AbnormallyLowCheck]:
    """Compare each price with the mean of the other prices; flag those MORE than `percent` below.

    A bid exactly `percent` below the mean of the others is not flagged. Needs at least two
    prices; with one there is nothing to compare and no checks are returned. The percentage is
    a screening figure (this service's default or the authority's own), not a statutory test.
    """
    _check_prices(prices)
    if percent < 0 or percent >= HUNDRED:
        raise ScoringError(
            [f"The abnormally low percentage must be 0 to below 100 (it is {percent})."]
        )
    checks: dict[str, AbnormallyLowCheck] = {}
    if len(prices) < 2:
        return checks
    with localcontext() as ctx:
        ctx.prec = PRECISION
        total = _sum(prices.values())
        for bid_id, price in prices.items():
            mean_of_others = (total - price) / (len(prices) - 1)
            percent_below = (mean_of_others - price) / mean_of_others * HUNDRED
            # Compare prices, not the derived percentage, so the boundary is exact.
            threshold_price = mean_of_others * (HUNDRED - percent) / HUNDRED
            checks[bid_id] = AbnormallyLowCheck(
                bid_id=bid_id,
                price=price,
                mean_of_others=mean_of_others,
                percent_below_mean=percent_below,
                threshold_percent=percent,
                flagged=price < threshold_price,
            )
    return checks


def score_tender(
    tree: CriteriaTree,
    bids: Sequence[Bid],
    price_method: str,
    params: Mapping[str, Decimal] | None = None,
    *,
    abnormally_low_percent: Decimal | None = None,
) -> Result:
    """Score and rank the bids. Raises ScoringError for an invalid tree, method or bid input.

    A bid missing a mark or its price, or with a mark below a pass mark, is excluded (with every
    reason) and not ranked; price scores are computed among the remaining bids only, so an
    excluded bid never sets the lowest price or the mean. Each leaf scores fraction × effective
    weight; the total is the sum. The abnormally low check (when `abnormally_low_percent` is
    given) runs over every bid with a price, excluded or not, because it is about the market.
    """
    params = dict(params or {})
    problems = [str(e) for e in validate_tree(tree)]
    problems += [
        f"price method{'' if not k else ' ' + k}: {m}"
        for k, m in validate_price_method(price_method, params).items()
    ]
    problems += [str(p) for p in validate_bids(tree, bids)]
    if problems:
        raise ScoringError(problems)

    with localcontext() as ctx:
        ctx.prec = PRECISION
        ctx.rounding = ROUND_HALF_EVEN
        weights = effective_weights(tree)
        price_leaf = tree.price_leaf()
        exclusions = {bid.bid_id: _exclusions(tree, bid, price_leaf) for bid in bids}
        eligible_prices = {
            bid.bid_id: bid.price
            for bid in bids
            if not exclusions[bid.bid_id] and bid.price is not None
        }
        fractions = PRICE_METHODS[price_method].score(eligible_prices, params) if price_leaf else {}
        all_prices = {bid.bid_id: bid.price for bid in bids if bid.price is not None}
        checks = (
            abnormally_low_checks(all_prices, abnormally_low_percent)
            if abnormally_low_percent is not None and price_leaf
            else {}
        )

        scored: list[tuple[Bid, tuple[CriterionScore, ...], Decimal | None]] = []
        for bid in bids:
            eligible = not exclusions[bid.bid_id]
            breakdown = _breakdown(tree, bid, weights, fractions.get(bid.bid_id), eligible)
            total = _sum(s.weighted_score for s in breakdown if s.depth == 0) if eligible else None
            scored.append((bid, breakdown, total))

        ranking = _rank([(bid.bid_id, total) for bid, _, total in scored if total is not None])
    by_id = {entry.bid_id: entry for entry in ranking}
    results = [
        BidResult(
            bid_id=bid.bid_id,
            price=bid.price,
            breakdown=breakdown,
            exclusions=exclusions[bid.bid_id],
            total=total,
            rank=by_id[bid.bid_id].rank if bid.bid_id in by_id else None,
            tied=by_id[bid.bid_id].tied if bid.bid_id in by_id else False,
            abnormally_low=checks.get(bid.bid_id),
        )
        for bid, breakdown, total in scored
    ]
    order = {entry.bid_id: position for position, entry in enumerate(ranking)}
    results.sort(key=lambda r: (r.rank is None, order.get(r.bid_id, 0)))
    return Result(
        price_method=price_method,
        params=params,
        effective_weights=weights,
        bids=tuple(results),
        ranking=tuple(ranking),
        abnormally_low_percent=abnormally_low_percent,
    )


def _exclusions(
    tree: CriteriaTree, bid: Bid, price_leaf: Criterion | None
) -> tuple[Exclusion, ...]:
    found: list[Exclusion] = []
    if price_leaf is not None and bid.price is None:
        found.append(Exclusion("missing_price", "The bid has no price.", price_leaf.key))
    for leaf in tree.leaves():
        if leaf.kind == PRICE:
            continue
        mark = bid.marks.get(leaf.key)
        if mark is None:
            found.append(
                Exclusion(
                    "missing_mark",
                    f"No moderated mark has been recorded for '{leaf.name}'.",
                    leaf.key,
                )
            )
        elif leaf.pass_mark is not None and mark < leaf.pass_mark:
            found.append(
                Exclusion(
                    "below_pass_mark",
                    f"The mark {mark} for '{leaf.name}' is below the pass mark {leaf.pass_mark}.",
                    leaf.key,
                )
            )
    return tuple(found)


def _breakdown(
    tree: CriteriaTree,
    bid: Bid,
    weights: Mapping[str, Decimal],
    price_fraction: Decimal | None,
    eligible: bool,
) -> tuple[CriterionScore, ...]:
    def visit(node: Criterion, depth: int) -> list[CriterionScore]:
        ew = weights[node.key]
        if node.children:
            below = [row for child in node.children for row in visit(child, depth + 1)]
            parts = [row.weighted_score for row in below if row.depth == depth + 1]
            subtotal = None if None in parts else _sum(p for p in parts if p is not None)
            group_row = CriterionScore(node.key, node.name, node.kind, depth, False, ew, subtotal)
            return [group_row, *below]
        if node.kind == PRICE:
            fraction = price_fraction if eligible else None
            weighted = None if fraction is None else fraction * ew
            return [
                CriterionScore(
                    node.key,
                    node.name,
                    node.kind,
                    depth,
                    True,
                    ew,
                    weighted,
                    price=bid.price,
                    fraction=fraction,
                )
            ]
        mark = bid.marks.get(node.key)
        maximum = node.scale.max_mark if node.scale else None
        fraction = mark / maximum if mark is not None and maximum else None
        weighted = None if fraction is None else fraction * ew
        return [
            CriterionScore(
                node.key,
                node.name,
                node.kind,
                depth,
                True,
                ew,
                weighted,
                mark=mark,
                max_mark=maximum,
                fraction=fraction,
            )
        ]

    return tuple(row for top in tree.criteria for row in visit(top, 0))


def _rank(totals: Sequence[tuple[str, Decimal]]) -> list[RankEntry]:
    keyed = [(bid_id, total, total.quantize(TIE_PLACES)) for bid_id, total in totals]
    # sorted() is stable: tied bids keep their input order.
    keyed.sort(key=lambda item: item[2], reverse=True)
    counts: dict[Decimal, int] = {}
    for _, _, key in keyed:
        counts[key] = counts.get(key, 0) + 1
    entries: list[RankEntry] = []
    rank = 0
    previous: Decimal | None = None
    for position, (bid_id, total, key) in enumerate(keyed, start=1):
        if key != previous:
            rank = position
            previous = key
        entries.append(RankEntry(rank, bid_id, total, counts[key] > 1))
    return entries


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class AbnormallyLowPolicy:
    """This service's default screening percentage, with why it is a default and not law."""

    default_percent: Decimal
    basis: str
    basis_note: str
    sources: tuple[Source, ...]


def load_abnormally_low_policy(path: Path | None = None) -> AbnormallyLowPolicy:
    """Read tenders/data/abnormally_low_tenders.json."""
    data = sourced.load(path, default=DATA_DIR / "abnormally_low_tenders.json")
    return AbnormallyLowPolicy(
        default_percent=Decimal(data["default_percent_below_mean_of_others"]),
        basis=data["basis"],
        basis_note=data["basis_note"],
        sources=sourced.sources_from(data["sources"]),
    )


# --------------------------------------------------------------------------- JSON


@dataclass(frozen=True)
class FieldError:
    """A problem in a JSON document, at `path` (e.g. 'criteria[1].children[0].weight')."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"


class JsonInputError(ValueError):
    """The JSON document cannot be scored; `errors` name each field's path."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class ScoringInput:
    """Everything `score_tender` needs, as read from a JSON document."""

    tree: CriteriaTree
    bids: tuple[Bid, ...]
    price_method: str
    params: Mapping[str, Decimal]
    abnormally_low_percent: Decimal | None = None


class _Reader:
    """Collects every error with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(path, "Must be an object.")
            return None
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, "Must be a list.")
            return []
        return value

    def text(self, data: Mapping[str, Any], name: str, path: str, required: bool = True) -> str:
        value = data.get(name)
        if value is None:
            if required:
                self.error(_join(path, name), "Is required.")
            return ""
        if not isinstance(value, str):
            self.error(_join(path, name), "Must be a string.")
            return ""
        return value

    def number(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, float):
            self.error(
                path,
                'Must be written as a string (e.g. "12.5") or read with parse_float=Decimal; '
                "binary floats are refused.",
            )
            return None
        try:
            return to_decimal(value)
        except MoneyError:
            self.error(path, f"{value!r} is not a number.")
            return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def from_json(data: Any) -> ScoringInput:
    """Read a scoring document; raise JsonInputError naming the path of every bad field.

    Format (numbers as strings, or parsed with ``json.load(..., parse_float=Decimal)``)::

        {"criteria": [{"key", "name", "kind", "weight", "children": [...],
                       "scale": {"max_mark", "descriptors": {"<mark>": "<text>"}},
                       "pass_mark"}],
         "price_method": {"name": "lowest_price_ratio", "params": {}},
         "abnormally_low_percent": "15",            # optional
         "bids": [{"id", "price", "marks": {"<criterion key>": "<mark>"}}]}

    A child's `kind` may be left out; it is taken from its parent. Tree and bid problems are
    reported at their JSON paths too.
    """
    reader = _Reader()
    document = reader.obj(data, "")
    if document is None:
        raise JsonInputError(reader.errors)

    # Tree errors name nodes by their keys; remember where each node sits in the document.
    key_paths: dict[tuple[str, ...], list[str]] = {}
    criteria = tuple(
        c
        for i, raw in enumerate(reader.array(document.get("criteria"), "criteria"))
        if (c := _read_criterion(reader, raw, f"criteria[{i}]", None, (), key_paths)) is not None
    )
    tree = CriteriaTree(criteria)

    method_data = reader.obj(document.get("price_method"), "price_method") or {}
    method_name = reader.text(method_data, "name", "price_method")
    params: dict[str, Decimal] = {}
    raw_params = method_data.get("params", {})
    params_obj = reader.obj(raw_params, "price_method.params") or {}
    for name, value in params_obj.items():
        number = reader.number(value, f"price_method.params.{name}")
        if number is not None:
            params[name] = number

    percent = None
    if document.get("abnormally_low_percent") is not None:
        percent = reader.number(document["abnormally_low_percent"], "abnormally_low_percent")
        if percent is not None and not ZERO <= percent < HUNDRED:
            reader.error("abnormally_low_percent", "Must be from 0 to below 100.")

    bids = []
    for i, raw in enumerate(reader.array(document.get("bids"), "bids")):
        bid = _read_bid(reader, raw, f"bids[{i}]")
        if bid is not None:
            bids.append(bid)

    if not reader.errors:
        for error in validate_tree(tree):
            places = key_paths.get(error.path, ["criteria"])
            # A duplicate is reported where it repeats; anything else at the first occurrence.
            node_path = places[-1] if error.code == "duplicate_key" else places[0]
            reader.error(node_path, error.message)
        if method_name:
            for name, message in validate_price_method(method_name, params).items():
                reader.error(
                    f"price_method.params.{name}" if name else "price_method.name", message
                )
        for problem in validate_bids(tree, bids):
            path = (
                f"bids[{problem.bid_index}].{'id' if problem.field == 'bid_id' else problem.field}"
            )
            if problem.criterion_key:
                path += f".{problem.criterion_key}"
            reader.error(path, problem.message)
    if reader.errors:
        raise JsonInputError(reader.errors)
    return ScoringInput(tree, tuple(bids), method_name, params, percent)


def _read_criterion(
    reader: _Reader,
    raw: Any,
    path: str,
    parent_kind: str | None,
    parent_keys: tuple[str, ...],
    key_paths: dict[tuple[str, ...], list[str]],
) -> Criterion | None:
    data = reader.obj(raw, path)
    if data is None:
        return None
    key = reader.text(data, "key", path)
    name = reader.text(data, "name", path, required=False) or key
    kind = reader.text(data, "kind", path, required=parent_kind is None) or parent_kind or ""
    if kind and kind not in KINDS:
        reader.error(_join(path, "kind"), f"Must be one of {', '.join(KINDS)}.")
    weight = None
    if "weight" not in data:
        reader.error(_join(path, "weight"), "Is required.")
    else:
        weight = reader.number(data["weight"], _join(path, "weight"))
    keys = (*parent_keys, key)
    key_paths.setdefault(keys, []).append(path)
    children = tuple(
        c
        for i, child in enumerate(reader.array(data.get("children", []), _join(path, "children")))
        if (c := _read_criterion(reader, child, f"{path}.children[{i}]", kind, keys, key_paths))
        is not None
    )
    scale = None
    if data.get("scale") is not None:
        scale = _read_scale(reader, data["scale"], _join(path, "scale"))
    pass_mark = None
    if data.get("pass_mark") is not None:
        pass_mark = reader.number(data["pass_mark"], _join(path, "pass_mark"))
    if weight is None:
        return None
    return Criterion(key, name, kind, weight, children, scale, pass_mark)


def _read_scale(reader: _Reader, raw: Any, path: str) -> Scale | None:
    data = reader.obj(raw, path)
    if data is None:
        return None
    maximum = None
    if "max_mark" not in data:
        reader.error(f"{path}.max_mark", "Is required.")
    else:
        maximum = reader.number(data["max_mark"], f"{path}.max_mark")
    descriptors = []
    for mark_text, text in (
        reader.obj(data.get("descriptors", {}), f"{path}.descriptors") or {}
    ).items():
        mark = reader.number(mark_text, f"{path}.descriptors.{mark_text}")
        if not isinstance(text, str):
            reader.error(f"{path}.descriptors.{mark_text}", "Must be a string.")
        elif mark is not None:
            descriptors.append((mark, text))
    if maximum is None:
        return None
    return Scale(maximum, tuple(sorted(descriptors)))


def _read_bid(reader: _Reader, raw: Any, path: str) -> Bid | None:
    data = reader.obj(raw, path)
    if data is None:
        return None
    bid_id = reader.text(data, "id", path)
    price = None
    if data.get("price") is not None:
        price = reader.number(data["price"], _join(path, "price"))
    marks: dict[str, Decimal] = {}
    marks_data = reader.obj(data.get("marks", {}), _join(path, "marks")) or {}
    for key, value in marks_data.items():
        if value is None:
            continue
        mark = reader.number(value, f"{path}.marks.{key}")
        if mark is not None:
            marks[key] = mark
    return Bid(bid_id, price, marks)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else numbers.exact(value)


def input_to_json(scoring_input: ScoringInput) -> dict[str, Any]:
    """The inverse of `from_json`: a document that reads back to an equal ScoringInput."""

    def criterion(node: Criterion) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": node.key,
            "name": node.name,
            "kind": node.kind,
            "weight": _number(node.weight),
        }
        if node.children:
            data["children"] = [criterion(child) for child in node.children]
        if node.scale is not None:
            data["scale"] = {
                "max_mark": _number(node.scale.max_mark),
                "descriptors": {_number(m): text for m, text in node.scale.descriptors},
            }
        if node.pass_mark is not None:
            data["pass_mark"] = _number(node.pass_mark)
        return data

    document: dict[str, Any] = {
        "criteria": [criterion(c) for c in scoring_input.tree.criteria],
        "price_method": {
            "name": scoring_input.price_method,
            "params": {k: _number(v) for k, v in scoring_input.params.items()},
        },
        "bids": [
            {
                "id": bid.bid_id,
                "price": _number(bid.price),
                "marks": {k: _number(v) for k, v in bid.marks.items()},
            }
            for bid in scoring_input.bids
        ],
    }
    if scoring_input.abnormally_low_percent is not None:
        document["abnormally_low_percent"] = _number(scoring_input.abnormally_low_percent)
    return document


def score_json(data: Any, *, default_abnormally_low_percent: Decimal | None) -> Result:
    """Read a document with `from_json` and score it; the document's own percentage wins."""
    scoring_input = from_json(data)
    percent = scoring_input.abnormally_low_percent
    return score_tender(
        scoring_input.tree,
        scoring_input.bids,
        scoring_input.price_method,
        scoring_input.params,
        abnormally_low_percent=percent if percent is not None else default_abnormally_low_percent,
    )


def to_json(result: Result) -> dict[str, Any]:
    """A JSON-ready dict: Decimals as strings at full precision, `*_presented` (2 dp) beside."""

    def score_row(row: CriterionScore) -> dict[str, Any]:
        return {
            "key": row.key,
            "name": row.name,
            "kind": row.kind,
            "depth": row.depth,
            "is_leaf": row.is_leaf,
            "effective_weight": _number(row.effective_weight),
            "mark": _number(row.mark),
            "max_mark": _number(row.max_mark),
            "price": _number(row.price),
            "fraction": _number(row.fraction),
            "weighted_score": _number(row.weighted_score),
            "weighted_score_presented": _number(presented(row.weighted_score)),
        }

    def check(c: AbnormallyLowCheck | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {
            "bid_id": c.bid_id,
            "price": _number(c.price),
            "mean_of_others": _number(c.mean_of_others),
            "percent_below_mean": _number(c.percent_below_mean),
            "threshold_percent": _number(c.threshold_percent),
            "flagged": c.flagged,
        }

    return {
        "price_method": result.price_method,
        "params": {k: _number(v) for k, v in result.params.items()},
        "effective_weights": {k: _number(v) for k, v in result.effective_weights.items()},
        "abnormally_low_percent": _number(result.abnormally_low_percent),
        "tie_policy": result.tie_policy,
        "ranking": [
            {
                "rank": e.rank,
                "bid_id": e.bid_id,
                "total": _number(e.total),
                "total_presented": _number(presented(e.total)),
                "tied": e.tied,
            }
            for e in result.ranking
        ],
        "bids": [
            {
                "bid_id": b.bid_id,
                "price": _number(b.price),
                "eligible": b.eligible,
                "rank": b.rank,
                "tied": b.tied,
                "total": _number(b.total),
                "total_presented": _number(presented(b.total)),
                "exclusions": [
                    {"code": x.code, "message": x.message, "criterion_key": x.criterion_key}
                    for x in b.exclusions
                ],
                "abnormally_low": check(b.abnormally_low),
                "breakdown": [score_row(r) for r in b.breakdown],
            }
            for b in result.bids
        ],
    }


def result_from_json(data: Mapping[str, Any]) -> Result:
    """Read back a dict written by `to_json` (for a stored snapshot of an evaluation)."""

    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    def check(c: Mapping[str, Any] | None) -> AbnormallyLowCheck | None:
        if c is None:
            return None
        return AbnormallyLowCheck(
            c["bid_id"],
            Decimal(c["price"]),
            Decimal(c["mean_of_others"]),
            Decimal(c["percent_below_mean"]),
            Decimal(c["threshold_percent"]),
            c["flagged"],
        )

    bids = tuple(
        BidResult(
            bid_id=b["bid_id"],
            price=dec(b["price"]),
            breakdown=tuple(
                CriterionScore(
                    r["key"],
                    r["name"],
                    r["kind"],
                    r["depth"],
                    r["is_leaf"],
                    Decimal(r["effective_weight"]),
                    dec(r["weighted_score"]),
                    mark=dec(r["mark"]),
                    max_mark=dec(r["max_mark"]),
                    price=dec(r["price"]),
                    fraction=dec(r["fraction"]),
                )
                for r in b["breakdown"]
            ),
            exclusions=tuple(
                Exclusion(x["code"], x["message"], x["criterion_key"]) for x in b["exclusions"]
            ),
            total=dec(b["total"]),
            rank=b["rank"],
            tied=b["tied"],
            abnormally_low=check(b["abnormally_low"]),
        )
        for b in data["bids"]
    )
    return Result(
        price_method=data["price_method"],
        params={k: Decimal(v) for k, v in data["params"].items()},
        effective_weights={k: Decimal(v) for k, v in data["effective_weights"].items()},
        bids=bids,
        ranking=tuple(
            RankEntry(e["rank"], e["bid_id"], Decimal(e["total"]), e["tied"])
            for e in data["ranking"]
        ),
        abnormally_low_percent=dec(data["abnormally_low_percent"]),
        tie_policy=data["tie_policy"],
    )
