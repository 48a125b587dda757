"""Numbers and ids typed or sent to the tender pages: refused with the range allowed, kept as
typed, never a server error."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from measurement.models import Measure, ProxyValue
from tenders.models import Criterion, CriterionKind, Tender
from tests.tenders.factories import build_tender, draft_bid, questions

pytestmark = pytest.mark.django_db


def test_a_price_beyond_ten_billion_is_refused_next_to_the_field_and_kept(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    data = {"price": "1e30", **{f"answer_{q.pk}": "Kept" for q in questions(open_tender)}}
    page = client_for(bidder).post(reverse("bid-edit", args=[bid.pk]), data).content.decode()
    assert "Enter a price of £10,000,000,000 or less." in page
    assert 'value="1e30"' in page
    bid.refresh_from_db()
    assert bid.price == Decimal("1000.00")


def test_a_price_with_fractions_of_a_penny_is_refused(client_for, open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    page = client_for(bidder).post(reverse("bid-edit", args=[bid.pk]), {"price": "10.005"})
    assert "Enter a price with no more than 2 decimal places." in page.content.decode()


def test_an_estimated_value_beyond_the_limit_is_refused_and_nothing_is_created(
    client_for, procurement_officer, authority
):
    before = Tender.objects.count()
    page = client_for(procurement_officer).post(
        reverse("tender-create"),
        {
            "title": "Grounds maintenance",
            "description": "Parks.",
            "contract_type": "services",
            "estimated_value": "1e20",
            "price_method": "lowest_price_ratio",
        },
    )
    assert "Enter an estimated value of £10,000,000,000 or less." in page.content.decode()
    assert Tender.objects.count() == before


def test_a_weight_and_word_limit_outside_their_ranges_are_refused(
    client_for, procurement_officer, authority
):
    tender = build_tender(procurement_officer, authority, publish=False)
    lot = tender.lots.get()
    quality = Criterion.objects.get(lot=lot, parent=None, kind=CriterionKind.QUALITY)
    url = reverse("tender-criterion-add", args=[lot.pk]) + f"?parent={quality.pk}"
    page = client_for(procurement_officer).post(
        url,
        {
            "name": "Safeguarding",
            "weight": "150",
            "word_limit": "99999999999",
            "max_mark": "5",
            "descriptors": "1e30: Too high\n0: Nothing",
        },
    )
    text = page.content.decode()
    assert "Enter a weight of 100% or less." in text
    assert "Enter a word limit of 100,000 or less." in text
    assert "Mark 1E+30: Enter a mark of 1,000 or less." in text
    assert not Criterion.objects.filter(name="Safeguarding").exists()


@pytest.mark.parametrize("parent", ["abc", "-1", "1e3", "99999999999999999999"])
def test_a_parent_that_is_not_an_id_is_not_found(
    client_for, procurement_officer, authority, parent
):
    tender = build_tender(procurement_officer, authority, publish=False)
    lot = tender.lots.get()
    url = reverse("tender-criterion-add", args=[lot.pk])
    response = client_for(procurement_officer).get(url, {"parent": parent})
    assert response.status_code == 404


def test_a_posted_question_that_is_not_an_id_is_ignored(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    response = client_for(bidder).post(
        reverse("bid-commitment-add", args=[bid.pk]),
        {"criterion": "abc", "quantity": "1", "timing": "Year one"},
    )
    assert response.status_code == 200
    assert "Choose one of this lot&#x27;s social value questions." in response.content.decode()


def test_a_commitment_worth_more_than_ten_billion_is_refused_naming_the_quantity(
    client_for, open_tender, bidder, bidder_org
):
    measure = Measure.objects.create(
        code="TST-02", theme="social", outcome="Lives", name="Lives saved", unit="life"
    )
    ProxyValue.objects.create(
        measure=measure,
        value=Decimal("2000000"),
        valid_from=date(2020, 1, 1),
        source_title="Test source",
        source_url="https://example.org/source",
    )
    bid = draft_bid(bidder, bidder_org, open_tender)
    page = client_for(bidder).post(
        reverse("bid-commitment-add", args=[bid.pk]),
        {
            "criterion": next(q for q in questions(open_tender) if q.kind == "social_value").pk,
            "measure": measure.pk,
            "quantity": "6000",
            "timing": "Year one",
        },
    )
    text = page.content.decode()
    assert "this quantity would be worth more than £10,000,000,000" in text
    assert 'value="6000"' in text
    assert not bid.commitments.exists()


@pytest.mark.parametrize(
    "path", ["/tenders/99999999999999999999/", "/api/tenders/99999999999999999999/"]
)
def test_an_id_too_large_for_the_database_is_not_found(client_for, procurement_officer, path):
    assert client_for(procurement_officer).get(path).status_code == 404


@pytest.mark.parametrize("authority", ["abc", "99999999999999999999", "-1"])
def test_the_opportunities_api_answers_a_bad_authority_filter_without_failing(client, authority):
    response = client.get(reverse("api-opportunities"), {"authority": authority})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "authority" in response.json()
