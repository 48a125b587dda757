"""A contract with social value commitments, built through the services from a submitted bid
to the contract: award decided and issued, standstill ended, contract entered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from measurement.models import Measure
from socialvalue.models import Organisation, Role, User
from tenders import services
from tenders.evaluation_selectors import markable_criteria
from tenders.models import AwardOutcome, Contract
from tests.factories import BidderOrganisationFactory, person_with_role
from tests.tenders.award_factories import moderate
from tests.tenders.factories import build_tender, draft_bid
from tests.tenders.panel_factories import Evaluation, appoint, pass_the_deadline


@dataclass
class ContractWorld:
    contract: Contract
    officer: User
    supplier: Organisation
    reporter: User


def contract_world(
    officer: User,
    authority: Organisation,
    *,
    commitments: tuple[tuple[str, str], ...] = (("ECO-05", "400"), ("ECO-07", "2")),
    value: str = "150000",
    starts_on: date | None = None,
    years: int = 2,
) -> ContractWorld:
    """A contract of ``value`` for ``years`` from ``starts_on`` (default: a year ago), with
    the winning bid's commitments (measure code, quantity)."""
    tender = build_tender(officer, authority)
    supplier = BidderOrganisationFactory(name="Greenway Supplies Ltd")
    reporter = person_with_role(Role.BIDDER, supplier)
    bid = draft_bid(reporter, supplier, tender, price=Decimal(value), text="Our answer")
    for code, quantity in commitments:
        services.commitment_add(
            actor=reporter,
            bid=bid,
            measure=Measure.objects.get(code=code),
            quantity=Decimal(quantity),
            timing="Over the contract",
        )
    services.bid_submit(actor=reporter, bid=bid)
    pass_the_deadline(tender)
    services.open_bids(actor=officer, tender=tender)
    tender.refresh_from_db()
    lot = tender.lots.get()
    world = Evaluation(
        tender=tender,
        lot=lot,
        officer=officer,
        bids=[bid],
        bidders=[supplier],
        criteria=markable_criteria(lot),
    )
    world.evaluator = appoint(world, person_with_role(Role.EVALUATOR, authority))
    moderate(world, bid, "3")
    issued = timezone.now() - timedelta(days=30)
    services.award_decide(actor=officer, lot=lot, outcome=AwardOutcome.AWARD, now=issued)
    services.award_issue(actor=officer, tender=tender, sent_electronically=True, now=issued)
    services.standstill_end(actor=officer, tender=tender)
    starts_on = starts_on or timezone.localdate() - timedelta(days=365)
    contract = services.contract_enter(
        actor=officer,
        lot=lot,
        value=Decimal(value),
        signed_on=starts_on,
        starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + years) - timedelta(days=1),
        reference="C-DEL-1",
    )
    return ContractWorld(contract=contract, officer=officer, supplier=supplier, reporter=reporter)
