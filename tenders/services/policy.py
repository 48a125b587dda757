"""An authority's own dated minimum weighting for social value."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from socialvalue.core import audit
from socialvalue.kernel import limits
from socialvalue.models import Organisation, User
from tenders.models import LocalMinimumWeighting
from tenders.services.base import _require


@transaction.atomic
def local_minimum_record(
    *,
    actor: User,
    authority: Organisation,
    title: str,
    percent: Decimal,
    starts,
    ends=None,
    source_url: str = "",
) -> LocalMinimumWeighting:
    """Record an authority's own dated minimum social value weighting."""
    _require(
        actor,
        "tenders.set_local_minimum",
        authority,
        "Only the authority's commissioners, procurement officers and admins can set its policy.",
    )
    errors = {}
    try:
        percent = limits.PERCENT.check(percent, what="a minimum weighting")
    except limits.LimitError as error:
        errors["percent"] = error.message
    if ends is not None and ends < starts:
        errors["ends"] = "The end date must be on or after the start date."
    if errors:
        raise ValidationError(errors)
    row = LocalMinimumWeighting(
        authority=authority,
        title=title,
        percent=percent,
        starts=starts,
        ends=ends,
        source_url=source_url,
        recorded_by=actor,
    )
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="policy.local_minimum_recorded",
        obj=row,
        organisation=authority,
        data={"percent": percent, "starts": starts, "ends": ends},
    )
    return row
