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

from tenders.scoring.tree import PRECISION, ZERO

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
    """

    bid_id: str
    points: Decimal | None
    moves: tuple[WeightMove, ...] = ()
    weights: Mapping[str, Decimal] | None = None
    wins: bool | None = None


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
                shift = RivalShift(
                    shift.bid_id,
                    shift.points,
                    shift.moves,
                    shift.weights,
                    _tops(shift.bid_id, shift.weights, fractions),
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
