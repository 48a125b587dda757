"""Every change to a contract's delivery: one function each, keyword-only, in a transaction,
written to the audit trail. Views, the demo and jobs call these; none writes a status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from measurement.delivery import schedule
from measurement.delivery.models import (
    DeliveryPublication,
    DeliveryReturn,
    DeliverySchedule,
    EvidenceItem,
    LineQuery,
    LineStatus,
    PerformanceFailure,
    PeriodTarget,
    Remedy,
    RemedyOutcome,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
    TargetChange,
)
from measurement.delivery.selectors import contract_figures
from measurement.selectors import proportionality_for
from socialvalue.core import audit, public_cache
from socialvalue.core.permissions import can
from tenders.models import Contract, ContractCommitment
from tenders.services.uploads import _check_upload, _store_file

ADJUSTMENTS = ("deadweight", "attribution", "displacement", "drop_off")


def _require(actor, permission: str, obj) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied


def _rules(on_date: date) -> schedule.Rules:
    return schedule.rules_in_force(schedule.load_rules(), on_date)


@transaction.atomic
def schedule_create(*, actor, contract: Contract) -> DeliverySchedule:
    """Turn the contract's commitments into its social value schedule: reporting periods at
    the frequency of its proportionality band, and each commitment's quantity shared across
    them as targets. Done once; later changes go through ``target_change``."""
    _require(actor, "delivery.manage_delivery", contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if DeliverySchedule.objects.filter(contract=contract).exists():
        raise ValidationError("This contract already has its social value schedule.")
    suggestion = proportionality_for(contract_value=contract.value, on_date=contract.signed_on)
    band = suggestion.band
    plan = schedule.periods(
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        reporting=band.reporting,
        rules=_rules(contract.signed_on),
    )
    delivery = DeliverySchedule.objects.create(
        contract=contract,
        band_key=band.key,
        band_label=band.label,
        reporting=band.reporting,
        max_measures=band.max_measures,
        evidence=band.evidence,
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            contract=contract,
            number=p.number,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            due_on=p.due_on,
        )
        for p in plan
    )
    targets = []
    commitments = list(contract.commitments.all())
    for commitment in commitments:
        shares = schedule.split_target(commitment.quantity, len(periods))
        targets += [
            PeriodTarget(commitment=commitment, period=period, quantity=share)
            for period, share in zip(periods, shares, strict=True)
        ]
    PeriodTarget.objects.bulk_create(targets)
    audit.record(
        actor=actor,
        action="delivery.schedule_created",
        obj=contract,
        organisation=contract.tender.authority,
        data={
            "band": band.key,
            "reporting": band.reporting,
            "periods": len(periods),
            "commitments": len(commitments),
            "max_measures": band.max_measures,
        },
    )
    return delivery


@transaction.atomic
def assumptions_set(
    *,
    actor,
    contract: Contract,
    deadweight: Decimal,
    attribution: Decimal,
    displacement: Decimal,
    drop_off: Decimal,
    duration_years: int,
    include_unconfirmed: bool,
) -> DeliverySchedule:
    """Set the contract's net assumptions, the same for every commitment (and every bid)."""
    _require(actor, "delivery.manage_delivery", contract)
    delivery = DeliverySchedule.objects.select_for_update().get(contract=contract)
    values = {
        "deadweight": deadweight,
        "attribution": attribution,
        "displacement": displacement,
        "drop_off": drop_off,
    }
    errors = {}
    for name, value in values.items():
        if value is None or not (0 <= value <= 100):
            errors[name] = "Enter a percentage from 0 to 100."
    if not isinstance(duration_years, int) or not 1 <= duration_years <= 30:
        errors["duration_years"] = "Enter a whole number of years from 1 to 30."
    if errors:
        raise ValidationError(errors)
    before = {name: str(getattr(delivery, name)) for name in (*ADJUSTMENTS, "duration_years")}
    for name, value in values.items():
        setattr(delivery, name, value)
    delivery.duration_years = duration_years
    delivery.include_unconfirmed = include_unconfirmed
    delivery.save()
    audit.record(
        actor=actor,
        action="delivery.assumptions_set",
        obj=contract,
        organisation=contract.tender.authority,
        data={
            "before": before,
            **values,
            "duration_years": duration_years,
            "include_unconfirmed": include_unconfirmed,
        },
    )
    return delivery


