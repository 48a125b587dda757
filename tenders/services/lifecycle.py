"""Moving a tender through its life: publishing, closing at the deadline, opening the bids,
the steps after (tenders.lifecycle says which is next) and amending it while open."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit, notify
from socialvalue.models import User
from tenders import lifecycle, readiness
from tenders.models import (
    AwardDecision,
    AwardOutcome,
    Bid,
    BidStatus,
    Tender,
    TenderAmendment,
    TenderStatus,
)
from tenders.services.base import _lock, _require, moment_text
from tenders.services.uploads import _store_document


@transaction.atomic
def tender_publish(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Publish a draft: its dates, criteria, price method and policy reasons must be in order."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can publish its tenders.",
    )
    if tender.status != TenderStatus.DRAFT:
        raise ValidationError("Only a draft tender can be published.")
    check = readiness.check(tender=tender, now=now)
    if check.problems:
        raise ValidationError(check.problems)
    tender.status = TenderStatus.PUBLISHED
    tender.published_at = now
    tender.published_by = actor
    tender.minimum_weighting_percent = check.minimum.percent
    tender.minimum_weighting_basis = (check.minimum.title or check.minimum.basis)[:200]
    tender.save()
    audit.record(
        actor=actor,
        action="tender.published",
        obj=tender,
        organisation=tender.authority,
        data={
            "submission_deadline": tender.submission_deadline,
            "clarification_deadline": tender.clarification_deadline,
            "minimum_weighting": check.minimum.percent,
            "minimum_basis": check.minimum.basis,
            "social_value_weighting": {
                str(item.lot.number): item.report.social_value_share for item in check.lots
            },
            "low_social_value_reason": tender.low_social_value_reason
            if check.below_minimum
            else "",
            "untied_question_reason": tender.untied_question_reason if check.untied else "",
        },
    )
    return tender


@transaction.atomic
def tender_close_if_due(*, tender: Tender, now: datetime | None = None) -> bool:
    """Record the closure of a published tender whose deadline has passed; True if recorded.

    Every rule already treats such a tender as closed (Tender.status_on); this writes it down.
    """
    now = now or timezone.now()
    tender = _lock(tender)
    if tender.status != TenderStatus.PUBLISHED or not tender.deadline_passed(now):
        return False
    tender.status = TenderStatus.CLOSED
    tender.closed_at = now
    tender.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(
        actor=None,
        action="tender.closed",
        obj=tender,
        organisation=tender.authority,
        data={
            "submission_deadline": tender.submission_deadline,
            "submitted_bids": Bid.objects.unscoped(
                reason="the closure records how many bids are in"
            )
            .filter(tender=tender, status=BidStatus.SUBMITTED)
            .count(),
        },
    )
    return True


def close_due_tenders(now: datetime | None = None) -> list[int]:
    """Record the closure of every published tender past its deadline; returns their ids."""
    now = now or timezone.now()
    due = Tender.objects.filter(
        status=TenderStatus.PUBLISHED, submission_deadline__lte=now
    ).values_list("pk", flat=True)
    return [pk for pk in list(due) if tender_close_if_due(tender=Tender(pk=pk), now=now)]


def _openable(actor: User, tender: Tender, now: datetime) -> Tender:
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can open its bids.",
    )
    tender_close_if_due(tender=tender, now=now)
    tender = _lock(tender)
    if tender.status == TenderStatus.DRAFT or not tender.deadline_passed(now):
        raise ValidationError(
            "Bids stay sealed until the deadline for bids"
            + (
                f" ({moment_text(tender.submission_deadline)})."
                if tender.submission_deadline
                else "."
            )
        )
    if tender.bids_opened_at is not None:
        raise ValidationError(
            f"The bids were already opened on {moment_text(tender.bids_opened_at)}."
        )
    return tender


@transaction.atomic
def open_bids_request(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Where the tender needs a second officer to open its bids: the first officer's request,
    which another procurement officer of the authority confirms with `open_bids`."""
    now = now or timezone.now()
    tender = _openable(actor, tender, now)
    if not tender.second_officer_opens_bids:
        raise ValidationError("This tender's bids are opened by one procurement officer.")
    if tender.bids_opening_requested_at is not None:
        raise ValidationError("The opening has already been asked for: another officer confirms.")
    tender.bids_opening_requested_at = now
    tender.bids_opening_requested_by = actor
    tender.save(
        update_fields=["bids_opening_requested_at", "bids_opening_requested_by", "updated_at"]
    )
    audit.record(
        actor=actor,
        action="tender.bids_opening_requested",
        obj=tender,
        organisation=tender.authority,
    )
    return tender


