"""Reads of delivery with their access rules, and the contract's figures: committed against
delivered per commitment, gross and net side by side in one price base, and at-risk flags."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from measurement import valuation
from measurement.delivery import schedule
from measurement.delivery.models import (
    DeliveryReturn,
    DeliverySchedule,
    EvidenceItem,
    LineStatus,
    PerformanceFailure,
    PeriodTarget,
    Remedy,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
)
from measurement.delivery.permissions import SUPPLIER_ROLES
from socialvalue.core.permissions import organisations_with_role
from tenders.models import Contract, ContractCommitment
from tenders.ocds import sources as ocds_sources
from tenders.permissions import AUTHORITY_VIEW_ROLES

ZERO = Decimal(0)


def contracts_for(user) -> QuerySet[Contract]:
    """Contracts the user may follow: at the authority that let them, or at the supplier."""
    authorities = organisations_with_role(user, *AUTHORITY_VIEW_ROLES)
    suppliers = organisations_with_role(user, *SUPPLIER_ROLES)
    return (
        Contract.objects.filter(
            Q(tender__authority_id__in=authorities) | Q(supplier_id__in=suppliers)
        )
        .select_related("tender__authority", "supplier", "lot")
        .order_by("-entered_at", "pk")
    )


@functools.cache
def _method() -> valuation.Method:
    return valuation.load_method()


@functools.cache
def _deflators() -> tuple[valuation.DeflatorSeries, ...]:
    return valuation.load_deflators()


@functools.cache
def _delivery_rules() -> tuple[schedule.Rules, ...]:
    return schedule.load_rules()


@dataclass(frozen=True)
class CommitmentFigures:
    commitment: ContractCommitment
    committed: Decimal
    target_to_date: Decimal
    delivered: Decimal  # accepted only
    awaiting: Decimal  # reported, not yet accepted or rejected
    committed_gross: Decimal | None
    delivered_gross: Decimal | None
    delivered_net: Decimal | None
    kind: str
    confirmed: bool
    price_note: str
    behind: bool
    queried_twice: bool

    @property
    def at_risk(self) -> bool:
        return self.behind or self.queried_twice


@dataclass(frozen=True)
class PeriodRow:
    period: ReportingPeriod
    submitted: bool
    overdue: bool


@dataclass(frozen=True)
class ContractFigures:
    contract: Contract
    schedule: DeliverySchedule | None
    commitments: tuple[CommitmentFigures, ...]
    periods: tuple[PeriodRow, ...]
    totals: valuation.Totals | None
    assumptions: tuple[str, ...]
    price_base: str
    deflator: valuation.DeflatorSeries | None

    @property
    def at_risk(self) -> bool:
        return any(c.at_risk for c in self.commitments) or any(p.overdue for p in self.periods)


def _adjustments(delivery: DeliverySchedule, on_date: date) -> valuation.Adjustments:
    return valuation.Adjustments(
        deadweight=delivery.deadweight,
        attribution=delivery.attribution,
        displacement=delivery.displacement,
        drop_off=delivery.drop_off,
        duration_years=delivery.duration_years,
        discount=_method().schedule("standard", on_date),
    )


def contract_figures(contract: Contract, *, today: date | None = None) -> ContractFigures:
    """Committed against delivered per commitment, valued gross and net in the price base of
    the year the contract was signed, with the at-risk flags. A constant number of queries."""
    today = today or timezone.localdate()
    delivery = DeliverySchedule.objects.filter(contract=contract).first()
    periods = list(
        ReportingPeriod.objects.filter(contract=contract)
        .select_related("delivery_return")
        .order_by("number")
    )
    commitments = list(
        ContractCommitment.objects.filter(contract=contract)
        .select_related("measure", "proxy_value")
        .prefetch_related(
            Prefetch("period_targets", queryset=PeriodTarget.objects.select_related("period")),
            Prefetch(
                "return_lines",
                queryset=ReturnLine.objects.filter(delivery_return__status=ReturnStatus.SUBMITTED),
            ),
        )
        .order_by("pk")
    )
    rules = schedule.rules_in_force(_delivery_rules(), contract.signed_on)
    price_base = valuation.financial_year(contract.signed_on)
    try:
        deflator = valuation.deflator_in_force(_deflators(), today)
    except ValueError:
        deflator = None
    adjustments = _adjustments(delivery, today) if delivery else valuation.Adjustments()
    rows = []
    items = []
    for commitment in commitments:
        ended = [t for t in commitment.period_targets.all() if t.period.ends_on < today]
        target_to_date = sum((t.quantity for t in ended), ZERO)
        lines = list(commitment.return_lines.all())
        delivered = sum((ln.quantity for ln in lines if ln.status == LineStatus.ACCEPTED), ZERO)
        awaiting = sum(
            (
                ln.quantity
                for ln in lines
                if ln.status in (LineStatus.PENDING, LineStatus.QUERIED, LineStatus.ANSWERED)
            ),
            ZERO,
        )
        proxy = commitment.proxy_value
        amount = commitment.proxy_amount
        confirmed = bool(proxy and proxy.source_confirmed)
        note = ""
        if amount is not None and proxy is not None:
            proxy_year = valuation.financial_year(proxy.valid_from)
            if proxy_year != price_base:
                if deflator is not None and {proxy_year, price_base} <= set(deflator.index):
                    amount = deflator.uprate(amount, from_year=proxy_year, to_year=price_base)
                    note = f"uprated from {proxy_year} prices"
                    confirmed = confirmed and deflator.confirmed
                else:
                    note = f"in {proxy_year} prices: no deflator for {price_base}"
                    confirmed = False
        kind = _method().kind_of(commitment.measure.code)
        if amount is None:
            committed_gross = delivered_gross = delivered_net = None
        else:
            committed_gross = commitment.quantity * amount
            value = valuation.net_value(delivered, amount, adjustments)
            delivered_gross, delivered_net = value.total_gross, value.total_present_value
            items.append(
                valuation.ValuedItem(
                    label=commitment.measure.code,
                    gross=delivered_gross,
                    net=delivered_net,
                    kind=kind,
                    confirmed=confirmed,
                )
            )
        rows.append(
            CommitmentFigures(
                commitment=commitment,
                committed=commitment.quantity,
                target_to_date=target_to_date,
                delivered=delivered,
                awaiting=awaiting,
                committed_gross=committed_gross,
                delivered_gross=delivered_gross,
                delivered_net=delivered_net,
                kind=kind,
                confirmed=confirmed,
                price_note=note,
                behind=schedule.behind_target(
                    cumulative_target=target_to_date, cumulative_delivered=delivered, rules=rules
                ),
                queried_twice=any(
                    schedule.queried_too_often(ln.query_count, rules) for ln in lines
                ),
            )
        )
    period_rows = []
    for period in periods:
        sent = getattr(period, "delivery_return", None)
        submitted = sent is not None and sent.status == ReturnStatus.SUBMITTED
        period_rows.append(
            PeriodRow(
                period=period,
                submitted=submitted,
                overdue=schedule.is_overdue(due_on=period.due_on, submitted=submitted, today=today),
            )
        )
    include = bool(delivery and delivery.include_unconfirmed)
    return ContractFigures(
        contract=contract,
        schedule=delivery,
        commitments=tuple(rows),
        periods=tuple(period_rows),
        totals=valuation.headline_totals(items, include_unconfirmed=include),
        assumptions=adjustments.assumptions(),
        price_base=price_base,
        deflator=deflator,
    )


def returns_due(user, *, today: date | None = None) -> QuerySet[ReportingPeriod]:
    """Periods of the user's supplier contracts that have begun and have no sent return."""
    today = today or timezone.localdate()
    suppliers = organisations_with_role(user, *SUPPLIER_ROLES)
    return (
        ReportingPeriod.objects.filter(contract__supplier_id__in=suppliers, starts_on__lte=today)
        .exclude(delivery_return__status=ReturnStatus.SUBMITTED)
        .select_related("contract__tender")
        .order_by("due_on", "pk")
    )


