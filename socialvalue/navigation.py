"""Navigation by role: a registry of header links, each shown to those holding its permission.

Feature apps register their links in AppConfig.ready, so this core module imports none of them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    """A header link: shown when the user has `permission` (or is signed in, when it is empty)."""

    key: str
    label: str
    url_name: str
    permission: str = ""
    order: int = 100


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Add or replace a header link by its key."""
    _ITEMS[item.key] = item


def items_for(user) -> list[NavItem]:
    """The links this user should see, in order."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        item
        for item in sorted(_ITEMS.values(), key=lambda item: (item.order, item.label))
        if not item.permission or user.has_perm(item.permission)
    ]


def context(request) -> dict:
    """Template context: the service name and the header links for the current page."""
    links = []
    for item in items_for(request.user):
        url = reverse(item.url_name)
        links.append(
            {"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"}
        )
    return {"service_name": settings.SERVICE_NAME, "nav_links": links}


register(NavItem("dashboard", "Dashboard", "dashboard", order=10))
register(NavItem("status", "Service status", "status", "socialvalue.view_status", order=900))
