"""The Compact's rules the service checks, as pure functions over dates. No Django.

The national Compact (renewed 2010) is dated data with its sources in ``data/compact.json``:
its sections, the commitments this service uses (in the Compact's words where they were
confirmed), the product rule each drives, and the figures those rules read (12 weeks of
consultation, three months' minimum notice of the end of funding).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from socialvalue.kernel import sourced

DATA = Path(__file__).resolve().parent / "data" / "compact.json"


@dataclass(frozen=True)
class Section:
    number: str
    title: str


@dataclass(frozen=True)
class Commitment:
    """A commitment the service uses: its words, whether they are confirmed against a source,
    its principle number (None where it is not confirmed) and the product rule it drives."""

    key: str
    section: str
    number: str | None
    words: str
    words_confirmed: bool
    rule: str
    sources: tuple[sourced.Source, ...]


@dataclass(frozen=True)
class CompactRules:
    """The figures in force from ``starts``: the consultation length and the minimum notice."""

    id: str
    starts: date
    ends: date | None
    consultation_weeks: int
    minimum_notice_months: int
    sources: tuple[sourced.Source, ...]


@dataclass(frozen=True)
class NationalCompact:
    title: str
    renewed: date
    sources: tuple[sourced.Source, ...]
    sections: tuple[Section, ...]
    commitments: tuple[Commitment, ...]
    rules: tuple[CompactRules, ...]

    def commitment(self, key: str) -> Commitment:
        return next(c for c in self.commitments if c.key == key)

    def rules_on(self, on_date: date) -> CompactRules:
        found = sourced.in_force(self.rules, on_date, starts="starts", ends="ends")
        # Before the 2010 renewal the earliest record stands: the figures were the same.
        return found or min(self.rules, key=lambda r: r.starts)


def load(path: str | Path | None = None) -> NationalCompact:
    """The national Compact as dated data (``data/compact.json`` unless another file is given)."""
    raw = sourced.load(path, default=DATA)
    head = raw["compact"]
    return NationalCompact(
        title=head["title"],
        renewed=date.fromisoformat(head["renewed"]),
        sources=sourced.sources_from(head["sources"]),
        sections=tuple(Section(s["number"], s["title"]) for s in raw["sections"]),
        commitments=tuple(
            Commitment(
                key=c["key"],
                section=c["section"],
                number=c.get("number"),
                words=c["words"],
                words_confirmed=bool(c["words_confirmed"]),
                rule=c["rule"],
                sources=sourced.sources_from(c["sources"]),
            )
            for c in raw["commitments"]
        ),
        rules=tuple(
            CompactRules(
                id=r["id"],
                starts=date.fromisoformat(r["from"]),
                ends=sourced.optional_date(r.get("to")),
                consultation_weeks=int(r["consultation_weeks"]),
                minimum_notice_months=int(r["minimum_notice_months"]),
                sources=sourced.sources_from(r["sources"]),
            )
            for r in raw["rules"]
        ),
    )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        # Past the calendar's end (a mistyped year 9999): no later day exists to compare with.
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ConsultationLength:
    days: int
    weeks: int
    extra_days: int
    standard_weeks: int
    shorter: bool


def consultation_length(starts: date, ends: date, rules: CompactRules) -> ConsultationLength:
    """How long a consultation open from ``starts`` to ``ends`` runs, and whether it is shorter
    than the Compact's standard (12 weeks: ``ends`` at least 84 days after ``starts``)."""
    days = (ends - starts).days
    return ConsultationLength(
        days=days,
        weeks=days // 7,
        extra_days=days % 7,
        standard_weeks=rules.consultation_weeks,
        shorter=days < rules.consultation_weeks * 7,
    )


@dataclass(frozen=True)
class Notice:
    days: int
    minimum_months: int
    earliest_end: date
    short: bool


def notice_given(notice_on: date, ends_on: date, rules: CompactRules) -> Notice:
    """Whether notice given on ``notice_on`` of an end on ``ends_on`` meets the Compact's
    minimum (three months: the end on or after the same day three months later)."""
    earliest = add_months(notice_on, rules.minimum_notice_months)
    return Notice(
        days=(ends_on - notice_on).days,
        minimum_months=rules.minimum_notice_months,
        earliest_end=earliest,
        short=ends_on < earliest,
    )
