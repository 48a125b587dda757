"""axe-core over every page each role reaches by following links from where they land, in Debian's
Chromium: no violation, less the one GOV.UK Frontend accepts (tests/browser.py, AXE_ACCEPTED).

Each role signs in with the demo data and follows every link of the service's own pages, breadth
first; each view is checked once per role (on the first page of it that answers), at desktop width."""

from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from socialvalue.core.demo import DEMO_PASSWORD
from tests.browser import assert_accessible, axe_violations, browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    None,  # signed out
    "commissioner@northfield.example",
    "procurement@northfield.example",
    "evaluator@northfield.example",
    "admin@northfield.example",
    "compact@northfield.example",
    "bids@foodnetwork.example",
    "staff@service.example",
]
# Not the service's own GOV.UK pages (Django's admin site, the browsable API), files rather than
# pages, and signing out, which would end the walk.
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/")
SKIP_ROUTES = {
    "sign-out",
    "measure-export",
    "tender-document",
    "bid-attachment",
}
MOST_PAGES_PER_ROLE = 80
# Fewest pages each role must reach, so the walk cannot pass by finding nothing.
FEWEST_PAGES = {None: 6, "staff@service.example": 8}


def seed_demo() -> None:
    """The demo data on the shipped catalogue (a transactional test starts with empty tables, the
    catalogue's data migration included)."""
    from measurement.loading import load_starter_catalogue
    from measurement.models import Measure, ProxyValue

    load_starter_catalogue(Measure, ProxyValue)
    call_command("seed_demo", verbosity=0)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _route(path: str) -> str | None:
    if path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name in SKIP_ROUTES:
        return None
    return match.view_name


def key_pages() -> list[str]:
    """Pages of every demo object, so forms a role reaches only by a button are checked too; a page
    the role may not see answers 403 or 404 and is passed over."""
    from measurement.models import Measure
    from socialvalue.models import LocalDefinition, Priority
    from tenders.models import Bid, Criterion, Lot, Tender

    paths = []
    for tender in Tender.objects.order_by("-pk"):
        paths += [
            reverse(name, args=[tender.pk])
            for name in (
                "tender-detail",
                "tender-edit",
                "tender-publish",
                "tender-amend",
                "tender-bids",
                "tender-clarifications",
                "tender-lot-add",
                "tender-document-add",
            )
        ]
    for lot in Lot.objects.all():
        paths += [
            reverse(name, args=[lot.pk])
            for name in (
                "tender-lot-edit",
                "tender-criteria",
                "tender-criterion-add",
                "tender-weights",
                "bid-start",
            )
        ]
    paths += [reverse("tender-criterion-edit", args=[c.pk]) for c in Criterion.objects.all()[:2]]
    for bid in Bid.objects.unscoped(reason="the walk asks each page, which applies the rule"):
        paths += [
            reverse(name, args=[bid.pk])
            for name in ("bid-detail", "bid-edit", "bid-submit", "bid-commitment-add")
        ]
        paths.append(reverse("bid-attachment-add", args=[bid.pk]))
    for definition in LocalDefinition.objects.all():
        paths += [
            reverse(name, args=[definition.pk])
            for name in (
                "definition-detail",
                "definition-edit",
                "definition-priority-add",
            )
        ]
    for priority in Priority.objects.all()[:2]:
        paths += [
            reverse(name, args=[priority.pk])
            for name in ("definition-priority", "definition-priority-edit")
        ]
    for measure in Measure.objects.all()[:1]:
        paths += [
            reverse(name, args=[measure.code]) for name in ("measure-detail", "measure-proxy-add")
        ]
    return paths


