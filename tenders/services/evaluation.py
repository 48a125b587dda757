"""The evaluation: appointing a lot's panel, declaring conflicts of interest and recording their
mitigation, independent marking (drafts, then submission) and moderation (the consensus mark,
and any change after it with a reason).

Each function checks who may act (PermissionDenied) and what state allows it (ValidationError
naming the field: `mark_<criterion id>`, `justification_<criterion id>` and so on, so a page can
show the message beside the field), runs in a transaction and writes the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.core.permissions import can
from socialvalue.kernel import numbers
from socialvalue.models import User
from tenders import evaluation_selectors as panel_selectors
from tenders import panel
from tenders.models import (
    Bid,
    BidStatus,
    ConflictDeclaration,
    Criterion,
    EvaluationSettings,
    Evaluator,
    Lot,
    Mark,
    ModeratedMark,
    ModerationChange,
    Tender,
    TenderStatus,
)
from tenders.services.base import _lock, _require

# Longest text kept for a justification, rationale or note: a long page, not a document.
TEXT_LIMIT = 10_000


def _under_evaluation(tender: Tender) -> None:
    if tender.status != TenderStatus.UNDER_EVALUATION:
        raise ValidationError(
            "Marks are given and moderated only while the tender is under evaluation "
            f"(it is {TenderStatus(tender.status_on()).label.lower()})."
        )


def _text(value: str | None) -> str:
    return (value or "").strip()


def _too_long(errors: dict, field: str, value: str) -> bool:
    if len(value) > TEXT_LIMIT:
        errors[field] = f"Keep this to {TEXT_LIMIT:,} characters or fewer."
        return True
    return False


# --------------------------------------------------------------------------- settings


@transaction.atomic
def evaluation_settings_update(
    *, actor: User, tender: Tender, spread_flag_percent: Decimal, now: datetime | None = None
) -> EvaluationSettings:
    """Set the share of the scale above which a spread of marks is flagged for this tender;
    refused once a mark has been moderated (the flags already recorded would disagree)."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.manage_panel",
        tender,
        "Only a procurement officer of this authority can set how its evaluation runs.",
    )
    if not isinstance(spread_flag_percent, Decimal) or not (
        Decimal(0) <= spread_flag_percent <= Decimal(100)
    ):
        raise ValidationError({"spread_flag_percent": "Enter a percentage from 0 to 100."})
    if ModeratedMark.objects.filter(criterion__lot__tender=tender).exists():
        raise ValidationError(
            {"spread_flag_percent": "Marks have already been moderated against the current figure."}
        )
    row, _created = EvaluationSettings.objects.update_or_create(
        tender=tender,
        defaults={
            "spread_flag_percent": spread_flag_percent,
            "spread_flag_basis": "Set by the authority for this tender",
            "updated_by": actor,
            "updated_at": now,
        },
    )
    audit.record(
        actor=actor,
        action="evaluation.settings_changed",
        obj=tender,
        organisation=tender.authority,
        data={"spread_flag_percent": spread_flag_percent},
    )
    return row


def _ensure_settings(tender: Tender, now: datetime) -> EvaluationSettings:
    """The tender's settings row, created from the dated default the first time it is needed,
    so the figure in force when the evaluation began is the one kept."""
    percent, basis = panel_selectors.default_spread(tender)
    row, _created = EvaluationSettings.objects.get_or_create(
        tender=tender,
        defaults={
            "spread_flag_percent": percent,
            "spread_flag_basis": basis,
            "updated_at": now,
        },
    )
    return row


# --------------------------------------------------------------------------- the panel


