"""Scoring a tender's bids: input checks, exclusions (failed pass marks), each bid's breakdown,
the abnormally low screen, the ranking with the published tie-break, the sensitivity of the
winner to the weighting, and the figures as presented to people.

`load_abnormally_low_policy()` is the engine's only I/O: it reads this app's own data file
(tenders/data/abnormally_low_tenders.json).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

from socialvalue.kernel import sourced
from socialvalue.kernel.sourced import Source
from tenders.scoring.price import PRICE_METHODS, _check_prices, validate_price_method
from tenders.scoring.sensitivity import Sensitivity, sensitivity
from tenders.scoring.tree import (
    HUNDRED,
    KINDS,
    MONETISED_RATIO,
    PRECISION,
    PRICE,
    QUALITY,
    SOCIAL_VALUE,
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

# The published tie-break: the kinds compared in order when totals are equal (quality and
# social value: the higher score; price: the lower price). Lowest price always comes last.
TIE_BREAK_KINDS = KINDS
DEFAULT_TIE_BREAK = (QUALITY, SOCIAL_VALUE, PRICE)
# `RankEntry.tie_broken_by` when the officer's recorded resolution separated still-level bids.
OFFICER = "officer"

TIE_POLICY = (
    "Bids are ranked by total score at full precision (compared at 20 decimal places, not as "
    "rounded for display). Bids with equal totals are separated by the tender's published "
    "tie-break: the kinds in order (quality and social value: the higher score first; price: "
    "the lower price first), always ending with the lowest price. Bids still level share a rank "
    "(the next rank skips: 1, 1, 3) and the tie is unresolved until the officer records how it "
    "was resolved under the published rule."
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Bid:
    """A bid as scored: its price, the moderated consensus mark per marked leaf (by key) and,
    for monetised social value criteria, its monetised social value in pounds (None: none).

    `rejection`: the recorded reason the bid was taken out of the running by a decision (an
    abnormally low price rejected, withdrawn, failed due diligence); it is then excluded like a
    failed pass mark, so price and social value are scored over the others."""

    bid_id: str
    price: Decimal | None
    marks: Mapping[str, Decimal] = field(default_factory=dict)
    social_value: Decimal | None = None
    rejection: str | None = None


@dataclass(frozen=True)
class BidProblem:
    """An input error in one bid. `field` is 'bid_id', 'price', 'social_value' or 'marks' (then
    `criterion_key`)."""

    bid_index: int
    bid_id: str
    field: str
    message: str
    criterion_key: str | None = None

    def __str__(self) -> str:
        where = f"{self.field}.{self.criterion_key}" if self.criterion_key else self.field
        return f"bid {self.bid_id} {where}: {self.message}"


def validate_bids(tree: CriteriaTree, bids: Sequence[Bid]) -> list[BidProblem]:
    """Input errors in the bids: duplicate ids, non-positive prices, unknown or out-of-scale
    marks, negative monetised social value.

    A missing mark or price is not an error here: it excludes the bid, with a reason, when scored.
    """
    problems: list[BidProblem] = []
    marked = {leaf.key: leaf for leaf in tree.leaves() if leaf.is_marked}
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
        if bid.social_value is not None and bid.social_value < 0:
            problems.append(
                BidProblem(
                    index,
                    bid.bid_id,
                    "social_value",
                    f"Monetised social value cannot be negative (it is {bid.social_value}).",
                )
            )
    return problems


@dataclass(frozen=True)
class Exclusion:
    """Why a bid was not ranked. `code` is rejected, below_pass_mark, missing_mark or
    missing_price."""

    code: str
    message: str
    criterion_key: str | None = None


@dataclass(frozen=True)
class CriterionScore:
    """One node of a bid's breakdown, in tree order.

    For a marked leaf: `mark` (the moderated mark), `max_mark`, `fraction` = mark ÷ max. For the
    price leaf: `price` and the price method's `fraction`. For a monetised leaf: `social_value`
    and `fraction` = it ÷ the highest among the bids in the running. `weighted_score` = fraction × effective
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
    social_value: Decimal | None = None


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
    """One bid's outcome. `kind_scores`: its total split by kind (price, quality, social value;
    the sums of its top-level groups of each kind), empty when excluded. `flags` never exclude:
    'abnormally_low' asks for an explanation of the price."""

    bid_id: str
    price: Decimal | None
    breakdown: tuple[CriterionScore, ...]
    exclusions: tuple[Exclusion, ...]
    total: Decimal | None
    rank: int | None
    tied: bool
    abnormally_low: AbnormallyLowCheck | None
    kind_scores: Mapping[str, Decimal] = field(default_factory=dict)
    social_value: Decimal | None = None

    @property
    def eligible(self) -> bool:
        return not self.exclusions

    @property
    def flags(self) -> tuple[str, ...]:
        return ("abnormally_low",) if self.abnormally_low and self.abnormally_low.flagged else ()


