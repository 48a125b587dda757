"""In a real browser under the enforced Content-Security-Policy: GOV.UK Frontend's scripts still
run (a conditional reveal opens, the error summary takes focus), the browsable API's and the
admin site's scripts load, and no page reports a violation."""

import pytest
from playwright.sync_api import expect

from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from socialvalue.models import PlannedContract, User
from tests.browser import browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of each page (Playwright injects it outside the page's policy).
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`
    + ` (${event.sourceFile}:${event.lineNumber})`);
});
"""


class Watch:
    """What a page reports: policy violations (as events and console messages) and uncaught
    exceptions. (Not every console error: the admin asks for /favicon.ico, which is not served.)"""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(LISTEN)
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"console {message.type}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.check()

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        found = self.page.evaluate("window.__violations") + self.problems
        assert not found, f"{self.page.url}: {found}"


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def test_govuk_frontend_works_under_the_policy_with_no_violation(live_server):
    cast, _ = seed_core()
    contract = PlannedContract.objects.create(
        authority=cast.organisations["council"], title="Supported living"
    )
    base = live_server.url
    with browser_page() as page:
        watch = Watch(page)
        watch.visit(f"{base}/")
        # The nonce'd inline script and the module script both ran.
        body_class = page.get_attribute("body", "class")
        assert "js-enabled" in body_class and "govuk-frontend-supported" in body_class

        watch.visit(f"{base}/account/sign-in/")
        page.get_by_label("Email address").fill("commissioner@northfield.example")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        watch.check()

        _sign_in(page, base, "commissioner@northfield.example")
        watch.check()
        watch.visit(f"{base}/act/contracts/{contract.pk}/check/")
        devolved = page.locator("#conditional_nation_1")
        expect(devolved).to_be_hidden()
        page.get_by_label("Wales").check()
        expect(devolved).to_be_visible()
        watch.check()


def test_the_browsable_api_and_the_admin_site_work_under_the_policy(live_server):
    seed_core()
    User.objects.create_superuser("root@service.example", DEMO_PASSWORD)
    base = live_server.url
    with browser_page() as page:
        watch = Watch(page)
        # The browsable API: its jQuery and Bootstrap load from this service and run.
        watch.visit(f"{base}/api/opportunities/")
        assert page.evaluate("typeof window.jQuery") == "function"
        expect(page.locator(".response-info")).to_be_visible()

        watch.visit(f"{base}/admin/login/")
        page.get_by_label("Email address").fill("root@service.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/admin/")
        watch.check()
        # Every admin page is read-only (no actions to tick), so the proof that the admin's own
        # scripts run is its navigation sidebar toggle (nav_sidebar.js).
        watch.visit(f"{base}/admin/socialvalue/organisation/")
        before = page.locator("#main").get_attribute("class") or ""
        page.locator("#toggle-nav-sidebar").click()
        page.wait_for_function(
            "before => (document.querySelector('#main').className || '') !== before", arg=before
        )
        watch.check()
