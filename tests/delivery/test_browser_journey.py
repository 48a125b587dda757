"""The issue's "Done when" journey in Debian's Chromium, on the demo contract: the supplier
sends a return with evidence (a file uploaded to its library), the officer accepts one line
and queries the other, the supplier answers, the contract page shows committed against
delivered with gross and net side by side and an at-risk flag, and the authority's totals
include the accepted quantity. Then the officer records a remedy, which the supplier reads;
and the tenders contract page leads to the delivery page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measurement.delivery import totals
from measurement.delivery.models import ReportingPeriod, ReturnLine
from socialvalue.core.demo import DEMO_PASSWORD
from socialvalue.templatetags.numbers import gbp
from tenders.demo import AWARDED_TITLE
from tenders.models import Contract
from tests.browser import SCREENSHOTS, assert_accessible, browser_page
from tests.test_accessibility import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPPLIER = "bids@foodnetwork.example"
OFFICER = "procurement@northfield.example"


def _sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"delivery-{name}.png"), full_page=True)


def _delivered_gross(contract) -> tuple:
    """Verified delivery of the contract, gross: welfare (the figure the totals page shows),
    transfers, and values whose source is unconfirmed. Which line the sample check picks
    depends on the ids, so the accepted line may be of any of the three."""
    side = totals.contract_rows([contract])[0].bucket.delivered
    return side.welfare_gross, side.transfer_gross, side.left_out_gross + side.included_gross


def test_a_return_with_evidence_is_verified_and_counted_and_a_remedy_recorded(
    live_server, tmp_path
):
    seed_demo()
    base = live_server.url
    contract = Contract.objects.get(tender__title=AWARDED_TITLE)
    today = timezone.localdate()
    period = (
        ReportingPeriod.objects.filter(contract=contract, starts_on__lte=today)
        .exclude(delivery_return__status="submitted")
        .order_by("number")
        .first()
    )
    assert period is not None, "the demo contract has a period running with no return"
    commitments = list(contract.commitments.select_related("measure").order_by("pk"))
    assert len(commitments) >= 2
    gross_before = _delivered_gross(contract)
    evidence = tmp_path / "hours-log.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% volunteer hours log for the period\n")

    with browser_page() as page:
        page.set_default_timeout(15_000)
        # --- The supplier puts a file in its evidence library, then sends the return with it.
        _sign_in(page, base, SUPPLIER)
        page.goto(f"{base}/delivery/evidence/")
        page.get_by_label("What the file shows").fill("Volunteer hours log, this period")
        page.get_by_label("File", exact=True).set_input_files(str(evidence))
        page.get_by_role("button", name="Add to the library").click()
        expect(page.locator("body")).to_contain_text("The file is in your evidence library.")

        page.goto(f"{base}/delivery/contracts/{contract.pk}/")
        expect(page.locator("#at-risk")).to_contain_text("Delivery at risk")
        page.locator("#periods").get_by_role("link", name="Report").first.click()
        expect(page.locator("h1")).to_have_text(f"Return for period {period.number}")
        for commitment in commitments:
            code = commitment.measure.code
            page.get_by_label(f"{code} {commitment.measure.name}: quantity delivered").fill("10")
            page.locator(f"input[name='evidence_{commitment.pk}']").first.check()
        page.get_by_role("button", name="Send the return").click()
        expect(page.locator("body")).to_contain_text("Your return is sent for checking.")
        lines = list(
            ReturnLine.objects.filter(delivery_return__period=period).order_by("commitment_id")
        )
        assert len(lines) == len(commitments)
        assert all(line.evidence.count() == 1 for line in lines)
        sampled = [line for line in lines if line.sample_check]
        assert len(sampled) == 1  # the demo contract's band checks a quarter, rounded up
        expect(page.locator(".app-sample-check")).to_have_count(1)
        _shot(page, "1-sent")

        # --- The officer accepts the sampled line and queries another.
        _sign_in(page, base, OFFICER)
        page.goto(f"{base}/delivery/periods/{period.pk}/return/")
        first = sampled[0]
        second = next(line for line in lines if line.pk != first.pk)
        assert_accessible(page)  # the sample's mark and the decision forms
        page.get_by_role("link", name="Accept the lines outside the sample together").click()
        expect(page.locator("#unsampled-lines")).to_contain_text(second.commitment.measure.code)
        assert_accessible(page)
        page.go_back()
        card = page.locator(f"#line-{first.pk}")
        expect(card).to_contain_text("hours-log.pdf")
        card.locator(f"input[name='line-{first.pk}-decision'][value='accept']").check()
        card.get_by_role("button", name="Record the decision").click()
        expect(page.locator(f"#line-{first.pk}")).to_contain_text("Accepted")
        card = page.locator(f"#line-{second.pk}")
        card.locator(f"input[name='line-{second.pk}-decision'][value='query']").check()
        card.get_by_label("Question or reason (needed to query or reject)").fill(
            "Which sites are these hours from?"
        )
        card.get_by_role("button", name="Record the decision").click()
        expect(page.locator(f"#line-{second.pk}")).to_contain_text("Queried")

        # --- The supplier answers the query.
        _sign_in(page, base, SUPPLIER)
        page.goto(f"{base}/delivery/periods/{period.pk}/return/")
        card = page.locator(f"#line-{second.pk}")
        expect(card).to_contain_text("Which sites are these hours from?")
        card.get_by_label("Your answer").fill("Ward 2 and ward 4 growing spaces.")
        card.get_by_role("button", name="Send the answer").click()
        expect(page.locator(f"#line-{second.pk}")).to_contain_text(
            "Answered, awaiting verification"
        )

        # --- The officer reads the contract page: committed against delivered, gross and
        # net side by side, the at-risk flag; the totals include the accepted line.
        _sign_in(page, base, OFFICER)
        page.goto(f"{base}/tenders/contracts/{contract.pk}/")
        page.get_by_role("link", name="Delivery of the social value").click()
        page.wait_for_url(f"{base}/delivery/contracts/{contract.pk}/")
        headers = page.locator("#commitments thead")
        for heading in ("Committed", "Delivered", "Gross value delivered", "Net value delivered"):
            expect(headers).to_contain_text(heading)
        totals_headers = page.locator("#totals thead")
        expect(totals_headers).to_contain_text("Gross")
        expect(totals_headers).to_contain_text("Net (present value)")
        expect(page.locator("#at-risk")).to_contain_text("Delivery at risk")
        expect(page.locator("#commitments")).to_contain_text("Behind target")
        _shot(page, "2-contract")
        gross_after = _delivered_gross(contract)
        assert sum(gross_after) > sum(gross_before)
        page.goto(f"{base}/delivery/totals/")
        row = page.locator("#contract-totals tr", has_text=AWARDED_TITLE)
        expect(row).to_contain_text(gbp(gross_after[0]))

        # --- The officer records a remedy for the contract at risk; the supplier reads it.
        page.goto(f"{base}/delivery/contracts/{contract.pk}/")
        page.get_by_role("link", name="Record a remedy agreed with the supplier").click()
        page.get_by_role("button", name="Record the remedy").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Say what was agreed with the supplier."
        )
        assert_accessible(page)
        due = today + timedelta(days=60)
        page.get_by_label("What was agreed with the supplier").fill(
            "Extra Saturday sessions until the shortfall is made up."
        )
        page.get_by_label("Day", exact=True).fill(str(due.day))
        page.get_by_label("Month", exact=True).fill(str(due.month))
        page.get_by_label("Year", exact=True).fill(str(due.year))
        page.get_by_role("button", name="Record the remedy").click()
        expect(page.locator("#remedy-list")).to_contain_text("Extra Saturday sessions")
        _shot(page, "3-remedy")
        assert_accessible(page)
        page.get_by_role("link", name="Record the outcome").click()
        assert_accessible(page)
        page.goto(f"{base}/delivery/contracts/{contract.pk}/failures/add/")
        page.get_by_role("button", name="Record the performance failure").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Describe the performance failure."
        )
        assert_accessible(page)

        _sign_in(page, base, SUPPLIER)
        page.goto(f"{base}/delivery/contracts/{contract.pk}/")
        expect(page.locator("#remedy-list")).to_contain_text("Extra Saturday sessions")
        expect(page.locator("#remedy-add")).to_have_count(0)
