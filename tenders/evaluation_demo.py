"""Demo tender under evaluation: bids opened, a panel of two who have declared their interests
(one conflict, mitigated) and submitted their marks, every consensus moderated but one whose
spread is flagged and waits for the procurement officer's moderation note.

Built through the services like the other demo tenders (tenders.demo), so its audit trail is what
real use would produce. Safe to run twice.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from socialvalue.core.demo import Cast
from tenders import evaluation_selectors, selectors, services
from tenders.demo import BIDS, EVALUATION_TITLE, _build_criteria, _tender
from tenders.models import Bid, CriterionKind, Tender

# The demo's marks, by bidder (in BIDS order) and question (in order): the evaluator's, then the
# commissioner's. The first bid's first question is 1 against 4: a spread of 3 on a 0 to 5 scale,
# above the 40% default, left for the officer to moderate.
EVALUATOR_MARKS = ((1, 3, 3, 2), (3, 3, 4, 3), (None, None, None, None))
COMMISSIONER_MARKS = ((4, 3, 3, 3), (4, 3, 4, 4), (3, 4, 2, 3))
JUSTIFICATIONS = {
    1: "Thin: the answer restates the question with little evidence of how it would work.",
    2: "Limited: some relevant detail, but the plan for the harder cases is missing.",
    3: "Satisfactory: a workable plan with adequate evidence from current services.",
    4: "Good: specific, credible and evidenced, with named routes and measures.",
}


def seed_evaluation(cast: Cast) -> list[str]:
    """A tender under evaluation with a declared panel, submitted marks and one flagged spread."""
    council = cast.organisations["council"]
    officer, commissioner = cast.users["procurement"], cast.users["commissioner"]
    evaluator_user = cast.users["evaluator"]
    if Tender.objects.filter(authority=council, title=EVALUATION_TITLE).exists():
        return ["Tender: the demo tender under evaluation already exists."]
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(days=40)
    tender = _tender(
        actor=officer,
        commissioner=commissioner,
        council=council,
        title=EVALUATION_TITLE,
        description=(
            "Door-to-door transport for older and disabled residents to shops, appointments and "
            "community groups, with volunteer drivers trained and supported by the provider."
        ),
        value="280000",
        now=start,
    )
    _build_criteria(actor=officer, tender=tender, council=council)
    services.tender_publish(actor=officer, tender=tender, now=start)
    lot = tender.lots.get()
    questions = selectors.lot_questions(lot)
    submitted_at = start + timedelta(days=17)
    bids = []
    for number, (user_key, org_key, price, _scale) in enumerate(BIDS):
        user, bidder = cast.users[user_key], cast.organisations[org_key]
        bid = services.bid_start(actor=user, lot=lot, bidder=bidder, now=submitted_at)
        services.bid_save(
            actor=user,
            bid=bid,
            price=Decimal(price) - Decimal(40000) + Decimal(number * 7500),
            price_breakdown="Drivers and coordinators 65%, vehicles 25%, overheads 10%.",
            answers={
                q.pk: f"{bidder.name} sets out how it would run '{q.name}' across the district."
                for q in questions
            },
            now=submitted_at,
        )
        services.bid_submit(actor=user, bid=bid, now=submitted_at)
        bids.append(bid)
        submitted_at += timedelta(hours=3)
    services.tender_close_if_due(tender=tender)
    opened = tender.submission_deadline + timedelta(days=1)
    services.open_bids(actor=officer, tender=tender, now=opened)
    services.tender_start_evaluation(actor=officer, tender=tender, now=opened)

    marked = evaluation_selectors.markable_criteria(lot)
    price = lot.criteria.get(kind=CriterionKind.PRICE, parent=None)
    panel = {
        "evaluator": services.evaluator_appoint(
            actor=officer, lot=lot, user=evaluator_user, criteria=marked, now=opened
        ),
        "commissioner": services.evaluator_appoint(
            actor=officer, lot=lot, user=commissioner, criteria=[*marked, price], now=opened
        ),
    }
    conflicted = cast.organisations[BIDS[2][1]]
    for key, evaluator in panel.items():
        services.interests_declare(
            actor=evaluator.user,
            evaluator=evaluator,
            answers={
                bidder.pk: services.Declared(
                    has_conflict=key == "evaluator" and bidder == conflicted,
                    details=(
                        f"A close friend is a trustee of {bidder.name}."
                        if key == "evaluator" and bidder == conflicted
                        else ""
                    ),
                )
                for bidder in evaluation_selectors.lot_bidders(lot)
            },
            now=opened,
        )
    declaration = panel["evaluator"].declarations.get(has_conflict=True)
    services.mitigation_record(
        actor=officer,
        declaration=declaration,
        mitigation=(
            f"Removed from the bid of {conflicted.name}; the commissioner on the panel marks "
            "it, and the moderation records it was marked by one evaluator."
        ),
        now=opened,
    )
    readable = {
        b.pk: b
        for b in Bid.objects.unscoped(reason="the demo marks the bids it built").filter(lot=lot)
    }
    for key, table in (("evaluator", EVALUATOR_MARKS), ("commissioner", COMMISSIONER_MARKS)):
        evaluator = panel[key]
        for bid, marks in zip(bids, table, strict=True):
            if marks[0] is None:
                continue
            services.marks_save(
                actor=evaluator.user,
                evaluator=evaluator,
                bid=readable[bid.pk],
                typed={
                    c.pk: services.Typed(mark=str(m), justification=JUSTIFICATIONS[m])
                    for c, m in zip(marked, marks, strict=False)
                },
                submit=True,
                now=opened + timedelta(days=2),
            )
    flagged_left = (bids[0].pk, marked[0].pk)
    for number, bid in enumerate(bids):
        typed = {}
        for index, criterion in enumerate(marked):
            if (bid.pk, criterion.pk) == flagged_left:
                continue
            agreed = COMMISSIONER_MARKS[number][index % 4]
            typed[criterion.pk] = services.Consensus(
                mark=str(agreed),
                rationale=f"The panel agreed {agreed}: {JUSTIFICATIONS[agreed].lower()}",
            )
        services.moderation_save(
            actor=officer, bid=readable[bid.pk], typed=typed, now=opened + timedelta(days=4)
        )
    return [
        f"Tender: '{EVALUATION_TITLE}' under evaluation: a panel of two has declared and marked; "
        "one flagged spread waits for the procurement officer's moderation."
    ]
