"""In a real browser, the Compact issue's "done when": a Compact member comments on a definition
in review and the group records its view, the author replies, the authority adopts; a
commissioner runs a 10-week consultation with a reason, a voluntary organisation responds and
the summary is published; a decommissioning with two months' notice is refused without a
reason and accepted with one; the area's Compact health page shows all of it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compact import services
from compact.models import Consultation
from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from socialvalue.definitions import services as definition_services
from socialvalue.models import DefinitionStatus, LocalDefinition
from tests.browser import SCREENSHOTS, browser_page
from tests.measurement.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def fill_date(page, name: str, day: date) -> None:
    page.fill(f"input[name={name}_0]", str(day.day))
    page.fill(f"input[name={name}_1]", str(day.month))
    page.fill(f"input[name={name}_2]", str(day.year))


def test_the_compact_journey(live_server):
    cast, _ = seed_core()
    council, group = cast.organisations["council"], cast.organisations["compact"]
    keeper = cast.users["compact"]
    today = timezone.localdate()
    compact = services.local_compact_create(
        actor=keeper,
        group=group,
        title="Northfield Compact",
        area="Northfield district",
        agreed_on=date(2011, 6, 1),
        review_on=today + timedelta(days=200),
        authorities=[council],
    )
    services.signatory_add(
        actor=keeper,
        compact=compact,
        organisation=council,
        sector="public",
        signed_on=date(2011, 6, 1),
    )
    services.signatory_add(
        actor=keeper, compact=compact, name="Northfield Integrated Care Board", sector="public"
    )
    measure = MeasureFactory(code="SOC-90", name="Volunteering hours", unit="hour")
    joint = definition_services.definition_create(
        actor=keeper,
        owner=group,
        title="Social value across Northfield",
        statement="Fair work and stronger communities.",
        authorities=[council],
    )
    priority = definition_services.priority_add(
        actor=keeper, definition=joint, theme="social", outcome="Stronger community groups"
    )
    definition_services.priority_set_measures(actor=keeper, priority=priority, measures=[measure])
    definition_services.definition_submit(actor=keeper, definition=joint)
    base = live_server.url
    review_url = f"{base}/compact/reviews/{joint.pk}/"

    with browser_page() as page:
        # A member of the group (a voluntary organisation's bidder) comments on the definition.
        sign_in(page, base, "bids@foodnetwork.example")
        page.goto(review_url)
        page.get_by_label("Comment on the definition").fill("Name the voluntary sector's part.")
        page.get_by_role("button", name="Add comment").first.click()
        expect(page.get_by_text("Name the voluntary sector's part.")).to_be_visible()
        page.get_by_label("Comment on this priority").fill("Count volunteering hours by group.")
        page.get_by_role("button", name="Add comment").nth(1).click()
        expect(page.get_by_text("Count volunteering hours by group.")).to_be_visible()

        # The author (the group's keeper) replies, resolves, and records the group's view.
        sign_in(page, base, "compact@northfield.example")
        page.goto(review_url)
        page.locator("details.govuk-details summary").first.click()
        page.locator("details.govuk-details textarea").first.fill("Added to the statement.")
        page.locator("details.govuk-details").first.get_by_role("button", name="Reply").click()
        expect(page.get_by_text("Added to the statement.")).to_be_visible()
        page.get_by_role("link", name="Record the group's view").click()
        page.get_by_label("Support with changes").check()
        page.get_by_label("Reasons").fill("Support, with the sector's part named.")
        page.get_by_role("button", name="Record the view").click()
        expect(page.locator("#group-view")).to_contain_text("Support with changes")

        # The council's commissioner adopts it for the council; the group's view is shown.
        sign_in(page, base, "commissioner@northfield.example")
        page.goto(review_url)
        page.get_by_role("link", name="Record your authority's adoption").click()
        expect(page.locator("#group-view")).to_contain_text("Support with changes")
        page.get_by_label("Northfield District Council").check()
        fill_date(page, "decided_on", today)
        page.get_by_label("Decision reference (optional)").fill("Cabinet minute 42")
        page.get_by_role("button", name="Record the adoption").click()
        expect(page.get_by_text("Cabinet minute 42")).to_be_visible()
        assert LocalDefinition.objects.get(pk=joint.pk).status == DefinitionStatus.ADOPTED
        page.screenshot(path=str(SCREENSHOTS / "compact-review.png"), full_page=True)

        # A 10-week consultation: refused without a reason (typed values kept), then opened.
        page.goto(f"{base}/compact/consultations/new/")
        page.get_by_label("Title").fill("Community centres from next year")
        page.get_by_label("The design of a service").check()
        page.get_by_label("What is proposed").fill("Community groups run the centres.")
        page.get_by_label("Who is asked").fill("Groups using the centres.")
        fill_date(page, "starts_on", today)
        fill_date(page, "ends_on", today + timedelta(weeks=10))
        page.get_by_role("button", name="Open the consultation").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("shorter than the Compact")
        expect(page.get_by_label("Title")).to_have_value("Community centres from next year")
        page.screenshot(path=str(SCREENSHOTS / "compact-consultation-error.png"), full_page=True)
        page.get_by_label("If shorter than 12 weeks: why").fill("The budget is set in February.")
        page.get_by_role("button", name="Open the consultation").click()
        expect(page.locator("#shorter-reason")).to_contain_text("The budget is set in February.")
        consultation_url = page.url

        # A voluntary organisation finds it on the public page and responds.
        sign_in(page, base, "bids@riversideyouth.example")
        page.goto(f"{base}/compact/consultations/")
        page.get_by_role("link", name="Community centres from next year").click()
        page.get_by_role("link", name="Respond to this consultation").click()
        page.get_by_label("Your response").fill("We would run the east centre.")
        page.get_by_role("button", name="Send the response").click()
        expect(page.get_by_text("We would run the east centre.")).to_be_visible()

        # Time passes: it closes; the commissioner publishes the summary of responses.
        Consultation.objects.filter(title="Community centres from next year").update(
            starts_on=today - timedelta(weeks=10), ends_on=today - timedelta(days=1)
        )
        sign_in(page, base, "commissioner@northfield.example")
        page.goto(consultation_url)
        page.get_by_role("link", name="Publish the summary of responses").click()
        page.get_by_label("Summary of responses").fill("One group offered to run a centre.")
        page.get_by_label("You said, we did").fill("You offered to run the east centre: we agreed.")
        page.get_by_role("button", name="Publish").click()
        expect(page.locator("#you-said-we-did")).to_contain_text("we agreed")

        # Two months' notice of a decommissioning: refused without a reason, then accepted.
        page.goto(f"{base}/compact/decommissioning/new/")
        page.get_by_label("Service or funding").fill("Evening youth club grant")
        page.get_by_label("End the service or its funding").check()
        for label, text in [
            ("Advice sought from relevant voluntary groups", "The Compact group."),
            ("Impact on beneficiaries", "Forty young people."),
            ("Mitigation for beneficiaries", "Sessions move west."),
            ("Impact on service users", "Parents."),
            ("Mitigation for service users", "Outreach."),
            ("Impact on volunteers", "Twelve volunteers."),
            ("Mitigation for volunteers", "New roles."),
            ("Social impact", "Fewer activities."),
            ("Economic impact", "Two posts."),
            ("Environmental impact", "Longer journeys."),
        ]:
            page.get_by_label(label, exact=True).fill(text)
        fill_date(page, "notice_given_on", today)
        fill_date(page, "ends_on", today + timedelta(days=61))
        page.get_by_role("button", name="Record the assessment").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("explain why")
        expect(page.get_by_label("Impact on volunteers", exact=True)).to_have_value(
            "Twelve volunteers."
        )
        page.get_by_label("If notice is under three months: why").fill("The lease ends early.")
        page.get_by_role("button", name="Record the assessment").click()
        expect(page.locator("#short-notice-reason")).to_contain_text("The lease ends early.")

        # The area's Compact health page shows all of it.
        page.goto(f"{base}/compact/{compact.slug}/health/")
        health = page.locator(".app-compact-health")
        expect(health).to_contain_text("Community centres from next year")
        expect(health).to_contain_text("Evening youth club grant")
        expect(health).to_contain_text("1 signed, 1 not signed")
        expect(health).to_contain_text("Northfield Integrated Care Board")
        page.screenshot(path=str(SCREENSHOTS / "compact-health.png"), full_page=True)
