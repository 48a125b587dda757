"""A bid's monetised total counts only proxy values seen in their primary source; values resting
on an unconfirmed source are shown apart and marked, never summed into the confident total."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tenders import services
from tests.measurement.factories import MeasureFactory, ProxyValueFactory
from tests.tenders.factories import draft_bid

pytestmark = pytest.mark.django_db


def _measure(code: str, value: str, *, confirmed: bool):
    measure = MeasureFactory(code=code)
    ProxyValueFactory(
        measure=measure,
        value=Decimal(value),
        valid_from=date(2024, 4, 1),
        source_confirmed=confirmed,
    )
    return measure


def test_unconfirmed_values_are_shown_apart_from_the_total(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    for measure, quantity in (
        (_measure("ECO-71", "25.00", confirmed=True), "10"),
        (_measure("SOC-72", "1000.00", confirmed=False), "3"),
    ):
        services.commitment_add(
            actor=bidder, bid=bid, measure=measure, quantity=Decimal(quantity), timing="Year one"
        )
    body = client_for(bidder).get(reverse("bid-detail", args=[bid.pk])).content.decode()
    assert '<strong id="commitment-total">£250.00</strong>' in body
    assert "£3,250.00" not in body
    assert "A further <strong>£3,000.00</strong> from 1 commitment" in body
    assert body.count("Unconfirmed source</strong>") == 1


def test_with_every_source_confirmed_nothing_is_set_apart(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    services.commitment_add(
        actor=bidder,
        bid=bid,
        measure=_measure("ECO-73", "25.00", confirmed=True),
        quantity=Decimal("4"),
        timing="Year one",
    )
    body = client_for(bidder).get(reverse("bid-detail", args=[bid.pk])).content.decode()
    assert '<strong id="commitment-total">£100.00</strong>' in body
    assert 'id="commitment-unconfirmed"' not in body
