"""Delivery's reports: the social value delivery report for a contract (committed against
delivered, gross and net side by side with the assumptions, over time, with a chart), and the
annual report's section on value delivered across the authority's contracts in the year."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone

from measurement import valuation
from measurement.delivery import selectors, totals
from measurement.delivery.models import (
    DeliverySchedule,
    LineStatus,
    PeriodTarget,
    ReportingPeriod,
    ReturnLine,
)
from socialvalue.core import charts
from socialvalue.core.models import Organisation
from socialvalue.kernel.money import format_gbp
from tenders.models import Contract, ContractCommitment

ZERO = Decimal(0)
AWAITING = (LineStatus.PENDING, LineStatus.QUERIED, LineStatus.ANSWERED)
# More bars than this make a chart nobody reads (and a slow PDF); the table lists every contract.
CHART_LIMIT = 20


@dataclass(frozen=True)
class MeasureInPeriod:
    commitment: ContractCommitment
    target: Decimal
    accepted: Decimal
    awaiting: Decimal


@dataclass(frozen=True)
class PeriodReport:
    period: ReportingPeriod
    submitted: bool
    overdue: bool
    value: totals.PeriodValue | None
    measures: tuple[MeasureInPeriod, ...]


def _money(values) -> tuple[str, ...]:
    return tuple(format_gbp(v) for v in values)


def contract_context(contract: Contract, options: dict) -> dict:
    """The contract page's figures (``selectors.contract_figures``), and period by period the
    targets against what the authority accepted, with the chart of their values."""
    figures = selectors.contract_figures(contract)
    over_time = totals.contract_over_time(contract)
    targets: dict[tuple[int, int], Decimal] = {}
    accepted: dict[tuple[int, int], Decimal] = {}
    awaiting: dict[tuple[int, int], Decimal] = {}
    period_of_return = {
        row.period.delivery_return.pk: row.period.pk
        for row in figures.periods
        if getattr(row.period, "delivery_return", None) is not None
    }
    for row in figures.commitments:
        commitment = row.commitment
        for target in commitment.period_targets.all():
            targets[(target.period_id, commitment.pk)] = target.quantity
        for line in commitment.return_lines.all():
            key = (period_of_return.get(line.delivery_return_id), commitment.pk)
            if line.status == LineStatus.ACCEPTED:
                accepted[key] = accepted.get(key, ZERO) + line.quantity
            elif line.status in AWAITING:
                awaiting[key] = awaiting.get(key, ZERO) + line.quantity
    periods = [
        PeriodReport(
            period=row.period,
            submitted=row.submitted,
            overdue=row.overdue,
            value=over_time.get(row.period.pk),
            measures=tuple(
                MeasureInPeriod(
                    commitment=c.commitment,
                    target=targets.get((row.period.pk, c.commitment.pk), ZERO),
                    accepted=accepted.get((row.period.pk, c.commitment.pk), ZERO),
                    awaiting=awaiting.get((row.period.pk, c.commitment.pk), ZERO),
                )
                for c in figures.commitments
            ),
        )
        for row in figures.periods
    ]
    chart = None
    if periods:
        labels = [f"Period {p.period.number}" for p in periods]
        target_gross = [p.value.target.welfare_gross if p.value else ZERO for p in periods]
        delivered_gross = [p.value.delivered.welfare_gross if p.value else ZERO for p in periods]
        delivered_net = [p.value.delivered.welfare_net if p.value else ZERO for p in periods]
        chart = charts.bar_chart(
            title=f"Social value (welfare) by reporting period: {contract.tender.title}",
            alt="; ".join(
                f"{label}: target {format_gbp(t)} gross, delivered {format_gbp(d)} gross "
                f"and {format_gbp(n)} net"
                for label, t, d, n in zip(
                    labels, target_gross, delivered_gross, delivered_net, strict=True
                )
            )
            + ".",
            categories=labels,
            series=[
                charts.Series("Target, gross", target_gross, _money(target_gross)),
                charts.Series(
                    "Delivered (verified), gross", delivered_gross, _money(delivered_gross)
                ),
                charts.Series("Delivered (verified), net", delivered_net, _money(delivered_net)),
            ],
            unit="Pounds",
        )
    return {
        "contract": contract,
        "figures": figures,
        "periods": periods,
        "chart": chart,
        "patterns": [
            (name, charts.pattern_name(i))
            for i, name in enumerate(
                ("Target, gross", "Delivered (verified), gross", "Delivered (verified), net")
            )
        ],
    }


def contract_version(contract: Contract, options: dict) -> str:
    """Changes whenever the figures could: the contract, its schedule and assumptions, its
    targets, returns and decisions, and what today decides (periods ended, the deflator and
    the discount schedule in force)."""
    today = timezone.localdate()
    try:
        deflator = valuation.deflator_in_force(selectors._deflators(), today).label
    except ValueError:
        deflator = ""
    parts = [
        contract.pk,
        str(contract.value),
        str(contract.signed_on),
        list(DeliverySchedule.objects.filter(contract=contract).values_list("pk", "updated_at")),
        list(
            ContractCommitment.objects.filter(contract=contract).values_list(
                "pk", "quantity", "proxy_amount", "proxy_value_id"
            )
        ),
        list(PeriodTarget.objects.filter(period__contract=contract).values_list("pk", "quantity")),
        ReturnLine.objects.filter(delivery_return__period__contract=contract).aggregate(
            n=Count("pk"), d=Max("decided_at"), s=Max("delivery_return__submitted_at")
        ),
        list(
            ReturnLine.objects.filter(delivery_return__period__contract=contract).values_list(
                "pk", "status", "quantity"
            )
        ),
        ReportingPeriod.objects.filter(contract=contract, ends_on__lt=today).count(),
        deflator,
        str(selectors._method().schedule("standard", today).valid_from),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- The annual report's section --------------------------------------------------------


def annual_section(organisation: Organisation, period) -> dict:
    """What the schedules asked for in reporting periods ending in the year, against what the
    authority accepted for them: overall, by theme, by priority and by contract."""
    overall, by_theme, by_priority, title = totals.year_delivery(
        organisation, start=period.start, end=period.end
    )
    rows = totals.year_contract_rows(organisation, start=period.start, end=period.end)
    chart = None
    if rows:
        shown = rows[:CHART_LIMIT]
        target = [r.bucket.committed.welfare_gross for r in shown]
        gross = [r.bucket.delivered.welfare_gross for r in shown]
        net = [r.bucket.delivered.welfare_net for r in shown]
        note = (
            f" (the first {len(shown)} of {len(rows)}; the table lists every contract)"
            if len(rows) > len(shown)
            else ""
        )
        chart = charts.bar_chart(
            title=f"Social value (welfare) by contract, {period.short}{note}",
            alt="; ".join(
                f"{r.contract.tender.title}: target {format_gbp(t)} gross, delivered "
                f"{format_gbp(g)} gross and {format_gbp(n)} net"
                for r, t, g, n in zip(shown, target, gross, net, strict=True)
            )
            + ".",
            categories=[r.contract.tender.title for r in shown],
            series=[
                charts.Series("Target, gross", target, _money(target)),
                charts.Series("Delivered (verified), gross", gross, _money(gross)),
                charts.Series("Delivered (verified), net", net, _money(net)),
            ],
            unit="Pounds",
        )
    return {
        "overall": overall,
        "by_theme": by_theme,
        "by_priority": by_priority,
        "definition_title": title,
        "rows": rows,
        "chart": chart,
        "price_note": totals.PRICE_NOTE,
    }


def annual_section_version(organisation: Organisation, period) -> str:
    overall, by_theme, by_priority, title = totals.year_delivery(
        organisation, start=period.start, end=period.end
    )
    rows = totals.year_contract_rows(organisation, start=period.start, end=period.end)
    text = repr(
        [
            title,
            [
                (b.key, b.label, b.committed, b.delivered)
                for b in (overall, *by_theme, *by_priority)
            ],
            [(r.contract.pk, r.contract.tender.title, r.bucket) for r in rows],
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()
