"""Bidders' questions and the authority's answers."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit, notify
from socialvalue.models import Organisation, User
from tenders.models import Clarification, Tender
from tenders.services.base import _lock, _require


@transaction.atomic
def clarification_ask(
    *, actor: User, tender: Tender, bidder: Organisation, question: str, now: datetime | None = None
) -> Clarification:
    """A bidder asks a question before the deadline for questions."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(
        actor,
        "tenders.change_bid",
        bidder,
        "Only a bidder of that organisation can ask on its behalf.",
    )
    if not tender.is_open_for_questions(now):
        raise ValidationError({"question": "The deadline for questions has passed."})
    if not question.strip():
        raise ValidationError({"question": "Enter your question."})
    clarification = Clarification.objects.create(
        tender=tender, bidder=bidder, asked_by=actor, question=question.strip(), asked_at=now
    )
    audit.record(
        actor=actor,
        action="clarification.asked",
        obj=clarification,
        organisation=tender.authority,
    )
    return clarification


@transaction.atomic
def clarification_answer(
    *,
    actor: User,
    clarification: Clarification,
    answer: str,
    publish: bool,
    published_question: str = "",
    now: datetime | None = None,
) -> Clarification:
    """The procurement officer answers; published, the answer goes to every bidder under the
    reworded question, never naming who asked. Bidders are emailed after the commit."""
    now = now or timezone.now()
    clarification = (
        Clarification.objects.select_for_update().select_related("tender").get(pk=clarification.pk)
    )
    tender = clarification.tender
    _require(
        actor,
        "tenders.manage_tender",
        tender,
        "Only a procurement officer of this authority can answer questions.",
    )
    if clarification.is_published:
        raise ValidationError("This answer has been published to all bidders and cannot change.")
    errors = {}
    if not answer.strip():
        errors["answer"] = "Enter the answer."
    if publish and not published_question.strip():
        errors["published_question"] = (
            "Enter the question as all bidders will see it, without anything that identifies "
            "who asked."
        )
    if errors:
        raise ValidationError(errors)
    clarification.answer = answer.strip()
    clarification.answered_by = actor
    clarification.answered_at = now
    if publish:
        clarification.published_question = published_question.strip()
        clarification.published_at = now
    clarification.save()
    audit.record(
        actor=actor,
        action="clarification.answered",
        obj=clarification,
        organisation=tender.authority,
        data={"published": publish},
    )
    notify.send(
        kind="tenders.clarification_notify",
        params={"clarification_id": clarification.pk},
        requested_by=actor,
        organisation=tender.authority,
    )
    return clarification
