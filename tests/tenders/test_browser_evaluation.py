"""In a real browser, the evaluation: the officer appoints an evaluator from the tender page; the
evaluator, from their dashboard, declares a conflict (refused without its details), finds the
conflicted bid gone, marks the other (a mark off the scale refused beside the field, the typed
value kept), submits, and only then sees the other evaluator's mark; the officer moderates the
flagged spread, refused until a moderation note is given."""

import pytest
from playwright.sync_api import expect

from measurement.loading import load_starter_catalogue
from measurement.models import Measure, ProxyValue
from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from tenders.models import ModeratedMark
from tests.browser import SCREENSHOTS, browser_page
from tests.tenders.panel_factories import appoint, mark_all, tender_under_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "procurement@northfield.example"
EVALUATOR = "evaluator@northfield.example"


def _sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"evaluation-{name}.png"), full_page=True)


def test_declare_mark_submit_and_moderate_in_the_browser(live_server):
    if not Measure.objects.exists():
        load_starter_catalogue(Measure, ProxyValue)
    cast, _ = seed_core()
    world = tender_under_evaluation(cast.users["procurement"], cast.organisations["council"])
    first, second = world.bidders
    # A second panel member has already marked both bids 5 out of 5.
    colleague = appoint(world, cast.users["commissioner"])
    for bid in world.bids:
        mark_all(colleague, bid, "5")
    base = live_server.url
    quality = world.criterion("quality")
    social = world.criterion("social_value")

    with browser_page() as page:
        page.set_default_timeout(10_000)
        # --- The officer appoints the evaluator to the quality and social value questions.
        _sign_in(page, base, OFFICER)
        page.goto(f"{base}{world.tender.get_absolute_url()}")
        page.locator("#evaluation-link").click()
        page.get_by_role("link", name="Appoint an evaluator").click()
        page.get_by_label("Person").select_option(
            label="Demo Evaluator (evaluator@northfield.example)"
        )
        page.get_by_label("Quality: Service delivery").check()
        page.get_by_label("Social value: Local employment").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Demo Evaluator")
        _shot(page, "1-appointed")

        # --- The evaluator declares: a conflict without its details is refused.
        _sign_in(page, base, EVALUATOR)
        page.get_by_role("link", name=world.tender.title).click()
        expect(page.get_by_role("heading", name="Declare your interests")).to_be_visible()
        page.locator(f"#id_conflict_{first.pk}_2").check()
        page.locator(f"#id_conflict_{second.pk}_1").check()
        page.get_by_role("button", name="Declare and continue").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Describe your interest in")
        page.locator(f"#id_details_{first.pk}").fill("My brother is its finance director.")
        page.get_by_role("button", name="Declare and continue").click()
        expect(page.get_by_role("heading", name="Mark the bids")).to_be_visible()
        expect(page.locator("#bids-to-mark")).not_to_contain_text(first.name)
        expect(page.locator(".govuk-warning-text")).to_contain_text(first.name)
        _shot(page, "2-declared")

        # --- Marks: off the scale refused beside the field, typed values kept.
        page.get_by_role("link", name=second.name).click()
        expect(page.locator("#bid-price")).to_have_count(0)
        expect(page.get_by_text("Answer of bidder 2 to Service delivery")).to_be_visible()
        expect(page.get_by_text("Because 5.")).to_have_count(0)
        page.locator(f"#id_mark_{quality.pk}").fill("9")
        page.locator(f"#id_justification_{quality.pk}").fill("Clear plan, thin on cover.")
        page.locator(f"#id_mark_{social.pk}").fill("1")
        page.get_by_role("button", name="Submit my marks for this bid").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "The mark for Service delivery must be from 0 to 5"
        )
        expect(page.locator(f"#id_mark_{quality.pk}")).to_have_value("9")
        expect(page.locator(f"#id_justification_{quality.pk}")).to_have_value(
            "Clear plan, thin on cover."
        )
        _shot(page, "3-refused")
        page.locator(f"#id_mark_{quality.pk}").fill("1")
        page.locator(f"#id_justification_{social.pk}").fill("No local jobs committed.")
        page.get_by_role("button", name="Submit my marks for this bid").click()
        expect(page.locator("#marks-submitted")).to_be_visible()
        expect(page.get_by_text("Because 5.").first).to_be_visible()
        _shot(page, "4-submitted")

        # --- The officer moderates: the spread of 4 is flagged and needs a note.
        _sign_in(page, base, OFFICER)
        page.goto(f"{base}/tenders/lots/{world.lot.pk}/moderation/")
        expect(page.locator("#moderation-table")).to_contain_text("needs a note")
        page.get_by_role("link", name=second.name).click()
        expect(page.locator(f"#spread-{quality.pk}")).to_contain_text("Flagged")
        page.locator(f"#id_mark_{quality.pk}").fill("3")
        page.locator(f"#id_rationale_{quality.pk}").fill("A workable plan; cover is thin.")
        page.get_by_role("button", name="Record the consensus marks").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "record how the panel reached its consensus"
        )
        page.locator(f"#id_note_{quality.pk}").fill("Discussed cover for absences; agreed 3.")
        page.get_by_role("button", name="Record the consensus marks").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("1 consensus mark")
        _shot(page, "5-moderated")

    row = ModeratedMark.objects.get(criterion=quality)
    assert row.flagged and row.moderation_note.startswith("Discussed cover")
