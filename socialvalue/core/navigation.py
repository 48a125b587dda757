"""Navigation by role: a registry of header links, each shown to those holding its permission.

Feature apps register their links in AppConfig.ready, so this core module imports none of them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from socialvalue.core.permissions import can

SIGNED_IN, SIGNED_OUT = "signed_in", "signed_out"


@dataclass(frozen=True)
class NavItem:
    """A header link. Signed-in people see it when they have `permission` (any signed-in person
    when it is empty); links for the `signed_out` audience show only to visitors not signed in."""

    key: str
    label: str
    url_name: str
    permission: str = ""
    order: int = 100
    audience: str = SIGNED_IN


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Add or replace a header link by its key."""
    _ITEMS[item.key] = item


def items_for(user) -> list[NavItem]:
    """The links this user should see, in order."""
    ordered = sorted(_ITEMS.values(), key=lambda item: (item.order, item.label))
    if not getattr(user, "is_authenticated", False):
        return [item for item in ordered if item.audience == SIGNED_OUT]
    return [
        item
        for item in ordered
        if item.audience == SIGNED_IN and (not item.permission or can(user, item.permission))
    ]


def context(request) -> dict:
    """Template context: the service name and the header links for the current page."""
    links = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in items_for(request.user)
    ]
    # One link is current: the longest whose address starts the page's ("/tenders/" and
    # "/tenders/opportunities/" both start "/tenders/opportunities/1/"; only the second is it).
    matching = [
        link for link in links if link["url"] != "/" and request.path.startswith(link["url"])
    ]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return {"service_name": settings.SERVICE_NAME, "nav_links": links}


register(NavItem("dashboard", "Dashboard", "dashboard", order=10))
register(NavItem("sign-in", "Sign in", "sign-in", order=10, audience=SIGNED_OUT))
register(NavItem("register", "Register to bid", "register", order=20, audience=SIGNED_OUT))
register(NavItem("status", "Service status", "status", "socialvalue.view_status", order=900))
