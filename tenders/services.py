"""State changes of tenders, criteria, clarifications and bids: one function each.

Each runs in a transaction, checks who may act (PermissionDenied) and what state allows it
(ValidationError naming the field), and writes the audit trail. Anything that depends on the
submission deadline locks the tender row (select_for_update) and compares with the server's
clock inside the transaction, so a bid cannot slip in after the deadline however requests race.
The audit trail records digests and counts about bids, never their contents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from measurement.models import Measure
from measurement.selectors import proxies_in_force
from measurement.valuation import gross_value
from socialvalue.core import audit, notify
from socialvalue.core.permissions import can
from socialvalue.definitions.selectors import adopted_priorities_for
from socialvalue.kernel import limits
from socialvalue.kernel.dates import long_moment
from socialvalue.kernel.money import format_gbp, pounds
from socialvalue.models import Membership, Organisation, Role, User
from tenders import scoring, selectors
from tenders.criteria import DEFAULT_DESCRIPTORS, DEFAULT_SCALE_MAX, weight_problems
from tenders.models import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidReceipt,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    CriterionKind,
    LocalMinimumWeighting,
    Lot,
    ReceiptKind,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
)

# Attachment limits; settings may override them (TENDERS_ATTACHMENT_MAX_BYTES and
# TENDERS_ATTACHMENT_TYPES: {".ext": "content/type"}).
DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# The first bytes each type must start with (text types are checked for being text instead).
_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}

# Where a new lot's criteria start: the officer changes every figure. Not a policy figure.
STARTING_GROUPS = (
    (CriterionKind.PRICE, "Price", Decimal("40")),
    (CriterionKind.QUALITY, "Quality", Decimal("50")),
    (CriterionKind.SOCIAL_VALUE, "Social value", Decimal("10")),
)

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
)


def attachment_max_bytes() -> int:
    return getattr(settings, "TENDERS_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)


def attachment_types() -> Mapping[str, str]:
    return getattr(settings, "TENDERS_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES)


def _require(actor: User, permission: str, obj, message: str) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied(message)


def moment_text(moment: datetime) -> str:
    """A moment as the service's messages say it, UK time: '5 March 2026 at 17:00'."""
    return long_moment(timezone.localtime(moment))


def _lock(tender: Tender) -> Tender:
    return Tender.objects.select_for_update().select_related("authority").get(pk=tender.pk)


def _check_dates(tender: Tender, now: datetime) -> None:
    errors: dict[str, str] = selectors.deadline_problems(
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


def _add_starting_groups(lot: Lot) -> None:
    for order, (kind, name, weight) in enumerate(STARTING_GROUPS):
        Criterion.objects.create(lot=lot, kind=kind, name=name, weight=weight, order=order)


# --------------------------------------------------------------------------- tenders


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
    check = selectors.readiness(tender=tender, now=now)
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
            "submitted_bids": Bid.objects.filter(tender=tender, status=BidStatus.SUBMITTED).count(),
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
    submitted = Bid.objects.filter(tender=tender, status=BidStatus.SUBMITTED)
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


# The lifecycle after the bids are opened: (action, from, to, audit verb).
TRANSITIONS = {
    "start_evaluation": (
        TenderStatus.CLOSED,
        TenderStatus.UNDER_EVALUATION,
        "tender.evaluation_started",
    ),
    "award": (TenderStatus.UNDER_EVALUATION, TenderStatus.AWARDED, "tender.awarded"),
    "start_delivery": (TenderStatus.AWARDED, TenderStatus.IN_DELIVERY, "tender.delivery_started"),
    "end": (TenderStatus.IN_DELIVERY, TenderStatus.ENDED, "tender.ended"),
}


def next_transition(tender: Tender, now: datetime | None = None) -> str | None:
    """The action (a key of TRANSITIONS) that moves this tender on now, if any: its current
    status is the action's source, and the evaluation starts only once the bids are opened."""
    status = tender.status_on(now or timezone.now())
    for action, (source, _target, _verb) in TRANSITIONS.items():
        if status == source and (action != "start_evaluation" or tender.bids_opened_at):
            return action
    return None


@transaction.atomic
def _advance(*, actor: User, tender: Tender, action: str, now: datetime, note: str = "") -> Tender:
    source, target, verb = TRANSITIONS[action]
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can move its tenders on.",
    )
    tender_close_if_due(tender=tender, now=now)
    tender = _lock(tender)
    current = tender.status_on(now)
    if current != source:
        raise ValidationError(
            f"This tender is {TenderStatus(current).label.lower()}; it must be "
            f"{TenderStatus(source).label.lower()} to do that."
        )
    if action == "start_evaluation" and tender.bids_opened_at is None:
        raise ValidationError("Open the bids before starting the evaluation.")
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


