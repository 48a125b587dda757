"""A lot's ranking: the scoring engine run over the moderated marks and prices of the bids still
in the running, with the tender's published tie-break, and what stands between it and an award
(evaluation not complete, abnormally low price queries undecided, a tie unresolved at the top).

Translates between rows and the pure engine (tenders.scoring): reads the lot's criteria, its
bids, the moderated marks, the queries, tie resolutions and set-aside decisions in a fixed
number of queries, however many bids. The ranking page, the award services and the award
letters all ask `rank_lot`, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum

from tenders import criteria as criteria_layout
from tenders import ranking_version, scoring
from tenders.evaluation_selectors import lot_evaluation_state
from tenders.models import (
    AbnormallyLowQuery,
    AwardDecision,
    Bid,
    BidStatus,
    Commitment,
    Criterion,
    Lot,
    ModeratedMark,
    QueryStatus,
    TieResolution,
)

KINDS = (scoring.PRICE, scoring.QUALITY, scoring.SOCIAL_VALUE)
KIND_LABELS = {
    scoring.PRICE: "Price",
    scoring.QUALITY: "Quality",
    scoring.SOCIAL_VALUE: "Social value",
}


@dataclass(frozen=True)
class LotMarks:
    """The panel's moderated marks for a lot: per bid id, per criterion id, the mark and the
    consensus rationale; `complete` when the lot's evaluation is finished, else the reasons."""

    marks: dict[int, dict[int, Decimal]]
    reasons: dict[int, dict[int, str]]
    complete: bool
    incomplete_reasons: tuple[str, ...] = ()


def lot_marks(lot: Lot) -> LotMarks:
    """The moderated marks and their rationales (one query) and whether the evaluation of the
    lot is complete (tenders.evaluation_selectors)."""
    marks: dict[int, dict[int, Decimal]] = {}
    reasons: dict[int, dict[int, str]] = {}
    for bid_id, criterion_id, mark, rationale in ModeratedMark.objects.filter(
        criterion__lot=lot
    ).values_list("bid_id", "criterion_id", "mark", "rationale"):
        marks.setdefault(bid_id, {})[criterion_id] = mark
        reasons.setdefault(bid_id, {})[criterion_id] = rationale
    state = lot_evaluation_state(lot)
    return LotMarks(marks, reasons, state.complete, tuple(state.reasons))


@dataclass(frozen=True)
class RankedBid:
    """One bid in the ranking: the row, the engine's result for it, its score per kind (price,
    quality, social value), and its latest abnormally low price query."""

    bid: Bid
    result: scoring.BidResult
    query: AbnormallyLowQuery | None

    @property
    def kind_scores(self) -> dict[str, Decimal | None]:
        if not self.result.eligible:
            return dict.fromkeys(KINDS)
        return {kind: self.result.kind_scores.get(kind) for kind in KINDS}

    @property
    def flagged(self) -> bool:
        return "abnormally_low" in self.result.flags

    @property
    def needs_query(self) -> bool:
        """Flagged by the screen and never asked to explain."""
        return self.flagged and self.query is None


@dataclass(frozen=True)
class Tie:
    """Bids level after the published tie-break at one rank, and how it was resolved."""

    rank: int
    bids: tuple[Bid, ...]
    resolution: TieResolution | None

    @property
    def bid_ids(self) -> list[int]:
        return sorted(bid.pk for bid in self.bids)


@dataclass(frozen=True)
class Rival:
    """A line of the sensitivity: how far the weighting must move for `bid` to draw level."""

    bid: Bid
    points: Decimal | None
    moves: tuple
    wins: bool | None


