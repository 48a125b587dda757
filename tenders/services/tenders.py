"""Creating and editing a draft tender: its details and dates, the reasons it departs from
the social value policy, and the documents published with it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.models import Organisation, User
from tenders import readiness, scoring
from tenders.models import Lot, Tender, TenderDocument, TenderStatus
from tenders.services.base import _editable_tender, _lock, _require
from tenders.services.criteria import _add_starting_groups
from tenders.services.uploads import _store_document

TENDER_FIELDS = (
    "title",
    "description",
    "reference",
    "contract_type",
    "estimated_value",
    "market_statement_url",
    "planned_contract",
    "clarification_deadline",
    "submission_deadline",
    "evaluation_date",
    "award_date",
    "contract_start",
    "contract_end",
    "price_method",
    "price_method_params",
    "price_breakdown_required",
    "price_breakdown_guidance",
    "tie_break",
    "regime",
    "second_officer_opens_bids",
    "suitable_for_sme",
    "suitable_for_vcse",
)


def _check_dates(tender: Tender, now: datetime) -> None:
    errors: dict[str, str] = readiness.deadline_problems(
        submission=tender.submission_deadline, clarification=tender.clarification_deadline, now=now
    )
    if (
        tender.contract_start
        and tender.contract_end
        and tender.contract_end < tender.contract_start
    ):
        errors["contract_end"] = "The contract must end after it starts."
    if tender.planned_contract_id and tender.planned_contract.authority_id != tender.authority_id:
        errors["planned_contract"] = "Choose a planned contract of this authority."
    if tender.price_method not in scoring.PRICE_METHODS:
        errors["price_method"] = "Choose a price scoring method."
    if errors:
        raise ValidationError(errors)


def _known_fields(fields: Mapping) -> None:
    unknown = set(fields) - set(TENDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tender fields: {', '.join(sorted(unknown))}")


def _validate(tender: Tender, now: datetime) -> None:
    # The deadlines are checked by _check_dates, with messages about the deadline itself.
    tender.full_clean(exclude=["clarification_deadline", "submission_deadline"])
    _check_dates(tender, now)


@transaction.atomic
def tender_create(
    *, actor: User, authority: Organisation, now: datetime | None = None, **fields
) -> Tender:
    """Start a draft tender with one lot whose criteria begin as price, quality and social value."""
    now = now or timezone.now()
    _require(
        actor,
        "tenders.change_tender",
        _DraftOf(authority),
        "Only a commissioner or procurement officer of this authority can create its tenders.",
    )
    _known_fields(fields)
    tender = Tender(authority=authority, created_by=actor, **fields)
    _validate(tender, now)
    tender.save()
    lot = Lot.objects.create(tender=tender, number=1, title=tender.title)
    _add_starting_groups(lot)
    audit.record(
        actor=actor,
        action="tender.created",
        obj=tender,
        organisation=authority,
        data={"title": tender.title, "value": tender.estimated_value},
    )
    return tender


class _DraftOf:
    """Stands in for a tender not yet made, so the draft-editing rule can be asked about it."""

    status = TenderStatus.DRAFT

    def __init__(self, authority: Organisation):
        self.authority_id = authority.pk
        self.organisation_id = authority.pk


@transaction.atomic
def tender_update(*, actor: User, tender: Tender, now: datetime | None = None, **fields) -> Tender:
    """Change a draft tender's details and dates."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.change_tender",
        tender,
        "Only a draft tender can be changed, by its authority's commissioners and procurement officers.",
    )
    _known_fields(fields)
    changed = [name for name, value in fields.items() if getattr(tender, name) != value]
    for name, value in fields.items():
        setattr(tender, name, value)
    _validate(tender, now)
    tender.save()
    audit.record(
        actor=actor,
        action="tender.updated",
        obj=tender,
        organisation=tender.authority,
        data={"fields": sorted(changed)},
    )
    return tender


@transaction.atomic
def tender_record_reasons(
    *, actor: User, tender: Tender, low_social_value_reason: str, untied_question_reason: str
) -> Tender:
    """Record why the tender departs from the social value policy (needed to publish)."""
    tender = _lock(tender)
    _require(
        actor, "tenders.change_tender", tender, "Only a draft tender's reasons can be recorded."
    )
    tender.low_social_value_reason = low_social_value_reason.strip()
    tender.untied_question_reason = untied_question_reason.strip()
    tender.save(update_fields=["low_social_value_reason", "untied_question_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="tender.policy_reasons_recorded",
        obj=tender,
        organisation=tender.authority,
        data={
            "low_social_value_reason": tender.low_social_value_reason,
            "untied_question_reason": tender.untied_question_reason,
        },
    )
    return tender


@transaction.atomic
def document_add(
    *, actor: User, tender: Tender, title: str, upload: UploadedFile
) -> TenderDocument:
    """Publish a document with a draft tender (same type and size limits as bid attachments)."""
    tender = _editable_tender(actor, tender)
    document = _store_document(actor=actor, tender=tender, title=title, upload=upload)
    audit.record(
        actor=actor,
        action="tender.document_added",
        obj=document,
        organisation=tender.authority,
        data={"title": title, "sha256": document.sha256},
    )
    return document
