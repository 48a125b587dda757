"""Every route refuses a signed-out visitor unless it is meant to be public.

The route list is read from the URL configuration, so a new page that forgets its access check
fails here without anyone having to remember to add a test.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Route names meant for signed-out visitors (and why).
PUBLIC = {
    "home",  # the front page
    "sign-in",
    "sign-out",  # signing out when already signed out only goes home
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "register",  # bidders register themselves
    "register-check-email",  # says where the confirmation email went; shows no account
    "email-confirm",  # the emailed link; the signed token is the credential
    "email-confirmation-resend",  # acts only for the unconfirmed account remembered at sign-in
    "invitation-accept",  # the emailed link; the token is the credential
    "api-schema",  # describes the API, holds no data
    "accessibility",  # the accessibility statement, linked from every page's footer
    "privacy",  # the privacy notice, likewise
    "cookies",  # the cookies page, likewise
    "api-docs",  # the API's docs page, drawn from the schema
    "compact-index",  # the national Compact and the list of local Compacts are public
    "compact-local",  # a local Compact, its signatories and commitments are public
    "compact-strategy",  # an area's joint social value strategy is public
    "compact-consultations",  # voluntary organisations find open consultations here
    "compact-consultation",  # public once open (404 before); responses are not shown
    "compact-consultation-document",  # a consultation's documents, public with it
    "tender-opportunities",  # published tenders are public, as in the API
    "tender-detail",  # a published tender's page is public; a draft is not found
    "delivery-public",  # an authority's verified delivery, once it publishes it (404 before)
    "tender-document",  # a published tender's documents, as its page lists them
    "tender-alert-unsubscribe",  # the emailed link; the signed token is the credential
}
# Route-name prefixes that are public by design.
PUBLIC_PREFIXES = (
    "definition-market",  # the market statement is published to the market
    "api-act",  # the Act check reveals nothing private
    "api-opportunit",  # published opportunities are public
    "api-tender",  # published tender details are public (never bids)
    "api-consultations",  # consultations are public once open
    "api-market-statement",  # market statements are published to the market
    "api-ocds",  # OCDS releases of published tenders and the extension's files are open data
    "api-awards",  # issued awards are published (never another bidder's price or scores)
    "api-contract",  # contracts, their commitments and verified delivery totals are open data
)

SAMPLE = {"int": "987654", "slug": "no-such-thing", "str": "no-such-thing", "path": "no-such-thing"}


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or entry.namespace == "admin":
                continue
            yield from _routes(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield entry.name or "", prefix + str(entry.pattern)


def _concrete(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
    return "/" + path.lstrip("^").rstrip("$")


ROUTES = sorted(set(_routes(get_resolver())))


def _is_public(name: str) -> bool:
    return name in PUBLIC or name.startswith(PUBLIC_PREFIXES)


@pytest.mark.parametrize(("name", "route"), [r for r in ROUTES if not _is_public(r[0])])
def test_signed_out_visitor_is_refused(client, name, route):
    url = _concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code in (301, 302):
            assert "/account/sign-in/" in response["Location"], (
                f"{name} {method} -> {response['Location']}"
            )
        else:
            assert response.status_code in (401, 403, 405), (
                f"{name} {url} {method} answered {response.status_code}"
            )


def test_the_route_list_is_not_empty_and_includes_each_app():
    names = {name for name, _ in ROUTES}
    assert {"dashboard", "status", "organisation"} <= names
    assert any(route.startswith("tenders/") for _, route in ROUTES)
    assert any(route.startswith("act/") for _, route in ROUTES)
    assert any(route.startswith("definitions/") for _, route in ROUTES)
    assert any(route.startswith("catalogue/") for _, route in ROUTES)
