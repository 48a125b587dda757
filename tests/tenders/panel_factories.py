"""A tender under evaluation, built through the services: bids submitted, deadline passed, bids
opened, evaluation started; and a panel appointed, declared and marking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from socialvalue.models import Organisation, Role, User
from tenders import services
from tenders.evaluation_selectors import lot_bidders, markable_criteria
from tenders.models import Bid, Criterion, CriterionKind, Evaluator, Lot, Tender
from tests.factories import BidderOrganisationFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid


@dataclass
class Evaluation:
    tender: Tender
    lot: Lot
    officer: User
    bids: list[Bid]
    bidders: list[Organisation]
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def price(self) -> Criterion:
        return Criterion.objects.get(lot=self.lot, kind=CriterionKind.PRICE, parent=None)

    def criterion(self, kind: str) -> Criterion:
        return next(c for c in self.criteria if c.kind == kind)


def pass_the_deadline(tender: Tender) -> None:
    past = timezone.now() - timedelta(minutes=1)
    Tender.objects.filter(pk=tender.pk).update(
        submission_deadline=past, clarification_deadline=past - timedelta(days=1)
    )
    tender.refresh_from_db()


def tender_under_evaluation(
    officer: User, authority: Organisation, *, bidders: int = 2, start: bool = True
) -> Evaluation:
    """A tender with `bidders` submitted bids (prices 100000, 110000...), opened and under
    evaluation (unless `start` is False: then closed and opened)."""
    tender = build_tender(officer, authority)
    orgs, bids = [], []
    for number in range(bidders):
        org = BidderOrganisationFactory(name=f"Bidder {number + 1:03d} Ltd")
        person = person_with_role(Role.BIDDER, org)
        bid = draft_bid(
            person,
            org,
            tender,
            price=Decimal("100000") + Decimal("10000") * number,
            text=f"Answer of bidder {number + 1}",
        )
        services.bid_submit(actor=person, bid=bid)
        bid.refresh_from_db()
        orgs.append(org)
        bids.append(bid)
    pass_the_deadline(tender)
    # Opening the bids starts the evaluation.
    services.open_bids(actor=officer, tender=tender)
    tender.refresh_from_db()
    lot = tender.lots.get()
    return Evaluation(
        tender=tender,
        lot=lot,
        officer=officer,
        bids=bids,
        bidders=orgs,
        criteria=markable_criteria(lot),
    )


def appoint(
    world: Evaluation,
    user: User | None = None,
    *,
    criteria: list[Criterion] | None = None,
    declare: bool = True,
    conflicts: tuple[Organisation, ...] = (),
) -> Evaluator:
    """Appoint an evaluator (a new one unless `user`) to the lot's criteria, and declare."""
    user = user or person_with_role(Role.EVALUATOR, world.tender.authority)
    evaluator = services.evaluator_appoint(
        actor=world.officer,
        lot=world.lot,
        user=user,
        criteria=criteria if criteria is not None else world.criteria,
    )
    if declare:
        services.interests_declare(
            actor=user,
            evaluator=evaluator,
            answers={
                org.pk: services.Declared(
                    has_conflict=org in conflicts,
                    details="My sister runs it." if org in conflicts else "",
                )
                for org in lot_bidders(world.lot)
            },
        )
        evaluator.refresh_from_db()
    return evaluator


def mark_all(evaluator: Evaluator, bid: Bid, mark: str = "3", *, submit: bool = True) -> None:
    criteria = [c for c in evaluator.criteria.all() if c.max_mark is not None and c.kind != "price"]
    services.marks_save(
        actor=evaluator.user,
        evaluator=evaluator,
        bid=bid,
        typed={c.pk: services.Typed(mark=mark, justification=f"Because {mark}.") for c in criteria},
        submit=submit,
    )
