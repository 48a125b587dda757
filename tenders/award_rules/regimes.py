"""The award regimes (tenders/data/award_regimes.json): which applies to a procurement, what
each requires to be sent or published after the winner is chosen and in what order, what must
be kept on record, and when its standstill period ends.

Standstill rules, by unit:
- working days (Procurement Act 2023, Provider Selection Regime): counting starts
  `first_counted_day_offset` days after the notice (0: the notice's own day is day 1 if it is a
  working day; 2: the PSR's "8th working day after the day the standstill period begins", which
  begins the day after the notice) and the period ends at midnight at the end of the last day.
- calendar days (PCR 2015): the last day is the `days`-th day after sending (15 when a notice
  went by other means than electronic, or the 10th after the last one was received if earlier);
  if that is not a working day, the period runs to the end of the next working day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from socialvalue.kernel import sourced
from socialvalue.kernel.sourced import Source
from tenders.award_rules.calendar import (
    DATA_DIR,
    BankHolidayCalendar,
    add_working_days,
    load_calendar,
    next_working_day,
    nth_working_day_from,
)

LONDON = ZoneInfo("Europe/London")
WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
# Who a step goes to: every supplier whose tender was assessed, every bidder, or the public.
EACH_ASSESSED_SUPPLIER = "each_assessed_supplier"
EACH_BIDDER = "each_bidder"
PUBLIC = "public"


class RegimeError(ValueError):
    """No regime applies (for example a procurement started before 26 February 2015)."""


@dataclass(frozen=True)
class WorkingDays:
    """Which bank holidays a regime's working days leave out, and on what authority."""

    divisions: tuple[str, ...]
    confirmed: bool
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class StandstillRule:
    """How a regime's standstill is counted (see the module docstring)."""

    unit: str
    days: int
    days_not_electronic: int | None
    days_after_receipt_not_electronic: int | None
    starts_with: str
    first_counted_day_offset: int
    roll_to_working_day: bool
    after_representations_working_days: int | None
    ends: str
    confirmed: bool
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class AwardStep:
    """A document the regime requires after the winner is chosen. `recipients` is
    EACH_ASSESSED_SUPPLIER, EACH_BIDDER or PUBLIC; steps run in `order` (equal: together);
    `starts_standstill` marks the one whose sending or publication starts the standstill."""

    key: str
    name: str
    recipients: str
    order: int
    before: str | None
    starts_standstill: bool
    content: tuple[str, ...]
    confirmed: bool
    note: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class RecordItem:
    """A record the authority must keep (PCR 2015's regulation 84 report)."""

    key: str
    name: str
    content: tuple[str, ...]
    keep_for: str | None
    confirmed: bool
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Publication:
    """What the regime publishes about the tenders after the award: whether each unsuccessful
    tender's price is published (the OCDS releases show it only then)."""

    unsuccessful_bid_prices: bool
    confirmed: bool
    reviewed_on: date | None
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class KeyCriterion:
    key: str
    name: str


@dataclass(frozen=True)
class Regime:
    """One regime, in force for procurements started from `applies_from` to `applies_to`."""

    key: str
    name: str
    applies_from: date
    applies_to: date | None
    provider_selection_regime: bool
    applies_note: str
    working_days: WorkingDays
    standstill: StandstillRule
    steps: tuple[AwardStep, ...]
    record: tuple[RecordItem, ...]
    key_criteria: tuple[KeyCriterion, ...]
    key_criteria_confirmed: bool | None
    key_criteria_note: str | None
    key_criteria_sources: tuple[Source, ...]
    publication: Publication

    @property
    def calendar(self) -> BankHolidayCalendar:
        return load_calendar(self.working_days.divisions)

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """What in this regime's data is not confirmed against the published text, in words."""
        found = []
        if not self.working_days.confirmed:
            found.append(f"Working days: {self.working_days.note}")
        if not self.standstill.confirmed:
            found.append(f"Standstill: {self.standstill.ends}")
        found += [
            f"{step.name}: {step.note or 'content'}" for step in self.steps if not step.confirmed
        ]
        found += [f"{item.name}: content" for item in self.record if not item.confirmed]
        if self.key_criteria and not self.key_criteria_confirmed:
            found.append(f"Key criteria: {self.key_criteria_note}")
        if not self.publication.confirmed:
            found.append(f"Publication: {self.publication.note}")
        return tuple(found)


