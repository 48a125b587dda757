"""In a real browser: a demo user signs in and reaches their dashboard; form errors render as GOV.UK."""

import pytest
from playwright.sync_api import expect

from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from tests.browser import SCREENSHOTS, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_commissioner_signs_in_and_reaches_the_dashboard(live_server):
    seed_core()
    with browser_page() as page:
        page.goto(f"{live_server.url}/")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Email address").fill("commissioner@northfield.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/dashboard/")
        expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
        expect(page.get_by_role("heading", name="As commissioner")).to_be_visible()
        expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
        # The GOV.UK Frontend script ran: the body is marked as supported.
        assert "govuk-frontend-supported" in page.get_attribute("body", "class")
        page.screenshot(path=str(SCREENSHOTS / "dashboard-commissioner.png"), full_page=True)


def test_wrong_password_shows_the_error_summary_focused(live_server):
    seed_core()
    with browser_page() as page:
        page.goto(f"{live_server.url}/account/sign-in/")
        page.get_by_label("Email address").fill("commissioner@northfield.example")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("There is a problem")
        # GOV.UK Frontend's error summary module moves focus to the summary.
        expect(summary).to_be_focused()
        expect(page.get_by_label("Email address")).to_have_value("commissioner@northfield.example")
        page.screenshot(path=str(SCREENSHOTS / "sign-in-error.png"), full_page=True)
