"""Scoring a tender's bids: input checks, exclusions (failed pass marks), each bid's breakdown,
the abnormally low screen, the ranking with ties, and the figures as presented to people.

`load_abnormally_low_policy()` is the engine's only I/O: it reads this app's own data file
(tenders/data/abnormally_low_tenders.json).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

from socialvalue.kernel import sourced
from socialvalue.kernel.sourced import Source
from tenders.scoring.price import PRICE_METHODS, _check_prices, validate_price_method
from tenders.scoring.tree import (
    HUNDRED,
    PRECISION,
    PRICE,
    ZERO,
    CriteriaTree,
    Criterion,
    ScoringError,
    _sum,
    effective_weights,
    validate_tree,
)

PRESENTED_PLACES = Decimal("0.01")
# Totals are compared at 20 decimal places: far finer than anything shown to a person, but
# coarse enough that two mathematically equal totals reached by different arithmetic (which
# can differ in the 28th significant digit) still count as tied.
TIE_PLACES = Decimal("1E-20")

TIE_POLICY = (
    "Bids with equal total scores share a rank and are reported as tied; the engine does not "
    "break ties. The next rank after a tie skips (1, 1, 3). Totals are compared at full "
    "precision (20 decimal places), not as rounded for display."
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


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
