"""The evaluation panel's rules, pure: whether a typed mark is on a criterion's published scale,
the spread of a panel's marks and when it must be moderated with a note.

No ORM and no settings: tenders.services.evaluation and the pages pass plain values. The share of
the scale above which a spread is flagged is dated data with its source
(tenders/data/moderation.json); a tender may set its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from socialvalue.kernel import numbers, sourced

DATA_FILE = Path(__file__).resolve().parent / "data" / "moderation.json"
HUNDRED = Decimal("100")
# Marks are kept to two places, like the criteria's scale (Criterion.max_mark).
MARK_PLACES = 2


@dataclass(frozen=True)
class SpreadRule:
    """The share of a criterion's scale above which a panel's spread is flagged, in force from
    `starts` to `ends` (None: still in force), with its basis and sources."""

    percent: Decimal
    starts: date
    ends: date | None
    basis: str
    note: str
    sources: tuple[sourced.Source, ...]


@dataclass(frozen=True)
class ConflictLaw:
    """What the declaration page cites: the law on conflicts of interest, with its sources."""

    description: str
    sources: tuple[sourced.Source, ...]


def load_spread_rules(path: str | Path | None = None) -> tuple[SpreadRule, ...]:
    """Read the dated spread rules from tenders/data/moderation.json (or `path`)."""
    data = sourced.load(path, default=DATA_FILE)
    return tuple(
        SpreadRule(
            percent=Decimal(str(record["spread_flag_percent"])),
            starts=date.fromisoformat(record["starts"]),
            ends=sourced.optional_date(record.get("ends")),
            basis=record.get("basis", ""),
            note=record.get("note", ""),
            sources=sourced.sources_from(record.get("sources", ())),
        )
        for record in data["records"]
    )


def spread_rule_on(on_date: date, rules: Sequence[SpreadRule] | None = None) -> SpreadRule:
    """The spread rule in force on `on_date` (the earliest rule before the first record)."""
    rules = rules if rules is not None else load_spread_rules()
    found = sourced.in_force(rules, on_date, starts="starts", ends="ends")
    return found or min(rules, key=lambda rule: rule.starts)


def conflict_law(path: str | Path | None = None) -> ConflictLaw:
    """The law on conflicts of interest the declaration page cites."""
    data: dict[str, Any] = sourced.load(path, default=DATA_FILE)["conflicts_of_interest"]
    return ConflictLaw(
        description=data["description"], sources=sourced.sources_from(data["sources"])
    )


def parse_mark(
    text: str | None,
    *,
    max_mark: Decimal,
    allowed: Iterable[Decimal] = (),
    what: str = "The mark",
) -> Decimal:
    """The mark typed as text, checked against the published scale: a number from 0 to
    `max_mark`, at most two decimal places, and one of the `allowed` marks when the scale
    describes each mark. Raises ValueError with the words to show beside the field, naming the
    mark as `what` ("The mark for Service delivery")."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError(f"Enter {what[0].lower()}{what[1:]}.")
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"{what} must be a number, like 3 or 2.5.") from error
    if not value.is_finite():
        raise ValueError(f"{what} must be a number, like 3 or 2.5.")
    scale = f"from 0 to {numbers.plain(max_mark)}"
    if value < 0 or value > max_mark:
        raise ValueError(f"{what} must be {scale}.")
    if value != value.quantize(Decimal(1).scaleb(-MARK_PLACES)):
        raise ValueError(f"{what} can have at most two decimal places.")
    allowed = sorted(set(allowed))
    if allowed and value not in allowed:
        listed = ", ".join(numbers.plain(mark) for mark in allowed)
        raise ValueError(f"{what} must be one the published scale describes: {listed}.")
    return value.quantize(Decimal(1).scaleb(-MARK_PLACES))


def spread(marks: Iterable[Decimal]) -> Decimal:
    """Highest individual mark minus lowest (0 for one mark or none)."""
    marks = list(marks)
    return max(marks) - min(marks) if marks else Decimal(0)


def spread_limit(max_mark: Decimal, percent: Decimal) -> Decimal:
    """The spread above which marks on this scale are flagged: `percent` of `max_mark`."""
    return max_mark * percent / HUNDRED


def spread_flagged(marks: Iterable[Decimal], *, max_mark: Decimal, percent: Decimal) -> bool:
    """Whether the panel's marks disagree by MORE than `percent` of the scale."""
    return spread(marks) > spread_limit(max_mark, percent)
