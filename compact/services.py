"""State changes of the Compact's part of the service: one function each, in a transaction,
checking who may act (PermissionDenied) and what the Compact asks (ValidationError naming the
field), and writing the audit trail. Definitions change only through their own services."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from compact import checks, selectors
from compact.models import (
    Consultation,
    ConsultationDocument,
    ConsultationResponse,
    DecommissioningAssessment,
    DecommissioningComment,
    GroupMember,
    GroupPosition,
    GroupView,
    JointStrategy,
    LocalCommitment,
    LocalCompact,
    ResponseAttachment,
    ReviewComment,
    Sector,
    Signatory,
    StrategyReview,
)
from compact.permissions import responding_organisation_ids
from socialvalue.core import audit
from socialvalue.core.models import Organisation, OrganisationKind, User
from socialvalue.core.permissions import can, roles_by_organisation
from socialvalue.definitions.models import LocalDefinition, Priority
from tenders.services.uploads import attachment_max_bytes, attachment_types


def _require(actor: User, permission: str, obj=None) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied


def _record(actor, action: str, obj, organisation, **data) -> None:
    audit.record(actor=actor, action=action, obj=obj, organisation=organisation, data=data)


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- local Compacts ------------------------------------------------------------------------


# The first part of the Compact's other addresses (compact/urls.py): a local Compact's own
# address (/compact/<slug>/) must not be one of them.
RESERVED_SLUGS = frozenset(
    {
        "new",
        "consultations",
        "consultation-documents",
        "response-attachments",
        "decommissioning",
        "reviews",
        "comments",
        "strategies",
        "signatories",
    }
)


@transaction.atomic
def local_compact_create(
    *,
    actor: User,
    group: Organisation,
    title: str,
    area: str,
    agreed_on: date,
    review_on: date,
    authorities: Sequence[Organisation],
    summary: str = "",
) -> LocalCompact:
    """Record an area's Compact, kept by its Compact group."""
    compact = LocalCompact(
        group=group,
        title=_text(title),
        area=_text(area),
        summary=_text(summary),
        agreed_on=agreed_on,
        review_on=review_on,
    )
    _require(actor, "compact.change_local_compact", compact)
    errors = {}
    if group.kind != OrganisationKind.COMPACT_GROUP:
        errors["group"] = "Only a Compact group keeps a local Compact."
    if review_on <= agreed_on:
        errors["review_on"] = "The review date must be after the date the Compact was agreed."
    if not authorities or any(a.kind != OrganisationKind.AUTHORITY for a in authorities):
        errors["authorities"] = "Choose the commissioning bodies in the Compact's area."
    if errors:
        raise ValidationError(errors)
    base = slugify(compact.title)[:200] or "local-compact"
    if base in RESERVED_SLUGS:
        base = f"{base}-compact"
    slug, number = base, 2
    while LocalCompact.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    compact.slug = slug
    compact.full_clean(exclude=["authorities"])
    compact.save()
    compact.authorities.set(authorities)
    _record(actor, "compact.created", compact, group, authorities=[a.pk for a in authorities])
    return compact


@transaction.atomic
def signatory_add(
    *,
    actor: User,
    compact: LocalCompact,
    sector: str,
    organisation: Organisation | None = None,
    name: str = "",
    signed_on: date | None = None,
    note: str = "",
) -> Signatory:
    """Add a body that signed the Compact (with the date) or was invited and has not signed."""
    _require(actor, "compact.change_local_compact", compact)
    errors = {}
    if organisation is None and not _text(name):
        errors["name"] = "Choose an organisation on the service or enter the body's name."
    if sector not in Sector.values:
        errors["sector"] = "Choose public body or voluntary and community sector."
    if signed_on is not None and signed_on > timezone.localdate():
        errors["signed_on"] = "The date signed must be today or earlier."
    if errors:
        raise ValidationError(errors)
    signatory = Signatory.objects.create(
        compact=compact,
        organisation=organisation,
        name="" if organisation else _text(name),
        sector=sector,
        signed_on=signed_on,
        note=_text(note),
    )
    _record(
        actor,
        "compact.signatory_added",
        signatory,
        compact.group,
        compact=compact.pk,
        signed_on=signed_on,
    )
    return signatory


