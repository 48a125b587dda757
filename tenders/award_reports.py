"""Two report kinds of the evaluation and award: the tender evaluation report (the officers'
full record of how the bids were judged) and one bidder's assessment summary letter (its own
scores beside the winner's, exactly as the award issued it, never another bidder's)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Max

from socialvalue.core import charts
from tenders import ranking, scoring
from tenders.models import (
    AbnormallyLowQuery,
    AwardDecision,
    Bid,
    BidderNotice,
    ConflictDeclaration,
    Criterion,
    Lot,
    Mark,
    ModeratedMark,
    Tender,
)

# The chart draws at most this many bids (the ranking table lists every bid): a bar per bid
# past a page's width would not be read.
CHART_LIMIT = 20
# The summary gives every bid's moderated marks in one table, and each evaluator's marks with
# the reasons for this many of the highest-ranked bids; the full record gives every bid's.
# Laying out the text is most of a big report's time (3 evaluators x 9 questions x 100 bids is
# about 100 of the full record's 120 pages), so the officer chooses.
SUMMARY_REASONS = 10
SUMMARY, FULL = "summary", "full"
DETAIL_CHOICES = (
    (
        SUMMARY,
        f"Summary: every bid's moderated marks; the evaluators' marks and the reasons of the "
        f"{SUMMARY_REASONS} ranked highest",
    ),
    (FULL, "Full record: every bid's marks and reasons (long for a lot with many bids)"),
)


def clean_evaluation_options(raw: dict) -> dict:
    """{"detail": "full"} -> the full record; the summary when none is given."""
    detail = str(raw.get("detail", "") or "").strip() or SUMMARY
    if detail not in dict(DETAIL_CHOICES):
        raise ValueError("Choose the summary or the full record.")
    return {"detail": detail}


def describe_evaluation(tender: Tender, options: dict) -> str:
    full = options.get("detail") == FULL
    return f"{tender.title} ({'full record' if full else 'summary'})"


@dataclass(frozen=True)
class Cell:
    """One bid on one criterion: each evaluator's mark and justification (in the panel's
    order), and the moderated mark with its rationale and spread flag."""

    criterion: Criterion
    individual: list  # (evaluator's name, mark, justification)
    moderated: ModeratedMark | None


@dataclass(frozen=True)
class BidMarks:
    bidder: str
    cells: list[Cell]
    bid_id: int | None = None


def _lot_section(lot: Lot, full: bool) -> dict:
    lot_ranking = ranking.rank_lot(lot=lot)
    criteria = list(Criterion.objects.filter(lot=lot).order_by("parent_id", "order", "pk"))
    bids = {
        bid.pk: bid
        for bid in Bid.objects.unscoped(
            reason="the evaluation report, asked for by the tender's officer"
        )
        .filter(lot=lot)
        .select_related("bidder")
    }
    individual: dict[tuple[int, int], list] = {}
    panel: dict[int, str] = {}
    for mark in (
        Mark.objects.filter(evaluator__lot=lot, submitted_at__isnull=False)
        .select_related("evaluator__user")
        .order_by("evaluator_id")
    ):
        user = mark.evaluator.user
        name = panel.setdefault(mark.evaluator_id, user.get_full_name() or user.email)
        individual.setdefault((mark.criterion_id, mark.bid_id), []).append(
            (name, mark.mark, mark.justification)
        )
    moderated = {
        (m.criterion_id, m.bid_id): m for m in ModeratedMark.objects.filter(criterion__lot=lot)
    }
    markable = [c for c in criteria if any(key[0] == c.pk for key in moderated)] or [
        c for c in criteria if any(key[0] == c.pk for key in individual)
    ]
    marked = [
        BidMarks(
            bidder=bid.bidder.name,
            bid_id=bid.pk,
            cells=[
                Cell(
                    criterion,
                    individual.get((criterion.pk, bid.pk), []),
                    moderated.get((criterion.pk, bid.pk)),
                )
                for criterion in markable
            ],
        )
        for bid in sorted(bids.values(), key=lambda b: (b.bidder.name, b.pk))
        if any((c.pk, bid.pk) in moderated or (c.pk, bid.pk) in individual for c in markable)
    ]
    # The reasons in full: every bid's, or the highest-ranked bids' (in rank order, then any
    # other bid with marks, alphabetically, in the full record).
    reasons_of = marked
    left_out = 0
    if not full:
        order = {row.bid.pk: i for i, row in enumerate(lot_ranking.ranked[:SUMMARY_REASONS])}
        reasons_of = sorted((m for m in marked if m.bid_id in order), key=lambda m: order[m.bid_id])
        left_out = len(marked) - len(reasons_of)
    conflicts = list(
        ConflictDeclaration.objects.filter(evaluator__lot=lot)
        .select_related("evaluator__user", "bidder")
        .order_by("evaluator_id", "bidder__name")
    )
    queries = list(
        AbnormallyLowQuery.objects.unscoped(
            reason="the evaluation report, asked for by the tender's officer"
        )
        .filter(bid__lot=lot)
        .select_related("bid__bidder")
        .order_by("requested_at")
    )
    decisions = list(
        AwardDecision.objects.filter(lot=lot).select_related("bid__bidder").order_by("decided_at")
    )
    ranked = [row for row in lot_ranking.ranked if row.result.total is not None]
    chart_rows = ranked[:CHART_LIMIT]
    note = (
        f" (the {CHART_LIMIT} highest of {len(ranked)}; the ranking lists every bid)"
        if len(ranked) > CHART_LIMIT
        else ""
    )
    chart = None
    if chart_rows:
        chart = charts.stacked_chart(
            title=f"How each total is made up: {lot}{note}",
            alt="; ".join(
                f"{row.result.rank}. {row.bid.bidder.name}: "
                + ", ".join(
                    f"{ranking.KIND_LABELS[kind].lower()} {charts.Series('', [v]).text(0)}"
                    for kind, v in row.kind_scores.items()
                    if v is not None
                )
                + f", total {charts.Series('', [row.result.total]).text(0)} points"
                for row in chart_rows
            )
            + ".",
            categories=[f"{row.result.rank}. {row.bid.bidder.name}" for row in chart_rows],
            series=[
                charts.Series(
                    ranking.KIND_LABELS[kind], [row.kind_scores.get(kind) for row in chart_rows]
                )
                for kind in ranking.KINDS
            ],
            maximum=scoring.HUNDRED,
            unit="Points out of 100",
        )
    return {
        "lot": lot,
        "ranking": lot_ranking,
        "criteria": criteria,
        "marked": marked,
        "reasons_of": reasons_of,
        "reasons_left_out": left_out,
        "markable": markable,
        "panel": list(panel.values()),
        "conflicts": conflicts,
        "queries": queries,
        "decisions": decisions,
        "chart": chart,
        "kinds": [(kind, ranking.KIND_LABELS[kind]) for kind in ranking.KINDS],
        "patterns": [
            (ranking.KIND_LABELS[kind], charts.pattern_name(i))
            for i, kind in enumerate(ranking.KINDS)
        ],
    }


def evaluation_context(tender: Tender, options: dict) -> dict:
    """Per lot: the criteria and weights, conflicts declared, each evaluator's marks with their
    justification and the moderated mark with its rationale and spread flag, the ranking with
    its chart and sensitivity, abnormally low price queries and the award decisions."""
    from tenders import evaluation_selectors

    spread, basis = evaluation_selectors.spread_flag_percent(tender)
    full = options.get("detail") == FULL
    return {
        "tender": tender,
        "full": full,
        "summary_reasons": SUMMARY_REASONS,
        "spread_percent": spread,
        "spread_basis": basis,
        "tie_break": tender.get_tie_break_display(),
        "price_method": scoring.PRICE_METHODS.get(tender.price_method),
        "lots": [_lot_section(lot, full) for lot in tender.lots.order_by("number")],
    }


def evaluation_version(tender: Tender, options: dict) -> str:
    """Changes whenever a mark, a moderation, a declaration, a query, a decision or the
    tender's criteria change (their latest times and counts)."""
    parts = [
        tender.pk,
        tender.status,
        str(tender.updated_at),
        list(
            Criterion.objects.filter(lot__tender=tender).values_list(
                "pk", "name", "weight", "max_mark", "pass_mark"
            )
        ),
        Mark.objects.filter(evaluator__lot__tender=tender).aggregate(
            t=Max("saved_at"), s=Max("submitted_at")
        ),
        list(
            ModeratedMark.objects.filter(criterion__lot__tender=tender).values_list(
                "pk", "mark", "moderated_at"
            )
        ),
        ConflictDeclaration.objects.filter(evaluator__lot__tender=tender).aggregate(
            d=Max("declared_at"), m=Max("mitigated_at")
        ),
        list(
            AbnormallyLowQuery.objects.unscoped(reason="the evaluation report's version")
            .filter(bid__tender=tender)
            .values_list("pk", "status", "responded_at", "decided_at")
        ),
        list(
            AwardDecision.objects.filter(lot__tender=tender).values_list(
                "pk", "decided_at", "set_aside_at"
            )
        ),
        list(
            Bid.objects.unscoped(reason="the evaluation report's version")
            .filter(tender=tender)
            .values_list("pk", "status", "price")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def letter_context(letter: BidderNotice, options: dict) -> dict:
    """The letter as the award issued it: this bidder's summary, stored when the award was
    issued (from tenders.scoring.bid_summary), which holds no other unsuccessful bidder's
    figures."""
    bid = letter.bid
    return {
        "letter": letter,
        "bid": bid,
        "tender": bid.tender,
        "s": letter.summary,
    }


def letter_version(letter: BidderNotice, options: dict) -> str:
    text = repr(
        (letter.pk, letter.created_at, letter.notice.withdrawn_at, letter.notice.standstill_ends_at)
    )
    return hashlib.sha256(text.encode()).hexdigest()