@transaction.atomic
def target_change(*, actor, target: PeriodTarget, quantity: Decimal, reason: str) -> TargetChange:
    """An agreed change to one period's target, with its reason (never silent)."""
    contract = target.period.contract
    _require(actor, "delivery.manage_delivery", contract)
    target = PeriodTarget.objects.select_for_update().get(pk=target.pk)
    errors = {}
    if quantity is None or quantity < 0:
        errors["quantity"] = "Enter a target of zero or more."
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the change agreed with the supplier."
    if errors:
        raise ValidationError(errors)
    change = TargetChange.objects.create(
        target=target,
        previous_quantity=target.quantity,
        new_quantity=quantity,
        reason=reason.strip(),
        changed_by=actor,
        changed_at=timezone.now(),
    )
    target.quantity = quantity
    target.save(update_fields=["quantity"])
    audit.record(
        actor=actor,
        action="delivery.target_changed",
        obj=target.commitment,
        organisation=contract.tender.authority,
        data={
            "period": target.period.number,
            "from": change.previous_quantity,
            "to": quantity,
            "reason": change.reason,
        },
    )
    return change


@transaction.atomic
def evidence_add(*, actor, supplier, upload, description: str) -> EvidenceItem:
    """Add a file to the supplier's evidence library (checked type, size and contents)."""
    _require(actor, "delivery.keep_evidence", supplier)
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Say what the file shows."
    checked = None
    try:
        checked = _check_upload(upload) if upload is not None else None
    except ValidationError as error:
        errors.update(error.message_dict)
    if upload is None:
        errors["file"] = "Choose a file."
    if errors:
        raise ValidationError(errors)
    item = _store_file(
        EvidenceItem(supplier=supplier, description=description.strip()[:500]),
        actor=actor,
        upload=upload,
        stem="evidence",
        checked=checked,
    )
    audit.record(
        actor=actor,
        action="delivery.evidence_added",
        obj=item,
        organisation=supplier,
        data={"name": item.original_name, "sha256": item.sha256},
    )
    return item


@dataclass
class LineInput:
    """What the supplier typed for one commitment: the quantity as text (checked here),
    a variance note and the chosen evidence ids."""

    quantity: str
    variance_note: str = ""
    evidence_ids: Sequence[int] = field(default_factory=tuple)


def _parse_quantity(text) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValueError("Enter the quantity as a number, like 12 or 12.5.") from None
    if not value.is_finite():
        raise ValueError("Enter the quantity as a number, like 12 or 12.5.")
    if value < 0:
        raise ValueError("The quantity cannot be negative.")
    if value >= Decimal("1e12") or value != value.quantize(Decimal("0.01")):
        raise ValueError("Enter a quantity below 1,000,000,000,000 with at most 2 decimal places.")
    return value


