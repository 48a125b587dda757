"""Demo tenders: one open for bids, one closed with a bid from each of the three demo bidders,
and one awarded with its contract.

Each tender carries its own planned contract, whose Social Value Act check is recorded through the
Act services from the tender's own value and start, so the tender page shows the check that fits
it. Built through the services (with `now` set in the past for the closed one), so the demo's
audit trail, receipts and digests are what real use would produce. Safe to run twice.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from measurement.models import Measure
from socialvalue.act.engine import inputs_from_dict
from socialvalue.act.services import (
    act_assessment_record,
    available_priorities,
    planned_contract_create,
)
from socialvalue.core.demo import Cast
from socialvalue.definitions.selectors import adopted_priorities_for
from socialvalue.models import Organisation, PlannedContract, User
from tenders import selectors, services
from tenders.evaluation_selectors import lot_bidders, markable_criteria
from tenders.models import AwardOutcome, Bid, Criterion, CriterionKind, Lot, Tender

OPEN_TITLE = "Community meals and food support service"
AWARDED_TITLE = "Community gardening and food growing programme"
CLOSED_TITLE = "Youth activities programme for the district"
# Under evaluation (tenders/evaluation_demo.py).
EVALUATION_TITLE = "Community transport for older and disabled residents"
FALLBACK_MEASURES = ("ECO-09", "SOC-01")

# What the commissioner answered in each tender's Act check. Meals delivered to people at home are
# light touch (social and other specific) services, welfare services a charity or registered
# provider supplies VAT-exempt (VAT Act 1994 Sch. 9 Group 7 item 9); youth activities are ordinary
# services at the standard rate.
ACT_CHECKS = {
    OPEN_TITLE: {
        "service_category": "light_touch",
        "vat_rate": "0",
        "wellbeing_improvement": "Fewer older and disabled residents going without a hot meal; "
        "food hubs run with local volunteers; less food waste through surplus redistribution.",
        "procurement_approach": "Social value weighted at 15% of the score, with questions tied "
        "to the council's adopted local priorities and measurable commitments.",
        "will_consult": True,
        "consultation_reason": "Residents who receive meals and the ward food hubs, through the "
        "Compact group, before the specification is final.",
    },
    EVALUATION_TITLE: {
        "service_category": "standard",
        "vat_rate": "20",
        "wellbeing_improvement": "Older and disabled residents reaching shops, appointments and "
        "groups without help from family; volunteer drivers recruited and trained locally.",
        "procurement_approach": "Social value weighted at 15% of the score, with questions tied "
        "to the council's adopted local priorities and measurable commitments.",
        "will_consult": True,
        "consultation_reason": "Current passengers and the ward forums, through the Compact "
        "group, on routes and booking times.",
    },
    AWARDED_TITLE: {
        "service_category": "standard",
        "vat_rate": "20",
        "wellbeing_improvement": "Growing spaces in the wards with least green space; local "
        "volunteering and horticulture training; fresh produce for the ward food hubs.",
        "procurement_approach": "Social value weighted at 15% of the score, with questions tied "
        "to the council's adopted local priorities and measurable commitments.",
        "will_consult": True,
        "consultation_reason": "Residents near each site and the allotment associations, at "
        "open days before the specification is final.",
    },
    CLOSED_TITLE: {
        "service_category": "standard",
        "vat_rate": "20",
        "wellbeing_improvement": "More young people in positive activities and training; local "
        "youth workers employed; safer evenings in the district's wards.",
        "procurement_approach": "Social value weighted at 15% of the score, with questions tied "
        "to the council's adopted local priorities and measurable commitments.",
        "will_consult": True,
        "consultation_reason": "The district youth council and the schools, in a survey and two "
        "workshops before the notice.",
    },
}


def _priorities(council):
    return adopted_priorities_for(authority=council)[:2]


def _build_criteria(*, actor, tender: Tender, council) -> None:
    """Price 40, quality 45 (two questions), social value 15 tied to the demo priorities."""
    lot = tender.lots.get()
    groups = {row.kind: row for row in Criterion.objects.filter(lot=lot, parent=None)}
    services.weights_update(
        actor=actor,
        lot=lot,
        weights={
            groups[CriterionKind.PRICE].pk: Decimal("40"),
            groups[CriterionKind.QUALITY].pk: Decimal("45"),
            groups[CriterionKind.SOCIAL_VALUE].pk: Decimal("15"),
        },
    )
    for name, weight, question in (
        ("Service delivery", "60", "How will you deliver the service to the people who need it?"),
        ("Staffing and safeguarding", "40", "How will you recruit, train and supervise staff?"),
    ):
        services.criterion_add(
            actor=actor,
            lot=lot,
            parent=groups[CriterionKind.QUALITY],
            name=name,
            weight=Decimal(weight),
            question=question,
            word_limit=750,
        )
    priorities = _priorities(council)
    if priorities:
        share = Decimal(100) / len(priorities)
        for priority in priorities:
            services.criterion_add(
                actor=actor,
                lot=lot,
                parent=groups[CriterionKind.SOCIAL_VALUE],
                name=priority.outcome[:250],
                weight=share,
                question=(
                    f"What will you commit to towards '{priority.outcome}'? Give quantities of the "
                    "measures listed, and when you will deliver them."
                ),
                pass_mark=Decimal("1"),
                priority=priority,
                measures=[link.measure for link in priority.measures.all()],
            )
    else:
        services.criterion_add(
            actor=actor,
            lot=lot,
            parent=groups[CriterionKind.SOCIAL_VALUE],
            name="Local skills and employment",
            weight=Decimal("100"),
            question="What will you commit to for local skills and employment?",
            measures=list(Measure.objects.filter(code__in=FALLBACK_MEASURES)),
        )
        services.tender_record_reasons(
            actor=actor,
            tender=tender,
            low_social_value_reason="",
            untied_question_reason="The authority has not adopted a local definition yet.",
        )


def _planned_contract(
    *, actor: User, council: Organisation, title: str, description: str, value: str, now
) -> PlannedContract:
    """The tender's own planned contract, with an Act check recorded from the tender's figures.

    The procurement starts when the notice is published, so the check uses the publication date;
    the value is the tender's estimate, excluding VAT as the tender states it.
    """
    planned = PlannedContract.objects.filter(authority=council, title=title).first()
    if planned is None:
        planned = planned_contract_create(
            actor=actor, authority=council, title=title, description=description
        )
    if not planned.assessments.exists():
        answers = dict(ACT_CHECKS[title])
        inputs = inputs_from_dict(
            {
                "authority_type": council.authority_type,
                "nation": council.nation,
                "contract_type": "services",
                "service_category": answers.pop("service_category"),
                "value": value,
                "vat_basis": "exclusive",
                "vat_rate": answers.pop("vat_rate"),
                "start_date": timezone.localdate(now).isoformat(),
            }
        )
        act_assessment_record(
            actor=actor,
            planned_contract=planned,
            inputs=inputs,
            priority_ids=[p.pk for p in available_priorities(authority=council)[:2]],
            **answers,
        )
    return planned


def _tender(*, actor, commissioner, council, title, description, value, now) -> Tender:
    planned = _planned_contract(
        actor=commissioner,
        council=council,
        title=title,
        description=description,
        value=value,
        now=now,
    )
    return services.tender_create(
        actor=actor,
        authority=council,
        now=now,
        title=title,
        description=description,
        reference=f"NDC-{now:%Y}-{Tender.objects.count() + 1:03d}",
        contract_type="services",
        estimated_value=Decimal(value),
        planned_contract=planned,
        clarification_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=21),
        contract_start=(now + timedelta(days=60)).date(),
        contract_end=(now + timedelta(days=60 + 3 * 365)).date(),
        price_method="lowest_price_ratio",
        price_breakdown_required=True,
        price_breakdown_guidance="Staff costs, running costs and overheads for each year.",
        suitable_for_sme=True,
        suitable_for_vcse=True,
    )


# Bidder, organisation, price, and a quantity scale for its social value commitments.
BIDS = (
    ("bidder_1", "voluntary_1", "312500.00", Decimal("1.5")),
    ("bidder_2", "voluntary_2", "298000.00", Decimal("1")),
    ("bidder_3", "sme", "276400.00", Decimal("2")),
)
BASE_QUANTITY = Decimal("40")
MONEY_QUANTITY = Decimal("25000")


def seed_tenders(cast: Cast) -> list[str]:
    """One open tender and one closed tender with three submitted bids."""
    council = cast.organisations["council"]
    officer, commissioner = cast.users["procurement"], cast.users["commissioner"]
    lines = []
    now = timezone.now().replace(second=0, microsecond=0)
    if not Tender.objects.filter(authority=council, title=OPEN_TITLE).exists():
        tender = _tender(
            actor=officer,
            commissioner=commissioner,
            council=council,
            title=OPEN_TITLE,
            description=(
                "Hot meals delivered to older and disabled residents at home, a weekly community "
                "food hub in each ward, and advice on food and money for households in hardship."
            ),
            value="450000",
            now=now,
        )
        _build_criteria(actor=officer, tender=tender, council=council)
        services.tender_publish(actor=officer, tender=tender, now=now)
        lines.append(
            f"Tender: '{OPEN_TITLE}' published, open for bids until {tender.submission_deadline:%d %b %Y %H:%M}."
        )
    else:
        lines.append("Tender: the open demo tender already exists.")

    if not Tender.objects.filter(authority=council, title=CLOSED_TITLE).exists():
        start = now - timedelta(days=35)
        tender = _tender(
            actor=officer,
            commissioner=commissioner,
            council=council,
            title=CLOSED_TITLE,
            description=(
                "After-school and holiday activities for young people aged 11 to 18 across the "
                "district, with mentoring and routes into training and work."
            ),
            value="320000",
            now=start,
        )
        _build_criteria(actor=officer, tender=tender, council=council)
        services.tender_publish(actor=officer, tender=tender, now=start)
        lot = tender.lots.get()
        questions = selectors.lot_questions(lot)
        sv_questions = [q for q in questions if q.kind == CriterionKind.SOCIAL_VALUE]
        submitted_at = start + timedelta(days=18)
        for user_key, org_key, price, scale in BIDS:
            user, bidder = cast.users[user_key], cast.organisations[org_key]
            bid = services.bid_start(actor=user, lot=lot, bidder=bidder, now=submitted_at)
            services.bid_save(
                actor=user,
                bid=bid,
                price=Decimal(price),
                price_breakdown="Year 1: staff 70%, running costs 20%, overheads 10%; years 2 and 3 the same with 2% uplift.",
                answers={
                    q.pk: f"{bidder.name} answers '{q.name}' with a specific, evidenced plan."
                    for q in questions
                },
                now=submitted_at,
            )
            for question in sv_questions:
                measure = question.measures.order_by("code").first()
                if measure is None:
                    continue
                services.commitment_add(
                    actor=user,
                    bid=bid,
                    measure=measure,
                    quantity=(MONEY_QUANTITY if measure.unit.startswith("£") else BASE_QUANTITY)
                    * scale,
                    timing="Over the first year of the contract",
                    criterion=question,
                    now=submitted_at,
                )
            services.bid_submit(actor=user, bid=bid, now=submitted_at)
            submitted_at += timedelta(hours=5)
        services.tender_close_if_due(tender=tender)
        lines.append(
            f"Tender: '{CLOSED_TITLE}' closed {tender.submission_deadline:%d %b %Y} with 3 sealed "
            "bids; sign in as the procurement officer to open them."
        )
    else:
        lines.append("Tender: the closed demo tender already exists.")
    lines += seed_awarded_tender(cast)
    return lines


# The panel's moderated mark on every question, by bidder: the demo's awarded tender.
AWARDED_MARKS = {"bidder_1": "4", "bidder_2": "3", "bidder_3": "3"}


def seed_awarded_tender(cast: Cast) -> list[str]:
    """A tender taken all the way through, in the past: bids, a panel that declared and marked,
    moderation, the award decided and issued with assessment summaries, standstill ended and the
    contract entered with the winning bid's commitments."""
    council = cast.organisations["council"]
    officer, commissioner = cast.users["procurement"], cast.users["commissioner"]
    if Tender.objects.filter(authority=council, title=AWARDED_TITLE).exists():
        return ["Tender: the awarded demo tender already exists."]
    now = timezone.now().replace(second=0, microsecond=0)
    # Over a year back, so the contract has run through two reporting periods for the delivery
    # demo (measurement/delivery/demo.py).
    start = now - timedelta(days=480)
    tender = _tender(
        actor=officer,
        commissioner=commissioner,
        council=council,
        title=AWARDED_TITLE,
        description=(
            "Community growing spaces on council land in four wards, with volunteering, "
            "training in horticulture and surplus produce for the ward food hubs."
        ),
        value="280000",
        now=start,
    )
    _build_criteria(actor=officer, tender=tender, council=council)
    services.tender_publish(actor=officer, tender=tender, now=start)
    lot = tender.lots.get()
    questions = selectors.lot_questions(lot)
    sv_questions = [q for q in questions if q.kind == CriterionKind.SOCIAL_VALUE]
    submitted_at = start + timedelta(days=18)
    bids = {}
    for user_key, org_key, price, scale in BIDS:
        user, bidder = cast.users[user_key], cast.organisations[org_key]
        bid = services.bid_start(actor=user, lot=lot, bidder=bidder, now=submitted_at)
        services.bid_save(
            actor=user,
            bid=bid,
            price=Decimal(price) - Decimal("40000"),
            price_breakdown="Year 1: staff 65%, plants and tools 20%, overheads 15%; years 2 and 3 the same.",
            answers={
                q.pk: f"{bidder.name} sets out how it meets '{q.name}', with named sites and dates."
                for q in questions
            },
            now=submitted_at,
        )
        for question in sv_questions:
            measure = question.measures.order_by("code").first()
            if measure is None:
                continue
            services.commitment_add(
                actor=user,
                bid=bid,
                measure=measure,
                quantity=(MONEY_QUANTITY if measure.unit.startswith("£") else BASE_QUANTITY)
                * scale,
                timing="Over the first two years of the contract",
                criterion=question,
                now=submitted_at,
            )
        services.bid_submit(actor=user, bid=bid, now=submitted_at)
        bids[user_key] = bid
        submitted_at += timedelta(hours=3)
    opened = start + timedelta(days=22)
    services.open_bids(actor=officer, tender=tender, now=opened)
    # Read again: the rows in hand still carry the tender as it was before the opening.
    lot = Lot.objects.select_related("tender__authority").get(pk=lot.pk)
    bids = {
        key: Bid.objects.unscoped(reason="the demo marks the bids it submitted")
        .select_related("lot__tender", "tender", "bidder")
        .get(pk=bid.pk)
        for key, bid in bids.items()
    }
    evaluator = services.evaluator_appoint(
        actor=officer,
        lot=lot,
        user=cast.users["evaluator"],
        criteria=markable_criteria(lot),
        now=opened,
    )
    services.interests_declare(
        actor=evaluator.user,
        evaluator=evaluator,
        answers={org.pk: services.Declared(has_conflict=False) for org in lot_bidders(lot)},
        now=opened + timedelta(hours=1),
    )
    for user_key, bid in bids.items():
        mark = AWARDED_MARKS[user_key]
        services.marks_save(
            actor=evaluator.user,
            evaluator=evaluator,
            bid=bid,
            typed={
                q.pk: services.Typed(
                    mark=mark,
                    justification=f"{bid.bidder.name}: evidence weighed against the descriptor for {mark}.",
                )
                for q in markable_criteria(lot)
            },
            submit=True,
            now=opened + timedelta(days=3),
        )
        services.moderation_save(
            actor=officer,
            bid=bid,
            typed={
                q.pk: services.Consensus(
                    mark=mark,
                    rationale=f"The panel agreed {mark}: the answer matches that descriptor, with "
                    "specific sites, dates and named staff.",
                )
                for q in markable_criteria(lot)
            },
            now=opened + timedelta(days=5),
        )
    decided = opened + timedelta(days=7)
    services.award_decide(actor=officer, lot=lot, outcome=AwardOutcome.AWARD, now=decided)
    notice = services.award_issue(actor=officer, tender=tender, now=decided + timedelta(hours=2))
    services.standstill_end(actor=officer, tender=tender, now=notice.standstill_ends_at)
    winner = Bid.objects.unscoped(reason="the demo reads the winning bid").get(
        lot=lot, outcome="successful"
    )
    signed = timezone.localtime(notice.standstill_ends_at) + timedelta(days=2)
    services.contract_enter(
        actor=officer,
        lot=lot,
        value=winner.price,
        signed_on=signed.date(),
        starts_on=signed.date() + timedelta(days=14),
        ends_on=signed.date() + timedelta(days=14 + 3 * 365),
        reference=f"{tender.reference}-C1",
        now=signed,
    )
    return [
        f"Tender: '{AWARDED_TITLE}' awarded to {winner.bidder.name}, standstill ended and the "
        "contract entered."
    ]