# --------------------------------------------------------------------------- lots and criteria


def _editable_tender(actor: User, tender: Tender) -> Tender:
    tender = _lock(tender)
    _require(
        actor,
        "tenders.change_tender",
        tender,
        "Only a draft tender's lots and criteria can be changed, by its authority.",
    )
    return tender


@transaction.atomic
def lot_add(
    *, actor: User, tender: Tender, title: str, description: str = "", estimated_value=None
) -> Lot:
    """Add a lot (numbered after the last) with its own starting criteria."""
    tender = _editable_tender(actor, tender)
    number = (tender.lots.aggregate(top=Max("number"))["top"] or 0) + 1
    lot = Lot(
        tender=tender,
        number=number,
        title=title,
        description=description,
        estimated_value=estimated_value,
    )
    lot.full_clean()
    lot.save()
    _add_starting_groups(lot)
    audit.record(
        actor=actor,
        action="lot.added",
        obj=lot,
        organisation=tender.authority,
        data={"number": number},
    )
    return lot


@transaction.atomic
def lot_update(
    *, actor: User, lot: Lot, title: str, description: str = "", estimated_value=None
) -> Lot:
    tender = _editable_tender(actor, lot.tender)
    lot.title, lot.description, lot.estimated_value = title, description, estimated_value
    lot.full_clean()
    lot.save()
    audit.record(actor=actor, action="lot.updated", obj=lot, organisation=tender.authority)
    return lot


@transaction.atomic
def lot_remove(*, actor: User, lot: Lot) -> None:
    tender = _editable_tender(actor, lot.tender)
    if tender.lots.count() <= 1:
        raise ValidationError("A tender needs at least one lot.")
    audit.record(
        actor=actor,
        action="lot.removed",
        obj=lot,
        organisation=tender.authority,
        data={"number": lot.number},
    )
    lot.delete()


def _check_priority_and_measures(
    tender: Tender, kind: str, priority, measures: Iterable[Measure]
) -> None:
    measures = list(measures)
    if kind != CriterionKind.SOCIAL_VALUE:
        if priority is not None or measures:
            raise ValidationError(
                {"priority": "Only a social value question is tied to a priority and measures."}
            )
        return
    if priority is None:
        return
    adopted = {p.pk: p for p in selectors_priorities(tender)}
    if priority.pk not in adopted:
        raise ValidationError(
            {"priority": "Choose a priority from the authority's adopted local definition."}
        )
    allowed = {link.measure_id for link in adopted[priority.pk].measures.all()}
    stray = [m for m in measures if m.pk not in allowed]
    if allowed and stray:
        raise ValidationError(
            {
                "measures": "These measures are not chosen for that priority: "
                + ", ".join(m.code for m in stray)
                + "."
            }
        )


def selectors_priorities(tender: Tender):
    return adopted_priorities_for(authority=tender.authority_id)


def _apply_marking(row: Criterion, max_mark, pass_mark, descriptors) -> None:
    if row.kind == CriterionKind.PRICE:
        row.max_mark = row.pass_mark = None
        row.descriptors = []
        return
    row.max_mark = max_mark if max_mark is not None else DEFAULT_SCALE_MAX
    row.pass_mark = pass_mark
    row.descriptors = (
        descriptors
        if descriptors is not None
        else [{"mark": mark, "text": text} for mark, text in DEFAULT_DESCRIPTORS]
    )


