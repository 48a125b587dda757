"""Playwright with Debian's Chromium, for browser tests (never a downloaded browser build)."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


def require_chromium() -> None:
    """Skip when Chromium is missing on a laptop; fail in CI (REQUIRE_BROWSER=1), where it must run."""
    if not Path(CHROMIUM).exists():
        message = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def browser_page():
    """A fresh headless Chromium page; Django's async guard is relaxed for Playwright's event loop."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            yield page
        finally:
            browser.close()


# The one accessibility rule GOV.UK Frontend itself accepts failing, and only where it fails:
# its conditional-reveal radios carry aria-expanded, which ARIA does not allow on a radio. GOV.UK
# keeps it on purpose because screen readers announce it (alphagov/govuk-frontend#979, listed as a
# known axe issue in #1280; the maintainers declined its removal in #2823). Any other element or
# attribute failing the rule is still a violation.
def _govuk_conditional_radio_expanded(node: dict) -> bool:
    messages = [check["message"] for check in node["any"] + node["all"] + node["none"]]
    return (
        'class="govuk-radios__input"' in node["html"]
        and "aria-controls=" in node["html"]
        and all("aria-expanded" in message for message in messages)
    )


AXE_ACCEPTED = {"aria-allowed-attr": _govuk_conditional_radio_expanded}


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it stands, one line per element, less the accepted one.

    axe-core comes inside the axe-playwright-python package and is injected into the page, so no
    network is needed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        accepted = AXE_ACCEPTED.get(violation["id"], lambda node: False)
        for node in violation["nodes"]:
            if not accepted(node):
                found.append(f"{violation['id']}: {violation['help']} at {node['target']}")
    return found


def assert_accessible(page) -> None:
    """Fail with every axe-core violation on the current page."""
    found = axe_violations(page)
    assert not found, f"{page.url}:\n  " + "\n  ".join(found)
