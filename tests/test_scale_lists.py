"""Lists at scale: every list paginated, counts taken from the page's own rows, query budgets
that hold as rows grow, and public pages cached for signed-out visitors (issue 21)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialvalue.act import views as act_views
from socialvalue.definitions import services as definition_services
from socialvalue.definitions import views as definition_views
from tenders import selectors, services
from tenders.filters import OpportunityFilter
from tenders.models import Bid, BidStatus
from tests.act.test_pages import make_contracts
from tests.definitions.test_definitions import draft_for, with_priority
from tests.factories import BidderOrganisationFactory
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db

LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "f"},
}


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _submitted_bids(tender, count: int) -> None:
    """`count` submitted bids from new bidder organisations (rows only: the pages read them)."""
    lot = tender.lots.get()
    Bid.objects.unscoped(reason="test rows").bulk_create(
        Bid(
            tender=tender,
            lot=lot,
            bidder=BidderOrganisationFactory(),
            status=BidStatus.SUBMITTED,
            price=Decimal(1000 + n),
            submitted_at=timezone.now() - timedelta(days=2),
            digest="a" * 64,
        )
        for n in range(count)
    )


def _closed_and_opened(officer, authority, title="Closed tender"):
    """A tender whose deadline passed three days ago (its bids can be opened)."""
    return build_tender(officer, authority, now=timezone.now() - timedelta(days=10), title=title)


def test_tender_list_counts_the_pages_rows_and_holds_its_queries(
    client_for, procurement_officer, authority
):
    client = client_for(procurement_officer)
    first = _closed_and_opened(procurement_officer, authority)
    _submitted_bids(first, 2)
    few, html = _queries(client, reverse("tender-list"))
    assert re.search(r'govuk-table__cell--numeric">2<', html)
    for number in range(4):
        tender = build_tender(procurement_officer, authority, title=f"Tender {number}")
        _submitted_bids(tender, 3)
    many, html = _queries(client, reverse("tender-list"))
    assert many <= few
    assert html.count('govuk-table__cell--numeric">3<') == 4


def test_bids_page_is_paginated_and_holds_its_queries(client_for, procurement_officer, authority):
    tender = _closed_and_opened(procurement_officer, authority)
    _submitted_bids(tender, 3)
    services.open_bids(actor=procurement_officer, tender=tender)
    client = client_for(procurement_officer)
    url = reverse("tender-bids", args=[tender.pk])
    few, html = _queries(client, url)
    assert "Page 1 of" not in html
    _submitted_bids(tender, 60)
    many, html = _queries(client, url)
    assert many <= few
    assert html.count('href="/tenders/bids/') == 50 and "Page 1 of 2" in html
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('href="/tenders/bids/') == 13


def test_tender_page_reads_only_the_viewers_own_bids(
    client_for, procurement_officer, authority, bidder, bidder_org
):
    tender = build_tender(procurement_officer, authority)
    own = Bid.objects.unscoped(reason="test rows").create(
        tender=tender, lot=tender.lots.get(), bidder=bidder_org, status=BidStatus.DRAFT
    )
    _submitted_bids(tender, 5)
    assert [b.pk for b in selectors.own_bids_on(user=bidder, tender=tender)] == [own.pk]
    assert selectors.own_bids_on(user=procurement_officer, tender=tender) == []
    html = client_for(bidder).get(tender.get_absolute_url()).content.decode()
    assert html.count("Go to your bid") == 1


def test_tender_page_queries_hold_as_bids_grow(client_for, procurement_officer, authority):
    tender = _closed_and_opened(procurement_officer, authority)
    services.open_bids(actor=procurement_officer, tender=tender)
    client = client_for(procurement_officer)
    _submitted_bids(tender, 2)
    few, _ = _queries(client, tender.get_absolute_url())
    _submitted_bids(tender, 40)
    many, _ = _queries(client, tender.get_absolute_url())
    assert many <= few


def _body_rows(response) -> int:
    return response.content.decode().count('<tr class="govuk-table__row">') - 1  # less the head


def test_act_checks_list_is_paginated(client_for, commissioner, authority):
    make_contracts(authority, commissioner, act_views.PAGE_SIZE + 1)
    client = client_for(commissioner)
    first = client.get(reverse("act-list"))
    assert "Page 1 of 2" in first.content.decode()
    assert _body_rows(first) == act_views.PAGE_SIZE
    assert _body_rows(client.get(reverse("act-list"), {"page": 2})) == 1


def test_definitions_list_is_paginated(client_for, commissioner, authority):
    for number in range(definition_views.PAGE_SIZE + 1):
        draft_for(commissioner, authority, title=f"Definition {number}")
    client = client_for(commissioner)
    first = client.get(reverse("definition-list"))
    assert "Page 1 of 2" in first.content.decode()
    assert _body_rows(first) == definition_views.PAGE_SIZE
    assert _body_rows(client.get(reverse("definition-list"), {"page": 2})) == 1


def test_opportunity_authorities_are_those_with_open_or_closed_tenders(
    procurement_officer, authority
):
    assert list(selectors.authorities_with_published_tenders()) == []
    build_tender(procurement_officer, authority)
    assert list(selectors.authorities_with_published_tenders()) == [authority]
    assert selectors.opportunity_authority_choices() == [(authority.pk, authority.name)]


def test_the_opportunity_filter_form_is_drawn_once_for_the_same_input(
    client_for, procurement_officer, authority, bidder, settings
):
    settings.CACHES = LOCAL_CACHES
    build_tender(procurement_officer, authority)
    client = client_for(bidder)
    url = reverse("tender-opportunities")
    first = client.get(url, {"q": "transport"})
    key = make_template_fragment_key("opportunity-filters", [first.context["form_key"]])
    assert 'value="transport"' in caches["fragments"].get(key)
    again = client.get(url, {"q": "transport"})
    assert again.context["form_key"] == first.context["form_key"]
    form = re.compile(r'<form method="get".*?</form>', re.S)
    assert (
        form.search(again.content.decode()).group() == form.search(first.content.decode()).group()
    )
    refused = client.get(url, {"closing": "5"}).content.decode()
    assert "Choose when tenders close from the list." in refused


def _adopted(commissioner, authority):
    definition = draft_for(commissioner, authority)
    with_priority(commissioner, definition, outcome="Local jobs first")
    definition_services.definition_submit(actor=commissioner, definition=definition)
    return definition


def test_market_statement_is_cached_for_signed_out_visitors_with_a_fresh_nonce(
    client, client_for, commissioner, authority, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = LOCAL_CACHES
    definition = _adopted(commissioner, authority)
    with django_capture_on_commit_callbacks(execute=True):
        definition_services.definition_adopt(actor=commissioner, definition=definition)
    url = reverse("definition-market-statement", args=[authority.slug])
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)
    assert len(captured) == 0
    assert "Local jobs first" in second.content.decode()
    nonces = [re.search(r'nonce="([^"]+)"', r.content.decode()).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert f"'nonce-{nonces[1]}'" in second["Content-Security-Policy"]
    # Signed in, the page is drawn afresh (and marked private).
    with CaptureQueriesContext(connection) as captured:
        client_for(commissioner).get(url)
    assert len(captured) > 0


def test_adopting_a_new_version_forgets_the_cached_statement(
    client, commissioner, authority, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = LOCAL_CACHES
    first = _adopted(commissioner, authority)
    with django_capture_on_commit_callbacks(execute=True):
        definition_services.definition_adopt(actor=commissioner, definition=first)
    url = reverse("definition-market-statement", args=[authority.slug])
    assert "Local jobs first" in client.get(url).content.decode()
    second = definition_services.definition_new_version(actor=commissioner, definition=first)
    with_priority(commissioner, second, outcome="Apprenticeships now")
    definition_services.definition_submit(actor=commissioner, definition=second)
    with django_capture_on_commit_callbacks(execute=True):
        definition_services.definition_adopt(actor=commissioner, definition=second)
    assert "Apprenticeships now" in client.get(url).content.decode()


def test_search_keeps_substring_meaning_on_every_database(procurement_officer, authority, bidder):
    """The trigram indexes on PostgreSQL serve the same icontains match SQLite runs: part of a
    word, any case, in the title, description, reference or a lot (full text would miss these)."""
    build_tender(procurement_officer, authority, title="Community transport service")
    build_tender(procurement_officer, authority, title="Grounds maintenance")

    def titles(**params):
        found = OpportunityFilter(params, queryset=selectors.opportunities(user=bidder)).qs
        return sorted(found.values_list("title", flat=True))

    assert titles(q="MUNITY TRANSP") == ["Community transport service"]
    assert titles(q="ounds main") == ["Grounds maintenance"]
    assert titles(q="door-to-door") == ["Community transport service", "Grounds maintenance"]
    assert titles(q="xq") == []
    assert titles(lot="maint") == ["Grounds maintenance"]
