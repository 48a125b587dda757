"""One journey for each role completed with the keyboard alone (Tab, typing, Enter), in Debian's
Chromium: every control is reachable in order and shows where the focus is."""

import pytest
from playwright.sync_api import expect

from socialvalue.core.demo import DEMO_PASSWORD
from tests.browser import browser_page
from tests.test_accessibility import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_TABS = 150

# The focused element's accessible text (its label for a form field) and whether the focus shows:
# GOV.UK Frontend draws it with an outline, a box shadow or a yellow background.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const labels = el.labels ? Array.from(el.labels).map(l => l.textContent).join(" ") : "";
  return {
    text: [el.getAttribute("aria-label") || "", el.textContent || "", labels, el.value || ""]
      .join(" ").replace(/\\s+/g, " ").trim(),
    visible: style.outlineStyle !== "none" || style.boxShadow !== "none"
      || style.backgroundColor === "rgb(255, 221, 0)",
  };
}"""


def tab_to(page, *texts: str) -> None:
    """Press Tab until the focused element's text contains one of `texts`; every stop must show
    focus."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus on {focused['text']!r} at {page.url}"
        if any(text in focused["text"] for text in texts):
            return
    raise AssertionError(f"Tab never reached {texts!r} on {page.url}")


def follow(page, *texts: str) -> None:
    """Tab to a link or button (its text containing any of `texts`) and press Enter, from the top
    of the page."""
    page.locator("body").focus()
    tab_to(page, *texts)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/")
    follow(page, "Sign in")
    tab_to(page, "Email address")
    page.keyboard.type(email)
    tab_to(page, "Password")
    page.keyboard.type(DEMO_PASSWORD)
    tab_to(page, "Sign in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/dashboard/"


@pytest.fixture
def demo(live_server):
    seed_demo()
    return live_server.url


def test_a_commissioner_starts_a_draft_definition_by_keyboard(demo):
    with browser_page() as page:
        sign_in(page, demo, "commissioner@northfield.example")
        follow(page, "Local definitions")
        follow(page, "Start a local definition")
        tab_to(page, "Title")
        page.keyboard.type("Care that stays local")
        tab_to(page, "What social value means here")
        page.keyboard.type("Care workers from the district, paid fairly.")
        tab_to(page, "Start the draft")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Care that stays local")).to_be_visible()


def test_a_bidder_asks_a_question_by_keyboard(demo):
    with browser_page() as page:
        sign_in(page, demo, "bids@foodnetwork.example")
        follow(page, "Opportunities")
        follow(page, "Community meals and food support service")
        follow(page, "Ask a question", "Questions and answers")
        tab_to(page, "Your question")
        page.keyboard.type("May a consortium of two charities bid together?")
        tab_to(page, "Send")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_text("Your question was sent")).to_be_visible()


def test_an_officer_opens_the_sealed_bids_by_keyboard(demo):
    with browser_page() as page:
        sign_in(page, demo, "procurement@northfield.example")
        follow(page, "Tenders")
        follow(page, "Youth activities programme for the district")
        follow(page, "Open the bids")
        # A confirmation step, where there is one, is answered the same way.
        if page.get_by_role("button", name="Open the bids").count():
            follow(page, "Open the bids")
        expect(page.get_by_role("heading", name="Youth activities programme for the district"))
        assert "bids" in page.content().lower()


def test_a_compact_member_reads_a_definition_in_review_by_keyboard(demo):
    from socialvalue.definitions import services
    from socialvalue.models import LocalDefinition, Organisation, User

    commissioner = User.objects.get(email="commissioner@northfield.example")
    adopted = LocalDefinition.objects.get(status="adopted")
    draft = services.definition_new_version(actor=commissioner, definition=adopted)
    draft.review_group = Organisation.objects.get(name="Northfield Compact Group")
    draft.save()
    services.definition_submit(actor=commissioner, definition=draft)
    with browser_page() as page:
        sign_in(page, demo, "compact@northfield.example")
        follow(page, "Local definitions")
        follow(page, draft.title)
        expect(page.get_by_text("In review by Northfield Compact Group")).to_be_visible()


def test_service_staff_check_the_audit_trail_by_keyboard(demo):
    with browser_page() as page:
        sign_in(page, demo, "staff@service.example")
        follow(page, "Service status")
        follow(page, "Check the audit trail")
        assert "/jobs/" in page.url or "/status/" in page.url
        expect(page.get_by_role("heading").first).to_be_visible()
