"""Clarifications: a bidder asks, an officer answers and may publish to all without the asker's
identity, and bidders are emailed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from socialvalue.models import Role
from tenders import services
from tests.factories import person_with_role
from tests.tenders.factories import draft_bid

pytestmark = pytest.mark.django_db

QUESTION = "We are Test Community Trust: can our volunteers count as staff?"
REWORDED = "Can volunteers count as staff?"
ANSWER = "Yes, if they are trained and supervised."


@pytest.fixture
def asked(open_tender, bidder, bidder_org):
    return services.clarification_ask(
        actor=bidder, tender=open_tender, bidder=bidder_org, question=QUESTION
    )


def test_a_published_answer_reaches_other_bidders_without_the_askers_identity(
    client_for,
    open_tender,
    asked,
    procurement_officer,
    bidder_org,
    other_bidder,
    other_bidder_org,
    django_capture_on_commit_callbacks,
):
    draft_bid(other_bidder, other_bidder_org, open_tender)
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(
            actor=procurement_officer,
            clarification=asked,
            answer=ANSWER,
            publish=True,
            published_question=REWORDED,
        )
    page = client_for(other_bidder).get(reverse("tender-clarifications", args=[open_tender.pk]))
    body = page.content.decode()
    assert REWORDED in body and ANSWER in body
    assert bidder_org.name not in body and QUESTION not in body
    published = [m for m in mail.outbox if other_bidder.email in m.to]
    assert published and REWORDED in published[0].body
    assert bidder_org.name not in published[0].body and QUESTION not in published[0].body


def test_the_asker_is_told_and_sees_their_own_wording(
    client_for, open_tender, asked, procurement_officer, bidder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(
            actor=procurement_officer, clarification=asked, answer=ANSWER, publish=False
        )
    assert any(bidder.email in m.to and ANSWER in m.body for m in mail.outbox)
    body = (
        client_for(bidder)
        .get(reverse("tender-clarifications", args=[open_tender.pk]))
        .content.decode()
    )
    assert QUESTION in body and ANSWER in body


def test_an_unpublished_answer_stays_with_the_asker(
    client_for, open_tender, asked, procurement_officer, other_bidder
):
    services.clarification_answer(
        actor=procurement_officer, clarification=asked, answer=ANSWER, publish=False
    )
    body = (
        client_for(other_bidder)
        .get(reverse("tender-clarifications", args=[open_tender.pk]))
        .content.decode()
    )
    assert ANSWER not in body and QUESTION not in body


def test_the_officer_sees_who_asked(
    client_for, open_tender, asked, procurement_officer, bidder_org
):
    body = (
        client_for(procurement_officer)
        .get(reverse("tender-clarifications", args=[open_tender.pk]))
        .content.decode()
    )
    assert bidder_org.name in body and QUESTION in body


def test_publishing_needs_the_reworded_question(asked, procurement_officer):
    with pytest.raises(ValidationError) as refused:
        services.clarification_answer(
            actor=procurement_officer, clarification=asked, answer=ANSWER, publish=True
        )
    assert "published_question" in refused.value.message_dict


def test_questions_close_at_their_deadline(open_tender, bidder, bidder_org):
    with pytest.raises(ValidationError) as refused:
        services.clarification_ask(
            actor=bidder,
            tender=open_tender,
            bidder=bidder_org,
            question="Too late?",
            now=open_tender.clarification_deadline + timedelta(seconds=1),
        )
    assert "question" in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.EVALUATOR, Role.BIDDER])
def test_only_the_procurement_officer_answers(client_for, open_tender, asked, authority, role):
    user = person_with_role(role, authority if role != Role.BIDDER else None)
    response = client_for(user).post(
        reverse("tender-clarification-answer", args=[asked.pk]),
        {"answer": "x", "publish": "asker"},
    )
    assert response.status_code == 403
    asked.refresh_from_db()
    assert not asked.answer


def test_a_bidder_asks_through_the_page(client_for, open_tender, bidder):
    client = client_for(bidder)
    response = client.post(
        reverse("tender-clarifications", args=[open_tender.pk]), {"question": "When do you start?"}
    )
    assert response.status_code == 302
    assert open_tender.clarifications.get().question == "When do you start?"
