"""Entering into the contract once standstill has ended with no challenge open: its value and
dates, and the winning bid's social value commitments carried over as the contract's own."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.models import User
from tenders.models import (
    AwardDecision,
    AwardOutcome,
    Contract,
    ContractCommitment,
    Lot,
    TenderStatus,
)
from tenders.services.base import _lock, _require
from tenders.services.notices import standing_notice


@transaction.atomic
def contract_enter(
    *,
    actor: User,
    lot: Lot,
    value: Decimal,
    signed_on: date,
    starts_on: date,
    ends_on: date,
    reference: str = "",
    now: datetime | None = None,
) -> Contract:
    """Record the contract for an awarded lot. Refused until standstill has ended, while a
    challenge is open, for a lot not awarded, and twice."""
    now = now or timezone.now()
    tender = _lock(lot.tender)
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can enter its contracts.",
    )
    notice = standing_notice(tender)
    if tender.status != TenderStatus.AWARDED or notice is None:
        raise ValidationError("A contract is entered into after the award is issued.")
    if tender.challenges.filter(resolved_at__isnull=True).exists():
        raise ValidationError(
            "A challenge to the award is open: entering into the contract is suspended until it "
            "is resolved."
        )
    if notice.standstill_ended_at is None:
        raise ValidationError("Record the end of the standstill first.")
    decision = (
        AwardDecision.objects.filter(lot=lot, set_aside_at__isnull=True)
        .select_related("bid__bidder")
        .first()
    )
    if decision is None or decision.outcome != AwardOutcome.AWARD:
        raise ValidationError("This lot was not awarded, so it has no contract.")
    if Contract.objects.filter(lot=lot).exists():
        raise ValidationError("The contract for this lot has already been entered.")
    errors = {}
    if value is None or value < 0:
        errors["value"] = "Enter the contract's value in pounds."
    if signed_on > timezone.localdate(now):
        errors["signed_on"] = "The contract cannot be signed in the future."
    if ends_on < starts_on:
        errors["ends_on"] = "The contract must end on or after the day it starts."
    if errors:
        raise ValidationError(errors)
    bid = decision.bid
    contract = Contract.objects.create(
        tender=tender,
        lot=lot,
        award_decision=decision,
        bid=bid,
        supplier=bid.bidder,
        reference=reference.strip(),
        value=value,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        entered_by=actor,
        entered_at=now,
    )
    carried = ContractCommitment.objects.bulk_create(
        ContractCommitment(
            contract=contract,
            source=commitment,
            criterion_id=commitment.criterion_id,
            measure_id=commitment.measure_id,
            quantity=commitment.quantity,
            timing=commitment.timing,
            proxy_value_id=commitment.proxy_value_id,
            proxy_amount=commitment.proxy_amount,
            monetised_value=commitment.monetised_value,
        )
        # The winning bid's own related manager: its commitments, read as the bid was.
        for commitment in bid.commitments.order_by("created_at", "pk")
    )
    audit.record(
        actor=actor,
        action="contract.entered",
        obj=contract,
        organisation=tender.authority,
        data={
            "lot": lot.pk,
            "bid": bid.pk,
            "supplier": bid.bidder.name,
            "value": value,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "commitments": len(carried),
        },
    )
    return contract
