"""A tender ready for its award, built through the services: bids submitted and opened, a
panel appointed and declared, every mark submitted and moderated to the marks asked for."""

from __future__ import annotations

from decimal import Decimal

from socialvalue.models import Role
from tenders import services
from tenders.models import Bid
from tests.factories import person_with_role
from tests.tenders.panel_factories import Evaluation, appoint, tender_under_evaluation


def moderate(world: Evaluation, bid: Bid, marks: dict[str, str] | str) -> None:
    """Submit one evaluator's marks of `bid` and moderate them: `marks` by criterion kind
    ('quality', 'social_value') or one mark for every criterion."""
    evaluator = world.evaluator
    typed = {}
    for criterion in world.criteria:
        mark = marks if isinstance(marks, str) else marks[criterion.kind]
        typed[criterion.pk] = mark
    services.marks_save(
        actor=evaluator.user,
        evaluator=evaluator,
        bid=bid,
        typed={
            pk: services.Typed(mark=mark, justification=f"Marked {mark} for {bid.bidder.name}.")
            for pk, mark in typed.items()
        },
        submit=True,
    )
    services.moderation_save(
        actor=world.officer,
        bid=bid,
        typed={
            pk: services.Consensus(
                mark=mark, rationale=f"RATIONALE-{bid.bidder.name}-{pk}: agreed at {mark}."
            )
            for pk, mark in typed.items()
        },
    )


def tender_to_award(
    officer,
    authority,
    *,
    prices: tuple[str, ...] = ("100000", "110000", "120000"),
    marks: tuple[dict[str, str] | str, ...] | None = None,
    moderate_all: bool = True,
) -> Evaluation:
    """A tender under evaluation with one bid per price; with `moderate_all`, every bid marked
    and moderated (`marks[i]` for bid i, default 3 on everything)."""
    world = tender_under_evaluation(officer, authority, bidders=len(prices))
    for bid, price in zip(world.bids, prices, strict=True):
        Bid.objects.unscoped(reason="the test sets the prices it needs").filter(pk=bid.pk).update(
            price=Decimal(price)
        )
        bid.price = Decimal(price)
    world.evaluator = appoint(world, person_with_role(Role.EVALUATOR, authority))
    if moderate_all:
        for index, bid in enumerate(world.bids):
            moderate(world, bid, marks[index] if marks else "3")
    return world


def bulk_lot(officer, authority, *, bids: int = 200, questions: int = 19):
    """A tender under evaluation with `bids` submitted bids and `questions` marked questions
    (plus price: 20 criteria by default), every mark moderated; bids, organisations and marks
    made in bulk, so the ranking page can be measured at size."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from socialvalue.models import Organisation
    from tenders.models import BidStatus, Criterion, CriterionKind, ModeratedMark, Tender
    from tests.tenders.factories import build_tender

    tender = build_tender(officer, authority, publish=False, title=f"Bulk tender {bids} bids")
    lot = tender.lots.get()
    groups = {row.kind: row for row in Criterion.objects.filter(lot=lot, parent=None)}
    Criterion.objects.filter(lot=lot, parent__isnull=False).delete()
    quality = questions * 2 // 3
    for kind, count in (
        (CriterionKind.QUALITY, quality),
        (CriterionKind.SOCIAL_VALUE, questions - quality),
    ):
        share = (Decimal(100) / count).quantize(Decimal("0.001"))
        for number in range(count):
            # The last question takes what rounding left, so the weights add up to 100.
            weight = share if number < count - 1 else Decimal(100) - share * (count - 1)
            services.criterion_add(
                actor=officer,
                lot=lot,
                parent=groups[kind],
                name=f"{kind} question {number + 1}",
                weight=weight,
                question="Tell us.",
            )
    services.tender_publish(actor=officer, tender=tender)
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bulk bidder {n:04d} {tender.pk}",
            slug=f"bulk-{tender.pk}-{n}",
            kind="bidder",
            bidder_type="sme",
        )
        for n in range(bids)
    )
    chance = random.Random(bids)
    rows = Bid.objects.unscoped(reason="bulk test data").bulk_create(
        Bid(
            tender=tender,
            lot=lot,
            bidder=organisation,
            status=BidStatus.SUBMITTED,
            price=Decimal(chance.randrange(80000, 160000)),
            submitted_at=now - timedelta(days=1),
            digest="0" * 64,
        )
        for organisation in organisations
    )
    criteria = [
        c
        for c in Criterion.objects.filter(lot=lot).exclude(kind=CriterionKind.PRICE)
        if not c.children.exists()
    ]
    ModeratedMark.objects.bulk_create(
        ModeratedMark(
            bid=bid,
            criterion=criterion,
            mark=Decimal(chance.randrange(0, 6)),
            rationale="Agreed by the panel.",
            spread=Decimal(0),
            spread_limit=Decimal(2),
            moderated_at=now,
        )
        for bid in rows
        for criterion in criteria
    )
    Tender.objects.filter(pk=tender.pk).update(
        submission_deadline=now - timedelta(hours=1),
        clarification_deadline=now - timedelta(days=1),
        status="under_evaluation",
        bids_opened_at=now,
        bids_opened_by=officer,
    )
    tender.refresh_from_db()
    return tender, lot
