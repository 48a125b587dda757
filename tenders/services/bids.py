"""A bidder's bid: starting, saving, commitments, attachments, submission with its receipt
and withdrawal. Anything that depends on the deadline locks the tender row first."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from measurement.models import Measure
from measurement.selectors import proxies_in_force
from socialvalue.core import audit, notify
from socialvalue.kernel import limits
from socialvalue.kernel.money import format_gbp, pounds
from socialvalue.models import Organisation, User
from tenders import selectors
from tenders.models import (
    Bid,
    BidAttachment,
    BidReceipt,
    BidStatus,
    Commitment,
    Criterion,
    CriterionKind,
    Lot,
    ReceiptKind,
    Tender,
)
from tenders.services.base import _require, moment_text
from tenders.services.uploads import _check_upload, _store_file
from tenders.valuation import monetised_value


def _lock_open_tender(tender_id: int, now: datetime) -> Tender:
    tender = Tender.objects.select_for_update().select_related("authority").get(pk=tender_id)
    if not tender.is_open_for_bids(now):
        if tender.deadline_passed(now):
            raise ValidationError(
                f"The deadline for bids was {moment_text(tender.submission_deadline)}. Your draft has "
                "been kept but can no longer be submitted or changed."
            )
        raise ValidationError("This tender is not open for bids.")
    return tender


def _editable_bid(actor: User, bid: Bid, now: datetime) -> Bid:
    _require(
        actor, "tenders.change_bid", bid, "Only a bidder of this organisation can change its bid."
    )
    _lock_open_tender(bid.tender_id, now)
    bid = (
        Bid.objects.unscoped(reason="the bidder's own bid, locked to change it (checked above)")
        .select_for_update()
        .select_related("tender", "lot")
        .get(pk=bid.pk)
    )
    if bid.status == BidStatus.SUBMITTED:
        raise ValidationError(
            "This bid has been submitted. Withdraw it to make changes, then submit it again."
        )
    return bid


@transaction.atomic
def bid_start(*, actor: User, lot: Lot, bidder: Organisation, now: datetime | None = None) -> Bid:
    """Start (or return) the bidder's draft bid for a lot while the tender is open."""
    now = now or timezone.now()
    _require(
        actor, "tenders.change_bid", bidder, "Only a bidder of that organisation can bid for it."
    )
    _lock_open_tender(lot.tender_id, now)
    bid, created = Bid.objects.unscoped(
        reason="the bidder's own draft for the lot (checked above)"
    ).get_or_create(
        lot=lot, bidder=bidder, defaults={"tender_id": lot.tender_id, "created_by": actor}
    )
    if created:
        audit.record(
            actor=actor,
            action="bid.started",
            obj=bid,
            organisation=bidder,
            data={"tender": lot.tender_id, "lot": lot.number},
        )
    return bid


@transaction.atomic
def bid_save(
    *,
    actor: User,
    bid: Bid,
    price: Decimal | None,
    price_breakdown: str = "",
    answers: Mapping[int, str] | None = None,
    now: datetime | None = None,
) -> Bid:
    """Save the draft's price and answers. A price outside the money limit or an answer over its
    word limit is refused with the message by the field, nothing saved."""
    now = now or timezone.now()
    bid = _editable_bid(actor, bid, now)
    errors: dict[str, str] = {}
    if price is not None:
        try:
            price = limits.MONEY.check(price, what="a price")
        except limits.LimitError as error:
            errors["price"] = error.message
    questions = {row.pk: row for row in selectors.lot_questions(bid.lot)}
    answers = answers or {}
    for criterion_id, text in answers.items():
        row = questions.get(criterion_id)
        if row is None:
            errors[f"answer_{criterion_id}"] = "This question is not part of this lot."
        elif row.word_limit and len(text.split()) > row.word_limit:
            errors[f"answer_{criterion_id}"] = (
                f"Your answer has {len(text.split())} words; the limit is {row.word_limit}."
            )
    if errors:
        raise ValidationError(errors)
    bid.price = pounds(price) if price is not None else None
    bid.price_breakdown = price_breakdown
    bid.save(update_fields=["price", "price_breakdown", "updated_at"])
    for criterion_id, text in answers.items():
        bid.answers.update_or_create(criterion_id=criterion_id, defaults={"text": text})
    audit.record(actor=actor, action="bid.saved", obj=bid, organisation=bid.bidder)
    return bid


