"""One bidder's scores beside the winner's, per criterion: the figures of an assessment summary
(Procurement Act 2023 s.50; Procurement Regulations 2024 reg. 31) or of a PCR 2015 award
decision letter (reg. 86: the score of the recipient and of the successful tenderer, and the
winner's relative advantages). Never another unsuccessful bidder's figures.

The written reasons per criterion come from moderation, outside the engine; the rows carry the
criterion keys to join them on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tenders.scoring.results import BidResult, Result
from tenders.scoring.tree import ZERO


@dataclass(frozen=True)
class SummaryRow:
    """One criterion: its share of the total (`effective_weight`), the bidder's weighted score
    and mark, and the winner's (None on the winner's own summary). `winner_ahead_by` is the
    winner's weighted score minus the bidder's where both are scored (positive: a relative
    advantage of the winning tender)."""

    key: str
    name: str
    kind: str
    depth: int
    is_leaf: bool
    effective_weight: Decimal
    score: Decimal | None
    mark: Decimal | None
    max_mark: Decimal | None
    winner_score: Decimal | None
    winner_mark: Decimal | None
    winner_ahead_by: Decimal | None


@dataclass(frozen=True)
class BidSummary:
    """A bidder's summary: its rows, total, rank and exclusion reasons; the winner's total."""

    bid_id: str
    successful: bool
    winner_id: str | None
    rows: tuple[SummaryRow, ...]
    total: Decimal | None
    winner_total: Decimal | None
    rank: int | None
    exclusions: tuple[str, ...]

    @property
    def relative_advantages(self) -> tuple[SummaryRow, ...]:
        """Lowest-level criteria where the winning tender scored more, largest gap first."""
        ahead = [r for r in self.rows if r.is_leaf and r.winner_ahead_by and r.winner_ahead_by > 0]
        return tuple(sorted(ahead, key=lambda r: r.winner_ahead_by or ZERO, reverse=True))


def bid_summary(result: Result, bid_id: str, *, winner_id: str | None = None) -> BidSummary:
    """The summary for `bid_id`: its figures beside the winner's (`winner_id`, by default the
    result's winner; the officer may have chosen the next-ranked bid). KeyError for an unknown
    bid. With no winner (an unresolved tie) the rows carry the bidder's figures alone."""
    own = result.bid(bid_id)
    winner_id = winner_id if winner_id is not None else result.winner
    winner: BidResult | None = result.bid(winner_id) if winner_id is not None else None
    successful = winner is not None and winner.bid_id == own.bid_id
    theirs = {} if winner is None or successful else {r.key: r for r in winner.breakdown}
    rows = []
    for row in own.breakdown:
        other = theirs.get(row.key)
        ahead = None
        if (
            other is not None
            and other.weighted_score is not None
            and row.weighted_score is not None
        ):
            ahead = other.weighted_score - row.weighted_score
        rows.append(
            SummaryRow(
                key=row.key,
                name=row.name,
                kind=row.kind,
                depth=row.depth,
                is_leaf=row.is_leaf,
                effective_weight=row.effective_weight,
                score=row.weighted_score,
                mark=row.mark,
                max_mark=row.max_mark,
                winner_score=None if other is None else other.weighted_score,
                winner_mark=None if other is None else other.mark,
                winner_ahead_by=ahead,
            )
        )
    return BidSummary(
        bid_id=own.bid_id,
        successful=successful,
        winner_id=winner_id,
        rows=tuple(rows),
        total=own.total,
        winner_total=None if winner is None else winner.total,
        rank=own.rank,
        exclusions=tuple(x.message for x in own.exclusions),
    )
