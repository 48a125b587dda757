"""Social value out of proportion to the price is flagged on the bid page (for the authority and
the panel) and on the bidder's own bid and check pages before submitting, without blocking it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Role
from tenders import services
from tenders.evaluation_selectors import assignable_criteria
from tenders.models import Evaluator
from tests.factories import person_with_role
from tests.measurement.factories import MeasureFactory, ProxyValueFactory
from tests.tenders.factories import draft_bid, questions

pytestmark = pytest.mark.django_db

TOTAL_FLAG = 'id="plausibility-total"'
WARNING = 'id="plausibility"'


def _measure(code: str, value: str, *, confirmed: bool = True):
    measure = MeasureFactory(code=code)
    ProxyValueFactory(
        measure=measure,
        value=Decimal(value),
        valid_from=date(2024, 4, 1),
        source_confirmed=confirmed,
    )
    return measure


def _commit(bidder, bid, measure, quantity):
    services.commitment_add(
        actor=bidder, bid=bid, measure=measure, quantity=Decimal(quantity), timing="Year one"
    )


@pytest.fixture
def large_bid(open_tender, bidder, bidder_org):
    """A £1,000 bid promising £2,500 of confirmed social value (250% of the price; one
    commitment of £2,000 is 200%) and £100 more (10%)."""
    bid = draft_bid(bidder, bidder_org, open_tender, price=Decimal("1000"))
    _commit(bidder, bid, _measure("ECO-81", "200.00"), "10")  # £2,000: 200% of the price
    _commit(bidder, bid, _measure("SOC-82", "50.00"), "2")  # £100: 10%
    _commit(bidder, bid, _measure("ENV-83", "400.00"), "1")  # £400: 40%
    return bid


def test_the_bidder_sees_the_flag_on_the_bid_and_check_pages_before_submitting(
    client_for, large_bid, bidder
):
    client = client_for(bidder)
    for route in ("bid-detail", "bid-submit"):
        body = client.get(reverse(route, args=[large_bid.pk])).content.decode()
        assert WARNING in body, route
        assert "Check them before you submit: this does not stop you submitting." in body
        # 2,500 x 100 / 1,000 = 250%.
        assert (
            "The total social value from confirmed proxy values, £2,500.00, is 250% of the "
            "price, £1,000.00: more than 100%."
        ) in body
        # Only the £2,000 commitment is above half the price; £400 (40%) and £100 are not.
        assert "£2,000.00 is 200% of the price, more than 50% for one commitment." in body
        assert body.count("Check: large for the price") == 1
        assert "the quantity is for the whole contract" in body


def test_a_flag_does_not_stop_the_bid_being_submitted(client_for, large_bid, bidder):
    response = client_for(bidder).post(
        reverse("bid-submit", args=[large_bid.pk]), {"declaration": "on"}
    )
    assert response.status_code == 302
    large_bid.refresh_from_db()
    assert large_bid.status == "submitted"


def test_values_in_proportion_raise_no_flag(client_for, open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender, price=Decimal("1000"))
    _commit(bidder, bid, _measure("ECO-84", "25.00"), "20")  # £500: 50% exactly, not more
    client = client_for(bidder)
    for route in ("bid-detail", "bid-submit"):
        body = client.get(reverse(route, args=[bid.pk])).content.decode()
        assert WARNING not in body and "Check: large for the price" not in body


def test_an_unconfirmed_value_is_left_out_of_the_total_but_still_checked_on_its_own(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender, price=Decimal("1000"))
    _commit(bidder, bid, _measure("SOC-85", "900.00", confirmed=False), "1")  # £900 unconfirmed
    _commit(bidder, bid, _measure("ECO-86", "100.00"), "3")  # £300 confirmed
    body = client_for(bidder).get(reverse("bid-detail", args=[bid.pk])).content.decode()
    # The headline total is £300 (30%): no total flag; the £900 line (90%) is flagged.
    assert TOTAL_FLAG not in body
    assert "(its source is unconfirmed): £900.00 is 90% of the price" in body


@pytest.fixture
def opened(large_bid, bidder, open_tender, procurement_officer, authority, monkeypatch):
    """The large bid submitted, the deadline passed and the bids opened; an evaluator on the
    panel for every criterion (the price among them) has declared no conflict."""
    services.bid_submit(actor=bidder, bid=large_bid)
    evaluator = person_with_role(Role.EVALUATOR, authority)
    lot = open_tender.lots.get()
    services.evaluator_appoint(
        actor=procurement_officer, lot=lot, user=evaluator, criteria=assignable_criteria(lot)
    )
    later = open_tender.submission_deadline + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.open_bids(actor=procurement_officer, tender=open_tender)
    services.interests_declare(
        actor=evaluator,
        evaluator=Evaluator.objects.get(user=evaluator),
        answers={large_bid.bidder_id: services.Declared(False, "")},
    )
    return {"officer": procurement_officer, "evaluator": evaluator, "bid": large_bid}


@pytest.mark.parametrize("reader", ["officer", "evaluator"])
def test_the_authority_and_the_panel_see_the_flag_on_the_bid_page(client_for, opened, reader):
    body = (
        client_for(opened[reader])
        .get(reverse("bid-detail", args=[opened["bid"].pk]))
        .content.decode()
    )
    assert WARNING in body
    assert "ask the bidder if they are not explained" in body
    assert "Check them before you submit" not in body
    assert "£2,000.00 is 200% of the price" in body
    assert body.count("Check: large for the price") == 1


def test_a_panel_member_without_the_price_sees_no_flag_that_would_reveal_it(
    client_for, opened, open_tender, procurement_officer, authority
):
    """A share of the price is a clue to the price: a panel member who marks only the social
    value question reads the commitments without the flags."""
    member = person_with_role(Role.EVALUATOR, authority)
    lot = open_tender.lots.get()
    services.evaluator_appoint(
        actor=procurement_officer,
        lot=lot,
        user=member,
        criteria=[c for c in assignable_criteria(lot) if c.kind == "social_value"],
    )
    services.interests_declare(
        actor=member,
        evaluator=Evaluator.objects.get(user=member),
        answers={opened["bid"].bidder_id: services.Declared(False, "")},
    )
    body = client_for(member).get(reverse("bid-detail", args=[opened["bid"].pk])).content.decode()
    assert "£2,000.00" in body  # the commitment itself is shown
    assert WARNING not in body and "of the price" not in body
    assert "Check: large for the price" not in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_flags_add_no_queries(client_for, open_tender, bidder, bidder_org):
    """The pages read the same rows with and without flags, however many commitments: the
    check works on the commitments already loaded and its rules come from a file."""
    small = draft_bid(bidder, bidder_org, open_tender, price=Decimal("1000000"))
    _commit(bidder, small, _measure("ECO-91", "10.00"), "1")
    client = client_for(bidder)
    baseline = {
        route: _queries(client, reverse(route, args=[small.pk]))
        for route in ("bid-detail", "bid-submit")
    }
    for index in range(4):  # now every line and the total are out of proportion
        _commit(bidder, small, _measure(f"SOC-9{index + 2}", "900000.00"), "1")
    # What the pages read before the check was added (17 and 16, measured on the same data).
    assert baseline["bid-detail"] <= 17 and baseline["bid-submit"] <= 16
    for route, count in baseline.items():
        url = reverse(route, args=[small.pk])
        assert WARNING in client.get(url).content.decode()
        assert _queries(client, url) == count, route


def test_the_commitment_preview_warns_before_a_large_commitment_is_added(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender, price=Decimal("1000"))
    measure = _measure("ECO-95", "150.00")
    url = reverse("bid-commitment-add", args=[bid.pk])
    asked = {
        "criterion": next(q for q in questions(open_tender) if q.kind == "social_value").pk,
        "measure": measure.pk,
        "timing": "Year one",
        "preview": "1",
    }
    client = client_for(bidder)
    # 4 x £150 = £600, 60% of the £1,000 price; 3 x £150 = £450 is 45%.
    body = client.post(url, {**asked, "quantity": "4"}).content.decode()
    assert 'id="preview-plausibility"' in body
    assert "£600.00 is 60% of the price, more than 50% for one commitment." in body
    body = client.post(url, {**asked, "quantity": "3"}).content.decode()
    assert "£450.00" in body and 'id="preview-plausibility"' not in body
    assert not bid.commitments.exists()