def periods_to_remind(*, today: date) -> QuerySet[ReportingPeriod]:
    """Periods whose return is due within the reminder window (or overdue), not yet sent,
    and not yet reminded for this due date."""
    rules = schedule.rules_in_force(_delivery_rules(), today)
    horizon = date.fromordinal(today.toordinal() + rules.reminder_days_before_due)
    return (
        ReportingPeriod.objects.filter(ends_on__lt=today, due_on__lte=horizon)
        .exclude(delivery_return__status=ReturnStatus.SUBMITTED)
        .exclude(reminded_for=F("due_on"))
        .select_related("contract__tender", "contract__supplier")
    )


# --------------------------------------------------------------------------- open data


def public_contracts() -> QuerySet[Contract]:
    """Every contract entered, as anyone may read it: parties, value, dates and the social value
    commitments with their measure and proxy version, in a constant number of queries."""
    return Contract.objects.select_related("tender__authority", "supplier", "lot").prefetch_related(
        Prefetch(
            "commitments",
            queryset=ContractCommitment.objects.select_related("measure", "proxy_value").order_by(
                "pk"
            ),
        )
    )


def public_contract(*, pk: int) -> Contract | None:
    """One contract as anyone may read it (its figures: `contract_figures`)."""
    return public_contracts().filter(pk=pk).first()


