"""Dated reference data as tenders use it: the contract value bands bidders filter by, what
the proportionality guidance advises for a contract's value, and the minimum social value
weighting in force for an authority (national policy, its own dated minimum or the service
default). The rules are the pure engines' (measurement.proportionality, tenders.policy); this
module feeds them their data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from measurement import proportionality
from socialvalue.kernel import sourced
from socialvalue.models import Organisation
from tenders import policy


@dataclass(frozen=True)
class ValueBand:
    key: str
    label: str
    from_value: Decimal
    below_value: Decimal | None


@lru_cache(maxsize=1)
def _proportionality_rules():
    return proportionality.load_rules()


def value_bands(on_date: date | None = None) -> list[ValueBand]:
    """The contract value bands bidders filter by: the proportionality bands in force."""
    on_date = on_date or timezone.localdate()
    in_force = [r for r in _proportionality_rules() if r.valid_from <= on_date]
    if not in_force:
        return []
    rule_set = max(in_force, key=lambda r: r.valid_from)
    return [ValueBand(b.key, b.label, b.from_value, b.below_value) for b in rule_set.bands]


# The policy data names authority types a little differently from Organisation.authority_type.
_POLICY_AUTHORITY_TYPES = {
    "central_government": "central_government",
    "local_authority": "local_authority",
    "nhs": "nhs_body",
}


@lru_cache(maxsize=1)
def _policy():
    return policy.load_social_value_policy()


def minimum_weighting(
    *, authority: Organisation, on_date: date, above: bool | None = None
) -> policy.MinimumWeighting:
    """The minimum social value weighting for this authority on a date: national policy (only
    at or above the threshold: ``above``), the authority's own dated minimum
    (LocalMinimumWeighting), or the service default."""
    local = [
        policy.LocalMinimum(percent=row.percent, starts=row.starts, ends=row.ends, title=row.title)
        for row in authority.social_value_minimums.all()
    ]
    return policy.minimum_social_value_weighting(
        on_date,
        _POLICY_AUTHORITY_TYPES.get(authority.authority_type, "other"),
        _policy().records,
        local,
        above_threshold=above,
    )


def proportionality_advice(*, value: Decimal, on_date: date | None = None):
    """What to ask of bidders for a contract of this value (measurement.proportionality)."""
    try:
        return proportionality.suggest(
            value, on_date or timezone.localdate(), _proportionality_rules()
        )
    except ValueError:
        return None


@dataclass(frozen=True)
class TimetableRules:
    """The dated timetable figures of tenders/data/timetable.json (see that file's basis)."""

    starts: date
    short_bid_window_days: int
    days_kept_after_bringing_forward: int
    confirmed: bool
    basis_note: str
    sources: tuple[sourced.Source, ...]


_TIMETABLE = Path(__file__).resolve().parent / "data" / "timetable.json"


@lru_cache(maxsize=1)
def _timetable_records() -> tuple[TimetableRules, ...]:
    raw = sourced.load(None, default=_TIMETABLE)
    return tuple(
        TimetableRules(
            starts=date.fromisoformat(record["starts"]),
            short_bid_window_days=int(record["short_bid_window_days"]),
            days_kept_after_bringing_forward=int(record["days_kept_after_bringing_forward"]),
            confirmed=bool(record.get("confirmed")),
            basis_note=record.get("basis_note", ""),
            sources=sourced.sources_from(record.get("sources", [])),
        )
        for record in raw["records"]
    )


def timetable_rules(on_date: date | None = None) -> TimetableRules:
    """The timetable figures in force on a day (today by default)."""
    on_date = on_date or timezone.localdate()
    found = sourced.in_force(_timetable_records(), on_date, starts="starts")
    return found or min(_timetable_records(), key=lambda r: r.starts)
