"""Dashboards per role: a registry of panels, each shown to people holding its role somewhere.

A panel names a template and, optionally, a function that loads its content for one user and the
organisations where they hold the role. Feature apps replace the empty-state panels registered here
with real ones (same key) in their AppConfig.ready.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from socialvalue.core.models import Organisation, Role
from socialvalue.core.permissions import roles_by_organisation

PanelLoader = Callable[..., dict]


@dataclass(frozen=True)
class Panel:
    """One block on the dashboard for a role."""

    key: str
    role: str
    title: str
    template: str
    order: int = 100
    load: PanelLoader | None = None
    empty_text: str = ""
    extra: dict = field(default_factory=dict)


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add or replace a dashboard panel by its key."""
    _PANELS[panel.key] = panel


def sections_for(user) -> list[dict]:
    """The dashboard's sections: one per role the user holds, each with its panels loaded."""
    by_org = roles_by_organisation(user)
    organisations = Organisation.objects.in_bulk(list(by_org))
    sections = []
    for role in Role:
        orgs = [
            organisations[o] for o, roles in by_org.items() if role in roles and o in organisations
        ]
        if not orgs:
            continue
        panels = []
        for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.title)):
            if panel.role != role:
                continue
            content = panel.load(user=user, organisations=orgs) if panel.load else {}
            panels.append({"panel": panel, **content})
        sections.append(
            {
                "role": role,
                "label": role.label,
                "organisations": sorted(orgs, key=str),
                "panels": panels,
            }
        )
    return sections


EMPTY = "socialvalue/panels/empty.html"

for _key, _role, _title, _text in [
    (
        "commissioner.contracts",
        Role.COMMISSIONER,
        "Planned contracts",
        "Contracts you check against the Social Value Act will appear here, with the consideration "
        "you recorded for each.",
    ),
    (
        "commissioner.definition",
        Role.COMMISSIONER,
        "Local social value definition",
        "Your authority's local definition of social value, its priorities and measures, will "
        "appear here once it is drafted.",
    ),
    (
        "procurement.tenders",
        Role.PROCUREMENT_OFFICER,
        "Tenders",
        "Tenders you are building, publishing or evaluating will appear here, with their deadlines.",
    ),
    (
        "evaluator.assignments",
        Role.EVALUATOR,
        "Bids to evaluate",
        "When a procurement officer adds you to an evaluation panel, the bids to score will appear "
        "here after the submission deadline.",
    ),
    (
        "bidder.opportunities",
        Role.BIDDER,
        "Opportunities",
        "Published tenders open to bids will appear here, with their closing dates.",
    ),
    (
        "bidder.bids",
        Role.BIDDER,
        "Your bids",
        "Bids your organisation drafts or submits will appear here, with their receipts.",
    ),
    (
        "compact.reviews",
        Role.COMPACT_MEMBER,
        "Reviews and consultations",
        "Strategies, consultations and decommissioning decisions for your Compact group to review "
        "will appear here.",
    ),
]:
    register(Panel(_key, _role, _title, EMPTY, empty_text=_text))


def _load_members(*, user, organisations) -> dict:
    from django.db.models import Count, Q
    from django.utils import timezone

    rows = (
        Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        .annotate(
            member_count=Count("memberships__user", distinct=True),
            open_invitations=Count(
                "invitations",
                filter=Q(
                    invitations__accepted_at__isnull=True,
                    invitations__revoked_at__isnull=True,
                    invitations__expires_at__gt=timezone.now(),
                ),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return {"organisations": rows}


register(
    Panel(
        "org_admin.members",
        Role.ORG_ADMIN,
        "Members and invitations",
        "socialvalue/panels/members.html",
        order=10,
        load=_load_members,
    )
)
