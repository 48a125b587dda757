"""In a real browser, from the ranking to the contract: the officer reads the ranking and its
chart, queries an abnormally low price, the bidder explains it with a file, the officer accepts
it, decides and issues the award (with confirmation pages), bidders read their outcome, the
standstill ends and the contract is entered.

The test's clock: the standstill's end is moved into the past on the notice row, so nothing
waits for eight working days to pass.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from socialvalue.models import Role
from tenders.models import AwardNotice, Contract
from tests.browser import SCREENSHOTS, browser_page
from tests.factories import PASSWORD, AuthorityFactory, person_with_role
from tests.tenders.award_factories import tender_to_award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"award-flow-{name}.png"), full_page=True)


def test_from_the_ranking_to_the_contract(live_server, tmp_path):
    authority = AuthorityFactory()
    officer = person_with_role(Role.PROCUREMENT_OFFICER, authority)
    world = tender_to_award(
        officer, authority, prices=("60000", "110000", "120000"), marks=("1", "5", "3")
    )
    low, winner, third = world.bidders
    low_person = person_with_role(Role.BIDDER, low)
    third_person = person_with_role(Role.BIDDER, third)
    base = live_server.url
    evidence = tmp_path / "costs.pdf"
    evidence.write_bytes(b"%PDF-1.4 staff costs by month")

    with browser_page() as page:
        page.set_default_timeout(10_000)
        # --- The officer reads the ranking: chart (an image with its table), flag, refusal.
        _sign_in(page, base, officer)
        page.goto(f"{base}/tenders/{world.tender.pk}/award/")
        page.get_by_role("link", name=f"Ranking of {world.lot}").click()
        chart = page.locator("img.app-chart")
        expect(chart).to_be_visible()
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.locator("#ranking")).to_contain_text(winner.name)
        expect(page.locator("#refusals")).to_contain_text("possibly abnormally low")
        _shot(page, "1-ranking")

        # --- It asks the low bidder to explain its price.
        page.get_by_role("link", name=f"Ask {low.name} to explain the price").click()
        page.get_by_label("What should the bidder explain?").fill("How do staff costs fit?")
        page.get_by_role("button", name="Send the request").click()
        expect(page.locator("#query-status")).to_have_text("Waiting for the bidder's explanation")
        query_url = page.url

        # --- The bidder explains, with a file.
        _sign_in(page, base, low_person)
        page.goto(query_url)
        page.get_by_label("Your explanation of the price").fill("Volunteers run the sessions.")
        page.get_by_label("Attach evidence (optional)").set_input_files(str(evidence))
        page.get_by_role("button", name="Send the explanation").click()
        expect(page.locator("#query-response")).to_have_text("Volunteers run the sessions.")
        expect(page.get_by_role("link", name="costs.pdf")).to_be_visible()

        # --- The officer reads the rule and accepts the explanation.
        _sign_in(page, base, officer)
        page.goto(query_url)
        expect(page.locator("#rejection-rule")).to_contain_text("regulation 69")
        page.get_by_label("Accept the explanation: the bid stays in the running").check()
        page.get_by_label("Reason for the decision").fill("The volunteer hours are evidenced.")
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator("#refusals")).to_have_count(0)

        # --- The award decision, then its confirmation page.
        page.get_by_role("button", name=f"Decide the award of {world.lot}").click()
        page.get_by_label(f"Award to {winner.name}, ranked first").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#confirm-decision")).to_contain_text(winner.name)
        page.get_by_role("button", name="Confirm the award decision").click()
        expect(page.locator("#lots")).to_contain_text(f"Awarded to {winner.name}")

        # --- Issuing the award: a confirmation page, then the standstill.
        page.get_by_role("button", name="Issue the award").click()
        expect(page.locator(".govuk-warning-text")).to_contain_text("cannot be undone")
        page.get_by_label("By email through this service").check()
        page.get_by_role("button", name="Issue the award").click()
        expect(page.locator("#tender-status")).to_have_text("Awarded")
        expect(page.locator("#standstill-ends")).to_be_visible()
        _shot(page, "2-issued")

        # --- An unsuccessful bidder reads its own summary beside the winner's.
        _sign_in(page, base, third_person)
        page.goto(f"{base}/tenders/bids/{world.bids[2].pk}/")
        expect(page.locator("#bid-status")).to_have_text("Unsuccessful")
        page.get_by_role("link", name="Read the outcome and your assessment summary").click()
        expect(page.locator("#winner-total")).to_contain_text(winner.name)
        expect(page.locator("#summary")).not_to_contain_text(low.name)
        _shot(page, "3-summary")

        # --- The standstill has run; the officer ends it (confirmed) and enters the contract.
        AwardNotice.objects.filter(tender=world.tender).update(
            standstill_ends_at=timezone.now() - timedelta(minutes=1)
        )
        _sign_in(page, base, officer)
        page.goto(f"{base}/tenders/{world.tender.pk}/award/")
        page.get_by_role("button", name="End the standstill").click()
        page.get_by_role("button", name="No challenge was received: end the standstill").click()
        page.get_by_role("link", name="Enter the contract").click()
        today = timezone.localdate()
        page.get_by_label("Contract value, excluding VAT").fill("110,000")
        for field, day in (
            ("signed_on", today),
            ("starts_on", today + timedelta(days=7)),
            ("ends_on", today + timedelta(days=7 + 365)),
        ):
            page.locator(f"#id_{field}_0").fill(str(day.day))
            page.locator(f"#id_{field}_1").fill(str(day.month))
            page.locator(f"#id_{field}_2").fill(str(day.year))
        page.get_by_role("button", name="Enter the contract").click()
        expect(page.locator("#supplier")).to_have_text(winner.name)
        _shot(page, "4-contract")
    contract = Contract.objects.get(tender=world.tender)
    assert contract.bid_id == world.bids[1].pk
