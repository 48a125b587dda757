"""The API's docs page: Swagger UI served from the service's own files (no CDN), working under
the enforced Content-Security-Policy, listing the endpoints of the schema."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_shows_every_endpoint_with_local_files_only(live_server):
    host = urlsplit(live_server.url).netloc
    with browser_page() as page:
        requested: list[str] = []
        refused: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{live_server.url}/api/docs/")
        expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        page.screenshot(path=str(SCREENSHOTS / "api-docs.png"), full_page=False)
    assert any("/api/ocds/releases/" in path for path in paths)
    assert any("/api/opportunities/" in path for path in paths)
    assert not refused, refused
    elsewhere = [url for url in requested if urlsplit(url).netloc not in (host, "")]
    assert not [url for url in elsewhere if not url.startswith("data:")], elsewhere