@transaction.atomic
def signatory_signed(*, actor: User, signatory: Signatory, signed_on: date) -> Signatory:
    """Record the date a body that had not signed signed the Compact."""
    _require(actor, "compact.change_local_compact", signatory.compact)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The date signed must be today or earlier."})
    signatory.signed_on = signed_on
    signatory.save(update_fields=["signed_on"])
    _record(
        actor,
        "compact.signatory_signed",
        signatory,
        signatory.compact.group,
        compact=signatory.compact_id,
        signed_on=signed_on,
    )
    return signatory


@transaction.atomic
def commitment_add(
    *, actor: User, compact: LocalCompact, text: str, national_key: str = ""
) -> LocalCommitment:
    """Add a local commitment, optionally under one of the national Compact's commitments."""
    _require(actor, "compact.change_local_compact", compact)
    if not _text(text):
        raise ValidationError({"text": "Enter the commitment."})
    keys = {c.key for c in checks.load().commitments}
    if national_key and national_key not in keys:
        raise ValidationError({"national_key": "Choose one of the national commitments."})
    commitment = LocalCommitment.objects.create(
        compact=compact,
        text=_text(text),
        national_key=national_key,
        order=compact.commitments.count(),
    )
    _record(actor, "compact.commitment_added", commitment, compact.group, compact=compact.pk)
    return commitment


@transaction.atomic
def member_add(
    *, actor: User, compact: LocalCompact, organisation: Organisation, role: str
) -> GroupMember:
    """Seat an organisation on the Compact group: public bodies and voluntary organisations."""
    _require(actor, "compact.change_local_compact", compact)
    if organisation.kind == OrganisationKind.COMPACT_GROUP:
        raise ValidationError({"organisation": "Choose a public body or voluntary organisation."})
    if GroupMember.objects.filter(compact=compact, organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} is already a member."})
    sector = Sector.PUBLIC if organisation.kind == OrganisationKind.AUTHORITY else Sector.VOLUNTARY
    member = GroupMember(compact=compact, organisation=organisation, sector=sector, role=role)
    member.full_clean()
    member.save()
    _record(actor, "compact.member_added", member, compact.group, role=role)
    return member


# --- reviews of definitions ------------------------------------------------------------------


@transaction.atomic
def review_comment(
    *,
    actor: User,
    definition: LocalDefinition,
    body: str,
    priority: Priority | None = None,
    parent: ReviewComment | None = None,
) -> ReviewComment:
    """Comment on a definition in review (or one of its priorities), or reply in a thread. Only
    members of the reviewing group, and the definition's authors, may."""
    _require(actor, "compact.comment_on_review", definition)
    if not _text(body):
        raise ValidationError({"body": "Enter your comment."})
    if priority is not None and priority.definition_id != definition.pk:
        raise ValidationError({"priority": "Choose a priority of this definition."})
    if parent is not None:
        if parent.definition_id != definition.pk or parent.parent_id is not None:
            raise ValidationError({"parent": "Reply to a comment on this definition."})
        priority = parent.priority
    # The definition's authors reply for its owner; everyone else speaks in the group.
    organisation_id = (
        definition.owner_id
        if can(actor, "socialvalue.change_definition", definition)
        else definition.review_group_id
    )
    comment = ReviewComment.objects.create(
        definition=definition,
        priority=priority,
        parent=parent,
        author=actor,
        organisation_id=organisation_id,
        body=_text(body),
    )
    _record(
        actor,
        "compact.review_commented",
        comment,
        definition.owner,
        definition=definition.pk,
        priority=getattr(priority, "pk", None),
        reply_to=getattr(parent, "pk", None),
    )
    return comment