@dataclass(frozen=True)
class StandstillEnd:
    """When a standstill ends: its last day, and the moment it ends (midnight at the end of that
    day, Europe/London), with the rule applied and the days it skipped (weekends, holidays)."""

    regime_key: str
    started_on: date
    last_day: date
    ends_at: datetime
    rule: str
    skipped: tuple[tuple[date, str], ...]
    sources: tuple[Source, ...]


def _sources(entries: Any) -> tuple[Source, ...]:
    return sourced.sources_from(entries or [])


def _regime(raw: Mapping[str, Any]) -> Regime:
    wd, ss = raw["working_days"], raw["standstill"]
    return Regime(
        key=raw["key"],
        name=raw["name"],
        applies_from=date.fromisoformat(raw["applies_from"]),
        applies_to=sourced.optional_date(raw.get("applies_to")),
        provider_selection_regime=bool(raw["provider_selection_regime"]),
        applies_note=raw.get("applies_note", ""),
        working_days=WorkingDays(
            tuple(wd["divisions"]),
            bool(wd["confirmed"]),
            wd.get("note", ""),
            _sources(wd.get("sources")),
        ),
        standstill=StandstillRule(
            unit=ss["unit"],
            days=int(ss["days"]),
            days_not_electronic=ss.get("days_not_electronic"),
            days_after_receipt_not_electronic=ss.get("days_after_receipt_not_electronic"),
            starts_with=ss["starts_with"],
            first_counted_day_offset=int(ss["first_counted_day_offset"]),
            roll_to_working_day=bool(ss["roll_to_working_day"]),
            after_representations_working_days=ss.get("after_representations_working_days"),
            ends=ss["ends"],
            confirmed=bool(ss["confirmed"]),
            sources=_sources(ss.get("sources")),
        ),
        steps=tuple(
            sorted(
                (
                    AwardStep(
                        key=s["key"],
                        name=s["name"],
                        recipients=s["recipients"],
                        order=int(s["order"]),
                        before=s.get("before"),
                        starts_standstill=bool(s["starts_standstill"]),
                        content=tuple(s["content"]),
                        confirmed=bool(s["confirmed"]),
                        note=s.get("note"),
                        sources=_sources(s.get("sources")),
                    )
                    for s in raw["steps"]
                ),
                key=lambda step: step.order,
            )
        ),
        record=tuple(
            RecordItem(
                key=r["key"],
                name=r["name"],
                content=tuple(r["content"]),
                keep_for=r.get("keep_for"),
                confirmed=bool(r["confirmed"]),
                sources=_sources(r.get("sources")),
            )
            for r in raw.get("record", [])
        ),
        key_criteria=tuple(KeyCriterion(k["key"], k["name"]) for k in raw.get("key_criteria", [])),
        key_criteria_confirmed=raw.get("key_criteria_confirmed"),
        key_criteria_note=raw.get("key_criteria_note"),
        key_criteria_sources=_sources(raw.get("key_criteria_sources")),
        publication=_publication(raw.get("publication") or {}),
    )


def _publication(raw: Mapping[str, Any]) -> Publication:
    # A regime saying nothing publishes no unsuccessful price: the cautious default.
    return Publication(
        unsuccessful_bid_prices=bool(raw.get("unsuccessful_bid_prices", False)),
        confirmed=bool(raw.get("confirmed", False)),
        reviewed_on=sourced.optional_date(raw.get("reviewed_on")),
        note=raw.get("note", ""),
        sources=_sources(raw.get("sources")),
    )


@cache
def _load(path: str | None) -> dict[str, Regime]:
    data = sourced.load(path, default=DATA_DIR / "award_regimes.json")
    return {raw["key"]: _regime(raw) for raw in data["regimes"]}


def load_regimes(path: str | Path | None = None) -> dict[str, Regime]:
    """Every regime in the data file, by key ('pa2023', 'pcr2015', 'psr2023')."""
    return dict(_load(None if path is None else str(path)))


def regime(regime_key: str) -> Regime:
    """One regime by key; KeyError names the known keys."""
    regimes = _load(None)
    if regime_key not in regimes:
        raise KeyError(f"Unknown award regime '{regime_key}'; known: {', '.join(regimes)}.")
    return regimes[regime_key]


