"""The read-only opportunities API: published tenders only, the page's filters, pagination, the
tender's criteria and weights, never a draft and never anything about bids; in the schema."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Role
from tenders import services
from tenders.models import Tender
from tests.factories import AuthorityFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid

pytestmark = pytest.mark.django_db

LIST = "/api/opportunities/"


def _titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


def test_anyone_lists_open_opportunities_without_signing_in(client, procurement_officer, authority):
    build_tender(procurement_officer, authority, title="Grounds maintenance")
    build_tender(procurement_officer, authority, title="Unpublished thing", publish=False)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and _titles(response) == ["Grounds maintenance"]
    item = body["results"][0]
    assert item["authority"] == {"id": authority.pk, "name": authority.name}
    assert item["estimated_value"] == "250000.00"
    assert item["status"] == {"code": "published", "label": "Open for bids"}
    assert item["lots"] == [{"number": 1, "title": "Grounds maintenance"}]
    assert item["url"].endswith(reverse("api-tender-detail", args=[item["id"]]))


def test_the_list_has_the_page_filters(client, procurement_officer, authority):
    build_tender(procurement_officer, authority, title="Small grounds job", value=Decimal("20000"))
    build_tender(procurement_officer, authority, title="Large care contract", value=Decimal("3e6"))
    build_tender(
        procurement_officer,
        authority,
        title="Later library job",
        deadline_in=timedelta(days=60),
    )
    start = timezone.now() - timedelta(days=10)
    build_tender(
        procurement_officer, authority, now=start, deadline_in=timedelta(days=2), title="Gone"
    )
    other = AuthorityFactory()
    build_tender(person_with_role(Role.PROCUREMENT_OFFICER, other), other, title="Elsewhere")

    assert _titles(client.get(LIST, {"q": "care"})) == ["Large care contract"]
    assert _titles(client.get(LIST, {"authority": other.pk})) == ["Elsewhere"]
    assert "Small grounds job" in _titles(client.get(LIST, {"value": "small"}))
    assert "Large care contract" not in _titles(client.get(LIST, {"value": "small"}))
    assert "Later library job" not in _titles(client.get(LIST, {"closing": "30"}))
    assert _titles(client.get(LIST, {"lot": "library"})) == ["Later library job"]
    assert "Gone" not in _titles(client.get(LIST))
    assert "Gone" in _titles(client.get(LIST, {"closed": "true"}))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"value": "enormous"}, "value"),
        ({"closing": "3"}, "closing"),
        ({"authority": "x"}, "authority"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(client, params, field):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_list_is_paginated(client, procurement_officer, authority):
    for number in range(3):
        build_tender(procurement_officer, authority, title=f"Tender {number}")
    first = client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["previous"]


def test_the_list_query_count_stays_flat(client, procurement_officer, authority):
    for count in (1, 6):
        while Tender.objects.count() < count:
            build_tender(procurement_officer, authority, title=f"Tender {Tender.objects.count()}")
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(LIST).json()["results"]) == count
        # The throttle's own count, in the database cache of the embedded default (its table and
        # the savepoints around its writes), is not the list's: only the list's queries count.
        cache = settings.CACHES["default"]
        cache_table = cache["LOCATION"] if cache["BACKEND"].endswith("db.DatabaseCache") else None
        data_queries = [
            q
            for q in captured.captured_queries
            if not cache_table or not (cache_table in q["sql"] or "SAVEPOINT" in q["sql"])
        ]
        assert len(data_queries) <= 4, [q["sql"] for q in data_queries]


def test_a_tender_gives_its_lots_criteria_weights_dates_and_price_method(
    client, open_tender, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api-tender-detail", args=[open_tender.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == open_tender.title
    assert body["price_method"]["code"] == "lowest_price_ratio"
    assert body["submission_deadline"] and body["clarification_deadline"]
    (lot,) = body["lots"]
    assert lot["social_value_share"] == "10"
    by_name = {row["name"]: row for row in lot["criteria"]}
    assert by_name["Price"]["weight"] == "40" and by_name["Price"]["parent"] is None
    assert by_name["Quality"]["weight"] == "50"
    local = by_name["Local employment"]
    assert local["kind"] == "social_value" and local["share_of_total"] == "10"
    assert local["parent"] == by_name["Social value"]["id"]
    assert local["question"] == "What will you commit to for local jobs?"
    assert local["max_mark"] == "5" and len(local["descriptors"]) == 6


def test_a_draft_is_not_found_even_by_its_own_authority(client_for, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False)
    response = client_for(procurement_officer).get(reverse("api-tender-detail", args=[draft.pk]))
    assert response.status_code == 404
    assert "Community transport" not in response.content.decode()


def test_no_bid_data_appears_before_or_after_the_bids_are_opened(
    client, open_tender, procurement_officer, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender, price=Decimal("98765.43"), text="SECRET")
    digest = services.bid_submit(actor=bidder, bid=bid).digest
    assert digest
    after = open_tender.submission_deadline + timedelta(minutes=1)
    for moment in (None, after):
        if moment is not None:
            services.open_bids(actor=procurement_officer, tender=open_tender, now=after)
        texts = [
            client.get(reverse("api-tender-detail", args=[open_tender.pk])).content.decode(),
            client.get(LIST, {"closed": "true"}).content.decode(),
        ]
        for text in texts:
            assert "98765" not in text and "SECRET" not in text
            assert bidder_org.name not in text and digest not in text
            assert '"bid' not in text.lower()  # no key about bids at all, not even a count


def test_the_endpoints_are_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert "/api/opportunities/" in schema["paths"]
    assert "/api/tenders/{id}/" in schema["paths"]
    detail = schema["components"]["schemas"]["TenderDetail"]["properties"]
    assert {"lots", "price_method", "submission_deadline"} <= set(detail)
