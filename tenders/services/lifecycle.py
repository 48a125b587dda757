"""Moving a tender through its life: publishing, closing at the deadline, opening the bids,
the steps after (tenders.lifecycle says which is next) and amending it while open."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit, notify, public_cache
from socialvalue.models import User
from tenders import lifecycle, readiness, selectors
from tenders.models import (
    Bid,
    BidStatus,
    Clarification,
    Interest,
    Tender,
    TenderAmendment,
    TenderStatus,
)
from tenders.reference import timetable_rules
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
    # Its authority may be new to the opportunities' filter, and public pages may list it.
    transaction.on_commit(selectors.forget_published_lists)
    transaction.on_commit(public_cache.forget_public_pages)
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


@transaction.atomic
def open_bids(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Break the seal after the deadline: from now the authority's officers and evaluators may
    read the submitted bids. Recorded in the audit trail with who and when."""
    now = now or timezone.now()
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
    tender.bids_opened_at = now
    tender.bids_opened_by = actor
    tender.save(update_fields=["bids_opened_at", "bids_opened_by", "updated_at"])
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
    tender.status = target
    tender.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, action=verb, obj=tender, organisation=tender.authority, data={"note": note}
    )
    return tender


def tender_start_evaluation(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Closed, with bids opened -> under evaluation."""
    return _advance(
        actor=actor, tender=tender, action="start_evaluation", now=now or timezone.now()
    )


def tender_award(
    *, actor: User, tender: Tender, note: str = "", now: datetime | None = None
) -> Tender:
    """Under evaluation -> awarded (the award decision itself is recorded by the evaluation)."""
    return _advance(
        actor=actor, tender=tender, action="award", note=note, now=now or timezone.now()
    )


def tender_start_delivery(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """Awarded -> in delivery."""
    return _advance(actor=actor, tender=tender, action="start_delivery", now=now or timezone.now())


def tender_end(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """In delivery -> ended."""
    return _advance(actor=actor, tender=tender, action="end", now=now or timezone.now())


def _check_amended_deadlines(
    tender: Tender, submission: datetime, clarification: datetime | None, now: datetime
) -> None:
    """A deadline never moves to the past, and never earlier once bids exist (bidders have
    planned their work to it). Once a bidder has asked a question or registered interest, the
    deadline for bids may come earlier only if bidders keep the days of the timetable rules
    (tenders/data/timetable.json) from now; the amendment's reason and email tell them.
    Questions still close before bids."""
    has_bids = (
        Bid.objects.unscoped(reason="whether any bid was started, never what it says")
        .filter(tender=tender)
        .exists()
    )
    engaged = (
        Clarification.objects.filter(tender=tender).exists()
        or Interest.objects.filter(tender=tender).exists()
    )
    kept = timedelta(days=timetable_rules(timezone.localdate(now)).days_kept_after_bringing_forward)
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
        elif engaged and submission < tender.submission_deadline and submission < now + kept:
            errors["submission_deadline"] = (
                "Bidders have asked questions or registered interest, so the deadline for bids "
                f"can only be brought forward to a date at least {kept.days} days from now "
                f"({moment_text(now + kept)} or later). They are emailed the change and your "
                "reason."
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
    Every bidder with a bid, a question or interest is emailed after the commit."""
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
