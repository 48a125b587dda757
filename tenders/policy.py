"""Minimum social value weighting by date and authority type: dated policy records, pure lookup.

Central government has a national minimum (PPN 06/20 from 1 January 2021, PPN 002 from
1 October 2025: 10% of the total score), for procurements at or above the threshold; NHS England
extended the PPN 06/20 approach to NHS bodies from 1 April 2022. Other authorities are not bound; for
them this service suggests the same 10% as its own default, which an authority replaces with
its own dated local minimum. The figures and their sources live in
`tenders/data/social_value_policy.json`; `load_social_value_policy()` is the only I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from socialvalue.kernel import numbers, sourced
from socialvalue.kernel.sourced import Source

DATA_FILE = Path(__file__).resolve().parent / "data" / "social_value_policy.json"

NATIONAL_POLICY = "national_policy"
LOCAL_POLICY = "local_policy"
SERVICE_DEFAULT = "service_default"
NO_MINIMUM = "none"
ANY_AUTHORITY = "*"


@dataclass(frozen=True)
class PolicyRecord:
    """One dated minimum: in force from `starts` to `ends` inclusive (`ends` None = open)."""

    record_id: str
    title: str
    basis: str
    authority_types: tuple[str, ...]
    starts: date
    ends: date | None
    minimum_percent: Decimal
    scope_note: str
    confirmed: bool
    sources: tuple[Source, ...] = ()
    above_threshold_only: bool = False

    def in_force(self, on_date: date) -> bool:
        return self.starts <= on_date and (self.ends is None or on_date <= self.ends)

    def covers(self, authority_type: str) -> bool:
        return authority_type in self.authority_types or ANY_AUTHORITY in self.authority_types


@dataclass(frozen=True)
class LocalMinimum:
    """An authority's own minimum social value weighting, in force from `starts` to `ends`."""

    percent: Decimal
    starts: date
    ends: date | None = None
    title: str = "Local social value policy"

    def in_force(self, on_date: date) -> bool:
        return self.starts <= on_date and (self.ends is None or on_date <= self.ends)


@dataclass(frozen=True)
class MinimumWeighting:
    """The minimum that applies, why, and whether it binds (national policy) or advises.

    `percent` is a percentage of the total score, or None when no minimum applies on that date.
    """

    percent: Decimal | None
    basis: str
    binding: bool
    record_id: str | None
    title: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SocialValuePolicy:
    records: tuple[PolicyRecord, ...]
    authority_types: Mapping[str, str]
    ppn_06_20_themes: Mapping[str, Any]
    ppn_002_missions: Mapping[str, Any]


def load_social_value_policy(path: Path | None = None) -> SocialValuePolicy:
    """Read tenders/data/social_value_policy.json into plain objects."""
    data = sourced.load(path, default=DATA_FILE)
    records = tuple(
        PolicyRecord(
            record_id=raw["id"],
            title=raw["title"],
            basis=raw["basis"],
            authority_types=tuple(raw["authority_types"]),
            starts=date.fromisoformat(raw["from"]),
            ends=date.fromisoformat(raw["to"]) if raw.get("to") else None,
            minimum_percent=Decimal(raw["minimum_percent"]),
            scope_note=raw.get("scope_note", ""),
            confirmed=bool(raw.get("confirmed")),
            sources=sourced.sources_from(raw.get("sources", ())),
            above_threshold_only=bool(raw.get("above_threshold_only")),
        )
        for raw in data["records"]
    )
    return SocialValuePolicy(
        records=records,
        authority_types=data["authority_types"],
        ppn_06_20_themes=data["ppn_06_20_themes"],
        ppn_002_missions=data["ppn_002_missions"],
    )


def _local_in_force(
    local_minimum: LocalMinimum | Sequence[LocalMinimum] | None, on_date: date
) -> LocalMinimum | None:
    if local_minimum is None:
        return None
    candidates = [local_minimum] if isinstance(local_minimum, LocalMinimum) else local_minimum
    in_force = [m for m in candidates if m.in_force(on_date)]
    # When local records overlap, the one that started most recently is the current policy.
    return max(in_force, key=lambda m: m.starts) if in_force else None