@transaction.atomic
def open_bids(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Break the seal after the deadline: from now the authority's officers and evaluators may
    read the submitted bids, and the tender is under evaluation. Where the tender needs a second
    officer, another officer must have asked for the opening first. Recorded in the audit trail
    with who and when."""
    now = now or timezone.now()
    tender = _openable(actor, tender, now)
    if tender.second_officer_opens_bids:
        if tender.bids_opening_requested_at is None:
            raise ValidationError(
                "This tender needs two procurement officers to open its bids: ask for the "
                "opening, then another officer confirms it."
            )
        if tender.bids_opening_requested_by_id == actor.pk:
            raise ValidationError(
                "Another procurement officer must confirm the opening you asked for."
            )
    tender.bids_opened_at = now
    tender.bids_opened_by = actor
    tender.status = TenderStatus.UNDER_EVALUATION
    tender.save(update_fields=["bids_opened_at", "bids_opened_by", "status", "updated_at"])
    submitted = Bid.objects.unscoped(
        reason="the opening records how many bids are in and their receipt digests"
    ).filter(tender=tender, status=BidStatus.SUBMITTED)
    audit.record(
        actor=actor,
        action="tender.bids_opened",
        obj=tender,
        organisation=tender.authority,
        data={
            "opened_at": now,
            "requested_by": tender.bids_opening_requested_by_id,
            "submitted_bids": submitted.count(),
            "digests": sorted(submitted.values_list("digest", flat=True)),
        },
    )
    return tender


@transaction.atomic
def _advance(*, actor: User, tender: Tender, action: str, now: datetime, note: str = "") -> Tender:
    _source, target, verb = lifecycle.TRANSITIONS[action]
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can move its tenders on.",
    )
    tender_close_if_due(tender=tender, now=now)
    tender = _lock(tender)
    refusal = lifecycle.transition_refusal(tender, action, now)
    if refusal:
        raise ValidationError(refusal)
    if action == "start_delivery":
        awarded = AwardDecision.objects.filter(
            lot__tender=tender, set_aside_at__isnull=True, outcome=AwardOutcome.AWARD
        )
        if awarded.exclude(lot__contract__isnull=False).exists():
            raise ValidationError("Enter the contract for every awarded lot first.")
    tender.status = target
    tender.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, action=verb, obj=tender, organisation=tender.authority, data={"note": note}
    )
    return tender


def tender_start_delivery(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Awarded, with the contract entered for every awarded lot -> in delivery."""
    return _advance(actor=actor, tender=tender, action="start_delivery", now=now or timezone.now())


def tender_end(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """In delivery -> ended."""
    return _advance(actor=actor, tender=tender, action="end", now=now or timezone.now())


def _check_amended_deadlines(
    tender: Tender, submission: datetime, clarification: datetime | None, now: datetime
) -> None:
    """A deadline never moves to the past, and never earlier once bids exist (bidders have
    planned their work to it); questions still close before bids."""
    has_bids = (
        Bid.objects.unscoped(reason="whether any bid was started, never what it says")
        .filter(tender=tender)
        .exists()
    )
    because = (
        " Bids have already been started for this tender and their bidders planned to the "
        "current deadline, so it can only stay the same or move later."
    )
    errors: dict[str, str] = {}
    if submission != tender.submission_deadline:
        if submission <= now:
            errors["submission_deadline"] = "The new deadline for bids must be in the future."
        elif has_bids and submission < tender.submission_deadline:
            errors["submission_deadline"] = (
                f"The deadline for bids cannot be earlier than {moment_text(tender.submission_deadline)}."
                + because
            )
    if clarification != tender.clarification_deadline:
        if clarification is None:
            errors["clarification_deadline"] = "Enter the deadline for questions."
        elif clarification <= now:
            errors["clarification_deadline"] = (
                "The new deadline for questions must be in the future."
            )
        elif (
            has_bids
            and tender.clarification_deadline is not None
            and clarification < tender.clarification_deadline
        ):
            errors["clarification_deadline"] = (
                "The deadline for questions cannot be earlier than "
                f"{moment_text(tender.clarification_deadline)}." + because
            )
    if (
        "clarification_deadline" not in errors
        and clarification is not None
        and clarification >= submission
    ):
        errors["clarification_deadline"] = (
            "The deadline for questions must be before the deadline for bids."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tender_amend(
    *,
    actor: User,
    tender: Tender,
    reason: str,
    submission_deadline: datetime | None = None,
    clarification_deadline: datetime | None = None,
    documents: Iterable[tuple[str, UploadedFile]] = (),
    now: datetime | None = None,
) -> TenderAmendment:
    """Amend a published tender before its deadline: extend (or, with no bids yet, move) its
    deadlines and/or add documents, with a reason. A deadline given as None stays as it is.
    Every bidder with a bid or a question is emailed after the commit."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can amend its tenders.",
    )
    if not tender.is_open_for_bids(now):
        raise ValidationError(
            "Only a tender open for bids can be amended; "
            + (
                "its deadline for bids has passed."
                if tender.deadline_passed(now)
                else "this one is not published."
            )
        )
    documents = list(documents)
    submission = submission_deadline or tender.submission_deadline
    clarification = clarification_deadline or tender.clarification_deadline
    if not reason.strip():
        raise ValidationError({"reason": "Say why the tender is being amended: bidders read it."})
    if any(not title.strip() for title, _upload in documents):
        raise ValidationError({"document_title": "Enter the document's title."})
    if (
        submission == tender.submission_deadline
        and clarification == tender.clarification_deadline
        and not documents
    ):
        raise ValidationError(
            {"submission_deadline": "Change a deadline or add a document to amend the tender."}
        )
    _check_amended_deadlines(tender, submission, clarification, now)
    amendment = TenderAmendment.objects.create(
        tender=tender,
        reason=reason.strip(),
        made_by=actor,
        made_at=now,
        old_submission_deadline=tender.submission_deadline,
        new_submission_deadline=submission,
        old_clarification_deadline=tender.clarification_deadline,
        new_clarification_deadline=clarification,
    )
    added = [
        _store_document(actor=actor, tender=tender, title=title, upload=upload, amendment=amendment)
        for title, upload in documents
    ]
    tender.submission_deadline = submission
    tender.clarification_deadline = clarification
    tender.save(update_fields=["submission_deadline", "clarification_deadline", "updated_at"])
    audit.record(
        actor=actor,
        action="tender.amended",
        obj=tender,
        organisation=tender.authority,
        data={
            "amendment": amendment.pk,
            "reason": amendment.reason,
            "submission_deadline": [amendment.old_submission_deadline, submission],
            "clarification_deadline": [amendment.old_clarification_deadline, clarification],
            "documents": [{"title": d.title, "sha256": d.sha256} for d in added],
        },
    )
    notify.send(
        kind="tenders.amendment_notify",
        params={"amendment_id": amendment.pk},
        requested_by=actor,
        organisation=tender.authority,
    )
    return amendment
