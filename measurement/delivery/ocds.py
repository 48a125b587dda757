"""A performance failure as the UK OCDS extension's PerformanceFailure object (the definition
in tenders/ocds/standard/release-schema.json): the same field names, dates as OCDS date-times,
the penalty value as an OCDS Value, the supplier as an organisation reference."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from measurement.delivery.models import PerformanceFailure
from tenders.ocds.releases import UK, moment, number
from tenders.ocds.releases import _party_id as party_id


def _day(value: date | None) -> str | None:
    return moment(datetime.combine(value, time.min, tzinfo=UK)) if value else None


def performance_failure(failure: PerformanceFailure) -> dict[str, Any]:
    """The failure as OCDS, empty fields left out (OCDS asks publishers to omit the unknown)."""
    data: dict[str, Any] = {
        "requirement": failure.requirement,
        "description": failure.description,
        "decisionDate": _day(failure.decision_date),
        "penaltyDate": _day(failure.penalty_date),
        "penaltyType": failure.penalty_type or None,
        "penaltyTypeEntered": failure.penalty_type_entered or None,
        "penaltyValue": (
            {"amount": number(failure.penalty_amount), "currency": failure.penalty_currency}
            if failure.penalty_amount is not None
            else None
        ),
        "partialTermination": failure.partial_termination or None,
        "suppliers": [{"id": party_id(failure.supplier), "name": failure.supplier.name}],
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}