@transaction.atomic
def criterion_add(
    *,
    actor: User,
    lot: Lot,
    parent: Criterion | None,
    name: str,
    weight: Decimal,
    kind: str = "",
    question: str = "",
    max_mark: Decimal | None = None,
    pass_mark: Decimal | None = None,
    descriptors: list[dict] | None = None,
    word_limit: int | None = None,
    priority=None,
    measures: Iterable[Measure] = (),
) -> Criterion:
    """Add a criterion under `parent` (or a top-level group). Weights are checked together on
    the weights page and at publication, since they only add up once every row is in."""
    tender = _editable_tender(actor, lot.tender)
    if parent is not None:
        if parent.lot_id != lot.pk:
            raise ValidationError({"parent": "Choose a criterion of this lot."})
        if parent.kind == CriterionKind.PRICE:
            raise ValidationError(
                {"parent": "Price is scored as one figure; it has no sub-criteria."}
            )
        kind = parent.kind
    if kind not in CriterionKind.values:
        raise ValidationError({"kind": "Choose price, quality or social value."})
    measures = list(measures)
    _check_priority_and_measures(tender, kind, priority, measures)
    order = (lot.criteria.filter(parent=parent).aggregate(top=Max("order"))["top"] or 0) + 1
    row = Criterion(
        lot=lot,
        parent=parent,
        kind=kind,
        name=name,
        question=question,
        weight=weight,
        order=order,
        word_limit=word_limit,
        priority=priority,
    )
    _apply_marking(row, max_mark, pass_mark, descriptors)
    row.full_clean()
    row.save()
    row.measures.set(measures)
    if parent is not None and (parent.max_mark is not None or parent.question):
        # A question that gains sub-criteria becomes a group: groups are not marked.
        parent.max_mark = parent.pass_mark = None
        parent.descriptors = []
        parent.save(update_fields=["max_mark", "pass_mark", "descriptors"])
    audit.record(
        actor=actor,
        action="criterion.added",
        obj=row,
        organisation=tender.authority,
        data={"lot": lot.number, "kind": kind, "weight": weight},
    )
    return row


@transaction.atomic
def criterion_update(
    *,
    actor: User,
    criterion: Criterion,
    name: str,
    weight: Decimal,
    question: str = "",
    max_mark: Decimal | None = None,
    pass_mark: Decimal | None = None,
    descriptors: list[dict] | None = None,
    word_limit: int | None = None,
    priority=None,
    measures: Iterable[Measure] = (),
) -> Criterion:
    """Change a criterion's wording, weight, scale, priority and measures."""
    tender = _editable_tender(actor, criterion.lot.tender)
    measures = list(measures)
    _check_priority_and_measures(tender, criterion.kind, priority, measures)
    criterion.name, criterion.weight, criterion.question = name, weight, question
    criterion.word_limit, criterion.priority = word_limit, priority
    if criterion.children.exists():
        criterion.max_mark = criterion.pass_mark = None
        criterion.descriptors = []
    else:
        _apply_marking(criterion, max_mark, pass_mark, descriptors)
    criterion.full_clean()
    criterion.save()
    criterion.measures.set(measures)
    audit.record(
        actor=actor,
        action="criterion.updated",
        obj=criterion,
        organisation=tender.authority,
        data={"weight": weight},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, actor: User, criterion: Criterion) -> None:
    """Remove a criterion and everything under it."""
    tender = _editable_tender(actor, criterion.lot.tender)
    audit.record(
        actor=actor,
        action="criterion.removed",
        obj=criterion,
        organisation=tender.authority,
        data={"name": criterion.name},
    )
    criterion.delete()


