"""In a real browser, the issue's "done when": a commissioner drafts, submits and adopts a local
definition; a signed-out visitor reads it on the market statement; staff export the catalogue
and import a changed file, which adds a proxy version and keeps the old one."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measurement.models import ProxyValue
from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from socialvalue.models import DefinitionStatus, LocalDefinition
from tests.browser import SCREENSHOTS, browser_page
from tests.measurement.factories import MeasureFactory, ProxyValueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def test_a_definition_is_adopted_published_and_the_catalogue_round_trips(live_server, tmp_path):
    seed_core()
    # A transactional test starts with empty tables, so the measures it uses are made here.
    apprenticeships = MeasureFactory(
        code="ECO-90", name="Weeks of apprenticeship for local people", unit="week"
    )
    ProxyValueFactory(measure=apprenticeships, value=Decimal("300.00"), valid_from=date(2024, 4, 1))
    MeasureFactory(code="ECO-91", name="Hours of careers talks in schools", unit="hour")
    base = live_server.url
    today = timezone.localdate()

    with browser_page() as page:
        # A commissioner drafts a definition with one priority, one measure and a target.
        sign_in(page, base, "commissioner@northfield.example")
        page.get_by_role("link", name="Local definitions").first.click()
        page.get_by_role("link", name="Start a local definition").click()
        page.get_by_label("Title").fill("Social value in Northfield")
        page.get_by_label("What social value means here").fill("Good local jobs.")
        page.get_by_label("Which Compact group reviews it?").select_option(
            label="Northfield Compact Group"
        )
        page.get_by_role("button", name="Start the draft").click()
        expect(page.get_by_role("heading", name="Social value in Northfield")).to_be_visible()

        page.get_by_role("link", name="Add a priority").click()
        page.get_by_label("Economic").check()
        page.get_by_label("Outcome sought").fill("More local young people in work")
        page.get_by_role("button", name="Add the priority").click()
        page.get_by_label("ECO-90 Weeks of apprenticeship for local people").check()
        page.get_by_role("button", name="Save the measures").click()
        page.get_by_role("link", name="Set target for ECO-90").click()
        page.get_by_label("Target quantity (optional)").fill("40")
        page.get_by_role("button", name="Save the target").click()
        expect(page.get_by_text("Target: 40 week")).to_be_visible()
        page.get_by_role("link", name="Social value in Northfield").first.click()
        page.screenshot(path=str(SCREENSHOTS / "definition-draft.png"), full_page=True)

        # Submitted for review, then adopted; an impossible date is named by its field first.
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator(".govuk-tag", has_text="In review").first).to_be_visible()
        page.get_by_role("link", name="Adopt this version").click()
        page.get_by_label("Day").fill("31")
        page.get_by_label("Month").fill("6")
        page.get_by_label("Year").fill(str(today.year + 1))
        page.get_by_role("button", name="Adopt and publish").click()
        message = "The date it takes effect must be a real date."
        expect(page.locator(".govuk-error-summary")).to_contain_text(message)
        expect(page.locator(".govuk-error-summary")).to_be_focused()
        expect(page.locator("#div_id_effective_from .govuk-error-message")).to_contain_text(message)
        expect(page.get_by_label("Day")).to_have_value("31")
        page.screenshot(path=str(SCREENSHOTS / "definition-adopt-date-error.png"), full_page=True)
        tomorrow = today + timedelta(days=1)
        page.get_by_label("Day").fill(str(tomorrow.day))
        page.get_by_label("Month").fill(str(tomorrow.month))
        page.get_by_label("Year").fill(str(tomorrow.year))
        page.get_by_role("button", name="Adopt and publish").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("adopted")
        definition = LocalDefinition.objects.get(title="Social value in Northfield")
        assert definition.status == DefinitionStatus.ADOPTED
        assert definition.effective_from == tomorrow

        # Signed out, anyone can read it on the authority's market statement.
        page.get_by_role("button", name="Sign out").click()
        page.goto(f"{base}/definitions/market-statement/")
        page.get_by_role("link", name="Northfield District Council").click()
        expect(page.get_by_role("heading", name="Social value market statement")).to_be_visible()
        expect(page.get_by_role("heading", name="More local young people in work")).to_be_visible()
        expect(page.get_by_role("cell", name="40 week")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "market-statement.png"), full_page=True)

        # Staff export the catalogue, change a value and import the file.
        sign_in(page, base, "staff@service.example")
        page.goto(f"{base}/catalogue/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the catalogue (CSV)").click()
        exported = tmp_path / "catalogue.csv"
        download.value.save_as(exported)
        text = exported.read_text(encoding="utf-8")
        assert "ECO-90" in text and "300.00" in text
        changed = tmp_path / "catalogue-changed.csv"
        changed.write_text(text.replace("300.00", "325.00"), encoding="utf-8")
        page.get_by_role("link", name="Import a catalogue CSV").click()
        page.get_by_label("Catalogue CSV file").set_input_files(str(changed))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_text("Changed value: new version")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "catalogue-import-check.png"), full_page=True)
        page.get_by_role("button", name="Import these changes").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "1 new proxy version"
        )
        page.get_by_role("link", name="ECO-90").click()
        expect(page.get_by_role("heading", name="£325.00 per week from")).to_be_visible()
        expect(
            page.get_by_role("heading", name="£300.00 per week from 1 April 2024")
        ).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "catalogue-new-version.png"), full_page=True)

    versions = ProxyValue.objects.filter(measure=apprenticeships).order_by("valid_from")
    assert [(v.value, v.valid_from) for v in versions] == [
        (Decimal("300.00"), date(2024, 4, 1)),
        (Decimal("325.00"), today),
    ]
