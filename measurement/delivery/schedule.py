"""Delivery monitoring rules: reporting periods, targets per period, due dates and the
at-risk tests. Pure: no Django. The defaults are dated data in ``data/delivery.json``.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from pathlib import Path

from socialvalue.kernel import sourced

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "delivery.json"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rules:
    valid_from: date
    months_per_period: dict[str, int]
    return_due_days: int
    reminder_days_before_due: int
    at_risk_behind_share: Decimal
    queries_before_at_risk: int


@dataclass(frozen=True)
class Period:
    """One reporting period: ``number`` from 1, first and last day, and the due date."""

    number: int
    starts_on: date
    ends_on: date
    due_on: date


def load_rules(path: str | Path | None = None) -> tuple[Rules, ...]:
    data = sourced.load(path, default=DEFAULT_PATH)
    return tuple(
        Rules(
            valid_from=date.fromisoformat(item["valid_from"]),
            months_per_period=dict(item["months_per_period"]),
            return_due_days=int(item["return_due_days"]),
            reminder_days_before_due=int(item["reminder_days_before_due"]),
            at_risk_behind_share=Decimal(item["at_risk_behind_share"]),
            queries_before_at_risk=int(item["queries_before_at_risk"]),
        )
        for item in data["rule_sets"]
    )


def rules_in_force(rule_sets: Sequence[Rules], on_date: date) -> Rules:
    found = sourced.in_force(rule_sets, on_date, starts="valid_from")
    if found is None:
        raise ValueError(f"No delivery rules are in force on {on_date}.")
    return found


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(*, starts_on: date, ends_on: date, reporting: str, rules: Rules) -> list[Period]:
    """The contract's reporting periods from its start to its end at the band's frequency;
    the last period ends with the contract (so a short contract reports once, at the end)."""
    if ends_on < starts_on:
        raise ValueError("The contract ends before it starts.")
    months = rules.months_per_period.get(reporting)
    if months is None:
        raise ValueError(f"Unknown reporting frequency {reporting!r}.")
    found: list[Period] = []
    start = starts_on
    number = 1
    while start <= ends_on:
        end = min(add_months(starts_on, months * number) - timedelta(days=1), ends_on)
        found.append(Period(number, start, end, end + timedelta(days=rules.return_due_days)))
        start = end + timedelta(days=1)
        number += 1
    return found


def split_target(quantity: Decimal, count: int) -> list[Decimal]:
    """A commitment's quantity shared evenly across ``count`` periods to the hundredth,
    the remainder in the last period so the targets add up to the quantity exactly."""
    if count < 1:
        raise ValueError("There must be at least one period.")
    if quantity < 0:
        raise ValueError("A quantity must not be negative.")
    share = (quantity / count).quantize(CENT, rounding=ROUND_DOWN)
    targets = [share] * count
    targets[-1] = quantity - share * (count - 1)
    return targets


def behind_target(
    *, cumulative_target: Decimal, cumulative_delivered: Decimal, rules: Rules
) -> bool:
    """At risk: delivered to date is more than the set share below the target to date."""
    if cumulative_target <= 0:
        return False
    shortfall = (cumulative_target - cumulative_delivered) / cumulative_target * 100
    return shortfall > rules.at_risk_behind_share


def is_overdue(*, due_on: date, submitted: bool, today: date) -> bool:
    return not submitted and today > due_on


def queried_too_often(query_count: int, rules: Rules) -> bool:
    return query_count >= rules.queries_before_at_risk


@dataclass(frozen=True)
class SampleRule:
    """What share of a return's lines the authority verifies in depth, by value band: dated
    data, this service's choice (no law or guidance sets it)."""

    valid_from: date
    share_by_band: dict[str, Decimal]
    minimum_lines: int
    source: sourced.Source


def load_sample_rules(path: str | Path | None = None) -> tuple[SampleRule, ...]:
    data = sourced.load(path, default=DEFAULT_PATH)
    return tuple(
        SampleRule(
            valid_from=date.fromisoformat(item["valid_from"]),
            share_by_band={k: Decimal(v) for k, v in item["share_of_lines_by_band"].items()},
            minimum_lines=int(item["minimum_lines"]),
            source=sourced.Source.from_data(item["source"]),
        )
        for item in data["sample_checks"]
    )


def sample_rule_in_force(rule_sets: Sequence[SampleRule], on_date: date) -> SampleRule:
    found = sourced.in_force(rule_sets, on_date, starts="valid_from")
    if found is None:
        raise ValueError(f"No sample-check rule is in force on {on_date}.")
    return found


def sample_size(line_count: int, *, share: Decimal, minimum: int) -> int:
    """How many of ``line_count`` lines to check: ``share`` per cent rounded up, at least
    ``minimum``, never more than there are lines."""
    if line_count < 0 or share < 0 or share > 100 or minimum < 0:
        raise ValueError("A line count, share (0 to 100) and minimum must not be negative.")
    wanted = (line_count * share / 100).to_integral_value(rounding=ROUND_CEILING)
    return min(line_count, max(int(wanted), minimum))


def sample_lines(
    line_ids: Sequence[int], *, seed: int, share: Decimal, minimum: int
) -> frozenset[int]:
    """The lines to verify in depth, chosen reproducibly: the lines ordered by a SHA-256 of
    the seed (the return's id) and the line's id, the first ``sample_size`` taken. The same
    return and lines always give the same sample, on any machine and Python version."""
    count = sample_size(len(set(line_ids)), share=share, minimum=minimum)

    def draw(line_id: int) -> str:
        return hashlib.sha256(f"{seed}:{line_id}".encode()).hexdigest()

    return frozenset(sorted(set(line_ids), key=draw)[:count])


@dataclass(frozen=True)
class PenaltyType:
    code: str
    title: str
    description: str


def load_penalty_types(
    path: str | Path | None = None,
) -> tuple[tuple[PenaltyType, ...], sourced.Source]:
    """The closed penaltyType codelist of the UK OCDS extension's PerformanceFailure object,
    as copied into ``data/delivery.json`` with its source."""
    data = sourced.load(path, default=DEFAULT_PATH)["penalty_types"]
    codes = tuple(
        PenaltyType(code=c["code"], title=c["title"], description=c["description"])
        for c in data["codes"]
    )
    return codes, sourced.Source.from_data(data["source"])