@transaction.atomic
def return_save(
    *,
    actor,
    period: ReportingPeriod,
    lines: Mapping[int, LineInput],
    submit: bool,
    today: date | None = None,
) -> DeliveryReturn:
    """Save (and, with ``submit``, send) the supplier's return for a period: a quantity for
    every commitment of the contract, evidence from the supplier's own library, and a note
    on variance. Errors name the field: ``period`` or ``quantity_<commitment id>``."""
    contract = period.contract
    _require(actor, "delivery.report_delivery", contract)
    today = today or timezone.localdate()
    if period.starts_on > today:
        raise ValidationError({"period": "This period has not begun: report once it starts."})
    delivery_return, _ = DeliveryReturn.objects.select_for_update().get_or_create(period=period)
    if delivery_return.status == ReturnStatus.SUBMITTED:
        raise ValidationError(
            {"period": "This return has been sent; answer any queries on its lines instead."}
        )
    commitments = {c.pk: c for c in contract.commitments.all()}
    own_evidence = set(
        EvidenceItem.objects.filter(supplier_id=contract.supplier_id).values_list("pk", flat=True)
    )
    errors: dict[str, str] = {}
    parsed: dict[int, Decimal] = {}
    for commitment_id in commitments:
        given = lines.get(commitment_id)
        if given is None or str(given.quantity).strip() == "":
            if submit:
                errors[f"quantity_{commitment_id}"] = "Enter the quantity delivered (0 if none)."
            continue
        try:
            parsed[commitment_id] = _parse_quantity(given.quantity)
        except ValueError as error:
            errors[f"quantity_{commitment_id}"] = str(error)
        if set(given.evidence_ids) - own_evidence:
            errors[f"evidence_{commitment_id}"] = "Choose evidence from your own library."
    unknown = set(lines) - set(commitments)
    if unknown:
        errors["period"] = "A line names a commitment this contract does not have."
    if errors:
        raise ValidationError(errors)
    for commitment_id, quantity in parsed.items():
        given = lines[commitment_id]
        line, _ = ReturnLine.objects.update_or_create(
            delivery_return=delivery_return,
            commitment_id=commitment_id,
            defaults={"quantity": quantity, "variance_note": given.variance_note.strip()},
        )
        line.evidence.set(list(given.evidence_ids))
    if submit:
        delivery_return.status = ReturnStatus.SUBMITTED
        delivery_return.submitted_at = timezone.now()
        delivery_return.submitted_by = actor
        delivery_return.save()
        sample_choose(actor=actor, delivery_return=delivery_return, today=today)
    audit.record(
        actor=actor,
        action="delivery.return_submitted" if submit else "delivery.return_saved",
        obj=delivery_return,
        organisation=contract.supplier,
        data={"period": period.number, "lines": {str(k): v for k, v in parsed.items()}},
    )
    return delivery_return


DECISIONS = {
    "accept": LineStatus.ACCEPTED,
    "query": LineStatus.QUERIED,
    "reject": LineStatus.REJECTED,
}


def _forget_public_delivery(authority_id: int) -> None:
    """An accepted or rejected line changes the authority's public delivery page when it
    publishes its delivery: drop the stored public pages once the decision is committed."""
    if DeliveryPublication.objects.filter(authority_id=authority_id, published=True).exists():
        transaction.on_commit(public_cache.forget_public_pages)


@transaction.atomic
def line_decide(*, actor, line: ReturnLine, decision: str, reason: str = "") -> ReturnLine:
    """The authority accepts, queries (the reason is the question) or rejects one line.
    Only accepted quantities count as delivered."""
    contract = line.delivery_return.period.contract
    _require(actor, "delivery.verify_delivery", contract)
    line = ReturnLine.objects.select_for_update().select_related("delivery_return").get(pk=line.pk)
    if line.delivery_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError({"decision": "Only a sent return is verified."})
    if line.status not in (LineStatus.PENDING, LineStatus.ANSWERED):
        raise ValidationError(
            {"decision": "This line has been decided, or waits for the supplier's answer."}
        )
    status = DECISIONS.get(decision)
    if status is None:
        raise ValidationError({"decision": "Choose accept, query or reject."})
    reason = (reason or "").strip()
    if status != LineStatus.ACCEPTED and not reason:
        raise ValidationError(
            {"reason": "Give the question to ask." if decision == "query" else "Give the reason."}
        )
    now = timezone.now()
    line.status = status
    line.decision_reason = reason
    line.decided_by = actor
    line.decided_at = now
    if status == LineStatus.QUERIED:
        line.query_count += 1
        LineQuery.objects.create(line=line, question=reason, asked_by=actor, asked_at=now)
    line.save()
    audit.record(
        actor=actor,
        action=f"delivery.line_{status}",
        obj=line,
        organisation=contract.tender.authority,
        data={"quantity": line.quantity, "reason": reason, "queries": line.query_count},
    )
    if status != LineStatus.QUERIED:
        _forget_public_delivery(contract.tender.authority_id)
    return line