def _snapshot_proxy(commitment: Commitment, proxy) -> None:
    commitment.proxy_value = proxy
    commitment.proxy_amount = proxy.value if proxy is not None else None
    commitment.monetised_value = monetised_value(commitment.quantity, proxy)


@transaction.atomic
def commitment_add(
    *,
    actor: User,
    bid: Bid,
    measure: Measure,
    quantity: Decimal,
    timing: str,
    criterion: Criterion | None = None,
    now: datetime | None = None,
) -> Commitment:
    """Add a social value commitment, valued at the proxy value in force today (kept with it)."""
    now = now or timezone.now()
    bid = _editable_bid(actor, bid, now)
    errors = {}
    if quantity is None:
        errors["quantity"] = "Enter a quantity greater than zero."
    else:
        try:
            quantity = limits.QUANTITY.check(quantity, what="a quantity")
        except limits.LimitError as error:
            errors["quantity"] = error.message
    if not timing.strip():
        errors["timing"] = "Say when it will be delivered, for example 'in the first year'."
    if criterion is not None and (
        criterion.lot_id != bid.lot_id or criterion.kind != CriterionKind.SOCIAL_VALUE
    ):
        errors["criterion"] = "Choose a social value question of this lot."
    elif (
        criterion is not None
        and not selectors.measures_for_criterion(criterion).filter(pk=measure.pk).exists()
    ):
        errors["measure"] = "This question asks for other measures; choose one it lists."
    if not measure.is_active:
        errors["measure"] = "This measure is no longer in use; choose another."
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        bid=bid, criterion=criterion, measure=measure, quantity=quantity, timing=timing.strip()
    )
    proxy = proxies_in_force(measures=[measure], on_date=timezone.localdate(now))[measure.pk]
    _snapshot_proxy(commitment, proxy)
    worth = commitment.monetised_value
    if worth is not None and worth > limits.MONEY.maximum:
        raise ValidationError(
            {
                "quantity": f"At {format_gbp(proxy.value)} a {measure.unit}, this quantity would "
                f"be worth more than {limits.MONEY.shown(limits.MONEY.maximum)}. Check the "
                "quantity."
            }
        )
    commitment.full_clean()
    commitment.save()
    audit.record(actor=actor, action="bid.commitment_added", obj=bid, organisation=bid.bidder)
    return commitment


