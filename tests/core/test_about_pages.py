"""The footer's pages: accessibility statement, privacy notice and cookies, linked from every page;
the cookies page names every cookie a browser receives from the service."""

import pytest
from django.urls import reverse

from socialvalue.core.demo import DEMO_PASSWORD, seed_core
from tests.browser import browser_page

FOOTER = [
    ("accessibility", "Accessibility statement"),
    ("privacy", "Privacy"),
    ("cookies", "Cookies"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,label", FOOTER)
def test_every_page_links_the_footer_pages_and_they_open_signed_out(client, name, label):
    home = client.get("/").content.decode()
    assert f'href="{reverse(name)}">{label}</a>' in home
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f'href="{reverse(name)}">{label}</a>' in response.content.decode()


@pytest.mark.django_db
def test_the_statement_names_the_contact_the_installation_sets(client, settings):
    settings.SERVICE_CONTACT_EMAIL = "access@council.example"
    settings.SERVICE_OPERATOR = "Northfield District Council"
    body = client.get(reverse("accessibility")).content.decode()
    assert "mailto:access@council.example" in body
    assert "run by Northfield District Council" in body


@pytest.mark.django_db
def test_without_a_contact_the_statement_says_whom_to_ask(client, settings):
    settings.SERVICE_CONTACT_EMAIL = ""
    body = client.get(reverse("accessibility")).content.decode()
    assert "mailto:" not in body
    assert "contact the organisation that runs this installation" in body


@pytest.mark.django_db
def test_the_cookies_page_reads_names_and_lifetimes_from_settings(client, settings):
    settings.SESSION_COOKIE_NAME = "sv_session"
    settings.SESSION_COOKIE_AGE = 8 * 3600
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    body = client.get(reverse("cookies")).content.decode()
    assert "sv_session" in body
    assert "until you close your browser" in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_cookie_a_browser_receives_is_on_the_cookies_page(live_server):
    """Sign in, send a form that leaves a message, sign out: each cookie set is described."""
    seed_core()
    base = live_server.url
    with browser_page() as page:
        page.goto(f"{base}/account/sign-in/")
        page.get_by_label("Email address").fill("commissioner@northfield.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/dashboard/")
        page.goto(f"{base}/act/contracts/new/")
        page.get_by_label("Contract title").fill("Cookie check")
        page.get_by_role("button").filter(has_text="Save").or_(
            page.locator("main form button[type=submit]")
        ).first.click()
        received = {cookie["name"] for cookie in page.context.cookies()}
        page.get_by_role("button", name="Sign out").click()
        received |= {cookie["name"] for cookie in page.context.cookies()}
        page.goto(f"{base}/cookies/")
        listed = set(page.locator("main table code").all_inner_texts())
    assert {"sessionid", "csrftoken"} <= received
    assert received <= listed, f"not on the cookies page: {received - listed}"
