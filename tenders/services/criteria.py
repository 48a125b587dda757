"""A draft tender's lots and award criteria: adding, changing and removing them, and
setting a lot's weights together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from measurement.models import Measure
from socialvalue.core import audit
from socialvalue.definitions.selectors import adopted_priorities_for
from socialvalue.models import User
from tenders import selectors
from tenders.criteria import DEFAULT_DESCRIPTORS, DEFAULT_SCALE_MAX, weight_problems
from tenders.models import Criterion, CriterionKind, Lot, Tender
from tenders.services.base import _editable_tender

# Where a new lot's criteria start: the officer changes every figure. Not a policy figure.
STARTING_GROUPS = (
    (CriterionKind.PRICE, "Price", Decimal("40")),
    (CriterionKind.QUALITY, "Quality", Decimal("50")),
    (CriterionKind.SOCIAL_VALUE, "Social value", Decimal("10")),
)


def _add_starting_groups(lot: Lot) -> None:
    # Until it has questions under it, a quality or social value group is itself a question:
    # it starts marked on the same default scale as "Add a criterion" offers, so it is valid.
    for order, (kind, name, weight) in enumerate(STARTING_GROUPS):
        row = Criterion(lot=lot, kind=kind, name=name, weight=weight, order=order)
        _apply_marking(row, None, None, None)
        row.save()


@transaction.atomic
def lot_add(
    *,
    actor: User,
    tender: Tender,
    title: str,
    description: str = "",
    estimated_value=None,
    suitable_for_sme: bool = False,
    suitable_for_vcse: bool = False,
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
        suitable_for_sme=suitable_for_sme,
        suitable_for_vcse=suitable_for_vcse,
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
    *,
    actor: User,
    lot: Lot,
    title: str,
    description: str = "",
    estimated_value=None,
    suitable_for_sme: bool = False,
    suitable_for_vcse: bool = False,
) -> Lot:
    tender = _editable_tender(actor, lot.tender)
    lot.title, lot.description, lot.estimated_value = title, description, estimated_value
    lot.suitable_for_sme, lot.suitable_for_vcse = suitable_for_sme, suitable_for_vcse
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