@transaction.atomic
def evaluator_appoint(
    *,
    actor: User,
    lot: Lot,
    user: User,
    criteria: Iterable[Criterion],
    now: datetime | None = None,
) -> Evaluator:
    """Appoint a person of the authority to the lot's panel to evaluate `criteria` (or change
    which criteria an appointed person evaluates). A criterion they have submitted marks on
    cannot be taken away."""
    now = now or timezone.now()
    tender = _lock(lot.tender)
    _require(
        actor,
        "tenders.manage_panel",
        tender,
        "Only a procurement officer of this authority can appoint its evaluation panels.",
    )
    if not panel_selectors.people_who_may_evaluate(tender).filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "user": "Choose a person of this authority who may evaluate (an evaluator, "
                "commissioner or procurement officer)."
            }
        )
    chosen = {c.pk: c for c in criteria}
    allowed = {c.pk for c in panel_selectors.assignable_criteria(lot)}
    if not chosen:
        raise ValidationError({"criteria": "Choose at least one criterion for them to evaluate."})
    if set(chosen) - allowed:
        raise ValidationError({"criteria": "Choose criteria of this lot's questions or price."})
    _ensure_settings(tender, now)
    evaluator = Evaluator.objects.filter(lot=lot, user=user).first()
    created = evaluator is None
    if created:
        evaluator = Evaluator.objects.create(
            lot=lot, user=user, appointed_by=actor, appointed_at=now
        )
    else:
        kept = set(
            Mark.objects.filter(evaluator=evaluator, submitted_at__isnull=False).values_list(
                "criterion_id", flat=True
            )
        )
        if kept - set(chosen):
            raise ValidationError(
                {"criteria": "They have submitted marks on a criterion you took away; keep it."}
            )
        Mark.objects.filter(evaluator=evaluator).exclude(criterion_id__in=chosen).delete()
    evaluator.criteria.set(chosen.values())
    audit.record(
        actor=actor,
        action="evaluation.evaluator_appointed" if created else "evaluation.evaluator_changed",
        obj=evaluator,
        organisation=tender.authority,
        data={
            "lot": lot.number,
            "person": user.email,
            "criteria": sorted(chosen),
        },
    )
    return evaluator


@transaction.atomic
def evaluator_remove(*, actor: User, evaluator: Evaluator) -> None:
    """Take a person off a lot's panel; refused once they have submitted a mark."""
    tender = _lock(evaluator.lot.tender)
    _require(
        actor,
        "tenders.manage_panel",
        tender,
        "Only a procurement officer of this authority can change its evaluation panels.",
    )
    if Mark.objects.filter(evaluator=evaluator, submitted_at__isnull=False).exists():
        raise ValidationError(
            "They have submitted marks, which stay on the record; change their criteria instead."
        )
    audit.record(
        actor=actor,
        action="evaluation.evaluator_removed",
        obj=evaluator,
        organisation=tender.authority,
        data={"lot": evaluator.lot.number, "person": evaluator.user.email},
    )
    evaluator.delete()


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Declared:
    """One answer on the declaration page: a conflict with this bidder or not, and the details."""

    has_conflict: bool | None
    details: str = ""