@transaction.atomic
def review_comment_resolve(
    *, actor: User, comment: ReviewComment, resolution: str
) -> ReviewComment:
    """The definition's author marks a thread resolved and says how."""
    _require(actor, "compact.resolve_comment", comment.definition)
    if comment.parent_id is not None:
        raise ValidationError("Resolve the thread from its first comment.")
    if comment.resolved_at is not None:
        raise ValidationError("This thread is already resolved.")
    if not _text(resolution):
        raise ValidationError({"resolution": "Say how the comment was resolved."})
    comment.resolution = _text(resolution)
    comment.resolved_at, comment.resolved_by = timezone.now(), actor
    comment.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    _record(
        actor,
        "compact.review_resolved",
        comment,
        comment.definition.owner,
        definition=comment.definition_id,
    )
    return comment


@transaction.atomic
def group_view_record(
    *, actor: User, definition: LocalDefinition, position: str, reasons: str
) -> GroupView:
    """Record the reviewing group's view of a definition in review, with its reasons."""
    _require(actor, "compact.record_group_view", definition)
    errors = {}
    if position not in GroupPosition.values:
        errors["position"] = "Choose support, support with changes or object."
    if not _text(reasons):
        errors["reasons"] = "Give the group's reasons."
    if errors:
        raise ValidationError(errors)
    view = GroupView.objects.create(
        definition=definition,
        group_id=definition.review_group_id,
        position=position,
        reasons=_text(reasons),
        recorded_by=actor,
    )
    _record(
        actor,
        "compact.group_view_recorded",
        view,
        definition.owner,
        definition=definition.pk,
        position=position,
    )
    return view


# --- joint strategy ---------------------------------------------------------------------------


def _check_strategy(review_every_months: int | None, next_review_on: date | None) -> None:
    errors = {}
    if not review_every_months or not 1 <= review_every_months <= 60:
        errors["review_every_months"] = "Enter how often it is reviewed, from 1 to 60 months."
    if next_review_on is None:
        errors["next_review_on"] = "Enter the date of the next review."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def strategy_create(
    *,
    actor: User,
    compact: LocalCompact,
    title: str,
    policy: str,
    lead_officer: str,
    review_every_months: int,
    next_review_on: date,
    charter: str = "",
    definition: LocalDefinition | None = None,
) -> JointStrategy:
    """Record the area's joint social value strategy and how it is embedded."""
    _require(actor, "compact.change_strategy", compact)
    _check_strategy(review_every_months, next_review_on)
    strategy = JointStrategy(
        compact=compact,
        title=_text(title),
        definition=definition,
        policy=_text(policy),
        charter=_text(charter),
        lead_officer=_text(lead_officer),
        review_every_months=review_every_months,
        next_review_on=next_review_on,
        created_by=actor,
    )
    strategy.full_clean()
    strategy.save()
    _record(actor, "compact.strategy_created", strategy, compact.group, compact=compact.pk)
    return strategy


@transaction.atomic
def strategy_review_record(
    *,
    actor: User,
    strategy: JointStrategy,
    reviewed_on: date,
    findings: str,
    next_review_on: date | None = None,
    changes: str = "",
) -> StrategyReview:
    """Record a review of the strategy; the next review falls a schedule's length later unless
    another date is given."""
    _require(actor, "compact.change_strategy", strategy)
    errors = {}
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The date of the review must be today or earlier."
    if not _text(findings):
        errors["findings"] = "Say what the review found."
    next_review_on = next_review_on or checks.add_months(reviewed_on, strategy.review_every_months)
    if next_review_on <= reviewed_on:
        errors["next_review_on"] = "The next review must be after this one."
    if errors:
        raise ValidationError(errors)
    review = StrategyReview.objects.create(
        strategy=strategy,
        reviewed_on=reviewed_on,
        findings=_text(findings),
        changes=_text(changes),
        next_review_on=next_review_on,
        recorded_by=actor,
    )
    strategy.next_review_on = next_review_on
    strategy.reminded_for = None
    strategy.save(update_fields=["next_review_on", "reminded_for"])
    _record(
        actor,
        "compact.strategy_reviewed",
        strategy,
        strategy.compact.group,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
    )
    return review