def returns_readable_by(user) -> QuerySet[DeliveryReturn]:
    """Returns the user may read: every return of the contracts where they report for the
    supplier (drafts included), and the sent returns of their authorities' contracts. With
    their lines, each line's measure and evidence, in a constant number of queries."""
    suppliers = organisations_with_role(user, *SUPPLIER_ROLES)
    authorities = organisations_with_role(user, *AUTHORITY_VIEW_ROLES)
    return (
        DeliveryReturn.objects.filter(
            Q(period__contract__supplier_id__in=suppliers)
            | Q(
                period__contract__tender__authority_id__in=authorities,
                status=ReturnStatus.SUBMITTED,
            )
        )
        .select_related("period__contract__tender", "period__contract__supplier")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ReturnLine.objects.select_related("commitment__measure")
                .prefetch_related(
                    Prefetch("evidence", queryset=EvidenceItem.objects.order_by("pk"))
                )
                .order_by("commitment_id"),
            )
        )
    )


_DECIDED = (LineStatus.ACCEPTED, LineStatus.REJECTED)


def ocds_verified_periods(contract_ids: Sequence[int]) -> list[ocds_sources.VerifiedPeriod]:
    """The reporting periods of these contracts whose return the buyer has finished checking
    (sent, and every line accepted or rejected), with the accepted quantities: what the OCDS
    implementation releases publish (tenders.ocds.sources). A period still being checked is
    not published yet. One query."""
    lines = (
        ReturnLine.objects.filter(
            delivery_return__period__contract_id__in=list(contract_ids),
            delivery_return__status=ReturnStatus.SUBMITTED,
        )
        .select_related("delivery_return__period")
        .order_by("delivery_return__period_id", "commitment_id")
    )
    by_period: dict[int, list[ReturnLine]] = {}
    for line in lines:
        by_period.setdefault(line.delivery_return.period_id, []).append(line)
    found = []
    for period_lines in by_period.values():
        if any(line.status not in _DECIDED or line.decided_at is None for line in period_lines):
            continue
        accepted = [line for line in period_lines if line.status == LineStatus.ACCEPTED]
        if not accepted:
            continue
        period = period_lines[0].delivery_return.period
        found.append(
            ocds_sources.VerifiedPeriod(
                contract_id=period.contract_id,
                number=period.number,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                verified_at=max(line.decided_at for line in period_lines),
                lines=tuple(
                    ocds_sources.VerifiedLine(
                        commitment_id=line.commitment_id,
                        quantity=line.quantity,
                        verified_at=line.decided_at,
                    )
                    for line in accepted
                ),
            )
        )
    return found


def ocds_tenders_verified_since(since: datetime) -> QuerySet:
    """The ids of tenders with a delivery decision made at or after `since` (a subquery for the
    OCDS release filter)."""
    return ReturnLine.objects.filter(decided_at__gte=since, status__in=_DECIDED).values(
        "delivery_return__period__contract__tender_id"
    )


_UK = ZoneInfo("Europe/London")  # a decision's day starts at midnight in the UK


def ocds_performance_failures(
    contract_ids: Sequence[int],
) -> list[ocds_sources.PerformanceFailure]:
    """The performance failures recorded against these contracts, as the OCDS implementation
    releases publish them (tenders.ocds.sources): one query however many contracts. A failure
    is published from the moment it is recorded (the release's date); its decision date is the
    day the buyer decided."""
    failures = PerformanceFailure.objects.filter(contract_id__in=list(contract_ids)).order_by("pk")
    return [
        ocds_sources.PerformanceFailure(
            contract_id=failure.contract_id,
            id=str(failure.pk),
            decided_at=datetime.combine(failure.decision_date, time.min, tzinfo=_UK),
            recorded_at=failure.recorded_at,
            requirement=failure.requirement,
            description=failure.description,
            penalty_on=failure.penalty_date,
            penalty_type=failure.penalty_type or None,
            penalty_type_entered=failure.penalty_type_entered,
            penalty_value=failure.penalty_amount,
            partial_termination=failure.partial_termination,
        )
        for failure in failures
    ]


def ocds_tenders_with_failures_since(since: datetime) -> QuerySet:
    """The ids of tenders with a performance failure recorded at or after `since` (a subquery
    for the OCDS release filter)."""
    return PerformanceFailure.objects.filter(recorded_at__gte=since).values("contract__tender_id")


@dataclass(frozen=True)
class FollowUp:
    """What the authority did about delivery at risk: remedies and performance failures."""

    remedies: tuple[Remedy, ...]
    failures: tuple[PerformanceFailure, ...]


def follow_up(contract: Contract) -> FollowUp:
    """The contract's remedies and performance failures, newest first: two queries."""
    remedies = Remedy.objects.filter(contract=contract).select_related("commitment__measure")
    failures = PerformanceFailure.objects.filter(contract=contract).select_related(
        "commitment__measure", "supplier"
    )
    return FollowUp(remedies=tuple(remedies), failures=tuple(failures))