@transaction.atomic
def interests_declare(
    *,
    actor: User,
    evaluator: Evaluator,
    answers: Mapping[int, Declared],
    now: datetime | None = None,
) -> Evaluator:
    """Record the evaluator's declaration, for every bidder on the lot, of whether they have a
    conflict of interest (with its details). Until this is done they read no bid of the lot; a
    declared conflict keeps them from that bidder's bid. Later, while the interests are kept
    under review, a new conflict may be declared (never one withdrawn); marks they gave that
    bid are then set aside."""
    now = now or timezone.now()
    tender = _lock(evaluator.lot.tender)
    evaluator = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
    _require(
        actor,
        "tenders.declare_interests",
        evaluator,
        "Only the appointed evaluator can declare their interests, once the bids are opened.",
    )
    bidders = panel_selectors.lot_bidders(evaluator.lot)
    existing = {d.bidder_id: d for d in evaluator.declarations.all()}
    errors: dict[str, str] = {}
    for bidder in bidders:
        answer = answers.get(bidder.pk)
        field = f"conflict_{bidder.pk}"
        previous = existing.get(bidder.pk)
        if answer is None or answer.has_conflict is None:
            if previous is None:
                errors[field] = f"Say whether you have a conflict of interest with {bidder.name}."
            continue
        details = _text(answer.details)
        if answer.has_conflict and not details:
            errors[f"details_{bidder.pk}"] = (
                f"Describe your interest in {bidder.name}: personal, professional or financial."
            )
        _too_long(errors, f"details_{bidder.pk}", details)
        if previous is not None and previous.has_conflict and not answer.has_conflict:
            errors[field] = "A declared conflict stays on the record; it cannot be withdrawn."
    if errors:
        raise ValidationError(errors)
    newly_conflicted = []
    for bidder in bidders:
        answer = answers.get(bidder.pk)
        if answer is None or answer.has_conflict is None:
            continue
        previous = existing.get(bidder.pk)
        if previous is not None and previous.has_conflict == answer.has_conflict:
            continue
        if previous is None:
            ConflictDeclaration.objects.create(
                evaluator=evaluator,
                bidder=bidder,
                has_conflict=answer.has_conflict,
                details=_text(answer.details) if answer.has_conflict else "",
                declared_at=now,
            )
        else:
            previous.has_conflict = True
            previous.details = _text(answer.details)
            previous.declared_at = now
            previous.save(update_fields=["has_conflict", "details", "declared_at"])
        if answer.has_conflict:
            newly_conflicted.append(bidder)
    if newly_conflicted and evaluator.declared_at is not None:
        # A conflict found during marking: their drafts on those bids go; submitted marks stay
        # on the record and are set aside by the moderation pages.
        Mark.objects.filter(
            evaluator=evaluator,
            bid__bidder__in=newly_conflicted,
            submitted_at__isnull=True,
        ).delete()
    if evaluator.declared_at is None:
        evaluator.declared_at = now
        evaluator.save(update_fields=["declared_at"])
    audit.record(
        actor=actor,
        action="evaluation.interests_declared",
        obj=evaluator,
        organisation=tender.authority,
        data={
            "lot": evaluator.lot.number,
            "bidders": len(bidders),
            "conflicts": [b.pk for b in newly_conflicted],
        },
    )
    return evaluator


@transaction.atomic
def mitigation_record(
    *,
    actor: User,
    declaration: ConflictDeclaration,
    mitigation: str,
    now: datetime | None = None,
) -> ConflictDeclaration:
    """Record how the authority mitigates a declared conflict (the evaluator stays off that bid
    whatever it says)."""
    now = now or timezone.now()
    tender = _lock(declaration.evaluator.lot.tender)
    _require(
        actor,
        "tenders.manage_panel",
        tender,
        "Only a procurement officer of this authority can record how a conflict is mitigated.",
    )
    if not declaration.has_conflict:
        raise ValidationError("No conflict was declared here.")
    text = _text(mitigation)
    errors: dict[str, str] = {}
    if not text:
        errors["mitigation"] = "Say how the conflict is mitigated."
    _too_long(errors, "mitigation", text)
    if errors:
        raise ValidationError(errors)
    declaration.mitigation = text
    declaration.mitigated_by = actor
    declaration.mitigated_at = now
    declaration.save(update_fields=["mitigation", "mitigated_by", "mitigated_at"])
    audit.record(
        actor=actor,
        action="evaluation.conflict_mitigated",
        obj=declaration,
        organisation=tender.authority,
        data={"evaluator": declaration.evaluator.user.email, "bidder": declaration.bidder_id},
    )
    return declaration


# --------------------------------------------------------------------------- marking


@dataclass(frozen=True)
class Typed:
    """What was typed for one criterion: the mark as text and its justification."""

    mark: str = ""
    justification: str = ""


def _readable_for_marking(evaluator: Evaluator, bid: Bid) -> Bid:
    found = (
        Bid.objects.readable_by(user=evaluator.user, tender=evaluator.lot.tender)
        .filter(pk=bid.pk, lot_id=evaluator.lot_id, status=BidStatus.SUBMITTED)
        .first()
    )
    if found is None:
        raise PermissionDenied("This bid is not one this evaluator marks.")
    return found