# --- consultations ----------------------------------------------------------------------------


def consultation_problems(
    *, starts_on: date | None, ends_on: date | None, shorter_reason: str
) -> dict[str, str]:
    """What the 12-week check refuses, by field: dates in the wrong order, or a shorter
    consultation with no reason."""
    if starts_on is None or ends_on is None:
        return {}
    if ends_on <= starts_on:
        return {"ends_on": "The closing date must be after the opening date."}
    rules = selectors.compact_rules(on_date=starts_on)
    length = checks.consultation_length(starts_on, ends_on, rules)
    if length.shorter and not _text(shorter_reason):
        return {
            "shorter_reason": f"This consultation runs {length.weeks} weeks"
            f"{f' and {length.extra_days} days' if length.extra_days else ''}, shorter than the "
            f"Compact's {rules.consultation_weeks} weeks: explain why. The reason is published "
            "with the consultation."
        }
    return {}


@transaction.atomic
def consultation_create(
    *,
    actor: User,
    authority: Organisation,
    title: str,
    subject: str,
    description: str,
    audience: str,
    starts_on: date,
    ends_on: date,
    shorter_reason: str = "",
    planned_contract=None,
    compact: LocalCompact | None = None,
) -> Consultation:
    """Open a consultation (public from its opening date). Shorter than 12 weeks needs a reason."""
    consultation = Consultation(
        authority=authority,
        compact=compact or selectors.compact_for_authority(authority),
        title=_text(title),
        subject=subject,
        planned_contract=planned_contract,
        description=_text(description),
        audience=_text(audience),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    _require(actor, "compact.change_consultation", consultation)
    errors = consultation_problems(
        starts_on=starts_on, ends_on=ends_on, shorter_reason=shorter_reason
    )
    if planned_contract is not None and planned_contract.authority_id != authority.pk:
        errors["planned_contract"] = "Choose one of this authority's planned contracts."
    if errors:
        raise ValidationError(errors)
    rules = selectors.compact_rules(on_date=starts_on)
    shorter = checks.consultation_length(starts_on, ends_on, rules).shorter
    consultation.shorter_reason = _text(shorter_reason) if shorter else ""
    consultation.full_clean()
    consultation.save()
    _record(
        actor,
        "compact.consultation_opened",
        consultation,
        authority,
        starts_on=starts_on,
        ends_on=ends_on,
        shorter=shorter,
        planned_contract=getattr(planned_contract, "pk", None),
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor: User,
    consultation: Consultation,
    title: str,
    subject: str,
    description: str,
    audience: str,
    starts_on: date,
    ends_on: date,
    shorter_reason: str = "",
    planned_contract=None,
    authority: Organisation | None = None,
) -> Consultation:
    """Change a consultation before it opens (what is announced stays once it is public), with
    the same 12-week check as opening one. The audit trail keeps each changed field's old and new
    value. The authority consulting does not change (``authority`` is accepted from the form and
    must be the same)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not can(actor, "compact.change_consultation", consultation):
        raise PermissionDenied
    if not can(actor, "compact.edit_consultation", consultation):
        raise ValidationError(
            "This consultation has opened: what was announced stays as it was. Add a document "
            "to correct or explain it."
        )
    errors = consultation_problems(
        starts_on=starts_on, ends_on=ends_on, shorter_reason=shorter_reason
    )
    if authority is not None and authority.pk != consultation.authority_id:
        errors["authority"] = "The authority consulting cannot change; open a new consultation."
    if planned_contract is not None and planned_contract.authority_id != consultation.authority_id:
        errors["planned_contract"] = "Choose one of this authority's planned contracts."
    if errors:
        raise ValidationError(errors)
    rules = selectors.compact_rules(on_date=starts_on)
    shorter = checks.consultation_length(starts_on, ends_on, rules).shorter
    new = {
        "title": _text(title),
        "subject": subject,
        "description": _text(description),
        "audience": _text(audience),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "shorter_reason": _text(shorter_reason) if shorter else "",
        "planned_contract": planned_contract,
    }
    changed = {}
    for name, value in new.items():
        old = getattr(consultation, name)
        if old != value:
            changed[name] = [_audit_value(old), _audit_value(value)]
            setattr(consultation, name, value)
    if not changed:
        return consultation
    consultation.full_clean()
    consultation.save()
    _record(
        actor,
        "compact.consultation_changed",
        consultation,
        consultation.authority,
        changed=changed,
    )
    return consultation


def _audit_value(value):
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "pk", str(value))


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable file, under the service's attachment limits."""
    limit = attachment_max_bytes()
    if not upload or upload.size is None or upload.size > limit:
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
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        raise ValidationError({"file": "The file is not a real PDF file."})
    return suffix, types[suffix]


def _store(row, *, actor: User, upload: UploadedFile, stem: str):
    """Check an upload and save it with its row (a StoredFile) through the storage API."""
    suffix, content_type = _check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    row.original_name = PurePosixPath(upload.name).name[:255]
    row.content_type = content_type
    row.size = upload.size
    row.sha256 = digest.hexdigest()
    row.uploaded_by = actor
    row.file.save(f"{stem}{suffix}", upload, save=False)
    row.save()
    return row


@transaction.atomic
def consultation_document_add(
    *, actor: User, consultation: Consultation, title: str, upload: UploadedFile
) -> ConsultationDocument:
    """Add a document to a consultation (stored through the storage API)."""
    _require(actor, "compact.change_consultation", consultation)
    if not _text(title):
        raise ValidationError({"title": "Enter the document's title."})
    document = _store(
        ConsultationDocument(consultation=consultation, title=_text(title)),
        actor=actor,
        upload=upload,
        stem="consultation",
    )
    _record(
        actor,
        "compact.consultation_document_added",
        document,
        consultation.authority,
        consultation=consultation.pk,
        sha256=document.sha256,
    )
    return document


@transaction.atomic
def consultation_respond(
    *,
    actor: User,
    consultation: Consultation,
    organisation: Organisation,
    body: str,
    uploads: Sequence[UploadedFile] = (),
) -> ConsultationResponse:
    """An organisation's response, with any attachments, while the consultation is open."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require(actor, "compact.respond_to_consultation", consultation)
    if organisation.pk not in responding_organisation_ids(actor):
        raise ValidationError({"organisation": "Choose an organisation you respond for."})
    if not _text(body):
        raise ValidationError({"body": "Enter your response."})
    response = ConsultationResponse.objects.create(
        consultation=consultation, organisation=organisation, submitted_by=actor, body=_text(body)
    )
    for upload in uploads:
        _store(ResponseAttachment(response=response), actor=actor, upload=upload, stem="response")
    _record(
        actor,
        "compact.consultation_responded",
        response,
        organisation,
        consultation=consultation.pk,
        attachments=len(uploads),
    )
    return response


@transaction.atomic
def consultation_publish_response(
    *, actor: User, consultation: Consultation, summary: str, you_said_we_did: str
) -> Consultation:
    """Publish the summary of responses and what changed as a result, once it has closed."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require(actor, "compact.change_consultation", consultation)
    errors = {}
    if not consultation.is_closed:
        errors["summary"] = "Publish the response once the consultation has closed."
    if not _text(summary):
        errors["summary"] = errors.get("summary") or "Summarise the responses."
    if not _text(you_said_we_did):
        errors["you_said_we_did"] = "Say what changed as a result (you said, we did)."
    if errors:
        raise ValidationError(errors)
    consultation.response_summary = _text(summary)
    consultation.you_said_we_did = _text(you_said_we_did)
    consultation.response_published_at = timezone.now()
    consultation.response_published_by = actor
    consultation.save()
    _record(actor, "compact.consultation_response_published", consultation, consultation.authority)
    return consultation


# --- decommissioning --------------------------------------------------------------------------


def decommissioning_problems(fields: dict) -> dict[str, str]:
    """What a decommissioning assessment lacks, by field: advice sought, each impact with its
    mitigation, the three wider impacts, dates in order, and a reason for short notice."""
    labels = {
        "advice_sought": "Say what advice was sought from relevant voluntary groups.",
        "beneficiaries_impact": "Assess the impact on beneficiaries.",
        "beneficiaries_mitigation": "Say how the impact on beneficiaries is mitigated.",
        "service_users_impact": "Assess the impact on service users.",
        "service_users_mitigation": "Say how the impact on service users is mitigated.",
        "volunteers_impact": "Assess the impact on volunteers.",
        "volunteers_mitigation": "Say how the impact on volunteers is mitigated.",
        "social_impact": "Assess the social impact.",
        "economic_impact": "Assess the economic impact.",
        "environmental_impact": "Assess the environmental impact.",
    }
    errors = {name: message for name, message in labels.items() if not _text(fields.get(name))}
    notice_on, ends_on = fields.get("notice_given_on"), fields.get("ends_on")
    if notice_on and ends_on:
        if ends_on <= notice_on:
            errors["ends_on"] = "The date the change takes effect must be after the notice date."
        else:
            rules = selectors.compact_rules(on_date=notice_on)
            notice = checks.notice_given(notice_on, ends_on, rules)
            if notice.short and not _text(fields.get("short_notice_reason")):
                errors["short_notice_reason"] = (
                    f"Notice of {notice.days} days is under the Compact's minimum of "
                    f"{rules.minimum_notice_months} months: explain why."
                )
    return errors


@transaction.atomic
def decommissioning_record(
    *,
    actor: User,
    authority: Organisation,
    service: str,
    change: str,
    notice_given_on: date,
    ends_on: date,
    provider: Organisation | None = None,
    tender=None,
    **assessment: str,
) -> DecommissioningAssessment:
    """Record the assessment made before reducing or ending a service or its funding."""
    fields = {**assessment, "notice_given_on": notice_given_on, "ends_on": ends_on}
    record = DecommissioningAssessment(
        authority=authority,
        compact=selectors.compact_for_authority(authority),
        provider=provider,
        tender=tender,
        service=_text(service),
        change=change,
        notice_given_on=notice_given_on,
        ends_on=ends_on,
        created_by=actor,
        **{name: _text(value) for name, value in assessment.items()},
    )
    _require(actor, "compact.change_consultation", record)
    errors = decommissioning_problems(fields)
    if tender is not None and tender.authority_id != authority.pk:
        errors["tender"] = "Choose one of this authority's contracts."
    if errors:
        raise ValidationError(errors)
    rules = selectors.compact_rules(on_date=notice_given_on)
    if not checks.notice_given(notice_given_on, ends_on, rules).short:
        record.short_notice_reason = ""
    record.full_clean()
    record.save()
    _record(
        actor,
        "compact.decommissioning_recorded",
        record,
        authority,
        notice_given_on=notice_given_on,
        ends_on=ends_on,
        provider=getattr(provider, "pk", None),
    )
    return record


@transaction.atomic
def decommissioning_comment(
    *, actor: User, assessment: DecommissioningAssessment, body: str
) -> DecommissioningComment:
    """A Compact group member's comment on an assessment (or the authority's answer)."""
    _require(actor, "compact.comment_on_decommissioning", assessment)
    if not _text(body):
        raise ValidationError({"body": "Enter your comment."})
    roles = roles_by_organisation(actor)
    group_id = assessment.compact.group_id if assessment.compact_id else None
    organisation_id = assessment.authority_id if assessment.authority_id in roles else group_id
    comment = DecommissioningComment.objects.create(
        assessment=assessment, author=actor, organisation_id=organisation_id, body=_text(body)
    )
    _record(
        actor,
        "compact.decommissioning_commented",
        comment,
        assessment.authority,
        assessment=assessment.pk,
    )
    return comment