@dataclass(frozen=True)
class LotRanking:
    lot: Lot
    result: scoring.Result | None
    problems: tuple[str, ...]
    rows: tuple[RankedBid, ...]
    out_of_running: tuple[tuple[Bid, str], ...]
    marks: LotMarks
    ties: tuple[Tie, ...]
    current_decision: AwardDecision | None
    submitted_count: int
    rivals: tuple[Rival, ...]
    kind_weights: dict[str, Decimal]

    @property
    def ranked(self) -> list[RankedBid]:
        return [row for row in self.rows if row.result.rank is not None]

    @property
    def excluded(self) -> list[RankedBid]:
        return [row for row in self.rows if row.result.rank is None]

    @property
    def undecided_queries(self) -> list[RankedBid]:
        return [row for row in self.rows if row.query is not None and row.query.is_undecided]

    @property
    def unasked_flags(self) -> list[RankedBid]:
        return [row for row in self.rows if row.needs_query]

    @property
    def sensitivity(self) -> scoring.Sensitivity | None:
        return self.result.sensitivity if self.result else None

    def tie_at(self, rank: int) -> Tie | None:
        return next((tie for tie in self.ties if tie.rank == rank), None)

    @property
    def leader(self) -> Bid | None:
        """The bid an award goes to: the single bid ranked first (after the published tie-break
        and any tie resolution recorded); None when nobody is ranked or first place is shared."""
        winner = self.result.winner if self.result else None
        return next((row.bid for row in self.rows if row.result.bid_id == winner), None)

    def award_refusals(self) -> list[str]:
        """Why the lot cannot be awarded to a bidder now, in the words shown to the officer."""
        if self.submitted_count == 0:
            return ["No bids were submitted for this lot, so it cannot be awarded."]
        reasons = []
        if not self.marks.complete:
            reasons += list(self.marks.incomplete_reasons) or [
                "The evaluation of this lot is not complete: every mark must be moderated."
            ]
        reasons += list(self.problems)
        for row in self.undecided_queries:
            reasons.append(
                f"The abnormally low price query to {row.bid.bidder.name} is still open: "
                "decide it before the award."
            )
        for row in self.unasked_flags:
            reasons.append(
                f"The price of {row.bid.bidder.name} is flagged as possibly abnormally low: ask "
                "the bidder to explain it before the award."
            )
        if self.result is not None and not self.ranked:
            reasons.append("No bid in the running is ranked: none passed every pass mark.")
        if self.result is not None and self.result.tie_unresolved:
            reasons.append(
                "Bids are still level at the top after the published tie-break: record how "
                "the tie was resolved under the published rule."
            )
        return reasons


def tie_break_rule(tender) -> tuple[str, ...]:
    """The tender's published tie-break as the engine takes it (price always last)."""
    kinds = [kind for kind in (tender.tie_break or "").split(",") if kind]
    return tuple(kind for kind in kinds if kind != scoring.PRICE) + (scoring.PRICE,)


def _resolution_order(resolution: TieResolution) -> list[str]:
    # The chosen bid first; any other level bids behind it in the order they were level.
    others = [bid_id for bid_id in resolution.tied_bid_ids if bid_id != resolution.chosen_bid_id]
    return [str(resolution.chosen_bid_id), *(str(bid_id) for bid_id in others)]


def rank_lot(*, lot: Lot) -> LotRanking:
    """Score and rank the lot's bids still in the running. Bids are read unscoped: callers are
    the ranking page (behind tenders.rank_bids, which needs the bids opened) and the award
    services (behind tenders.manage_tender and the same state checks).

    One run serves every caller until the lot's data version changes (tenders.ranking_version):
    the page, its chart, the award's checks and the evaluation report share it through the
    default cache."""
    version = ranking_version.current(tender_id=lot.tender_id)
    policy = scoring.load_abnormally_low_policy()
    if version is None:
        return _rank_lot_afresh(lot, policy)
    tender = lot.tender
    key = ranking_version.result_key(
        lot_id=lot.pk,
        version=version,
        # What the caller's own tender row already says: its creation (an id reused by a new
        # database never meets an old result) and its scoring rules.
        stamp=repr(
            (
                tender.created_at.isoformat() if tender.created_at else None,
                tender.price_method,
                sorted((tender.price_method_params or {}).items()),
                tender.tie_break,
                str(policy.default_percent),
            )
        ),
    )
    stored = cache.get(key)
    if stored is not None:
        # The caller's own lot (and tender), not the copy stored with the result.
        return replace(stored, lot=lot)
    made = _rank_lot_afresh(lot, policy)
    cache.set(key, made, ranking_version.RESULT_SECONDS)
    return made