@dataclass(frozen=True)
class RankEntry:
    """A ranked bid. `tied`: it still shares its rank after the tie-break (and any resolution
    the officer recorded). `tie_broken_by`: when its total equals another bid's, the tie-break
    kind (or OFFICER) that set their order; None when its total is equal to no other."""

    rank: int
    bid_id: str
    total: Decimal
    tied: bool
    tie_broken_by: str | None = None


@dataclass(frozen=True)
class Result:
    """A scored tender: per-bid breakdowns, the ranking, exclusions and price checks.

    `bids` lists ranked bids in rank order (still-level bids in input order), then excluded bids
    in input order. `abnormally_low_percent` is None when the check was not run. `tie_break` is
    the published rule as applied (always ending with price). `unresolved_ties` lists each group
    of bids still sharing a rank; `tie_unresolved` is True when first place is shared, and then
    there is no `winner` and award must wait for the officer to record a resolution (passed back
    as `tie_resolution` to `score_tender`). `sensitivity` is None without a single winner.
    """

    price_method: str
    params: Mapping[str, Decimal]
    effective_weights: Mapping[str, Decimal]
    bids: tuple[BidResult, ...]
    ranking: tuple[RankEntry, ...]
    abnormally_low_percent: Decimal | None
    tie_policy: str = TIE_POLICY
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    unresolved_ties: tuple[tuple[str, ...], ...] = ()
    sensitivity: Sensitivity | None = None

    def bid(self, bid_id: str) -> BidResult:
        for bid in self.bids:
            if bid.bid_id == bid_id:
                return bid
        raise KeyError(bid_id)

    @property
    def winner(self) -> str | None:
        """The single bid ranked first; None when no bid is ranked or first place is shared."""
        first = [entry for entry in self.ranking if entry.rank == 1]
        return first[0].bid_id if len(first) == 1 else None

    @property
    def tie_unresolved(self) -> bool:
        """First place is shared after the published tie-break: award is blocked until the
        officer records how the tie was resolved."""
        return sum(1 for entry in self.ranking if entry.rank == 1) > 1

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


