"""Sensitivity of a ranking to its weighting: how many points of weight would have to move
between price, quality and social value (the top-level groups, by kind) for a different bid to
win.

Each bid's total is Σ weight(kind) × fraction(kind), where fraction is the share of that kind's
weighting the bid scored (0 to 1). Price fractions depend on the prices only, and marks and
monetised values do not change with the weighting, so the totals are linear in the weights and
the smallest move can be found exactly: move weight into the kind where the rival is furthest
ahead of the winner, taking it first from the kinds where the rival is furthest behind.

"Points" are percentage points of the total weighting (the top-level weights add up to 100);
moving 5 points from price to quality turns price 40 / quality 50 into 35 / 55. A rival's
figure is where it draws level with the winner: any larger move makes it score more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from tenders.scoring.tree import ONE, PRECISION, ZERO

# Rivals reported in full (with their weighting after the move and whether they would then
# top every bid); the headline figure always considers every bid still in the running.
SENSITIVITY_RIVALS = 20
_LEVEL = Decimal("1E-20")

SENSITIVITY_NOTE = (
    "Points of weight moved between price, quality and social value (the top-level groups), "
    "out of 100, at which the rival draws level with the winner on total; any larger move makes "
    "it score more. Marks and prices stay as they are."
)


@dataclass(frozen=True)
class WeightMove:
    """`points` of weighting moved from one kind's groups to another's."""

    from_kind: str
    to_kind: str
    points: Decimal


@dataclass(frozen=True)
class RivalShift:
    """The smallest move of weighting at which `bid_id` draws level with the winner.

    `points` is None when no move between the groups can do it (the rival is no better than the
    winner on any kind, or better only where there is too little weight to take). `weights` is
    the top-level weighting by kind after the move; `wins` says whether, at that weighting, the
    rival also draws level with or beats every other bid (None when not worked out: beyond the
    first SENSITIVITY_RIVALS rivals, or when `points` is None).

    `points_to_win` is the smallest move after which the rival is level with or ahead of every
    bid still in the running, with `weights_to_win` the weighting there: equal to `points` when
    `wins`, larger when a third bid would overtake first, None when no weighting puts the rival
    first (or when not worked out, as for `wins`).
    """

    bid_id: str
    points: Decimal | None
    moves: tuple[WeightMove, ...] = ()
    weights: Mapping[str, Decimal] | None = None
    wins: bool | None = None
    points_to_win: Decimal | None = None
    weights_to_win: Mapping[str, Decimal] | None = None


@dataclass(frozen=True)
class Sensitivity:
    """How far the weighting would have to move for a bid other than `winner` to win.

    `rivals` are in order of the points needed (those no move can help last); `points` is the
    smallest figure over every rival (None: no move of weighting changes the winner).
    """

    winner: str
    weights: Mapping[str, Decimal]
    rivals: tuple[RivalShift, ...]
    note: str = SENSITIVITY_NOTE

    @property
    def closest(self) -> RivalShift | None:
        """The rival that needs the smallest move, if any move helps one."""
        first = self.rivals[0] if self.rivals else None
        return first if first is not None and first.points is not None else None

    @property
    def points(self) -> Decimal | None:
        closest = self.closest
        return None if closest is None else closest.points


def sensitivity(
    weights: Mapping[str, Decimal],
    fractions: Mapping[str, Mapping[str, Decimal]],
    winner: str,
    *,
    order: Sequence[str] | None = None,
) -> Sensitivity:
    """Sensitivity of `winner`'s place to the weighting.

    `weights`: each kind's top-level weight (adding up to 100). `fractions`: for every bid still
    in the running, by kind, the share (0 to 1) of that kind's weighting it scored. `order` (the
    ranking) breaks ties between rivals needing the same move; input order otherwise.
    """
    kinds = [kind for kind, weight in weights.items() if weight > 0]
    ids = list(order) if order is not None else list(fractions)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        shifts = [
            _shift(kinds, weights, fractions[winner], fractions[bid_id], bid_id)
            for bid_id in ids
            if bid_id != winner
        ]
        position = {bid_id: i for i, bid_id in enumerate(ids)}
        shifts.sort(key=lambda s: (s.points is None, s.points or ZERO, position[s.bid_id]))
        checked = []
        for index, shift in enumerate(shifts):
            if index < SENSITIVITY_RIVALS and shift.points is not None and shift.weights:
                wins = _tops(shift.bid_id, shift.weights, fractions)
                to_win = (
                    (shift.points, shift.weights)
                    if wins
                    else _smallest_win(shift.bid_id, kinds, weights, fractions)
                )
                shift = RivalShift(
                    shift.bid_id,
                    shift.points,
                    shift.moves,
                    shift.weights,
                    wins,
                    to_win[0] if to_win else None,
                    to_win[1] if to_win else None,
                )
            checked.append(shift)
    return Sensitivity(winner, dict(weights), tuple(checked))


def _shift(
    kinds: Sequence[str],
    weights: Mapping[str, Decimal],
    winner: Mapping[str, Decimal],
    rival: Mapping[str, Decimal],
    bid_id: str,
) -> RivalShift:
    delta = {kind: rival.get(kind, ZERO) - winner.get(kind, ZERO) for kind in kinds}
    needed = -sum((weights[kind] * delta[kind] for kind in kinds), ZERO)
    if needed <= _LEVEL:
        # Already level on total (the tie-break or the officer placed the winner first).
        return RivalShift(bid_id, ZERO, (), dict(weights))
    target = max(kinds, key=lambda kind: delta[kind], default=None)
    if target is None:
        return RivalShift(bid_id, None)
    moves: list[WeightMove] = []
    after = dict(weights)
    for source in sorted((k for k in kinds if k != target), key=lambda k: delta[k]):
        rate = delta[target] - delta[source]
        if rate <= 0:
            break
        available = weights[source]
        if available * rate >= needed:
            points = needed / rate
            moves.append(WeightMove(source, target, points))
            after[source] -= points
            after[target] += points
            return RivalShift(bid_id, sum((m.points for m in moves), ZERO), tuple(moves), after)
        moves.append(WeightMove(source, target, available))
        after[source] = ZERO
        after[target] += available
        needed -= available * rate
    return RivalShift(bid_id, None)


def _tops(
    bid_id: str, weights: Mapping[str, Decimal], fractions: Mapping[str, Mapping[str, Decimal]]
) -> bool:
    def total(of: Mapping[str, Decimal]) -> Decimal:
        return sum((weight * of.get(kind, ZERO) for kind, weight in weights.items()), ZERO)

    mine = total(fractions[bid_id])
    return all(total(other) - mine <= _LEVEL for other in fractions.values())


def _smallest_win(
    bid_id: str,
    kinds: Sequence[str],
    weights: Mapping[str, Decimal],
    fractions: Mapping[str, Mapping[str, Decimal]],
) -> tuple[Decimal, dict[str, Decimal]] | None:
    """The smallest move (points, weighting) after which `bid_id` is level with or ahead of
    every bid, or None when no weighting of these kinds does it.

    The weightings where it is first form a convex polygon inside the triangle of all weightings
    (a segment with two kinds): each other bid cuts away the half where it scores more. The
    points moved, half the sum of the changes, is linear between the lines where a kind's weight
    is unchanged, so the smallest is at a corner of the polygon or where its edges cross those
    lines. Up to three kinds (price, quality, social value).
    """
    if len(kinds) < 2 or len(kinds) > 3:
        return None
    total = sum((weights[k] for k in kinds), ZERO)
    start = [weights[k] for k in kinds[:-1]]
    mine = fractions[bid_id]
    # A weighting is a point of the first len(kinds) − 1 weights; the last is total − their sum.
    # Bid j is not ahead when Σ w_k (mine_k − j_k) ≥ 0, that is a·p + c ≥ 0 with
    # a_k = g_k − g_last and c = total × g_last.
    cuts = []
    for other_id, other in fractions.items():
        if other_id == bid_id:
            continue
        g = [mine.get(k, ZERO) - other.get(k, ZERO) for k in kinds]
        # A bid this one scores at least as well as on every kind is never ahead anywhere in the
        # triangle (at each of its corners the cut is total × g_k ≥ 0, and it is linear), so its
        # cut would keep every corner unchanged: skipping it gives the same polygon. On a segment
        # the cut moves an end it touches by a rounding, so there only a clear margin skips it.
        # With many bids most are beaten on every kind by a bid near the top.
        if all(x >= 0 for x in g) if len(kinds) == 3 else all(x > _LEVEL for x in g):
            continue
        cuts.append(([g[i] - g[-1] for i in range(len(kinds) - 1)], total * g[-1]))
    segment = [[ZERO], [total]]
    triangle = [[ZERO, ZERO], [total, ZERO], [ZERO, total]]
    corners = segment if len(kinds) == 2 else triangle
    for a, c in cuts:
        corners = _clip(corners, a, c)
        if not corners:
            return None
    # The lines where the points moved bend: each kind's weight as it was.
    bends: list[tuple[list[Decimal], Decimal]] = [
        ([ONE if j == i else ZERO for j in range(len(start))], start[i]) for i in range(len(start))
    ]
    if len(kinds) == 3:
        bends.append(([ONE, ONE], start[0] + start[1]))
    candidates = list(corners)
    edges = zip(corners, corners[1:] + corners[:1], strict=True) if len(corners) > 1 else []
    for p, q in edges:
        for a, level in bends:
            hp = _dot(a, p) - level
            hq = _dot(a, q) - level
            if (hp < 0 < hq) or (hq < 0 < hp):
                t = hp / (hp - hq)
                candidates.append([pi + (qi - pi) * t for pi, qi in zip(p, q, strict=True)])
    if len(kinds) == 2 and corners[0][0] <= start[0] <= corners[-1][0]:
        candidates.append(list(start))
    if len(kinds) == 3 and _inside(start, corners):
        candidates.append(list(start))

    def moved(point: list[Decimal]) -> Decimal:
        changes = [abs(x - x0) for x, x0 in zip(point, start, strict=True)]
        last = abs((total - sum(point, ZERO)) - (total - sum(start, ZERO)))
        return (sum(changes, ZERO) + last) / 2

    best = min(candidates, key=moved)
    after = dict(weights)
    for kind, value in zip(kinds[:-1], best, strict=True):
        after[kind] = value
    after[kinds[-1]] = total - sum(best, ZERO)
    return moved(best), after


def _dot(a: Sequence[Decimal], p: Sequence[Decimal]) -> Decimal:
    # Written out for the one and two dimensions used, in the same order of operations (from
    # ZERO, left to right) as the sum, so every rounding is the same; it is the innermost loop.
    if len(a) == 2:
        return ZERO + a[0] * p[0] + a[1] * p[1]
    if len(a) == 1:
        return ZERO + a[0] * p[0]
    return sum((x * y for x, y in zip(a, p, strict=True)), ZERO)


def _clip(corners: list[list[Decimal]], a: list[Decimal], c: Decimal) -> list[list[Decimal]]:
    """The part of a convex polygon (or, in one dimension, a segment) where a·p + c ≥ 0."""

    def keep(p: list[Decimal]) -> Decimal:
        return _dot(a, p) + c

    if len(corners[0]) == 1:
        (low,), (high,) = corners[0], corners[-1]
        slope = a[0]
        if slope == 0:
            return corners if c >= -_LEVEL else []
        edge = -c / slope
        if slope > 0:
            low = max(low, edge)
        else:
            high = min(high, edge)
        if low > high + _LEVEL:
            return []
        return [[min(low, high)], [high]]
    result: list[list[Decimal]] = []
    for p, q in zip(corners, corners[1:] + corners[:1], strict=True):
        hp, hq = keep(p), keep(q)
        if hp >= -_LEVEL:
            result.append(p)
        if (hp < -_LEVEL < hq) or (hq < -_LEVEL < hp):
            t = hp / (hp - hq)
            result.append([pi + (qi - pi) * t for pi, qi in zip(p, q, strict=True)])
    return result


def _inside(point: list[Decimal], corners: list[list[Decimal]]) -> bool:
    """Whether a point lies in a convex polygon (corners in order, either direction)."""
    if len(corners) < 3:
        return False
    # A polygon flattened to a segment or a point holds no inside: a start on it is found as
    # an edge's crossing with the lines through the start instead.
    area = sum(
        (
            p[0] * q[1] - q[0] * p[1]
            for p, q in zip(corners, corners[1:] + corners[:1], strict=True)
        ),
        ZERO,
    )
    if abs(area) <= _LEVEL:
        return False
    signs = set()
    for p, q in zip(corners, corners[1:] + corners[:1], strict=True):
        cross = (q[0] - p[0]) * (point[1] - p[1]) - (q[1] - p[1]) * (point[0] - p[0])
        if abs(cross) > _LEVEL:
            signs.add(cross > 0)
    return len(signs) <= 1
