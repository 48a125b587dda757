"""axe-core over every page each role reaches by following links from where they land, in Debian's
Chromium: no violation, less the one GOV.UK Frontend accepts (tests/browser.py, AXE_ACCEPTED).

Each role signs in with the demo data and follows every link of the service's own pages, breadth
first; each view is reached once per role (on the first page of it that answers), at desktop width.

Every page reached is opened and its links followed, but axe runs on it only when its markup is
new: the roles share one seeding of the demo data and a record of the markup axe has passed, in
two parts. A page's content (its <main>, title, back link and current menu item) and its frame
(the header, menus and footer around it, as this role sees them) are each compared, after the
values that change on every request (hidden inputs such as CSRF tokens, nonces) and the signed-in
address are blanked. A page whose content axe passed on some role's page and whose frame it
passed on another is not checked again: the frame's ids, landmarks and headings are the same
whatever the content, so nothing axe checks changes between the two. The first role to reach a
page checks it; one role run alone (-k) checks all its pages."""

import hashlib
import uuid
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from socialvalue.core.demo import DEMO_PASSWORD
from tests.browser import assert_accessible, axe_violations, browser_page
from tests.conftest import delete_stored_folder

pytestmark = [pytest.mark.browser]
TRANSACTIONAL = pytest.mark.django_db(transaction=True)

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


# The page as two strings, content and frame, with what changes on every request blanked: the
# values of hidden inputs (CSRF tokens), nonces, and the signed-in address.
MARKUP_PARTS = """email => {
    const page = document.documentElement.cloneNode(true);
    page.querySelectorAll("input[type=hidden]").forEach(input => input.removeAttribute("value"));
    page.querySelectorAll("[nonce]").forEach(element => element.removeAttribute("nonce"));
    const own = [page.querySelector("main"), page.querySelector("title"),
                 ...page.querySelectorAll(".app-back-link, [aria-current]")];
    const content = own.map(element => element ? element.outerHTML : "").join("\\n");
    for (const element of own) {
        if (!element) continue;
        if (element.hasAttribute("aria-current")) {
            element.removeAttribute("aria-current");
            element.parentElement.classList.remove("govuk-service-navigation__item--active");
        } else {
            element.replaceChildren();
        }
    }
    const blank = text => email ? text.split(email).join("[signed-in address]") : text;
    return [blank(content), blank(page.outerHTML)];
}"""


class AxePassed:
    """The contents and frames axe found no violation in, across the roles walked in this process."""

    def __init__(self):
        self.contents: dict[str, str] = {}
        self.frames: set[str] = set()

    @staticmethod
    def keys(page, email: str | None) -> tuple[str, str]:
        content, frame = page.evaluate(MARKUP_PARTS, email or "")
        return (
            hashlib.sha256(content.encode()).hexdigest(),
            hashlib.sha256(frame.encode()).hexdigest(),
        )

    def covers(self, content: str, frame: str) -> str | None:
        """Where this content passed, when both it and the frame have passed; else None."""
        if frame in self.frames:
            return self.contents.get(content)
        return None

    def add(self, content: str, frame: str, where: str) -> None:
        self.contents.setdefault(content, where)
        self.frames.add(frame)


def walk(
    page, base: str, starts: list[str], email: str | None = None, passed: AxePassed | None = None
) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    """Follow the service's links breadth first from start; the pages reached, axe's findings, and
    the pages not checked again because their markup passed already (with where it passed)."""
    origin = urlsplit(base).netloc
    passed = passed if passed is not None else AxePassed()
    queue, seen_routes, checked, findings, same = list(starts), set(), [], {}, {}
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
        content, frame = AxePassed.keys(page, email)
        where = passed.covers(content, frame)
        if where:
            same[path] = where
        else:
            found = axe_violations(page)
            if found:
                findings[path] = found
            else:
                passed.add(content, frame, f"{path} ({(email or 'signed out').split('@')[0]})")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(urldefrag(href)[0])
            if url.netloc == origin and url.path not in queue:
                queue.append(url.path)
    return checked, findings, same


@pytest.fixture(scope="class")
def demo_site(django_db_setup, django_db_blocker):
    """The demo data seeded once for every role's walk (each only reads it: the walk opens pages,
    it submits no form), served by a live server of its own (pytest-django's live_server would
    empty the tables after each test). After the last walk the tables are emptied and what was in
    them before (the catalogue the migrations load) is put back, as Django's serialized rollback
    does, so the tests that follow find the database as they would have."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    # The seed's audit anchors in a folder of its own, deleted after, as each test's are
    # (tests/conftest.py): a real worker's audit check reads the default folder.
    anchors = override_settings(AUDIT_ANCHOR_DIR=f"audit-anchors-test/{uuid.uuid4().hex}")
    with django_db_blocker.unblock(), anchors:
        before = connection.creation.serialize_db_to_string()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()  # the host allowed, as live_server does
        try:
            seed_demo()
            yield server.url, AxePassed()
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # As Django's serialized rollback: no post_migrate rows (content types, permissions)
            # before the saved rows, which hold them, are put back.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            # The flush restarted every sequence and the rows came back with their own ids: set
            # each sequence past them, or the next row inserted would take an id in use.
            models = apps.get_models(include_auto_created=True)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            delete_stored_folder(settings.AUDIT_ANCHOR_DIR)


# One xdist worker walks every role in turn (scripts/dev.py test runs `--dist loadgroup`), so the
# walks share the seeded data and the markup already checked.
@pytest.mark.xdist_group("axe")
class TestEveryPageEachRoleReaches:
    """One test per role, sharing the seeded demo data and the record of markup axe passed."""

    @pytest.mark.parametrize(
        "email", ROLES, ids=lambda email: (email or "signed-out").split("@")[0]
    )
    def test_every_page_a_role_reaches_has_no_axe_violation(self, demo_site, db, email):
        base, passed = demo_site
        with browser_page() as page:
            if email:
                _sign_in(page, base, email)
                starts = ["/dashboard/", *key_pages()]
            else:
                starts = ["/", *key_pages()]
            checked, findings, same = walk(page, base, starts, email, passed)
        print(
            f"{email or 'signed out'}: {len(checked)} pages reached, "
            f"{len(checked) - len(same)} checked by axe, {len(same)} the same as a page that "
            f"passed: {' '.join(checked)}"
        )
        assert len(checked) >= FEWEST_PAGES.get(email, 10), checked
        assert not findings, "\n".join(
            f"{path}:\n  " + "\n  ".join(lines) for path, lines in findings.items()
        )


@TRANSACTIONAL
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


@TRANSACTIONAL
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
        # The demo publishes: the officer stops, then publishes again (both states checked).
        page.get_by_role("button", name="Stop publishing").click()
        page.wait_for_url(f"{base}/delivery/totals/**")
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
