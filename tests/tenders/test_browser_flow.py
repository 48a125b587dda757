"""In a real browser, the issue's "done when": an officer builds and publishes a tender with
weighted criteria, a bidder asks a question and submits a bid with a social value commitment,
the officer sees only that a bid exists until the deadline, then opens the bids and reads it.

The test's clock: the deadline is moved into the past on the tender row (the only thing that
changes between "sealed" and "may be opened"), so nothing waits for real time to pass.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measurement.loading import load_starter_catalogue
from measurement.models import Measure, ProxyValue
from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from socialvalue.definitions.registrations import seed_definition
from tenders.models import Bid, Tender
from tests.browser import SCREENSHOTS, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "procurement@northfield.example"
BIDDER = "bids@foodnetwork.example"


def _sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _type_date(page, field: str, day, month, year) -> None:
    page.locator(f"#id_{field}_0").fill(str(day))
    page.locator(f"#id_{field}_1").fill(str(month))
    page.locator(f"#id_{field}_2").fill(str(year))


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"tender-flow-{name}.png"), full_page=True)


def test_officer_publishes_bidder_bids_and_the_bid_stays_sealed_until_opened(live_server):
    # Transactional tests empty the tables afterwards, the catalogue's data migration included.
    if not Measure.objects.exists():
        load_starter_catalogue(Measure, ProxyValue)
    cast, _ = seed_core()
    seed_definition(cast)
    base = live_server.url
    closes = timezone.localdate() + timedelta(days=14)
    questions_close = closes - timedelta(days=4)

    with browser_page() as page:
        page.set_default_timeout(10_000)
        # --- The procurement officer creates the tender; an impossible date is caught first.
        _sign_in(page, base, OFFICER)
        page.goto(f"{base}/tenders/new/")
        page.get_by_label("Title").fill("Home energy advice service")
        page.get_by_label("What is being bought").fill("Advice visits to cold, damp homes.")
        page.get_by_label("Services", exact=True).check()
        page.get_by_label("Estimated whole-life value, excluding VAT").fill("240,000")
        _type_date(page, "clarification_deadline_date", *_dmy(questions_close))
        page.get_by_label("Time questions close").fill("12:00")
        _type_date(page, "submission_deadline_date", 31, 2, closes.year + 1)
        page.get_by_label("Time bids close").fill("12:00")
        page.get_by_role("button", name="Save").click()

        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("Deadline for bids must be a real date")
        group = page.locator("#div_id_submission_deadline_date")
        expect(group.locator(".govuk-error-message")).to_contain_text(
            "Deadline for bids must be a real date"
        )
        # What was typed is still there, in every box and every other field.
        expect(page.locator("#id_submission_deadline_date_0")).to_have_value("31")
        expect(page.locator("#id_submission_deadline_date_1")).to_have_value("2")
        expect(page.get_by_label("Title")).to_have_value("Home energy advice service")
        _shot(page, "1-impossible-date")

        _type_date(page, "submission_deadline_date", *_dmy(closes))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Home energy advice service")
        tender = Tender.objects.get(title="Home energy advice service")

        # --- Award criteria: a quality question and a social value question tied to a priority.
        page.get_by_role("link", name="Build the award criteria for Lot 1").click()
        page.get_by_role("link", name="Add under Quality").click()
        page.get_by_label("Name").fill("Reaching households")
        page.get_by_label("Weight, as a percentage of the level above").fill("100")
        page.get_by_label("Question for bidders").fill("How will you find the homes in need?")
        page.get_by_role("button", name="Save criterion").click()

        page.get_by_role("link", name="Add under Social value").click()
        page.get_by_label("Name").fill("Local jobs")
        page.get_by_label("Weight, as a percentage of the level above").fill("100")
        page.get_by_label("Question for bidders").fill("How many local people will you employ?")
        page.get_by_label("Economic: More local people in fair, secure work").check()
        page.locator("input[name=measures]").first.check()
        page.get_by_role("button", name="Save criterion").click()

        page.get_by_role("link", name="Set all the weights").click()
        page.get_by_label("Price (price)").fill("40")
        page.get_by_label("Quality (quality)").fill("45")
        page.get_by_label("Social value (social value)").fill("15")
        page.get_by_role("button", name="Save weights").click()
        expect(page.locator("#social-value-share")).to_have_text("15%")
        _shot(page, "2-criteria")

        page.get_by_role("link", name="Back to the tender").click()
        page.get_by_role("link", name="Check and publish").click()
        page.get_by_role("button", name="Publish the tender").click()
        expect(page.locator("#tender-status")).to_have_text("Open for bids")

        # --- A bidder asks a question, then bids with a social value commitment.
        _sign_in(page, base, BIDDER)
        page.goto(f"{base}{tender.get_absolute_url()}")
        page.get_by_role("link", name="Ask a question or read the published answers").click()
        page.get_by_label("Your question").fill("Can a partnership of two charities bid?")
        page.get_by_role("button", name="Send question").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Your question was sent")
        expect(page.get_by_text("Can a partnership of two charities bid?")).to_be_visible()

        page.get_by_role("link", name="Back to the tender").click()
        page.get_by_role("button", name="Bid for Lot 1").click()
        page.get_by_role("button", name="Start a bid").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Price and answers")
        page.get_by_label("Total price, excluding VAT").fill("228,500")
        page.get_by_label("Quality: Reaching households").fill("Referrals from GPs and food banks.")
        page.get_by_label("Social value: Local jobs").fill("Four apprentices from the district.")
        page.get_by_role("button", name="Save draft").click()

        page.get_by_role("link", name="Add a social value commitment").click()
        page.get_by_label("Local jobs").check()
        page.get_by_label("Measure").select_option(index=1)
        page.get_by_label("Quantity").fill("4")
        page.get_by_label("When will it be delivered?").fill("In the first year")
        page.get_by_role("button", name="Preview the value").click()
        expect(page.locator("#commitment-preview")).to_be_visible()
        page.get_by_role("button", name="Add commitment").click()

        page.get_by_role("link", name="Check and submit").click()
        page.get_by_role("button", name="Submit bid").click()
        receipt = page.locator("#receipt")
        expect(receipt).to_contain_text("Receipt R")
        expect(receipt).to_contain_text("SHA-256 of the contents")
        expect(page.locator("#bid-status")).to_have_text("Submitted")
        _shot(page, "3-receipt")
        bid = Bid.objects.unscoped(reason="the test reads what was stored").get(tender=tender)

        # --- Before the deadline the officer sees that a bid exists, and nothing more.
        _sign_in(page, base, OFFICER)
        page.goto(f"{base}{tender.get_absolute_url()}")
        expect(page.locator("#bids-summary")).to_contain_text("1 bid received")
        expect(page.locator("#bids-summary")).to_contain_text("Bids are sealed")
        expect(page.get_by_role("button", name="Open the bids")).to_have_count(0)
        _shot(page, "4-sealed")
        response = page.goto(f"{base}{bid.get_absolute_url()}")
        assert response.status == 404
        expect(page.get_by_text("228,500")).to_have_count(0)
        page.goto(f"{base}/tenders/{tender.pk}/bids/")
        expect(page.locator("#sealed-notice")).to_contain_text("1 bid received")
        expect(page.get_by_role("link", name="Food")).to_have_count(0)

        # --- The clock moves past the deadline; the officer opens the bids and reads the bid.
        past = timezone.now() - timedelta(minutes=1)
        Tender.objects.filter(pk=tender.pk).update(
            submission_deadline=past, clarification_deadline=past - timedelta(days=1)
        )
        page.goto(f"{base}{tender.get_absolute_url()}")
        expect(page.locator("#bids-summary")).to_contain_text("the bids are still sealed")
        page.get_by_role("button", name="Open the bids").click()
        # A confirmation page before the seal is broken.
        expect(page.locator(".govuk-warning-text")).to_contain_text("cannot be undone")
        page.get_by_role("button", name="Open the bids now").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The bids are open")
        page.get_by_role("link", name=bid.bidder.name).click()
        expect(page.locator("#bid-price")).to_have_text("£228,500.00")
        expect(page.get_by_text("Four apprentices from the district.")).to_be_visible()
        expect(page.locator("#commitment-total")).to_be_visible()
        _shot(page, "5-opened")


def _dmy(day) -> tuple[int, int, int]:
    return day.day, day.month, day.year
