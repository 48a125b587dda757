"""In a real browser: the bidder's bid and check pages with social value out of proportion to the
price pass axe, and the warning is on screen before the bid is submitted."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from tenders import services
from tests.browser import SCREENSHOTS, assert_accessible, browser_page
from tests.measurement.factories import MeasureFactory, ProxyValueFactory
from tests.tenders.factories import build_tender, draft_bid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIDDER = "bids@foodnetwork.example"


def test_the_flagged_bid_and_check_pages_pass_axe(live_server):
    cast, _ = seed_core()
    bidder = cast.users["bidder_1"]
    tender = build_tender(cast.users["procurement"], cast.organisations["council"])
    bid = draft_bid(bidder, cast.organisations["voluntary_1"], tender, price=Decimal("1000"))
    measure = MeasureFactory(code="ECO-81")
    ProxyValueFactory(
        measure=measure, value=Decimal("200.00"), valid_from=date(2024, 4, 1), source_confirmed=True
    )
    services.commitment_add(
        actor=bidder, bid=bid, measure=measure, quantity=Decimal("10"), timing="Year one"
    )
    base = live_server.url
    with browser_page() as page:
        page.goto(f"{base}/account/sign-in/")
        page.get_by_label("Email address").fill(BIDDER)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/dashboard/")
        for route in ("bid-detail", "bid-submit"):
            page.goto(base + reverse(route, args=[bid.pk]))
            expect(page.locator("#plausibility")).to_be_visible()
            expect(page.locator("#plausibility-total")).to_contain_text(
                "£2,000.00, is 200% of the price"
            )
            page.get_by_text("Why these figures are flagged").click()
            assert_accessible(page)
            page.screenshot(path=str(SCREENSHOTS / f"plausibility-{route}.png"), full_page=True)