def _rank_lot_afresh(lot: Lot, policy: scoring.AbnormallyLowPolicy) -> LotRanking:
    tender = lot.tender
    tree = criteria_layout.build_tree(Criterion.objects.filter(lot=lot).order_by("order", "pk"))
    submitted = list(
        Bid.objects.unscoped(reason="the ranking of opened bids, for the officer and the award")
        .filter(lot=lot, status=BidStatus.SUBMITTED)
        .select_related("bidder")
        .order_by("submitted_at", "pk")
    )
    latest_query: dict[int, AbnormallyLowQuery] = {}
    for query in (
        AbnormallyLowQuery.objects.unscoped(reason="the queries of the lot's ranking")
        .filter(bid__lot=lot)
        .order_by("requested_at", "pk")
    ):
        latest_query[query.bid_id] = query
    fallen = dict(
        AwardDecision.objects.filter(lot=lot, set_aside_at__isnull=False, bid__isnull=False)
        .order_by("set_aside_at")
        .values_list("bid_id", "set_aside_reason")
    )
    out: list[tuple[Bid, str]] = []
    running: list[Bid] = []
    for bid in submitted:
        query = latest_query.get(bid.pk)
        if query is not None and query.status == QueryStatus.REJECTED:
            out.append((bid, f"Rejected as abnormally low: {query.decision_reason}"))
        elif bid.pk in fallen:
            out.append((bid, f"Chosen, then fell away: {fallen[bid.pk]}"))
        else:
            running.append(bid)

    marks = lot_marks(lot)
    social_value = dict(
        Commitment.objects.unscoped(reason="the monetised social value each bid offers")
        .filter(bid__in=[bid.pk for bid in running])
        .values("bid_id")
        .annotate(total=Sum("monetised_value"))
        .values_list("bid_id", "total")
    )
    engine_bids = [
        scoring.Bid(
            bid_id=str(bid.pk),
            price=bid.price,
            marks={str(key): mark for key, mark in marks.marks.get(bid.pk, {}).items()},
            social_value=social_value.get(bid.pk),
        )
        for bid in running
    ]
    resolutions = list(
        TieResolution.objects.filter(lot=lot)
        .select_related("chosen_bid__bidder", "recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    order: list[str] = []
    for resolution in resolutions:
        order += [bid_id for bid_id in _resolution_order(resolution) if bid_id not in order]
    result, problems = None, ()
    try:
        result = scoring.score_tender(
            tree,
            engine_bids,
            tender.price_method,
            {k: Decimal(str(v)) for k, v in (tender.price_method_params or {}).items()},
            abnormally_low_percent=policy.default_percent,
            tie_break=tie_break_rule(tender),
            tie_resolution=order,
        )
    except scoring.ScoringError as error:
        problems = error.problems
    by_id = {str(bid.pk): bid for bid in running}
    rows = tuple(
        RankedBid(bid=by_id[r.bid_id], result=r, query=latest_query.get(int(r.bid_id)))
        for r in (result.bids if result else ())
    )
    decision = (
        AwardDecision.objects.filter(lot=lot, set_aside_at__isnull=True)
        .select_related("bid__bidder", "decided_by")
        .first()
    )
    kind_weights: dict[str, Decimal] = {}
    for node in tree.criteria:
        kind_weights[node.kind] = kind_weights.get(node.kind, Decimal(0)) + node.weight
    return LotRanking(
        lot=lot,
        result=result,
        problems=tuple(problems),
        rows=rows,
        out_of_running=tuple(out),
        marks=marks,
        ties=_ties(result, by_id, resolutions),
        current_decision=decision,
        submitted_count=len(submitted),
        rivals=_rivals(result, by_id),
        kind_weights=kind_weights,
    )


def _ties(
    result: scoring.Result | None, by_id: dict[str, Bid], resolutions: list[TieResolution]
) -> tuple[Tie, ...]:
    """Groups still level (unresolved), and groups the officer's recorded resolution separated."""
    if result is None:
        return ()
    rank_of = {entry.bid_id: entry.rank for entry in result.ranking}
    ties = [
        Tie(rank=rank_of[group[0]], bids=tuple(by_id[i] for i in group), resolution=None)
        for group in result.unresolved_ties
    ]
    applied: set[int] = set()
    for resolution in resolutions:
        ids = [str(i) for i in resolution.tied_bid_ids]
        if resolution.pk in applied or not all(i in rank_of for i in ids):
            continue
        broken = {e.bid_id for e in result.ranking if e.tie_broken_by == scoring.OFFICER}
        if not broken & set(ids):
            continue
        applied.add(resolution.pk)
        ties.append(
            Tie(
                rank=min(rank_of[i] for i in ids),
                bids=tuple(by_id[i] for i in ids),
                resolution=resolution,
            )
        )
    return tuple(sorted(ties, key=lambda tie: tie.rank))


def _rivals(result: scoring.Result | None, by_id: dict[str, Bid]) -> tuple[Rival, ...]:
    if result is None or result.sensitivity is None:
        return ()
    return tuple(
        Rival(by_id[shift.bid_id], shift.points, shift.moves, shift.wins)
        for shift in result.sensitivity.rivals[: scoring.SENSITIVITY_RIVALS]
    )
