"""What the award, contract and implementation releases read beyond the tender, and the hook
through which parts above tenders supply delivery.

Tenders may not import delivery (measurement.delivery sits above it: `lint-imports`), yet the
implementation release publishes the delivery the buyer verified. So delivery registers an
implementation source here from its `registrations.py`: a function giving each contract's
verified periods, another the tenders whose delivery changed since a moment (for `?since=`), and,
once the service records them, one giving UK performance failures. Tenders calls them without
knowing who answers; with nothing registered a contract has no implementation release.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class VerifiedLine:
    """The quantity the buyer accepted for one contract commitment in one period."""

    commitment_id: int
    quantity: Decimal
    verified_at: datetime


@dataclass(frozen=True)
class VerifiedPeriod:
    """A reporting period whose return the buyer has finished checking (every line accepted or
    rejected): its accepted lines, and when the last decision was made (the release's date)."""

    contract_id: int
    number: int
    starts_on: date
    ends_on: date
    verified_at: datetime
    lines: tuple[VerifiedLine, ...]


@dataclass(frozen=True)
class PerformanceFailure:
    """A performance failure as the UK extension publishes it (Procurement Act 2023 s.71 and
    s.78: a failure to perform to the key performance indicators, or a breach leading to
    termination, damages or settlement). `penalty_type` is from the closed penaltyType codelist:
    contracted, imposed or negotiated; `penalty_type_entered` the basis in the buyer's words.
    `decided_at` is the decision (the release's decisionDate); `recorded_at` when the service
    recorded it, the implementation release's date (a failure decided last month but recorded
    today is new to a reader asking `?since=` yesterday); without it, the decision."""

    contract_id: int
    id: str
    decided_at: datetime
    requirement: str = ""
    description: str = ""
    penalty_on: date | None = None
    penalty_type: str | None = None
    penalty_type_entered: str = ""
    penalty_value: Decimal | None = None
    partial_termination: str = ""
    recorded_at: datetime | None = None

    @property
    def released_at(self) -> datetime:
        return self.recorded_at or self.decided_at


PeriodsFn = Callable[[Sequence[int]], Iterable[VerifiedPeriod]]
FailuresFn = Callable[[Sequence[int]], Iterable[PerformanceFailure]]
ChangedSinceFn = Callable[[datetime], Any]  # a queryset of tender ids (used as a subquery)


@dataclass(frozen=True)
class ImplementationSource:
    name: str
    tenders_changed_since: ChangedSinceFn
    verified_periods: PeriodsFn | None = None
    performance_failures: FailuresFn | None = None


_SOURCES: dict[str, ImplementationSource] = {}


def register_implementation_source(
    *,
    name: str,
    tenders_changed_since: ChangedSinceFn,
    verified_periods: PeriodsFn | None = None,
    performance_failures: FailuresFn | None = None,
) -> None:
    """Add (or replace, by name) a source of implementation data. Each function takes the ids
    of the contracts being published and makes a fixed number of queries however many."""
    _SOURCES[name] = ImplementationSource(
        name, tenders_changed_since, verified_periods, performance_failures
    )


def implementation_sources() -> tuple[ImplementationSource, ...]:
    return tuple(_SOURCES.values())


@dataclass
class Implementation:
    """Each contract's verified periods and performance failures, by contract id."""

    periods: dict[int, list[VerifiedPeriod]] = field(default_factory=dict)
    failures: dict[int, list[PerformanceFailure]] = field(default_factory=dict)


def implementation_for(contract_ids: Sequence[int]) -> Implementation:
    """Ask every registered source about these contracts (no query when there are none)."""
    found = Implementation()
    if not contract_ids:
        return found
    for source in _SOURCES.values():
        if source.verified_periods is not None:
            for period in source.verified_periods(contract_ids):
                found.periods.setdefault(period.contract_id, []).append(period)
        if source.performance_failures is not None:
            for failure in source.performance_failures(contract_ids):
                found.failures.setdefault(failure.contract_id, []).append(failure)
    for periods in found.periods.values():
        periods.sort(key=lambda period: (period.verified_at, period.number))
    for failures in found.failures.values():
        failures.sort(key=lambda failure: (failure.released_at, failure.id))
    return found


@dataclass
class AwardParts:
    """What the award, contract and implementation releases of some tenders read, loaded by
    `tenders.selectors.ocds_award_parts` in a fixed number of queries. Keyed by tender id
    unless said otherwise. `bids` holds submitted bids only (never a draft or a withdrawn bid);
    `rejected` the moment each bid was rejected as abnormally low, by bid id."""

    notices: Mapping[int, list[Any]] = field(default_factory=dict)
    decisions: Mapping[int, list[Any]] = field(default_factory=dict)
    bids: Mapping[int, list[Any]] = field(default_factory=dict)
    rejected: Mapping[int, datetime] = field(default_factory=dict)
    contracts: Mapping[int, list[Any]] = field(default_factory=dict)
    implementation: Implementation = field(default_factory=Implementation)
