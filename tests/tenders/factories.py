"""Tender fixtures built through the services, so tests exercise the same paths as people."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tenders import services
from tenders.models import Criterion, CriterionKind, Tender


def build_tender(
    officer,
    authority,
    *,
    now=None,
    deadline_in=timedelta(days=7),
    publish=True,
    social_value_weight=Decimal("10"),
    untied_reason="No local definition has been adopted yet.",
    title="Community transport service",
    value=Decimal("250000"),
) -> Tender:
    """A tender with price, one quality question and one social value question; published
    (by default) with its deadline `deadline_in` after `now`."""
    now = now or timezone.now()
    tender = services.tender_create(
        actor=officer,
        authority=authority,
        now=now,
        title=title,
        description="Door-to-door transport for residents who cannot use buses.",
        contract_type="services",
        estimated_value=value,
        clarification_deadline=now + deadline_in / 2,
        submission_deadline=now + deadline_in,
        price_method="lowest_price_ratio",
    )
    lot = tender.lots.get()
    groups = {row.kind: row for row in Criterion.objects.filter(lot=lot, parent=None)}
    services.weights_update(
        actor=officer,
        lot=lot,
        weights={
            groups[CriterionKind.PRICE].pk: Decimal("40"),
            groups[CriterionKind.QUALITY].pk: Decimal("60") - social_value_weight,
            groups[CriterionKind.SOCIAL_VALUE].pk: social_value_weight,
        },
    )
    services.criterion_add(
        actor=officer,
        lot=lot,
        parent=groups[CriterionKind.QUALITY],
        name="Service delivery",
        weight=Decimal("100"),
        question="How will you run the service?",
    )
    services.criterion_add(
        actor=officer,
        lot=lot,
        parent=groups[CriterionKind.SOCIAL_VALUE],
        name="Local employment",
        weight=Decimal("100"),
        question="What will you commit to for local jobs?",
    )
    if untied_reason:
        services.tender_record_reasons(
            actor=officer,
            tender=tender,
            low_social_value_reason="",
            untied_question_reason=untied_reason,
        )
    if publish:
        services.tender_publish(actor=officer, tender=tender, now=now)
    tender.refresh_from_db()
    return tender


def questions(tender: Tender) -> list[Criterion]:
    from tenders.selectors import lot_questions

    return lot_questions(tender.lots.get())


def draft_bid(bidder_user, bidder_org, tender, *, now=None, price=Decimal("1000"), text="Answer"):
    """A complete draft bid (price and every answer) ready to submit."""
    now = now or timezone.now()
    lot = tender.lots.get()
    bid = services.bid_start(actor=bidder_user, lot=lot, bidder=bidder_org, now=now)
    services.bid_save(
        actor=bidder_user,
        bid=bid,
        price=price,
        answers={q.pk: f"{text} to {q.name}" for q in questions(tender)},
        now=now,
    )
    return bid