@transaction.atomic
def query_answer(*, actor, line: ReturnLine, answer: str) -> LineQuery:
    """The supplier answers the open query on a line; the line goes back for verification."""
    contract = line.delivery_return.period.contract
    _require(actor, "delivery.report_delivery", contract)
    line = ReturnLine.objects.select_for_update().get(pk=line.pk)
    if line.status != LineStatus.QUERIED:
        raise ValidationError({"answer": "This line has no open query."})
    if not (answer or "").strip():
        raise ValidationError({"answer": "Enter your answer to the question."})
    query = line.queries.filter(answered_at__isnull=True).order_by("-asked_at").first()
    query.answer = answer.strip()
    query.answered_by = actor
    query.answered_at = timezone.now()
    query.save()
    line.status = LineStatus.ANSWERED
    line.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="delivery.query_answered",
        obj=line,
        organisation=contract.supplier,
        data={"answer": query.answer},
    )
    return query


# --------------------------------------------------------------------------- sample checks


@transaction.atomic
def sample_choose(
    *, actor, delivery_return: DeliveryReturn, today: date | None = None
) -> list[int]:
    """Mark the lines of a sent return the authority verifies in depth with their evidence:
    the share of lines its value band sets (data/delivery.json, the service's choice), chosen
    reproducibly from the return's id. Called when the supplier sends the return."""
    contract = delivery_return.period.contract
    _require(actor, "delivery.report_delivery", contract)
    today = today or timezone.localdate()
    rule = schedule.sample_rule_in_force(schedule.load_sample_rules(), today)
    band = DeliverySchedule.objects.get(contract=contract).band_key
    share = rule.share_by_band.get(band, Decimal(100))
    line_ids = list(delivery_return.lines.values_list("pk", flat=True))
    chosen = schedule.sample_lines(
        line_ids, seed=delivery_return.pk, share=share, minimum=rule.minimum_lines
    )
    delivery_return.lines.update(sample_check=False)
    delivery_return.lines.filter(pk__in=chosen).update(sample_check=True)
    audit.record(
        actor=actor,
        action="delivery.sample_chosen",
        obj=delivery_return,
        organisation=contract.tender.authority,
        data={"band": band, "share": share, "lines": len(line_ids), "chosen": sorted(chosen)},
    )
    return sorted(chosen)


