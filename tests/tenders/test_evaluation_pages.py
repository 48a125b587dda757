"""The evaluation's pages as people use them: appointing, declaring, marking (refusals beside the
field, typed values kept), seeing others' marks only after submitting, moderating; and the query
budgets of the marking overview and moderation pages with 200 bids and 20 criteria."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from socialvalue.models import Role
from tenders import services
from tenders.models import (
    Bid,
    BidAnswer,
    BidStatus,
    ConflictDeclaration,
    Criterion,
    CriterionKind,
    Evaluator,
    Mark,
    ModeratedMark,
)
from tests.factories import BidderOrganisationFactory, person_with_role
from tests.tenders.panel_factories import appoint, mark_all, tender_under_evaluation
from tests.test_extreme_input import EXAMPLES, answer, assert_not_a_server_error, numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(procurement_officer, authority):
    return tender_under_evaluation(procurement_officer, authority)


def test_the_officer_appoints_a_panel_member_from_the_tender_page(client_for, world, authority):
    person = person_with_role(Role.EVALUATOR, authority)
    client = client_for(world.officer)
    page = client.get(world.tender.get_absolute_url()).content.decode()
    assert reverse("evaluation-overview", args=[world.tender.pk]) in page
    url = reverse("evaluation-appoint", args=[world.lot.pk])
    refused = client.post(url, {"user": person.pk})
    assert refused.status_code == 200
    assert "Choose at least one criterion" in refused.content.decode()
    quality = world.criterion("quality")
    response = client.post(url, {"user": person.pk, "criteria": [quality.pk]})
    assert response.status_code == 302
    evaluator = Evaluator.objects.get(user=person)
    assert list(evaluator.criteria.all()) == [quality]


def test_an_evaluator_declares_then_marks_with_refusals_beside_the_field(client_for, world):
    evaluator = appoint(world, declare=False)
    client = client_for(evaluator.user)
    marking = reverse("evaluation-marking", args=[evaluator.pk])
    assert client.get(marking)["Location"] == reverse("evaluation-declare", args=[evaluator.pk])
    bid_url = reverse("evaluation-mark-bid", args=[evaluator.pk, world.bids[0].pk])
    assert client.get(bid_url).status_code == 404
    first, second = world.bidders
    refused = client.post(
        reverse("evaluation-declare", args=[evaluator.pk]),
        {f"conflict_{first.pk}": "yes", f"conflict_{second.pk}": "no"},
    )
    assert "Describe your interest in" in refused.content.decode()
    client.post(
        reverse("evaluation-declare", args=[evaluator.pk]),
        {
            f"conflict_{first.pk}": "yes",
            f"details_{first.pk}": "My partner works there.",
            f"conflict_{second.pk}": "no",
        },
    )
    assert ConflictDeclaration.objects.filter(has_conflict=True).count() == 1
    # The conflicted bid is not there at all; the other is.
    overview = client.get(marking).content.decode()
    assert "Answer of bidder 1" not in overview and "Bidder 002 Ltd" in overview
    assert client.get(bid_url).status_code == 404
    bid = world.bids[1]
    url = reverse("evaluation-mark-bid", args=[evaluator.pk, bid.pk])
    quality, social = world.criterion("quality"), world.criterion("social_value")
    page = client.get(url).content.decode()
    assert "Answer of bidder 2 to Service delivery" in page
    response = client.post(
        url,
        {
            "action": "submit",
            f"mark_{quality.pk}": "6.5",
            f"justification_{quality.pk}": "Strong staffing plan.",
            f"mark_{social.pk}": "3",
            f"justification_{social.pk}": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The mark for Service delivery must be from 0 to 5." in body
    assert 'value="6.5"' in body and "Strong staffing plan." in body
    assert "Write why you gave this mark" in body
    assert not Mark.objects.exists()
    response = client.post(
        url,
        {
            "action": "submit",
            f"mark_{quality.pk}": "4",
            f"justification_{quality.pk}": "Strong staffing plan.",
            f"mark_{social.pk}": "3",
            f"justification_{social.pk}": "Ten local jobs.",
        },
    )
    assert response.status_code == 302
    assert Mark.objects.filter(submitted_at__isnull=False).count() == 2


def test_another_evaluators_marks_show_only_after_ones_own_are_submitted(client_for, world):
    first, second = appoint(world), appoint(world)
    bid = world.bids[0]
    services.marks_save(
        actor=first.user,
        evaluator=first,
        bid=bid,
        typed={
            c.pk: services.Typed(mark="1", justification="Unusually-worded-reason-4471")
            for c in world.criteria
        },
        submit=True,
    )
    client = client_for(second.user)
    url = reverse("evaluation-mark-bid", args=[second.pk, bid.pk])
    assert "Unusually-worded-reason-4471" not in client.get(url).content.decode()
    mark_all(second, bid, "2", submit=False)
    assert "Unusually-worded-reason-4471" not in client.get(url).content.decode()
    mark_all(second, bid, "2")
    assert "Unusually-worded-reason-4471" in client.get(url).content.decode()


def test_a_quality_evaluator_sees_no_price_anywhere(client_for, world):
    evaluator = appoint(world, criteria=[world.criterion("quality")])
    client = client_for(evaluator.user)
    bid = world.bids[0]
    for url in (
        reverse("evaluation-mark-bid", args=[evaluator.pk, bid.pk]),
        reverse("bid-detail", args=[bid.pk]),
        reverse("tender-bids", args=[world.tender.pk]),
    ):
        body = client.get(url).content.decode()
        assert "100,000" not in body, url
        assert "Answer of bidder 1 to Local employment" not in body, url


def test_the_officer_moderates_a_flagged_spread_with_a_note(client_for, world):
    first, second = appoint(world), appoint(world)
    bid = world.bids[0]
    mark_all(first, bid, "1")
    mark_all(second, bid, "5")
    client = client_for(world.officer)
    listing = client.get(reverse("evaluation-moderation", args=[world.lot.pk])).content.decode()
    assert "needs a note" in listing
    url = reverse("evaluation-moderate-bid", args=[bid.pk])
    quality = world.criterion("quality")
    refused = client.post(url, {f"mark_{quality.pk}": "3", f"rationale_{quality.pk}": "Agreed."})
    assert "record how the panel reached its consensus" in refused.content.decode()
    done = client.post(
        url,
        {
            f"mark_{quality.pk}": "3",
            f"rationale_{quality.pk}": "Agreed.",
            f"note_{quality.pk}": "The panel discussed the staffing evidence.",
        },
    )
    assert done.status_code == 302
    row = ModeratedMark.objects.get()
    assert row.flagged and row.moderation_note


def test_an_evaluator_cannot_reach_the_moderation_pages(client_for, world):
    evaluator = appoint(world)
    client = client_for(evaluator.user)
    assert client.get(reverse("evaluation-moderation", args=[world.lot.pk])).status_code == 404
    url = reverse("evaluation-moderate-bid", args=[world.bids[0].pk])
    assert client.get(url).status_code == 404


def test_the_dashboard_panel_links_to_the_evaluators_work(client_for, world):
    evaluator = appoint(world)
    body = client_for(evaluator.user).get(reverse("dashboard")).content.decode()
    assert reverse("evaluation-marking", args=[evaluator.pk]) in body


# --------------------------------------------------------------------------- query budgets


@pytest.fixture
def large(procurement_officer, authority):
    """200 submitted bids on a lot with 20 marked questions, two evaluators who have marked the
    first bids, and a few consensus marks (rows made in bulk: the services are tested above)."""
    world = tender_under_evaluation(procurement_officer, authority, bidders=1)
    quality = Criterion.objects.get(lot=world.lot, parent=None, kind=CriterionKind.QUALITY)
    now = timezone.now()
    Criterion.objects.bulk_create(
        Criterion(
            lot=world.lot,
            parent=quality,
            kind=CriterionKind.QUALITY,
            name=f"Question {n}",
            weight=Decimal("5"),
            order=100 + n,
            max_mark=Decimal("5"),
            descriptors=[],
        )
        for n in range(18)
    )
    bidders = [BidderOrganisationFactory.build(name=f"Bulk bidder {n:03d}") for n in range(199)]
    for org in bidders:
        org.save()
    bids = Bid.objects.unscoped(reason="a test builds many bids").bulk_create(
        Bid(
            tender=world.tender,
            lot=world.lot,
            bidder=org,
            status=BidStatus.SUBMITTED,
            price=Decimal("90000") + n,
            submitted_at=now,
        )
        for n, org in enumerate(bidders)
    )
    criteria = [
        c
        for c in Criterion.objects.filter(lot=world.lot)
        if c.kind != CriterionKind.PRICE and not c.children.exists()
    ]
    assert len(criteria) == 20
    BidAnswer.objects.unscoped(reason="a test builds many answers").bulk_create(
        BidAnswer(bid=bid, criterion=c, text="An answer") for bid in bids[:30] for c in criteria
    )
    world.criteria = criteria
    evaluators = [appoint(world, criteria=criteria) for _ in range(2)]
    everyone = [world.bids[0], *bids]
    Mark.objects.bulk_create(
        Mark(
            evaluator=e,
            bid=bid,
            criterion=c,
            mark=Decimal(n % 6),
            justification="Because.",
            saved_at=now,
            submitted_at=now,
        )
        for n, e in enumerate(evaluators)
        for bid in everyone[:40]
        for c in criteria
    )
    ModeratedMark.objects.bulk_create(
        ModeratedMark(
            bid=bid,
            criterion=c,
            mark=Decimal("3"),
            rationale="Agreed.",
            spread=Decimal("1"),
            spread_limit=Decimal("2"),
            moderated_by=procurement_officer,
            moderated_at=now,
        )
        for bid in everyone[:10]
        for c in criteria
    )
    return world, evaluators, everyone


def test_marking_overview_and_bid_page_hold_their_query_budget(
    client_for, large, django_assert_max_num_queries
):
    world, evaluators, bids = large
    client = client_for(evaluators[0].user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("evaluation-marking", args=[evaluators[0].pk]))
    assert response.status_code == 200
    assert "Page 1 of 8" in response.content.decode()
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation-mark-bid", args=[evaluators[0].pk, bids[5].pk]))
    assert response.status_code == 200


def test_moderation_pages_hold_their_query_budget(client_for, large, django_assert_max_num_queries):
    world, _evaluators, bids = large
    client = client_for(world.officer)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation-moderation", args=[world.lot.pk]))
    assert response.status_code == 200
    assert "Page 1 of 20" in response.content.decode()
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation-moderation", args=[world.lot.pk]), {"page": "3"})
    assert response.status_code == 200
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation-moderate-bid", args=[bids[20].pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation-overview", args=[world.tender.pk]))
    assert response.status_code == 200


# --------------------------------------------------------------------------- odd input


@EXAMPLES
@given(quality=numbers, social=numbers, words=numbers, submit=st.booleans())
def test_the_marking_and_moderation_forms_never_fail_on_odd_input(
    client_for, odd_world, quality, social, words, submit
):
    world, evaluator = odd_world
    first, second = world.criteria
    bid = world.bids[0]
    data = {
        f"mark_{first.pk}": quality,
        f"justification_{first.pk}": words,
        f"mark_{second.pk}": social,
        f"justification_{second.pk}": "Because.",
        "action": "submit" if submit else "save",
    }
    url = reverse("evaluation-mark-bid", args=[evaluator.pk, bid.pk])
    client = client_for(evaluator.user)
    assert_not_a_server_error(answer(lambda: client.post(url, data)), data)
    moderation = {
        f"mark_{first.pk}": quality,
        f"rationale_{first.pk}": words,
        f"note_{first.pk}": social,
    }
    client = client_for(world.officer)
    url = reverse("evaluation-moderate-bid", args=[world.bids[1].pk])
    assert_not_a_server_error(answer(lambda: client.post(url, moderation)), moderation)
    url = reverse("evaluation-settings", args=[world.tender.pk])
    sent = {"spread_flag_percent": quality}
    assert_not_a_server_error(answer(lambda: client.post(url, sent)), sent)


@pytest.fixture
def odd_world(world):
    evaluator = appoint(world)
    mark_all(evaluator, world.bids[1], "2")
    return world, evaluator