def walk(page, base: str, starts: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Follow the service's links breadth first from start; the pages checked and axe's findings."""
    origin = urlsplit(base).netloc
    queue, seen_routes, checked, findings = list(starts), set(), [], {}
    while queue and len(seen_routes) < MOST_PAGES_PER_ROLE:
        path = queue.pop(0)
        route = _route(path)
        if route is None or route in seen_routes:
            continue
        response = page.goto(f"{base}{path}")
        assert response.status < 500, f"{path} answered {response.status}"
        if response.status != 200 or urlsplit(page.url).path != path:
            continue
        seen_routes.add(route)
        checked.append(path)
        found = axe_violations(page)
        if found:
            findings[path] = found
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(urldefrag(href)[0])
            if url.netloc == origin and url.path not in queue:
                queue.append(url.path)
    return checked, findings


@pytest.mark.parametrize("email", ROLES, ids=lambda email: (email or "signed-out").split("@")[0])
def test_every_page_a_role_reaches_has_no_axe_violation(live_server, email):
    seed_demo()
    base = live_server.url
    with browser_page() as page:
        if email:
            _sign_in(page, base, email)
            checked, findings = walk(page, base, ["/dashboard/", *key_pages()])
        else:
            checked, findings = walk(page, base, ["/", *key_pages()])
    print(f"{email or 'signed out'}: {len(checked)} pages checked: {' '.join(checked)}")
    assert len(checked) >= FEWEST_PAGES.get(email, 10), checked
    assert not findings, "\n".join(
        f"{path}:\n  " + "\n  ".join(lines) for path, lines in findings.items()
    )


def test_error_states_and_revealed_questions_have_no_axe_violation(live_server):
    """The pages as a mistake or a choice leaves them: an error summary, a conditional reveal."""
    seed_demo()
    base = live_server.url
    with browser_page() as page:
        page.goto(f"{base}/account/sign-in/")
        page.get_by_role("button", name="Sign in").click()
        assert_accessible(page)
        _sign_in(page, base, "commissioner@northfield.example")
        from socialvalue.models import PlannedContract

        contract = PlannedContract.objects.first()
        page.goto(f"{base}/act/contracts/{contract.pk}/check/")
        for radio in page.locator("input.govuk-radios__input[aria-controls]").all()[:1]:
            radio.check()
        assert_accessible(page)
        page.locator("form button[type=submit]").last.click()
        assert_accessible(page)


def test_at_phone_width_wide_tables_say_they_scroll_and_pass_axe(live_server):
    """At 375 pixels, a table wider than the screen is a focusable, named region with a line
    saying it scrolls sideways; catalogue codes do not break."""
    seed_demo()
    from tenders.models import Bid

    base = live_server.url
    bid = (
        Bid.objects.unscoped(reason="the demo's submitted bid, opened by its bidder")
        .filter(bidder__name="Northfield Community Food Network")
        .first()
    )
    with browser_page() as page:
        page.set_viewport_size({"width": 375, "height": 800})
        _sign_in(page, base, "bids@foodnetwork.example")
        for path in ("/catalogue/", bid.get_absolute_url(), "/tenders/my-bids/"):
            page.goto(f"{base}{path}")
            assert_accessible(page)
        page.goto(f"{base}{bid.get_absolute_url()}")
        wide = page.locator(".app-table-wrapper[role=region]")
        assert wide.count() >= 1
        assert wide.first.get_attribute("tabindex") == "0"
        assert page.locator(".app-table-scroll-hint").first.is_visible()
        codes = page.locator(".app-nowrap")
        assert codes.count() >= 1
        for index in range(codes.count()):
            # A code that wrapped would be drawn as two line boxes.
            assert codes.nth(index).evaluate("code => code.getClientRects().length") == 1


def test_delivery_totals_publishing_and_the_public_summary_pass_axe(live_server):
    """The totals page by theme and priority, as an officer publishes from it, and the public
    summary a signed-out visitor then reads."""
    seed_demo()
    base = live_server.url
    with browser_page() as page:
        _sign_in(page, base, "procurement@northfield.example")
        page.goto(f"{base}/delivery/totals/")
        assert_accessible(page)
        page.get_by_role("button", name="Publish delivered social value").click()
        page.wait_for_url(f"{base}/delivery/totals/**")
        assert_accessible(page)
        public = page.get_by_role("link", name="the public page").get_attribute("href")
        page.context.clear_cookies()
        response = page.goto(f"{base}{public}")
        assert response.status == 200
        assert page.get_by_role("heading", name="Social value delivered under our contracts")
        assert_accessible(page)