@transaction.atomic
def weights_update(*, actor: User, lot: Lot, weights: Mapping[int, Decimal]) -> list[Criterion]:
    """Set every weight of a lot at once; refused, with nothing saved, unless each level adds up
    to 100. Errors are keyed `weight_<row id>`: a level that does not add up on its first row."""
    tender = _editable_tender(actor, lot.tender)
    rows = selectors.lot_criteria(lot)
    for row in rows:
        if row.pk in weights:
            row.weight = weights[row.pk]
    by_row = weight_problems(rows)
    if by_row:
        raise ValidationError({f"weight_{row_id}": messages for row_id, messages in by_row.items()})
    for row in rows:
        row.save(update_fields=["weight"])
    audit.record(
        actor=actor,
        action="criteria.weights_set",
        obj=lot,
        organisation=tender.authority,
        data={str(row.pk): row.weight for row in rows},
    )
    return rows


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) for an allowed file, or a ValidationError on `file`."""
    limit = attachment_max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": f"The file must be smaller than {limit // (1024 * 1024)} MB."}
        )
    if upload.size == 0:
        raise ValidationError({"file": "The file is empty."})
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    types = attachment_types()
    if suffix not in types:
        allowed = ", ".join(sorted(s.lstrip(".").upper() for s in types))
        raise ValidationError({"file": f"The file must be a {allowed}."})
    head = upload.read(16)
    upload.seek(0)
    signatures = _SIGNATURES.get(suffix)
    if signatures is not None and not head.startswith(signatures):
        raise ValidationError(
            {"file": f"The file is not a real {suffix.lstrip('.').upper()} file."}
        )
    if signatures is None and b"\x00" in head:
        raise ValidationError({"file": "The file should be plain text."})
    return suffix, types[suffix]


def _store_file(row, *, actor: User, upload: UploadedFile, stem: str, checked=None):
    """Check an upload (type, size, contents; unless `checked` gives the result already) and
    save it with its row (a StoredFile)."""
    suffix, content_type = checked or _check_upload(upload)
    row.original_name = PurePosixPath(upload.name).name[:255]
    row.content_type = content_type
    row.size = upload.size
    row.sha256 = _file_digest(upload)
    row.uploaded_by = actor
    row.file.save(f"{stem}{suffix}", upload, save=False)
    row.save()
    return row


def _store_document(
    *, actor: User, tender: Tender, title: str, upload: UploadedFile, amendment=None
) -> TenderDocument:
    return _store_file(
        TenderDocument(tender=tender, amendment=amendment, title=title),
        actor=actor,
        upload=upload,
        stem="document",
    )


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


def _check_amended_deadlines(
    tender: Tender, submission: datetime, clarification: datetime | None, now: datetime
) -> None:
    """A deadline never moves to the past, and never earlier once bids exist (bidders have
    planned their work to it); questions still close before bids."""
    has_bids = Bid.objects.filter(tender=tender).exists()
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


# --------------------------------------------------------------------------- policy


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


# --------------------------------------------------------------------------- clarifications


@transaction.atomic
def clarification_ask(
    *, actor: User, tender: Tender, bidder: Organisation, question: str, now: datetime | None = None
) -> Clarification:
    """A bidder asks a question before the deadline for questions."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.change_bid",
        bidder,
        "Only a bidder of that organisation can ask on its behalf.",
    )
    if not tender.is_open_for_questions(now):
        raise ValidationError({"question": "The deadline for questions has passed."})
    if not question.strip():
        raise ValidationError({"question": "Enter your question."})
    clarification = Clarification.objects.create(
        tender=tender, bidder=bidder, asked_by=actor, question=question.strip(), asked_at=now
    )
    audit.record(
        actor=actor,
        action="clarification.asked",
        obj=clarification,
        organisation=tender.authority,
    )
    return clarification


@transaction.atomic
def clarification_answer(
    *,
    actor: User,
    clarification: Clarification,
    answer: str,
    publish: bool,
    published_question: str = "",
    now: datetime | None = None,
) -> Clarification:
    """The procurement officer answers; published, the answer goes to every bidder under the
    reworded question, never naming who asked. Bidders are emailed after the commit."""
    now = now or timezone.now()
    clarification = (
        Clarification.objects.select_for_update().select_related("tender").get(pk=clarification.pk)
    )
    tender = clarification.tender
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can answer questions.",
    )
    if clarification.is_published:
        raise ValidationError("This answer has been published to all bidders and cannot change.")
    errors = {}
    if not answer.strip():
        errors["answer"] = "Enter the answer."
    if publish and not published_question.strip():
        errors["published_question"] = (
            "Enter the question as all bidders will see it, without anything that identifies "
            "who asked."
        )
    if errors:
        raise ValidationError(errors)
    clarification.answer = answer.strip()
    clarification.answered_by = actor
    clarification.answered_at = now
    if publish:
        clarification.published_question = published_question.strip()
        clarification.published_at = now
    clarification.save()
    audit.record(
        actor=actor,
        action="clarification.answered",
        obj=clarification,
        organisation=tender.authority,
        data={"published": publish},
    )
    notify.send(
        kind="tenders.clarification_notify",
        params={"clarification_id": clarification.pk},
        requested_by=actor,
        organisation=tender.authority,
    )
    return clarification