def regime_for(*, procurement_started_on: date, provider_selection_regime: bool = False) -> Regime:
    """The regime for a procurement started on `procurement_started_on`: the Provider Selection
    Regime when the tender is arranged under it, else the regime in force on that date (the
    Procurement Act 2023 from 24 February 2025, the PCR 2015 before). RegimeError if none."""
    for candidate in _load(None).values():
        if candidate.provider_selection_regime != provider_selection_regime:
            continue
        if sourced.covers(candidate.applies_from, candidate.applies_to, procurement_started_on):
            return candidate
    what = "the Provider Selection Regime" if provider_selection_regime else "a procurement"
    raise RegimeError(
        f"No award regime in this service's data applies to {what} started on "
        f"{procurement_started_on}."
    )


def required_steps(regime_key: str) -> tuple[AwardStep, ...]:
    """What the regime requires to be sent or published after the winner is chosen, in order."""
    return regime(regime_key).steps


def _local_date(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(LONDON)
        return moment.date()
    return moment


def standstill_ends(
    regime_key: str,
    sent_at: date | datetime,
    *,
    electronic: bool = True,
    last_received_on: date | None = None,
    further_decision_on: date | None = None,
) -> StandstillEnd:
    """When the standstill ends for a notice sent or published at `sent_at` (a date, or a
    datetime read in Europe/London; a naive datetime is taken as London time).

    `electronic` matters to the PCR 2015 only (15 days instead of 10 when any notice went by
    other means; `last_received_on`, when known, allows the 10th day after the last receipt if
    that is earlier). For the PSR this is the end when no representations are made; when they
    were, `further_decision_on` (the day the authority told the provider its further decision)
    keeps the standstill open until the end of the regime's `after_representations_working_days`
    working days after it (PSR: 5, from NHS England's guidance, unconfirmed in the Regulations).
    """
    chosen = regime(regime_key)
    rule = chosen.standstill
    calendar = chosen.calendar
    sent_on = _local_date(sent_at)
    first = sent_on + timedelta(days=rule.first_counted_day_offset)
    if rule.unit == WORKING_DAYS:
        last = nth_working_day_from(first, rule.days, calendar=calendar)
        wording = f"{rule.days} working days: {rule.ends}"
    elif rule.unit == CALENDAR_DAYS:
        days = rule.days
        if not electronic and rule.days_not_electronic is not None:
            days = rule.days_not_electronic
        last = first + timedelta(days=days - 1)
        wording = f"{days} calendar days: {rule.ends}"
        if (
            not electronic
            and last_received_on is not None
            and rule.days_after_receipt_not_electronic
        ):
            after_receipt = last_received_on + timedelta(
                days=rule.days_after_receipt_not_electronic
            )
            if after_receipt < last:
                last = after_receipt
                wording = (
                    f"{rule.days_after_receipt_not_electronic} calendar days after the last notice "
                    f"was received (earlier than {days} days after sending): {rule.ends}"
                )
        if rule.roll_to_working_day:
            rolled = next_working_day(last, calendar=calendar)
            if rolled != last:
                wording += f"; {last} is not a working day, so it runs to the end of {rolled}"
            last = rolled
    else:
        raise ValueError(f"Unknown standstill unit '{rule.unit}' for {regime_key}.")
    if further_decision_on is not None:
        if rule.after_representations_working_days is None:
            raise ValueError(f"The {chosen.name} has no wait after a further decision.")
        after = add_working_days(
            further_decision_on, rule.after_representations_working_days, calendar=calendar
        )
        if after > last:
            last = after
            wording += (
                f"; representations were made, so it stays open until the end of "
                f"{rule.after_representations_working_days} working days after the further "
                f"decision of {further_decision_on}"
            )
    skipped = tuple(
        (day, reason)
        for offset in range((last - sent_on).days + 1)
        if (reason := calendar.why_not_working(day := sent_on + timedelta(days=offset)))
    )
    ends_at = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=LONDON)
    return StandstillEnd(
        regime_key=regime_key,
        started_on=sent_on,
        last_day=last,
        ends_at=ends_at,
        rule=wording,
        skipped=skipped,
        sources=rule.sources + chosen.working_days.sources,
    )
