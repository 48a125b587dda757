"""In a real browser, a bidder's whole journey: found signed out through the public search, then
signed in to register interest, save the search with alerts, bid question by question with a
commitment chosen for its question, check everything, confirm the declaration and print the
receipt."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from measurement.loading import load_starter_catalogue
from measurement.models import Measure, ProxyValue
from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from tenders.models import Bid, BidReceipt, Interest, SavedSearch
from tests.browser import SCREENSHOTS, browser_page
from tests.tenders.factories import build_tender

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIDDER = "bids@foodnetwork.example"


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"bidder-journey-{name}.png"), full_page=True)


def test_a_bidder_goes_from_the_public_search_to_a_printed_receipt(live_server):
    if not Measure.objects.exists():
        load_starter_catalogue(Measure, ProxyValue)
    cast, _ = seed_core()
    tender = build_tender(
        cast.users["procurement"],
        cast.organisations["council"],
        title="Warm homes advice",
        deadline_in=timedelta(days=20),
    )
    base = live_server.url

    with browser_page() as page:
        page.set_default_timeout(10_000)
        # --- Signed out: the opportunities are public, and the tender's page too.
        page.goto(f"{base}/")
        page.get_by_role("link", name="Opportunities").first.click()
        page.get_by_label("Search").fill("warm homes")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#result-count")).to_have_text("1 tender")
        page.get_by_role("link", name="Warm homes advice").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Warm homes advice")
        expect(page.locator("#bids-summary")).to_have_count(0)
        _shot(page, "1-public-tender")

        # --- Sign in from the tender's page, and come back to it.
        page.get_by_role("link", name="Sign in", exact=True).last.click()
        page.get_by_label("Email address").fill(BIDDER)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{base}{tender.get_absolute_url()}")
        page.get_by_role("button", name="Register interest").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("interest is registered")
        assert Interest.objects.filter(tender=tender).count() == 1

        # --- Save the search, with email alerts.
        page.goto(f"{base}/tenders/opportunities/?q=warm+homes")
        page.get_by_label("Name of the search").fill("Warm homes work")
        page.get_by_role("button", name="Save this search").click()
        expect(page.locator("#saved-searches")).to_contain_text("Warm homes work")
        expect(page.locator("#saved-searches")).to_contain_text("Search: warm homes")
        assert SavedSearch.objects.get().email_alerts

        # --- Bid: questions grouped by kind with their weights.
        page.goto(f"{base}{tender.get_absolute_url()}")
        page.get_by_role("button", name="Bid for Lot 1").click()
        page.get_by_role("button", name="Start a bid").click()
        expect(page.get_by_text("Quality questions")).to_be_visible()
        page.get_by_label("Total price, excluding VAT").fill("98,000")
        page.get_by_label(re.compile(r"Service delivery \(\d+% of the total score\)")).fill(
            "Home visits within ten days of referral."
        )
        page.get_by_label(re.compile(r"Local employment \(\d+% of the total score\)")).fill(
            "Two advisers recruited locally."
        )
        page.get_by_role("button", name="Save draft").click()

        # --- A commitment: the question first, then one of its measures.
        page.get_by_role("link", name="Add a social value commitment").click()
        page.get_by_label("Local employment").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#commitment-question")).to_contain_text("Local employment")
        page.get_by_label("Measure").select_option(index=1)
        page.get_by_label("Quantity").fill("2")
        page.get_by_label("When will it be delivered?").fill("In the first year")
        page.get_by_role("button", name="Add commitment").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("commitment was added")

        # --- Check everything, confirm the declaration, submit.
        page.get_by_role("link", name="Check and submit").click()
        expect(page.get_by_text("Home visits within ten days of referral.")).to_be_visible()
        expect(page.locator("#check-price")).to_contain_text("£98,000.00")
        page.get_by_role("button", name="Submit bid").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Confirm the declaration to submit your bid."
        )
        page.get_by_label("I confirm that this bid is complete").check()
        page.get_by_role("button", name="Submit bid").click()

        # --- The printable receipt.
        receipt = BidReceipt.objects.unscoped(reason="the test reads what was stored").get()
        expect(page.locator("#receipt")).to_contain_text(receipt.number)
        expect(page.locator("#receipt")).to_contain_text(receipt.digest)
        assert re.fullmatch(rf"T{tender.pk}-[A-Z2-9]{{4}}-[A-Z2-9]{{4}}", receipt.number)
        _shot(page, "2-receipt")
        page.get_by_role("link", name="Back to your bid").click()
        expect(page.locator("#bid-status")).to_have_text("Submitted")
        bid = Bid.objects.unscoped(reason="the test reads what was stored").get()
        assert bid.status == "submitted"

        # --- Your bids names the lot.
        page.goto(f"{base}/tenders/my-bids/")
        expect(page.locator("table")).to_contain_text("Lot 1")