@transaction.atomic
def marks_save(
    *,
    actor: User,
    evaluator: Evaluator,
    bid: Bid,
    typed: Mapping[int, Typed],
    submit: bool,
    now: datetime | None = None,
) -> list[Mark]:
    """Save the evaluator's marks of one bid on their criteria as a draft, or submit them.

    A draft keeps whatever is typed that is valid so far (a blank mark or justification is
    allowed; a mark off the published scale is not). Submitting needs a mark on the scale and a
    justification for every criterion, and fixes them. Nothing is saved when anything is
    refused: the errors name the fields (`mark_<id>`, `justification_<id>`)."""
    now = now or timezone.now()
    tender = _lock(evaluator.lot.tender)
    evaluator = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
    if actor.pk != evaluator.user_id or not can(actor, "tenders.mark_bids", evaluator):
        raise PermissionDenied("Only the appointed evaluator marks, after declaring interests.")
    _under_evaluation(tender)
    bid = _readable_for_marking(evaluator, bid)
    criteria = [
        c
        for c in panel_selectors.markable_criteria(evaluator.lot)
        if c.pk in set(evaluator.criteria.values_list("pk", flat=True))
    ]
    existing = panel_selectors.own_marks(evaluator=evaluator, bids=[bid])
    if criteria and all(
        existing.get((bid.pk, c.pk)) and existing[(bid.pk, c.pk)].is_submitted for c in criteria
    ):
        raise ValidationError("Your marks for this bid are submitted and can no longer change.")
    errors: dict[str, str] = {}
    parsed: dict[int, tuple[Decimal | None, str]] = {}
    for criterion in criteria:
        row = existing.get((bid.pk, criterion.pk))
        if row is not None and row.is_submitted:
            continue
        entry = typed.get(criterion.pk, Typed())
        justification = _text(entry.justification)
        value = None
        if _text(entry.mark) or submit:
            try:
                value = panel.parse_mark(
                    entry.mark,
                    max_mark=criterion.max_mark,
                    allowed=panel_selectors.allowed_marks(criterion),
                    what=f"The mark for {criterion.name}",
                )
            except ValueError as error:
                errors[f"mark_{criterion.pk}"] = str(error)
        if submit and not justification:
            errors[f"justification_{criterion.pk}"] = (
                f"Write why you gave this mark for {criterion.name}."
            )
        _too_long(errors, f"justification_{criterion.pk}", justification)
        parsed[criterion.pk] = (value, justification)
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion_id, (value, justification) in parsed.items():
        row, _created = Mark.objects.update_or_create(
            evaluator=evaluator,
            bid=bid,
            criterion_id=criterion_id,
            defaults={
                "mark": value,
                "justification": justification,
                "saved_at": now,
                "submitted_at": now if submit else None,
            },
        )
        saved.append(row)
    if submit:
        audit.record(
            actor=actor,
            action="evaluation.marks_submitted",
            obj=evaluator,
            organisation=tender.authority,
            data={
                "bid": bid.pk,
                "marks": {str(pk): numbers.plain(v) for pk, (v, _j) in parsed.items()},
            },
        )
    return saved


# --------------------------------------------------------------------------- moderation


@dataclass(frozen=True)
class Consensus:
    """What was typed to moderate one criterion: the consensus mark (text), its rationale, the
    moderation note (needed for a flagged spread) and, for a change after moderation, why."""

    mark: str = ""
    rationale: str = ""
    note: str = ""
    reason: str = ""

    @property
    def is_blank(self) -> bool:
        return not any(_text(v) for v in (self.mark, self.rationale, self.note, self.reason))