def _interested_bidder_emails(tender: Tender, exclude_organisation_id: int | None) -> list[str]:
    """Bidders of every organisation with a bid or a question on the tender (but one)."""
    organisations = set(Bid.objects.filter(tender=tender).values_list("bidder_id", flat=True))
    organisations |= set(
        Clarification.objects.filter(tender=tender).values_list("bidder_id", flat=True)
    )
    organisations.discard(exclude_organisation_id)
    return _bidder_emails(organisations)


def _bidder_emails(organisation_ids) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=organisation_ids, role=Role.BIDDER, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


@notify.letter("tenders.clarification_notify", label="Email bidders an answer")
def _notify_clarification(job) -> list[notify.Email]:
    """Email the asker their answer and, when published, every other interested bidder."""
    clarification = Clarification.objects.select_related("tender").get(
        pk=job.params["clarification_id"]
    )
    tender = clarification.tender
    context = {"clarification": clarification, "tender": tender}
    emails = notify.compose(
        _bidder_emails([clarification.bidder_id]),
        subject=f"Your question about {tender.title} has been answered",
        template="tenders/email/clarification_to_asker.txt",
        context=context,
    )
    if clarification.is_published:
        emails += notify.compose(
            _interested_bidder_emails(tender, clarification.bidder_id),
            subject=f"New clarification published for {tender.title}",
            template="tenders/email/clarification_published.txt",
            context=context,
        )
    return emails


@notify.letter("tenders.amendment_notify", label="Email bidders an amendment")
def _notify_amendment(job) -> list[notify.Email]:
    """Email every bidder with a bid or a question on the tender about its amendment."""
    amendment = (
        TenderAmendment.objects.select_related("tender")
        .prefetch_related("documents")
        .get(pk=job.params["amendment_id"])
    )
    tender = amendment.tender
    return notify.compose(
        _interested_bidder_emails(tender, None),
        subject=f"{tender.title} has been amended",
        template="tenders/email/amendment.txt",
        context={"amendment": amendment, "tender": tender},
    )


# --------------------------------------------------------------------------- bids


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
    bid = Bid.objects.select_for_update().select_related("tender", "lot").get(pk=bid.pk)
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
    bid, created = Bid.objects.get_or_create(
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
        BidAnswer.objects.update_or_create(
            bid=bid, criterion_id=criterion_id, defaults={"text": text}
        )
    audit.record(actor=actor, action="bid.saved", obj=bid, organisation=bid.bidder)
    return bid


def _snapshot_proxy(commitment: Commitment, proxy) -> None:
    commitment.proxy_value = proxy
    commitment.proxy_amount = proxy.value if proxy is not None else None
    commitment.monetised_value = (
        pounds(gross_value(commitment.quantity, proxy.value))
        if proxy is not None and proxy.value is not None
        else None
    )


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
def bid_submit(*, actor: User, bid: Bid, now: datetime | None = None) -> BidReceipt:
    """Submit a draft before the deadline, checked on the server inside the transaction with
    the tender locked. Returns the receipt: server time and SHA-256 of the contents. After the
    deadline it is refused and the draft is kept as it was."""
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
    receipt = BidReceipt.objects.create(
        bid=bid, kind=ReceiptKind.SUBMITTED, at=now, digest=digest, by=actor
    )
    audit.record(
        actor=actor,
        action="bid.submitted",
        obj=bid,
        organisation=bid.bidder,
        data={"receipt": receipt.number, "digest": digest, "submitted_at": now},
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
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    if bid.status != BidStatus.SUBMITTED:
        raise ValidationError("Only a submitted bid can be withdrawn.")
    bid.status = BidStatus.WITHDRAWN
    bid.save(update_fields=["status", "updated_at"])
    receipt = BidReceipt.objects.create(
        bid=bid, kind=ReceiptKind.WITHDRAWN, at=now, digest=bid.digest, by=actor
    )
    audit.record(
        actor=actor,
        action="bid.withdrawn",
        obj=bid,
        organisation=bid.bidder,
        data={"receipt": receipt.number, "digest": bid.digest},
    )
    return receipt


def commitment_total(bid: Bid) -> Decimal:
    """The monetised total of a bid's commitments as stored (pounds)."""
    return sum((c.monetised_value or Decimal(0) for c in bid.commitments.all()), Decimal(0))
