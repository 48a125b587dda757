"""Working days from the UK bank holidays bundled with the service (tenders/data/
bank_holidays.json, copied from GOV.UK's published list; never fetched at run time).

A calendar is built for a set of divisions ('england-and-wales', 'scotland', 'northern-ireland'):
a day is a working day unless it is a Saturday, a Sunday, Christmas Day, Good Friday or a bank
holiday in any of those divisions. Dates outside the years the bundled list covers are refused
(CalendarCoverageError) rather than counted as if they had no bank holidays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from socialvalue.kernel import sourced
from socialvalue.kernel.sourced import Source

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ENGLAND_AND_WALES = "england-and-wales"
DIVISIONS = (ENGLAND_AND_WALES, "scotland", "northern-ireland")
_DAY = timedelta(days=1)


class CalendarCoverageError(ValueError):
    """A date outside the years the bundled bank holiday list covers."""


@dataclass(frozen=True)
class BankHolidayCalendar:
    """Bank holidays of some divisions, with the span the list covers and where it came from."""

    divisions: tuple[str, ...]
    holidays: frozenset[date]
    titles: dict[date, str]
    covers_from: date
    covers_to: date
    copied_on: date
    sources: tuple[Source, ...]

    def check_covers(self, day: date) -> None:
        if not self.covers_from <= day <= self.covers_to:
            raise CalendarCoverageError(
                f"The bundled bank holidays cover {self.covers_from} to {self.covers_to}; "
                f"{day} is outside them. Update tenders/data/bank_holidays.json."
            )

    def is_working_day(self, day: date) -> bool:
        """Not a Saturday or Sunday, Christmas Day, Good Friday or a bank holiday."""
        self.check_covers(day)
        return day.weekday() < 5 and day not in self.holidays and not _christmas_day(day)

    def why_not_working(self, day: date) -> str | None:
        """Why `day` is not a working day ('Saturday', 'Boxing Day', ...), or None if it is."""
        self.check_covers(day)
        if day.weekday() >= 5:
            return f"{day:%A}"
        if day in self.holidays:
            return self.titles[day]
        if _christmas_day(day):
            return "Christmas Day"
        return None


def _christmas_day(day: date) -> bool:
    # Christmas Day is excluded by name in the working-day definitions; GOV.UK lists it too,
    # except where it falls at a weekend (then the substitute day is listed instead).
    return day.month == 12 and day.day == 25


@cache
def _load(path: str | None) -> dict:
    return sourced.load(path, default=DATA_DIR / "bank_holidays.json")


def load_calendar(
    divisions: Iterable[str] = (ENGLAND_AND_WALES,), path: str | Path | None = None
) -> BankHolidayCalendar:
    """The calendar for `divisions` (their bank holidays together), from the bundled data."""
    data = _load(None if path is None else str(path))
    chosen = tuple(dict.fromkeys(divisions))
    unknown = [d for d in chosen if d not in data["divisions"]]
    if unknown or not chosen:
        raise ValueError(f"Unknown bank holiday divisions {unknown}; use {', '.join(DIVISIONS)}.")
    titles: dict[date, str] = {}
    for division in chosen:
        for event in data["divisions"][division]:
            day = date.fromisoformat(event["date"])
            titles.setdefault(day, event["title"])
    return BankHolidayCalendar(
        divisions=chosen,
        holidays=frozenset(titles),
        titles=titles,
        covers_from=date.fromisoformat(data["covers_from"]),
        covers_to=date.fromisoformat(data["covers_to"]),
        copied_on=date.fromisoformat(data["copied_on"]),
        sources=sourced.sources_from(data["sources"]),
    )


def is_working_day(day: date, *, calendar: BankHolidayCalendar | None = None) -> bool:
    """Whether `day` is a working day (England and Wales unless another calendar is given)."""
    return (calendar or load_calendar()).is_working_day(day)


def next_working_day(day: date, *, calendar: BankHolidayCalendar | None = None) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    calendar = calendar or load_calendar()
    while not calendar.is_working_day(day):
        day += _DAY
    return day


def add_working_days(
    start: date, days: int, *, calendar: BankHolidayCalendar | None = None
) -> date:
    """The `days`-th working day after `start` (`start` itself is not counted).

    add_working_days(Friday, 1) is the next Monday when that Monday is not a bank holiday.
    With days=0, `start` is returned unchanged.
    """
    if days < 0:
        raise ValueError("Count working days forwards: days must be zero or more.")
    calendar = calendar or load_calendar()
    day = start
    calendar.check_covers(day)
    remaining = days
    while remaining:
        day += _DAY
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def nth_working_day_from(
    first: date, n: int, *, calendar: BankHolidayCalendar | None = None
) -> date:
    """The n-th working day counting `first` as day 1 when it is a working day (n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be 1 or more.")
    calendar = calendar or load_calendar()
    day = next_working_day(first, calendar=calendar)
    return add_working_days(day, n - 1, calendar=calendar)