def validate_tie_break(tie_break: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """The published tie-break as applied (ending with price) and any problems with it."""
    problems = [
        f"Unknown tie-break '{kind}'; use {', '.join(KINDS)}."
        for kind in tie_break
        if kind not in KINDS
    ]
    repeated = sorted({kind for kind in tie_break if list(tie_break).count(kind) > 1})
    if repeated:
        problems.append(f"The tie-break names {', '.join(repeated)} more than once.")
    rule = tuple(dict.fromkeys(k for k in tie_break if k in KINDS))
    if PRICE not in rule:
        rule = (*rule, PRICE)
    return rule, problems


def score_tender(
    tree: CriteriaTree,
    bids: Sequence[Bid],
    price_method: str,
    params: Mapping[str, Decimal] | None = None,
    *,
    abnormally_low_percent: Decimal | None = None,
    tie_break: Sequence[str] = DEFAULT_TIE_BREAK,
    tie_resolution: Sequence[str] = (),
) -> Result:
    """Score and rank the bids. Raises ScoringError for an invalid tree, method or bid input.

    A bid missing a mark or its price, or with a mark below a pass mark, is excluded (with every
    reason) and not ranked; price and monetised social value are scored among the remaining bids
    only, so an excluded bid never sets the lowest price, the mean or the highest social value.
    Each leaf scores fraction × effective weight; the total is the sum. Equal totals are
    separated by `tie_break` (kinds in order, then the lowest price); bids still level share a
    rank unless `tie_resolution` (bid ids in the order the officer recorded) names every one of
    them. The abnormally low check (when `abnormally_low_percent` is given) runs over every bid
    with a price, excluded or not, because it is about the market; it flags, never excludes.
    """
    try:
        return _score_tender(
            tree,
            bids,
            price_method,
            params,
            abnormally_low_percent=abnormally_low_percent,
            tie_break=tie_break,
            tie_resolution=tie_resolution,
        )
    except ArithmeticError as error:
        # Decimal overflow or underflow from numbers beyond any real tender (the forms and
        # score_bids keep to socialvalue.kernel.limits): refuse, never crash.
        raise ScoringError(
            [f"The prices, marks or values are too large or too small to score ({error!r})."]
        ) from error


def _score_tender(
    tree: CriteriaTree,
    bids: Sequence[Bid],
    price_method: str,
    params: Mapping[str, Decimal] | None = None,
    *,
    abnormally_low_percent: Decimal | None = None,
    tie_break: Sequence[str] = DEFAULT_TIE_BREAK,
    tie_resolution: Sequence[str] = (),
) -> Result:
    params = dict(params or {})
    rule, problems = validate_tie_break(tie_break)
    problems += [str(e) for e in validate_tree(tree)]
    problems += [
        f"price method{'' if not k else ' ' + k}: {m}"
        for k, m in validate_price_method(price_method, params).items()
    ]
    method = PRICE_METHODS.get(price_method)
    if (
        method is not None
        and method.uses_quality
        and tree.price_leaf() is not None
        and not any(leaf.kind == QUALITY for leaf in tree.leaves())
    ):
        problems.append(f"price method: '{price_method}' needs at least one quality criterion.")
    problems += [str(p) for p in validate_bids(tree, bids)]
    if problems:
        raise ScoringError(problems)

    with localcontext() as ctx:
        ctx.prec = PRECISION
        ctx.rounding = ROUND_HALF_EVEN
        weights = effective_weights(tree)
        price_leaf = tree.price_leaf()
        marked = [leaf for leaf in tree.leaves() if leaf.is_marked]
        exclusions = {bid.bid_id: _exclusions(marked, bid, price_leaf) for bid in bids}
        running = [bid for bid in bids if not exclusions[bid.bid_id]]
        monetised = _monetised_fractions(tree, running)
        fractions: dict[str, Decimal] = {}
        if price_leaf is not None and method is not None:
            quality = _quality_points(tree, running, weights) if method.uses_quality else None
            prices = {bid.bid_id: bid.price for bid in running if bid.price is not None}
            fractions = method.score(prices, params, quality=quality)
        all_prices = {bid.bid_id: bid.price for bid in bids if bid.price is not None}
        checks = (
            abnormally_low_checks(all_prices, abnormally_low_percent)
            if abnormally_low_percent is not None and price_leaf
            else {}
        )

        scored: list[tuple[Bid, tuple[CriterionScore, ...], Decimal | None, dict[str, Decimal]]]
        scored = []
        plan = _plan(tree, weights)
        for bid in bids:
            eligible = not exclusions[bid.bid_id]
            breakdown = _breakdown(
                plan, bid, fractions.get(bid.bid_id), monetised.get(bid.bid_id), eligible
            )
            tops = [row for row in breakdown if row.depth == 0]
            total = _sum(row.weighted_score for row in tops) if eligible else None
            by_kind: dict[str, Decimal] = {}
            if eligible:
                for row in tops:
                    by_kind[row.kind] = by_kind.get(row.kind, ZERO) + (row.weighted_score or ZERO)
            scored.append((bid, breakdown, total, by_kind))

        ranking, unresolved = _rank(
            [
                (bid.bid_id, total, by_kind, bid.price)
                for bid, _, total, by_kind in scored
                if total is not None
            ],
            rule,
            tie_resolution,
        )
        kind_weights: dict[str, Decimal] = {}
        for top in tree.criteria:
            kind_weights[top.kind] = kind_weights.get(top.kind, ZERO) + top.weight
        first = [entry for entry in ranking if entry.rank == 1]
        how_sensitive = None
        if len(first) == 1:
            shares = {
                bid.bid_id: {k: v / kind_weights[k] for k, v in by_kind.items()}
                for bid, _, total, by_kind in scored
                if total is not None
            }
            how_sensitive = sensitivity(
                kind_weights, shares, first[0].bid_id, order=[e.bid_id for e in ranking]
            )

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
            kind_scores=by_kind,
            social_value=bid.social_value,
        )
        for bid, breakdown, total, by_kind in scored
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
        tie_break=rule,
        unresolved_ties=unresolved,
        sensitivity=how_sensitive,
    )


