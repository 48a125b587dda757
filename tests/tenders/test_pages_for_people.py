"""Tender and bid pages as a new user meets them: ways back, what to do after a refusal, wording."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Role
from socialvalue.templatetags.numbers import measured
from tenders.models import Bid, BidStatus
from tests.factories import BidderOrganisationFactory, MembershipFactory
from tests.tenders.factories import draft_bid

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def test_the_officer_goes_back_to_the_tenders_and_a_bidder_to_the_opportunities(
    client_for, open_tender, procurement_officer, bidder
):
    officer_page = page(client_for(procurement_officer).get(open_tender.get_absolute_url()))
    assert f'href="{reverse("tender-list")}" class="govuk-back-link">Back to tenders' in (
        officer_page
    )
    bidder_page = page(client_for(bidder).get(open_tender.get_absolute_url()))
    assert f'href="{reverse("tender-opportunities")}" class="govuk-back-link"' in bidder_page
    assert "Back to opportunities" in bidder_page


def test_a_bidder_of_one_organisation_is_told_who_bids_not_asked(
    client_for, open_tender, bidder, bidder_org
):
    html = page(client_for(bidder).get(reverse("bid-start", args=[open_tender.lots.get().pk])))
    assert f"You are bidding as <strong>{bidder_org.name}</strong>" in html
    assert 'type="radio"' not in html


def test_a_bidder_of_two_organisations_chooses_which_bids(client_for, open_tender, bidder):
    MembershipFactory(user=bidder, organisation=BidderOrganisationFactory(), role=Role.BIDDER)
    html = page(client_for(bidder).get(reverse("bid-start", args=[open_tender.lots.get().pk])))
    assert "Which organisation is bidding?" in html and 'type="radio"' in html


def test_starting_a_bid_after_the_deadline_says_why_and_goes_back_to_the_tender(
    client_for, open_tender, bidder, monkeypatch
):
    late = open_tender.submission_deadline + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    client = client_for(bidder)
    response = client.get(reverse("bid-start", args=[open_tender.lots.get().pk]), follow=True)
    assert response.redirect_chain[-1][0] == open_tender.get_absolute_url()
    assert "It no longer takes bids" in page(response)
    assert not Bid.objects.unscoped(reason="the test reads what was stored").exists()


def test_the_submit_page_after_the_deadline_offers_no_submit_button(
    client_for, open_tender, bidder, bidder_org, monkeypatch
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    monkeypatch.setattr(
        timezone, "now", lambda: open_tender.submission_deadline + timedelta(seconds=1)
    )
    html = page(client_for(bidder).get(reverse("bid-submit", args=[bid.pk])))
    assert "This tender no longer takes bids" in html
    assert "Submit bid</button>" not in html
    assert "You can withdraw and submit again until" not in html


def test_a_refused_submission_links_to_where_the_answers_are_changed(
    client_for, open_tender, bidder, bidder_org
):
    from tenders import services

    bid = services.bid_start(actor=bidder, lot=open_tender.lots.get(), bidder=bidder_org)
    response = client_for(bidder).post(reverse("bid-submit", args=[bid.pk]), {"declaration": "on"})
    html = page(response)
    assert response.status_code == 400
    assert "<title>Error: Check and submit your bid" in html
    assert f'<a href="{reverse("bid-edit", args=[bid.pk])}">' in html
    assert "Change your price and answers" in html
    assert (
        Bid.objects.unscoped(reason="the test reads what was stored").get(pk=bid.pk).status
        == BidStatus.DRAFT
    )


def test_policy_page_title_matches_its_heading(client_for, procurement_officer, authority):
    html = page(
        client_for(procurement_officer).get(reverse("tender-policy", args=[authority.slug]))
    )
    assert "<title>Minimum social value weighting - " in html
    assert '<h1 class="govuk-heading-xl">Minimum social value weighting</h1>' in html


@pytest.mark.parametrize(
    ("quantity", "unit", "shown"),
    [
        (Decimal("37500"), "£ spent", "£37,500 spent"),
        (Decimal("60"), "person-month", "60 person-month"),
        (Decimal("2.50"), "tonne", "2.5 tonne"),
        (None, "tonne", ""),
    ],
)
def test_a_quantity_in_pounds_reads_with_the_pound_sign_first(quantity, unit, shown):
    assert measured(quantity, unit) == shown