@transaction.atomic
def moderation_save(
    *,
    actor: User,
    bid: Bid,
    typed: Mapping[int, Consensus],
    now: datetime | None = None,
) -> list[ModeratedMark]:
    """Record the panel's consensus mark and rationale on the bid for each criterion typed.

    Each needs every appointed evaluator without a conflict to have submitted their mark; a
    flagged spread needs a moderation note; a change to a mark already moderated needs a
    reason, kept with the change and in the audit trail. Criteria left blank, or unchanged, are
    skipped. Nothing is saved when anything is refused."""
    now = now or timezone.now()
    tender = _lock(bid.tender)
    _require(
        actor,
        "tenders.moderate_marks",
        tender,
        "Only a procurement officer of this authority moderates, while it is under evaluation.",
    )
    _under_evaluation(tender)
    lot = bid.lot
    readable = panel_selectors.moderation_bids(user=actor, lot=lot).filter(pk=bid.pk).first()
    if readable is None:
        raise PermissionDenied("This bid is not one you may moderate.")
    settings_row = _ensure_settings(tender, now)
    criteria = panel_selectors.markable_criteria(lot)
    items = {
        item.criterion.pk: item
        for item in panel_selectors.moderation_items(
            lot=lot, bids=[readable], criteria=criteria, percent=settings_row.spread_flag_percent
        )
    }
    errors: dict[str, str] = {}
    work = []
    for criterion in criteria:
        entry = typed.get(criterion.pk)
        if entry is None or entry.is_blank:
            continue
        item = items[criterion.pk]
        current = item.consensus
        rationale, note, reason = _text(entry.rationale), _text(entry.note), _text(entry.reason)
        key = criterion.pk
        if not item.ready:
            errors[f"mark_{key}"] = (
                "Every evaluator of this criterion must submit their mark before it is moderated."
            )
            continue
        try:
            value = panel.parse_mark(
                entry.mark,
                max_mark=criterion.max_mark,
                allowed=panel_selectors.allowed_marks(criterion),
                what=f"The consensus mark for {criterion.name}",
            )
        except ValueError as error:
            errors[f"mark_{key}"] = str(error)
            value = None
        if not rationale:
            errors[f"rationale_{key}"] = f"Write the panel's rationale for {criterion.name}."
        if item.flagged and not note:
            errors[f"note_{key}"] = (
                "The individual marks differ by more than the set share of the scale: record "
                "how the panel reached its consensus."
            )
        for field, text in (("rationale", rationale), ("note", note), ("reason", reason)):
            _too_long(errors, f"{field}_{key}", text)
        if current is not None:
            unchanged = (
                value == current.mark
                and rationale == current.rationale
                and note == current.moderation_note
            )
            if unchanged:
                continue
            if not reason:
                errors[f"reason_{key}"] = (
                    "This mark was already moderated: give the reason for changing it."
                )
        work.append((criterion, item, value, rationale, note, reason))
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion, item, value, rationale, note, reason in work:
        current = item.consensus
        if current is None:
            row = ModeratedMark.objects.create(
                bid=readable,
                criterion=criterion,
                mark=value,
                rationale=rationale,
                spread=item.spread,
                spread_limit=item.spread_limit,
                flagged=item.flagged,
                moderation_note=note,
                moderated_by=actor,
                moderated_at=now,
            )
            audit.record(
                actor=actor,
                action="evaluation.moderated",
                obj=row,
                organisation=tender.authority,
                data={
                    "bid": readable.pk,
                    "criterion": criterion.pk,
                    "mark": value,
                    "individual_marks": [m.mark for m in item.marks],
                    "spread": item.spread,
                    "flagged": item.flagged,
                },
            )
        else:
            row = ModeratedMark.objects.select_for_update().get(pk=current.pk)
            ModerationChange.objects.create(
                moderated_mark=row,
                old_mark=row.mark,
                new_mark=value,
                old_rationale=row.rationale,
                reason=reason,
                changed_by=actor,
                changed_at=now,
            )
            audit.record(
                actor=actor,
                action="evaluation.moderation_changed",
                obj=row,
                organisation=tender.authority,
                data={
                    "bid": readable.pk,
                    "criterion": criterion.pk,
                    "old_mark": row.mark,
                    "new_mark": value,
                    "reason": reason,
                },
            )
            row.mark = value
            row.rationale = rationale
            row.moderation_note = note
            row.spread = item.spread
            row.spread_limit = item.spread_limit
            row.flagged = item.flagged
            row.moderated_by = actor
            row.moderated_at = now
            row.save()
        saved.append(row)
    return saved