def minimum_social_value_weighting(
    on_date: date,
    authority_type: str,
    schedules: Sequence[PolicyRecord],
    local_minimum: LocalMinimum | Sequence[LocalMinimum] | None = None,
    *,
    above_threshold: bool | None = None,
) -> MinimumWeighting:
    """The minimum social value weighting for a procurement starting on `on_date`.

    Central government: the national minimum in force (binding), raised by a higher local
    minimum but never lowered by one. Other authorities: their own local minimum in force on
    the date, else this service's default (advice, not law). Before any record starts: none.
    `schedules` is `load_social_value_policy().records`. A national minimum that applies only
    at or above the threshold does not bind when `above_threshold` is False (None: not known,
    so it is applied and the reasons say on what condition).
    """
    national = [
        r
        for r in schedules
        if r.basis == NATIONAL_POLICY and r.covers(authority_type) and r.in_force(on_date)
    ]
    below = [r for r in national if r.above_threshold_only and above_threshold is False]
    national = [r for r in national if r not in below]
    local = _local_in_force(local_minimum, on_date)
    if below and not national:
        fallback = minimum_social_value_weighting(
            on_date, "other", schedules, local_minimum, above_threshold=above_threshold
        )
        record = max(below, key=lambda r: r.starts)
        return replace(
            fallback,
            reasons=(
                f"{record.title} sets its minimum only for procurements at or above the "
                "threshold; this one is below it, so the minimum does not bind.",
                *fallback.reasons,
            ),
        )
    if national:
        record = max(national, key=lambda r: r.starts)
        reasons = [
            f"{record.title} sets a minimum of {numbers.percent(record.minimum_percent)} of the total score for "
            f"{authority_type.replace('_', ' ')} procurements started on or after "
            f"{record.starts.isoformat()}.",
            record.scope_note,
        ]
        if record.above_threshold_only and above_threshold is None:
            reasons.append(
                "It binds only at or above the threshold; the check has not been told whether "
                "this procurement is."
            )
        if local is not None and local.percent > record.minimum_percent:
            reasons.append(
                f"{local.title} sets a higher minimum of {numbers.percent(local.percent)}, which applies."
            )
            return MinimumWeighting(
                local.percent, LOCAL_POLICY, True, record.record_id, local.title, tuple(reasons)
            )
        if local is not None and local.percent < record.minimum_percent:
            reasons.append(
                f"{local.title} sets {numbers.percent(local.percent)}, below the national minimum, so the "
                "national minimum applies."
            )
        return MinimumWeighting(
            record.minimum_percent,
            NATIONAL_POLICY,
            True,
            record.record_id,
            record.title,
            tuple(r for r in reasons if r),
        )

    if local is not None:
        return MinimumWeighting(
            local.percent,
            LOCAL_POLICY,
            False,
            None,
            local.title,
            (
                f"{local.title} sets a minimum of {numbers.percent(local.percent)} of the total score from "
                f"{local.starts.isoformat()}.",
                "No national minimum binds this authority; the local policy applies.",
            ),
        )

    defaults = [
        r
        for r in schedules
        if r.basis == SERVICE_DEFAULT and r.covers(authority_type) and r.in_force(on_date)
    ]
    if defaults:
        record = max(defaults, key=lambda r: r.starts)
        return MinimumWeighting(
            record.minimum_percent,
            SERVICE_DEFAULT,
            False,
            record.record_id,
            record.title,
            (
                f"This service's default policy suggests {numbers.percent(record.minimum_percent)} of the total "
                "score, following the central government minimum. It is not a legal requirement "
                "for this authority; set a local minimum to replace it.",
                record.scope_note,
            ),
        )

    later = sorted(r.starts for r in schedules if r.covers(authority_type) and r.starts > on_date)
    first = f": the first recorded minimum starts on {later[0].isoformat()}" if later else ""
    return MinimumWeighting(
        None,
        NO_MINIMUM,
        False,
        None,
        None,
        (f"No minimum social value weighting is recorded for {on_date.isoformat()}{first}.",),
    )
