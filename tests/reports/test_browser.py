"""In Chromium under the enforced Content-Security-Policy: a report asked for from its subject's
page, its progress updating without a reload (htmx), and the PDF downloaded."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from socialvalue.core.demo import seed_all, seed_core
from socialvalue.models import PlannedContract, Report, ReportStatus
from socialvalue.reports import services
from tests.browser import SCREENSHOTS, browser_page
from tests.core.test_csp_browser import Watch, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_shows_its_progress_without_a_reload_then_downloads(
    live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_all()
    cast, _ = seed_core()
    council = cast.organisations["council"]
    contract = PlannedContract.objects.get(
        authority=council, title="Home care and reablement support"
    )
    # Queued, as if the worker had not got to it yet.
    waiting = Report.objects.create(
        kind="act-consideration",
        subject_id=contract.pk,
        title="Social Value Act consideration record: Home care and reablement support",
        organisation=council,
        requested_by=cast.users["commissioner"],
        data_version="waiting",
    )
    base = live_server.url
    with browser_page() as page:
        watch = Watch(page)
        _sign_in(page, base, "commissioner@northfield.example")
        watch.visit(f"{base}/reports/{waiting.pk}/")
        expect(page.locator("#report-state")).to_have_text("Queued")
        page.evaluate("window.__loaded = true")
        services.render(waiting.pk)
        expect(page.locator("#report-state")).to_have_text("Ready", timeout=20_000)
        # The same page, updated in place: a reload would have cleared the marker.
        assert page.evaluate("window.__loaded") is True
        page.screenshot(path=SCREENSHOTS / "report-ready.png", full_page=True)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF").click()
        assert download.value.suggested_filename.endswith("-v1.pdf")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
        watch.check()

        # Asked for from the contract's page: the worker (eager in tests) has it ready at once.
        watch.visit(f"{base}/act/contracts/{contract.pk}/")
        page.get_by_role("button", name="Get the consideration record as a PDF").click()
        expect(page.locator("#report-state")).to_have_text("Ready")
        assert Report.objects.filter(status=ReportStatus.READY).count() == 2
        watch.check()

        # The annual report from the dashboard.
        watch.visit(f"{base}/dashboard/")
        page.get_by_role("button", name="Make the annual report").first.click()
        expect(page.locator("h1")).to_contain_text("Annual social value report")
        expect(page.locator("#report-state")).to_have_text("Ready")
        watch.check()