@transaction.atomic
def lines_accept_unsampled(
    *, actor, delivery_return: DeliveryReturn, note: str
) -> list[ReturnLine]:
    """Accept together every line of a sent return that awaits verification and was not
    chosen for an in-depth check, with a note saying what was looked at. The chosen lines,
    and lines the supplier answered a query on, are decided one by one."""
    contract = delivery_return.period.contract
    _require(actor, "delivery.accept_unsampled_lines", contract)
    delivery_return = DeliveryReturn.objects.select_for_update().get(pk=delivery_return.pk)
    if delivery_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError({"note": "Only a sent return is verified."})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what you checked before accepting these lines."})
    lines = list(
        delivery_return.lines.select_for_update()
        .filter(status=LineStatus.PENDING, sample_check=False)
        .order_by("pk")
    )
    if not lines:
        raise ValidationError({"note": "No line outside the sample awaits verification."})
    now = timezone.now()
    for line in lines:
        line.status = LineStatus.ACCEPTED
        line.decision_reason = note
        line.decided_by = actor
        line.decided_at = now
    ReturnLine.objects.bulk_update(lines, ["status", "decision_reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="delivery.lines_accepted_together",
        obj=delivery_return,
        organisation=contract.tender.authority,
        data={
            "note": note,
            "lines": {str(line.pk): line.quantity for line in lines},
        },
    )
    _forget_public_delivery(contract.tender.authority_id)
    return lines


# --------------------------------------------------------------------------- remedies


def _check_at_risk(contract: Contract, commitment: ContractCommitment | None) -> str | None:
    """Why a remedy may not be recorded here (None when delivery is at risk)."""
    figures = contract_figures(contract)
    if commitment is None:
        return None if figures.at_risk else "Delivery of this contract is not at risk."
    row = next((r for r in figures.commitments if r.commitment.pk == commitment.pk), None)
    if row is None or not row.at_risk:
        return "This commitment is not at risk: choose one flagged at risk, or the whole contract."
    return None


def _commitment_of(contract: Contract, commitment) -> ContractCommitment | None:
    if commitment is None:
        return None
    if commitment.contract_id != contract.pk:
        raise ValidationError({"commitment": "Choose a commitment of this contract."})
    return commitment


@transaction.atomic
def remedy_record(
    *,
    actor,
    contract: Contract,
    agreed: str,
    due_on: date | None,
    commitment: ContractCommitment | None = None,
    today: date | None = None,
) -> Remedy:
    """Record a remedy agreed with the supplier for delivery at risk (the whole contract or a
    commitment flagged at risk): what was agreed and by when. Its outcome follows later."""
    _require(actor, "delivery.record_remedy", contract)
    today = today or timezone.localdate()
    commitment = _commitment_of(contract, commitment)
    errors = {}
    if not (agreed or "").strip():
        errors["agreed"] = "Say what was agreed with the supplier."
    if due_on is None:
        errors["due_on"] = "Enter the date it is to be done by."
    elif due_on < today:
        errors["due_on"] = "The date it is to be done by must be today or later."
    not_at_risk = _check_at_risk(contract, commitment)
    if not_at_risk:
        errors["commitment"] = not_at_risk
    if errors:
        raise ValidationError(errors)
    remedy = Remedy.objects.create(
        contract=contract,
        commitment=commitment,
        agreed=agreed.strip(),
        due_on=due_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="delivery.remedy_recorded",
        obj=remedy,
        organisation=contract.tender.authority,
        data={
            "contract": contract.pk,
            "commitment": commitment.pk if commitment else None,
            "agreed": remedy.agreed,
            "due_on": due_on,
        },
    )
    return remedy


OUTCOMES = {"met": RemedyOutcome.MET, "not_met": RemedyOutcome.NOT_MET}


@transaction.atomic
def remedy_outcome_record(*, actor, remedy: Remedy, outcome: str, note: str) -> Remedy:
    """Record how an open remedy turned out: met or not met, with what happened. Once."""
    contract = remedy.contract
    _require(actor, "delivery.record_remedy", contract)
    remedy = Remedy.objects.select_for_update().get(pk=remedy.pk)
    errors = {}
    if remedy.outcome != RemedyOutcome.OPEN:
        raise ValidationError({"outcome": "This remedy's outcome is already recorded."})
    if outcome not in OUTCOMES:
        errors["outcome"] = "Choose whether the remedy was met or not."
    if not (note or "").strip():
        errors["outcome_note"] = "Say what happened."
    if errors:
        raise ValidationError(errors)
    remedy.outcome = OUTCOMES[outcome]
    remedy.outcome_note = note.strip()
    remedy.outcome_by = actor
    remedy.outcome_at = timezone.now()
    remedy.save()
    audit.record(
        actor=actor,
        action="delivery.remedy_outcome",
        obj=remedy,
        organisation=contract.tender.authority,
        data={"outcome": remedy.outcome, "note": remedy.outcome_note},
    )
    return remedy


def penalty_type_codes() -> tuple[str, ...]:
    return tuple(p.code for p in schedule.load_penalty_types()[0])


@transaction.atomic
def performance_failure_record(
    *,
    actor,
    contract: Contract,
    requirement: str,
    description: str,
    decision_date: date | None,
    commitment: ContractCommitment | None = None,
    penalty_date: date | None = None,
    penalty_type: str = "",
    penalty_type_entered: str = "",
    penalty_amount: Decimal | None = None,
    partial_termination: str = "",
    today: date | None = None,
) -> PerformanceFailure:
    """Record a performance failure, with the fields of the UK OCDS extension's
    PerformanceFailure object: for delivery at risk, or after a remedy that was not met. The
    supplier responsible is the contract's supplier."""
    _require(actor, "delivery.record_performance_failure", contract)
    today = today or timezone.localdate()
    commitment = _commitment_of(contract, commitment)
    errors = {}
    if not (requirement or "").strip():
        errors["requirement"] = "Say which requirement was not carried out."
    if not (description or "").strip():
        errors["description"] = "Describe the performance failure."
    if decision_date is None:
        errors["decision_date"] = "Enter the date of the decision."
    elif decision_date > today:
        errors["decision_date"] = "The date of the decision must be today or earlier."
    if penalty_type and penalty_type not in penalty_type_codes():
        errors["penalty_type"] = "Choose a penalty type from the list."
    if penalty_amount is not None and penalty_amount < 0:
        errors["penalty_amount"] = "The penalty value cannot be negative."
    unmet = Remedy.objects.filter(contract=contract, outcome=RemedyOutcome.NOT_MET)
    if commitment is not None:
        unmet = unmet.filter(commitment=commitment)
    not_at_risk = _check_at_risk(contract, commitment)
    if not_at_risk and not unmet.exists():
        errors["commitment"] = not_at_risk + " Record a failure at risk or after an unmet remedy."
    if errors:
        raise ValidationError(errors)
    failure = PerformanceFailure.objects.create(
        contract=contract,
        commitment=commitment,
        requirement=requirement.strip(),
        description=description.strip(),
        decision_date=decision_date,
        penalty_date=penalty_date,
        penalty_type=penalty_type or "",
        penalty_type_entered=(penalty_type_entered or "").strip()[:500],
        penalty_amount=penalty_amount,
        partial_termination=(partial_termination or "").strip(),
        supplier_id=contract.supplier_id,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="delivery.performance_failure_recorded",
        obj=failure,
        organisation=contract.tender.authority,
        data={
            "contract": contract.pk,
            "commitment": commitment.pk if commitment else None,
            "requirement": failure.requirement,
            "description": failure.description,
            "decision_date": decision_date,
            "penalty_date": penalty_date,
            "penalty_type": failure.penalty_type,
            "penalty_amount": penalty_amount,
        },
    )
    return failure


@transaction.atomic
def publication_set(*, actor, authority, published: bool, now=None) -> DeliveryPublication:
    """Publish (or stop publishing) the authority's delivered, verified social value on its
    public page. Officers only; audited; drops the stored public pages."""
    _require(actor, "delivery.publish_delivery", authority)
    now = now or timezone.now()
    publication = DeliveryPublication.objects.select_for_update().filter(
        authority=authority
    ).first() or DeliveryPublication(authority=authority)
    if publication.published == published:
        raise ValidationError(
            {
                "published": "Your delivered social value is already published."
                if published
                else "Your delivered social value is not published."
            }
        )
    publication.published = published
    publication.changed_at = now
    publication.changed_by = actor
    publication.save()
    audit.record(
        actor=actor,
        action="delivery.published" if published else "delivery.unpublished",
        obj=publication,
        organisation=authority,
        data={"published": published},
    )
    transaction.on_commit(public_cache.forget_public_pages)
    return publication
