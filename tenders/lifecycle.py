"""The tender's lifecycle after the contract is entered: which step comes next and which moves
are allowed now. Near-pure: it reads only the tender in hand; tenders.services.lifecycle makes
the moves.

The steps before are work, not moves: opening the bids starts the evaluation
(tenders.services.lifecycle.open_bids) and a tender is Awarded only by issuing the award
decided on every lot (tenders.services.notices.award_issue)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tenders.models import Tender, TenderStatus

# The lifecycle after the contract: (action, from, to, audit verb).
TRANSITIONS = {
    "start_delivery": (TenderStatus.AWARDED, TenderStatus.IN_DELIVERY, "tender.delivery_started"),
    "end": (TenderStatus.IN_DELIVERY, TenderStatus.ENDED, "tender.ended"),
}


def next_transition(tender: Tender, now: datetime | None = None) -> str | None:
    """The action (a key of TRANSITIONS) that moves this tender on now, if any: its current
    status is the action's source."""
    status = tender.status_on(now or timezone.now())
    for action, (source, _target, _verb) in TRANSITIONS.items():
        if status == source:
            return action
    return None


def transition_refusal(tender: Tender, action: str, now: datetime) -> str | None:
    """Why `action` cannot move this tender on now, in the words shown to the officer; None
    when it can."""
    source = TRANSITIONS[action][0]
    current = tender.status_on(now)
    if current != source:
        return (
            f"This tender is {TenderStatus(current).label.lower()}; it must be "
            f"{TenderStatus(source).label.lower()} to do that."
        )
    return None