def _monetised_fractions(tree: CriteriaTree, running: Sequence[Bid]) -> dict[str, Decimal]:
    """Each running bid's monetised social value over the highest among them (0 when none)."""
    if not any(leaf.method == MONETISED_RATIO for leaf in tree.leaves()):
        return {}
    values = {bid.bid_id: bid.social_value or ZERO for bid in running}
    highest = max(values.values(), default=ZERO)
    return {bid_id: (value / highest if highest > 0 else ZERO) for bid_id, value in values.items()}


def _quality_points(
    tree: CriteriaTree, running: Sequence[Bid], weights: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Each running bid's score on the quality leaves as a share (0 to 100) of their weighting."""
    leaves = [leaf for leaf in tree.leaves() if leaf.kind == QUALITY and leaf.scale is not None]
    available = _sum(weights[leaf.key] for leaf in leaves)
    points = {}
    for bid in running:
        earned = _sum(
            bid.marks[leaf.key] / leaf.scale.max_mark * weights[leaf.key]  # type: ignore[union-attr]
            for leaf in leaves
        )
        points[bid.bid_id] = earned / available * HUNDRED if available else ZERO
    return points


def _exclusions(
    marked: Sequence[Criterion], bid: Bid, price_leaf: Criterion | None
) -> tuple[Exclusion, ...]:
    found: list[Exclusion] = []
    if bid.rejection is not None:
        found.append(Exclusion("rejected", bid.rejection))
    if price_leaf is not None and bid.price is None:
        found.append(Exclusion("missing_price", "The bid has no price.", price_leaf.key))
    for leaf in marked:
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


@dataclass(frozen=True)
class _Step:
    """One node of the tree laid out once for every bid: tree order, with its children's
    positions so groups can be summed after their children."""

    node: Criterion
    depth: int
    weight: Decimal
    children: tuple[int, ...]


def _plan(tree: CriteriaTree, weights: Mapping[str, Decimal]) -> tuple[_Step, ...]:
    steps: list[_Step] = []

    def visit(node: Criterion, depth: int) -> int:
        position = len(steps)
        steps.append(_Step(node, depth, weights[node.key], ()))
        children = tuple(visit(child, depth + 1) for child in node.children)
        steps[position] = _Step(node, depth, weights[node.key], children)
        return position

    for top in tree.criteria:
        visit(top, 0)
    return tuple(steps)


def _breakdown(
    plan: Sequence[_Step],
    bid: Bid,
    price_fraction: Decimal | None,
    monetised_fraction: Decimal | None,
    eligible: bool,
) -> tuple[CriterionScore, ...]:
    rows: list[CriterionScore | None] = [None] * len(plan)
    # Children sit after their group in tree order, so a backwards pass sums groups last.
    for position in range(len(plan) - 1, -1, -1):
        step = plan[position]
        node, ew = step.node, step.weight
        if step.children:
            parts = [rows[i].weighted_score for i in step.children]  # type: ignore[union-attr]
            subtotal = None if None in parts else _sum(p for p in parts if p is not None)
            rows[position] = CriterionScore(
                node.key, node.name, node.kind, step.depth, False, ew, subtotal
            )
        elif node.kind == PRICE:
            fraction = price_fraction if eligible else None
            rows[position] = CriterionScore(
                node.key,
                node.name,
                node.kind,
                step.depth,
                True,
                ew,
                None if fraction is None else fraction * ew,
                price=bid.price,
                fraction=fraction,
            )
        elif node.method == MONETISED_RATIO:
            fraction = monetised_fraction if eligible else None
            rows[position] = CriterionScore(
                node.key,
                node.name,
                node.kind,
                step.depth,
                True,
                ew,
                None if fraction is None else fraction * ew,
                fraction=fraction,
                social_value=bid.social_value,
            )
        else:
            mark = bid.marks.get(node.key)
            maximum = node.scale.max_mark if node.scale else None
            fraction = mark / maximum if mark is not None and maximum else None
            rows[position] = CriterionScore(
                node.key,
                node.name,
                node.kind,
                step.depth,
                True,
                ew,
                None if fraction is None else fraction * ew,
                mark=mark,
                max_mark=maximum,
                fraction=fraction,
            )
    return tuple(row for row in rows if row is not None)


def _rank(
    scored: Sequence[tuple[str, Decimal, Mapping[str, Decimal], Decimal | None]],
    rule: Sequence[str],
    resolution: Sequence[str],
) -> tuple[list[RankEntry], tuple[tuple[str, ...], ...]]:
    """Rank (bid id, total, scores by kind, price) by total, then the tie-break `rule`, then the
    officer's `resolution` among bids still level. Returns the entries and the unresolved groups.
    """
    resolved_at = {bid_id: i for i, bid_id in enumerate(resolution)}

    def keys(item: tuple[str, Decimal, Mapping[str, Decimal], Decimal | None]) -> tuple:
        _bid_id, total, by_kind, price = item
        parts = []
        for kind in rule:
            if kind == PRICE:
                parts.append(price if price is not None else Decimal("Infinity"))
            else:
                parts.append(-by_kind.get(kind, ZERO).quantize(TIE_PLACES))
        return (-total.quantize(TIE_PLACES), *parts)

    keyed = [(keys(item), item) for item in scored]
    # sorted() is stable: bids level on every key keep their input order.
    keyed.sort(key=lambda pair: pair[0])
    # Groups level on every key: the officer's order applies only if it names the whole group.
    groups: list[list[tuple[tuple, tuple]]] = []
    for pair in keyed:
        if groups and groups[-1][0][0] == pair[0]:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    entries: list[RankEntry] = []
    unresolved: list[tuple[str, ...]] = []
    position = 0
    previous: tuple | None = None
    for group in groups:
        ids = [item[0] for _, item in group]
        by_officer = len(ids) > 1 and all(bid_id in resolved_at for bid_id in ids)
        if by_officer:
            group = sorted(group, key=lambda pair: resolved_at[pair[1][0]])
        elif len(ids) > 1:
            unresolved.append(tuple(ids))
        group_rank = position + 1
        for offset, (key, item) in enumerate(group):
            bid_id, total = item[0], item[1]
            broken_by = None
            if previous is not None and previous[0] == key[0]:
                broken_by = _first_difference(previous, key, rule)
            if by_officer and offset > 0:
                broken_by = OFFICER
            rank = position + 1 + offset if by_officer else group_rank
            entries.append(
                RankEntry(rank, bid_id, total, len(ids) > 1 and not by_officer, broken_by)
            )
            previous = key
        position += len(group)
    # The bid placed above another on a tie-break was separated by the same rule.
    for index in range(len(entries) - 1):
        upper, lower = entries[index], entries[index + 1]
        same_total = keyed[index][0][0] == keyed[index + 1][0][0]
        if same_total and upper.tie_broken_by is None and lower.tie_broken_by is not None:
            entries[index] = RankEntry(
                upper.rank, upper.bid_id, upper.total, upper.tied, lower.tie_broken_by
            )
    return entries, tuple(unresolved)


def _first_difference(upper: tuple, lower: tuple, rule: Sequence[str]) -> str | None:
    for kind, a, b in zip(rule, upper[1:], lower[1:], strict=True):
        if a != b:
            return kind
    return None


@dataclass(frozen=True)
class AbnormallyLowPolicy:
    """This service's default screening percentage (in force from `in_force_from`), with why it
    is a default and not law. A tender may set its own percentage."""

    default_percent: Decimal
    basis: str
    basis_note: str
    sources: tuple[Source, ...]
    in_force_from: date | None = None


def load_abnormally_low_policy(path: Path | None = None) -> AbnormallyLowPolicy:
    """Read tenders/data/abnormally_low_tenders.json."""
    data = sourced.load(path, default=DATA_DIR / "abnormally_low_tenders.json")
    return AbnormallyLowPolicy(
        default_percent=Decimal(data["default_percent_below_mean_of_others"]),
        basis=data["basis"],
        basis_note=data["basis_note"],
        sources=sourced.sources_from(data["sources"]),
        in_force_from=sourced.optional_date(data.get("in_force_from")),
    )
