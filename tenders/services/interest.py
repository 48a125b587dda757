"""A bidder's interest in a published tender: registered and withdrawn by its bidders. The
authority sees who is interested; interested bidders are emailed clarifications and amendments
(tenders.services.notify)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.models import Organisation, User
from tenders.models import Interest, Tender
from tenders.services.base import _lock, _require


@transaction.atomic
def interest_register(
    *, actor: User, tender: Tender, bidder: Organisation, now: datetime | None = None
) -> Interest:
    """Record that `bidder` is interested in an open tender (once; again returns the same row)."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.change_bid",
        bidder,
        "Only a bidder of that organisation can register its interest.",
    )
    if not tender.is_open_for_bids(now):
        raise ValidationError("This tender is not open for bids, so interest is not recorded.")
    interest, created = Interest.objects.get_or_create(
        tender=tender, bidder=bidder, defaults={"registered_by": actor, "registered_at": now}
    )
    if created:
        audit.record(
            actor=actor,
            action="tender.interest_registered",
            obj=tender,
            organisation=bidder,
            data={"bidder": bidder.pk},
        )
    return interest


@transaction.atomic
def interest_withdraw(*, actor: User, tender: Tender, bidder: Organisation) -> bool:
    """Withdraw `bidder`'s interest; True when there was one."""
    _require(
        actor,
        "tenders.change_bid",
        bidder,
        "Only a bidder of that organisation can withdraw its interest.",
    )
    deleted, _ = Interest.objects.filter(tender=tender, bidder=bidder).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="tender.interest_withdrawn",
            obj=tender,
            organisation=bidder,
            data={"bidder": bidder.pk},
        )
    return bool(deleted)
