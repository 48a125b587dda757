"""Tenders in an authority's annual social value report: each tender published in the year with
its social value weighting, and the value bidders committed where bids have been opened."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from socialvalue.core import charts
from socialvalue.core.models import Organisation
from socialvalue.kernel.money import format_gbp
from socialvalue.kernel.numbers import percent
from tenders.models import Bid, BidStatus, Criterion, CriterionKind, Tender, TenderStatus
from tenders.permissions import bids_are_open


@dataclass(frozen=True)
class TenderRow:
    tender: Tender
    weighting: str  # "10%", or "10% to 15%" across lots
    top_weight: Decimal
    bids: int | None  # None while the bids are sealed
    committed_low: Decimal | None
    committed_high: Decimal | None

    @property
    def committed_range(self) -> str:
        if self.committed_high is None:
            return ""
        if self.committed_low == self.committed_high:
            return format_gbp(self.committed_high)
        return f"{format_gbp(self.committed_low)} to {format_gbp(self.committed_high)}"


def _tenders_in(organisation: Organisation, period):
    return (
        Tender.objects.filter(
            authority=organisation,
            published_at__date__gte=period.start,
            published_at__date__lte=period.end,
        )
        .exclude(status=TenderStatus.DRAFT)
        .order_by("published_at", "pk")
    )


def _weightings(tender_ids: list[int]) -> dict[int, list[Decimal]]:
    weights: dict[int, dict[int, Decimal]] = {}
    rows = (
        Criterion.objects.filter(
            lot__tender__in=tender_ids, parent=None, kind=CriterionKind.SOCIAL_VALUE
        )
        .values("lot__tender_id", "lot_id")
        .annotate(weight=Sum("weight"))
    )
    for row in rows:
        weights.setdefault(row["lot__tender_id"], {})[row["lot_id"]] = row["weight"]
    return {tender_id: sorted(by_lot.values()) for tender_id, by_lot in weights.items()}


def _committed(open_ids: list[int]) -> dict[int, dict]:
    """Per tender whose bids are open: submitted bids and their lowest and highest committed
    value (each bid's commitments summed at the proxy values stored when it was made)."""
    per_bid = (
        Bid.objects.unscoped(
            reason="the authority's annual report: committed value of its opened tenders"
        )
        .filter(tender__in=open_ids, status=BidStatus.SUBMITTED)
        .annotate(total=Sum("commitments__monetised_value"))
        .values_list("tender_id", "pk", "total")
    )
    found: dict[int, dict] = {}
    for tender_id, _, total in per_bid:
        row = found.setdefault(tender_id, {"bids": 0, "totals": []})
        row["bids"] += 1
        row["totals"].append(total or Decimal(0))
    return found


def annual_rows(organisation: Organisation, period) -> list[TenderRow]:
    tenders = list(_tenders_in(organisation, period))
    now = timezone.now()
    weights = _weightings([t.pk for t in tenders])
    opened = [t.pk for t in tenders if bids_are_open(t, now)]
    committed = _committed(opened)
    rows = []
    for tender in tenders:
        lot_weights = weights.get(tender.pk, [])
        if not lot_weights:
            weighting = "None"
        elif lot_weights[0] == lot_weights[-1]:
            weighting = percent(lot_weights[0])
        else:
            weighting = f"{percent(lot_weights[0])} to {percent(lot_weights[-1])}"
        bids = committed.get(tender.pk)
        totals = bids["totals"] if bids else []
        rows.append(
            TenderRow(
                tender=tender,
                weighting=weighting,
                top_weight=lot_weights[-1] if lot_weights else Decimal(0),
                bids=(bids["bids"] if bids else 0) if tender.pk in opened else None,
                committed_low=min(totals) if totals else None,
                committed_high=max(totals) if totals else None,
            )
        )
    return rows


# More bars than this make a chart nobody can read (and a slow PDF): the chart shows the tenders
# with the most, and says so; the table beside it lists every tender.
CHART_LIMIT = 20


def _most(rows: list[TenderRow], key) -> tuple[list[TenderRow], str]:
    if len(rows) <= CHART_LIMIT:
        return rows, ""
    chosen = sorted(rows, key=key, reverse=True)[:CHART_LIMIT]
    return chosen, f" (the {CHART_LIMIT} highest of {len(rows)}; the table lists every tender)"


def annual_section(organisation: Organisation, period) -> dict:
    rows = annual_rows(organisation, period)
    weighted, weighted_note = _most(rows, key=lambda row: row.top_weight)
    weighting_chart = charts.bar_chart(
        title=f"Social value weighting of tenders published, {period.short}{weighted_note}",
        alt="; ".join(f"{row.tender.title}: {row.weighting}" for row in weighted) + ".",
        categories=[row.tender.title for row in weighted],
        series=[
            charts.Series(
                "Social value weighting",
                tuple(row.top_weight for row in weighted),
                tuple(row.weighting for row in weighted),
            )
        ],
    )
    committed_rows, committed_note = _most(
        [row for row in rows if row.committed_high is not None],
        key=lambda row: row.committed_high,
    )
    committed_chart = charts.bar_chart(
        title=(
            f"Social value committed in bids, {period.short}: lowest and highest bid"
            f"{committed_note}"
        ),
        alt="; ".join(
            f"{row.tender.title}: {row.committed_range} across {row.bids} bids"
            for row in committed_rows
        )
        + ".",
        categories=[row.tender.title for row in committed_rows],
        series=[
            charts.Series(
                "Lowest bid",
                tuple(row.committed_low for row in committed_rows),
                tuple(format_gbp(row.committed_low) for row in committed_rows),
            ),
            charts.Series(
                "Highest bid",
                tuple(row.committed_high for row in committed_rows),
                tuple(format_gbp(row.committed_high) for row in committed_rows),
            ),
        ],
    )
    return {
        "rows": rows,
        "total": len(rows),
        "opened": sum(1 for row in rows if row.bids is not None),
        "weighting_chart": weighting_chart if rows else None,
        "committed_chart": committed_chart if committed_rows else None,
    }


def annual_section_version(organisation: Organisation, period) -> str:
    rows = annual_rows(organisation, period)
    text = repr(
        [
            (
                r.tender.pk,
                r.tender.title,
                r.tender.reference,
                r.tender.status,
                str(r.tender.estimated_value),
                r.weighting,
                r.bids,
                str(r.committed_low),
                str(r.committed_high),
            )
            for r in rows
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()
