"""Copying award criteria from another lot, and a whole tender as a new draft."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.models import User
from tenders import selectors
from tenders.models import Criterion, Lot, Tender
from tenders.services.base import _editable_tender, _require
from tenders.services.criteria import selectors_priorities
from tenders.services.tenders import _DraftOf

# What a copied tender keeps: what it buys and how it scores price. Its dates, reasons and
# policy snapshot belong to the procurement that ran, so the copy starts without them.
COPIED_FIELDS = (
    "planned_contract",
    "description",
    "contract_type",
    "estimated_value",
    "market_statement_url",
    "price_method",
    "price_method_params",
    "price_breakdown_required",
    "price_breakdown_guidance",
)


def _copy_criteria(source: Lot, target: Lot, adopted: dict) -> int:
    """Copy `source`'s criteria tree into `target` (which has none). A social value question
    keeps its priority only while that priority is in the adopted definition, and only the
    measures chosen for it there. Returns how many rows were copied."""
    rows = selectors.lot_criteria(source)
    new_ids: dict[int, Criterion] = {}
    pending = list(rows)
    while pending:
        waiting = []
        for row in pending:
            if row.parent_id is not None and row.parent_id not in new_ids:
                waiting.append(row)
                continue
            priority = adopted.get(row.priority_id)
            copy = Criterion.objects.create(
                lot=target,
                parent=new_ids.get(row.parent_id),
                kind=row.kind,
                name=row.name,
                question=row.question,
                weight=row.weight,
                order=row.order,
                max_mark=row.max_mark,
                pass_mark=row.pass_mark,
                descriptors=row.descriptors,
                word_limit=row.word_limit,
                priority=priority,
            )
            measures = list(row.measures.all())
            if priority is not None:
                allowed = {link.measure_id for link in priority.measures.all()}
                if allowed:
                    measures = [m for m in measures if m.pk in allowed]
            elif row.priority_id is not None:
                measures = []
            copy.measures.set(measures)
            new_ids[row.pk] = copy
        if len(waiting) == len(pending):  # a parent outside the lot: never for a saved tree
            break
        pending = waiting
    return len(new_ids)


def _adopted_priorities(tender: Tender) -> dict:
    return {p.pk: p for p in selectors_priorities(tender)}


@transaction.atomic
def lot_copy_criteria(*, actor: User, lot: Lot, source: Lot) -> int:
    """Replace a draft lot's criteria with a copy of another lot's (of the same authority's
    tenders); returns how many criteria were copied."""
    tender = _editable_tender(actor, lot.tender)
    if source.pk == lot.pk:
        raise ValidationError({"source": "Choose another lot to copy from."})
    if source.tender.authority_id != tender.authority_id or not selectors.may_copy_from(
        user=actor, tender=source.tender
    ):
        raise ValidationError({"source": "Choose a lot of one of your authority's tenders."})
    lot.criteria.all().delete()
    copied = _copy_criteria(source, lot, _adopted_priorities(tender))
    audit.record(
        actor=actor,
        action="lot.criteria_copied",
        obj=lot,
        organisation=tender.authority,
        data={"from_lot": source.pk, "from_tender": source.tender_id, "criteria": copied},
    )
    return copied


@transaction.atomic
def tender_copy(*, actor: User, tender: Tender, now: datetime | None = None) -> Tender:
    """A new draft with the tender's details, lots and criteria (documents, dates and policy
    reasons are not copied: the new procurement sets its own)."""
    now = now or timezone.now()
    _require(
        actor,
        "tenders.change_tender",
        _DraftOf(tender.authority),
        "Only a commissioner or procurement officer of this authority can copy its tenders.",
    )
    copy = Tender(
        authority=tender.authority,
        created_by=actor,
        title=f"Copy of {tender.title}"[: Tender._meta.get_field("title").max_length],
        **{name: getattr(tender, name) for name in COPIED_FIELDS},
    )
    copy.save()
    adopted = _adopted_priorities(tender)
    for lot in tender.lots.order_by("number"):
        new_lot = Lot.objects.create(
            tender=copy,
            number=lot.number,
            title=lot.title,
            description=lot.description,
            estimated_value=lot.estimated_value,
        )
        _copy_criteria(lot, new_lot, adopted)
    audit.record(
        actor=actor,
        action="tender.copied",
        obj=copy,
        organisation=tender.authority,
        data={"from_tender": tender.pk},
    )
    return copy
