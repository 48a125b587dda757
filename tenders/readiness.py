"""What a draft tender still needs before it can be published: deadlines in order, sound
criteria trees, a valid price method, and a reason for each departure from the social value
policy. `check()` reads the tender's lots and criteria; the rules themselves are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from socialvalue.kernel import numbers
from tenders import criteria as criteria_layout
from tenders import policy, scoring
from tenders.models import Criterion, Lot, Tender
from tenders.reference import minimum_weighting, timetable_rules
from tenders.selectors import above_threshold, criteria_by_lot


def deadline_problems(
    *, submission: datetime | None, clarification: datetime | None, now: datetime
) -> dict[str, str]:
    """What is wrong with a pair of deadlines (either may be unset): each must be in the
    future, and questions must close before bids. Keyed by the deadline at fault."""
    problems: dict[str, str] = {}
    if submission is not None and submission <= now:
        problems["submission_deadline"] = "The deadline for bids must be in the future."
    if clarification is not None:
        if submission is not None and clarification >= submission:
            problems["clarification_deadline"] = (
                "The deadline for questions must be before the deadline for bids."
            )
        elif clarification <= now:
            problems["clarification_deadline"] = "The deadline for questions must be in the future."
    return problems


@dataclass(frozen=True)
class LotReadiness:
    lot: Lot
    report: criteria_layout.TreeReport


@dataclass(frozen=True)
class Readiness:
    """What stands between a draft tender and publication: problems block, warnings need a reason."""

    problems: dict[str, list[str]]
    lots: tuple[LotReadiness, ...]
    minimum: policy.MinimumWeighting
    below_minimum: tuple[Lot, ...]
    untied: tuple[Criterion, ...]
    # Things to look at again that do not stop publication (a short time to bid, no documents).
    warnings: tuple[str, ...] = ()

    @property
    def is_ready(self) -> bool:
        return not self.problems


def check(*, tender: Tender, now: datetime | None = None) -> Readiness:
    """Check a tender for publication: dates, criteria trees, price method, policy warnings."""
    now = now or timezone.now()
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if tender.submission_deadline is None:
        add("submission_deadline", "Enter the deadline for bids.")
    if tender.clarification_deadline is None:
        add("clarification_deadline", "Enter the deadline for questions.")
    for field, message in deadline_problems(
        submission=tender.submission_deadline, clarification=tender.clarification_deadline, now=now
    ).items():
        add(field, message)

    lots = list(tender.lots.order_by("number"))
    if not lots:
        add("lots", "Add at least one lot.")
    lot_reports = []
    any_price = False
    rows_by_lot = criteria_by_lot(lots)
    for lot in lots:
        tree_report = criteria_layout.report(rows_by_lot[lot.pk])
        lot_reports.append(LotReadiness(lot, tree_report))
        if not tree_report.is_valid:
            add(
                "criteria",
                f"{lot}: the award criteria have {tree_report.problem_count} "
                f"problem{'s' if tree_report.problem_count != 1 else ''} to fix.",
            )
        lot_priced = any(row.criterion.kind == "price" and row.is_leaf for row in tree_report.rows)
        any_price = any_price or lot_priced
        method = scoring.PRICE_METHODS.get(tender.price_method)
        if (
            lot_priced
            and method is not None
            and method.uses_quality
            and not any(row.criterion.kind == "quality" and row.is_leaf for row in tree_report.rows)
        ):
            add(
                "price_method",
                f"{lot}: {method.label.lower()} divides each price by its quality score, so the "
                "lot needs at least one quality criterion.",
            )
    if any_price:
        for name, message in scoring.validate_price_method(
            tender.price_method,
            {k: Decimal(str(v)) for k, v in (tender.price_method_params or {}).items()},
        ).items():
            add("price_method", message if not name else f"{name}: {message}")

    on_date = timezone.localdate(tender.published_at or now)
    minimum = minimum_weighting(
        authority=tender.authority, on_date=on_date, above=above_threshold(tender=tender)
    )
    below = tuple(
        item.lot
        for item in lot_reports
        if minimum.percent is not None and item.report.social_value_share < minimum.percent
    )
    if below and not tender.low_social_value_reason.strip():
        add(
            "low_social_value_reason",
            f"Social value is weighted below the minimum of {numbers.percent(minimum.percent)} in "
            + ", ".join(str(lot) for lot in below)
            + ". Raise the weighting or record why it is lower.",
        )
    untied = tuple(row for item in lot_reports for row in item.report.untied_questions)
    if untied and not tender.untied_question_reason.strip():
        add(
            "untied_question_reason",
            "Some social value questions are not tied to a local priority ("
            + ", ".join(row.name for row in untied)
            + "). Tie each to a priority or record why.",
        )
    return Readiness(
        problems, tuple(lot_reports), minimum, below, untied, timetable_warnings(tender, now)
    )


def _duration(delta: timedelta) -> str:
    if delta >= timedelta(days=1):
        days = delta.days
        return f"{days} day{'s' if days != 1 else ''}"
    hours = int(delta.total_seconds() // 3600)
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(int(delta.total_seconds() // 60), 0)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def timetable_warnings(tender: Tender, now: datetime) -> tuple[str, ...]:
    """Warnings about the time bidders get and what they get with it (tenders/data/timetable.json)."""
    rules = timetable_rules(timezone.localdate(now))
    warnings = []
    if tender.submission_deadline is not None and tender.submission_deadline > now:
        window = tender.submission_deadline - now
        if window < timedelta(days=rules.short_bid_window_days):
            warnings.append(
                f"Bidders would have {_duration(window)} to prepare their bids, less than "
                f"{rules.short_bid_window_days} days. Check the deadline gives them enough time "
                "for the contract's size and complexity."
            )
    if not tender.documents.exists():
        warnings.append(
            "No documents are published with the tender. Bidders usually need a specification "
            "and the terms of the contract to bid."
        )
    return tuple(warnings)