@transaction.atomic
def commitment_remove(*, actor: User, commitment: Commitment, now: datetime | None = None) -> None:
    now = now or timezone.now()
    bid = _editable_bid(actor, commitment.bid, now)
    commitment.delete()
    audit.record(actor=actor, action="bid.commitment_removed", obj=bid, organisation=bid.bidder)


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    bid: Bid,
    upload: UploadedFile,
    criterion: Criterion | None = None,
    now: datetime | None = None,
) -> BidAttachment:
    """Attach a file to a draft bid: size and type limits checked, stored via the storage API."""
    now = now or timezone.now()
    bid = _editable_bid(actor, bid, now)
    checked = _check_upload(upload)
    if criterion is not None and criterion.lot_id != bid.lot_id:
        raise ValidationError({"criterion": "Choose a question of this lot."})
    attachment = _store_file(
        BidAttachment(bid=bid, criterion=criterion),
        actor=actor,
        upload=upload,
        stem="attachment",
        checked=checked,
    )
    audit.record(
        actor=actor,
        action="bid.attachment_added",
        obj=bid,
        organisation=bid.bidder,
        data={"sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def attachment_remove(
    *, actor: User, attachment: BidAttachment, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    bid = _editable_bid(actor, attachment.bid, now)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    audit.record(actor=actor, action="bid.attachment_removed", obj=bid, organisation=bid.bidder)


def bid_contents(bid: Bid) -> dict:
    """The canonical document of a bid's contents that its receipt digest covers: price,
    breakdown, answers, commitments (with the proxy version) and attachment digests."""
    answers = sorted(
        ({"criterion": a.criterion_id, "text": a.text} for a in bid.answers.all()),
        key=lambda item: item["criterion"],
    )
    commitments = sorted(
        (
            {
                "measure": c.measure.code,
                "criterion": c.criterion_id,
                "quantity": str(c.quantity),
                "timing": c.timing,
                "proxy_value_id": c.proxy_value_id,
                "proxy_amount": None if c.proxy_amount is None else str(c.proxy_amount),
                "monetised_value": None if c.monetised_value is None else str(c.monetised_value),
            }
            for c in bid.commitments.select_related("measure")
        ),
        key=lambda item: json.dumps(item, sort_keys=True),
    )
    attachments = sorted(
        (
            {
                "name": a.original_name,
                "sha256": a.sha256,
                "size": a.size,
                "criterion": a.criterion_id,
            }
            for a in bid.attachments.all()
        ),
        key=lambda item: (item["sha256"], item["name"]),
    )
    return {
        "tender": bid.tender_id,
        "lot": bid.lot_id,
        "bidder": bid.bidder_id,
        "price": None if bid.price is None else str(bid.price),
        "price_breakdown": bid.price_breakdown,
        "answers": answers,
        "commitments": commitments,
        "attachments": attachments,
    }


def contents_digest(document: dict) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of a contents document."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def bid_submit(
    *,
    actor: User,
    bid: Bid,
    declaration: str = "",
    receipt_url: str = "",
    now: datetime | None = None,
) -> BidReceipt:
    """Submit a draft before the deadline, checked on the server inside the transaction with
    the tender locked. Returns the receipt: server time and SHA-256 of the contents, emailed to
    the organisation's bidders with `receipt_url` (its printable page); the `declaration` the
    person confirmed is kept in the audit trail. After the deadline it is refused and the
    draft is kept as it was."""
    now = now or timezone.now()
    bid = _editable_bid(actor, bid, now)
    tender = bid.tender
    errors: dict[str, str] = {}
    if selectors.lot_has_price(bid.lot):
        if bid.price is None:
            errors["price"] = "Enter your price."
        elif bid.price <= 0:
            errors["price"] = "The price must be more than £0."
    if tender.price_breakdown_required and not bid.price_breakdown.strip():
        errors["price_breakdown"] = "This tender asks for a breakdown of your price."
    answered = {a.criterion_id for a in bid.answers.all() if a.text.strip()}
    for row in selectors.lot_questions(bid.lot):
        if row.pk not in answered:
            errors[f"answer_{row.pk}"] = f"Answer the question '{row.name}'."
    if errors:
        raise ValidationError(errors)
    # Value commitments at the proxies in force on the day of submission, and keep them.
    commitments = list(bid.commitments.select_related("measure"))
    proxies = proxies_in_force(
        measures=[c.measure_id for c in commitments], on_date=timezone.localdate(now)
    )
    for commitment in commitments:
        _snapshot_proxy(commitment, proxies.get(commitment.measure_id))
        commitment.save(update_fields=["proxy_value", "proxy_amount", "monetised_value"])
    digest = contents_digest(bid_contents(bid))
    bid.status = BidStatus.SUBMITTED
    bid.submitted_at = now
    bid.digest = digest
    bid.save(update_fields=["status", "submitted_at", "digest", "updated_at"])
    receipt = bid.receipts.create(kind=ReceiptKind.SUBMITTED, at=now, digest=digest, by=actor)
    audit.record(
        actor=actor,
        action="bid.submitted",
        obj=bid,
        organisation=bid.bidder,
        data={
            "receipt": receipt.number,
            "digest": digest,
            "submitted_at": now,
            "declaration": declaration,
        },
    )
    notify.send(
        kind="tenders.receipt_notify",
        params={"receipt_id": receipt.pk, "receipt_url": receipt_url},
        requested_by=actor,
        organisation=bid.bidder,
    )
    return receipt


@transaction.atomic
def bid_withdraw(*, actor: User, bid: Bid, now: datetime | None = None) -> BidReceipt:
    """Withdraw a submitted bid before the deadline; it becomes editable and can be resubmitted."""
    now = now or timezone.now()
    _require(
        actor, "tenders.change_bid", bid, "Only a bidder of this organisation can withdraw its bid."
    )
    _lock_open_tender(bid.tender_id, now)
    bid = (
        Bid.objects.unscoped(reason="the bidder's own bid, locked to withdraw it (checked above)")
        .select_for_update()
        .get(pk=bid.pk)
    )
    if bid.status != BidStatus.SUBMITTED:
        raise ValidationError("Only a submitted bid can be withdrawn.")
    bid.status = BidStatus.WITHDRAWN
    bid.save(update_fields=["status", "updated_at"])
    receipt = bid.receipts.create(kind=ReceiptKind.WITHDRAWN, at=now, digest=bid.digest, by=actor)
    audit.record(
        actor=actor,
        action="bid.withdrawn",
        obj=bid,
        organisation=bid.bidder,
        data={"receipt": receipt.number, "digest": bid.digest},
    )
    notify.send(
        kind="tenders.receipt_notify",
        params={"receipt_id": receipt.pk},
        requested_by=actor,
        organisation=bid.bidder,
    )
    return receipt
