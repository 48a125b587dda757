"""In a real browser: the Act check reveals its conditional questions, answers, and records."""

import pytest
from playwright.sync_api import expect

from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from socialvalue.models import ActAssessment, PlannedContract
from tests.browser import SCREENSHOTS, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_checks_a_contract_and_records_the_consideration(live_server):
    cast, _ = seed_core()
    contract = PlannedContract.objects.create(
        authority=cast.organisations["council"], title="Supported living"
    )
    with browser_page() as page:
        page.goto(f"{live_server.url}/account/sign-in/")
        page.get_by_label("Email address").fill("commissioner@northfield.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/dashboard/")
        page.goto(f"{live_server.url}/act/contracts/{contract.pk}/check/")

        share = page.get_by_label("How much of the value is for services, in pounds?")
        devolved = page.locator("#conditional_nation_1")
        expect(share).to_be_hidden()
        expect(devolved).to_be_hidden()
        page.get_by_label("Mixed (services with goods or works)").check()
        expect(share).to_be_visible()
        page.get_by_label("Wales").check()
        expect(devolved).to_be_visible()
        page.get_by_label("England").check()
        expect(devolved).to_be_hidden()
        page.screenshot(path=str(SCREENSHOTS / "act-check-form.png"), full_page=True)

        page.get_by_label("Services", exact=True).check()
        expect(share).to_be_hidden()
        page.locator("#conditional_contract_type_0").get_by_label(
            "Light touch (social and other specific) services"
        ).check()
        page.locator("#conditional_contract_type_0").get_by_label(
            "A contract not based on a framework"
        ).check()
        page.get_by_label("Estimated total value, in pounds").fill("300000")
        page.get_by_label("No, it is net of VAT").check()
        page.get_by_label("Day").fill("1")
        page.get_by_label("Month").fill("9")
        page.get_by_label("Year").fill("2026")
        page.get_by_role("button", name="Check").click()

        expect(page.get_by_role("heading", name="The Social Value Act applies")).to_be_visible()
        expect(page.locator("#answer")).to_contain_text("£207,720.00 including VAT")
        page.screenshot(path=str(SCREENSHOTS / "act-result.png"), full_page=True)

        page.get_by_label("How might what you are buying improve").fill("Local jobs.")
        page.get_by_label("How will you conduct the procurement").fill("Weighted criteria.")
        page.locator("#id_will_consult_1").check()
        page.get_by_label("Why will you not consult?").fill("Consulted last year.")
        page.get_by_role("button", name="Record the check").click()
        expect(page.get_by_role("heading", name="Social Value Act check")).to_be_visible()
    saved = ActAssessment.objects.get()
    assert saved.applies is True and saved.consultation_reason == "Consulted last year."


def test_services_mixed_with_works_reveal_the_main_purpose_question(live_server):
    cast, _ = seed_core()
    contract = PlannedContract.objects.create(
        authority=cast.organisations["council"], title="Depot rebuild and grounds service"
    )
    with browser_page() as page:
        page.goto(f"{live_server.url}/account/sign-in/")
        page.get_by_label("Email address").fill("commissioner@northfield.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/dashboard/")
        page.goto(f"{live_server.url}/act/contracts/{contract.pk}/check/")

        purpose = page.locator("#conditional_mixed_with_1")
        share = page.get_by_label("How much of the value is for services, in pounds?")
        expect(purpose).to_be_hidden()
        page.get_by_label("Mixed (services with goods or works)").check()
        expect(share).to_be_visible()
        page.locator("#conditional_contract_type_3").get_by_label("Works", exact=True).check()
        expect(purpose).to_be_visible()
        expect(share).to_be_hidden()
        purpose.get_by_label("Mainly works").check()
        mixed = page.locator("#conditional_contract_type_3")
        mixed.get_by_label("Standard services").check()
        mixed.get_by_label("A contract not based on a framework").check()
        page.get_by_label("Estimated total value, in pounds").fill("6000000")
        page.get_by_label("Day").fill("1")
        page.get_by_label("Month").fill("9")
        page.get_by_label("Year").fill("2026")
        page.get_by_role("button", name="Check").click()
        expect(
            page.get_by_role("heading", name="The Social Value Act does not apply")
        ).to_be_visible()
        expect(page.locator("#reasons")).to_contain_text("main purpose is works")
