"""Wires the Compact into the service: permissions, header links, dashboard panels, the
definitions' hooks (review links, the group's view before adoption), jobs and demo data.
Imported once from CompactConfig.ready()."""

from compact import demo, reminders, selectors  # noqa: F401  (reminders registers its jobs)
from compact import permissions as compact_permissions  # noqa: F401  (registers the rules)
from compact.models import GroupView, LocalCompact
from socialvalue.core import dashboard, navigation
from socialvalue.core import demo as core_demo
from socialvalue.core.models import Role
from socialvalue.definitions import hooks

navigation.register(
    navigation.NavItem("compact", "Compact", "compact-index", "compact.use_compact", order=40)
)
navigation.register(
    navigation.NavItem(
        "consultations", "Consultations", "compact-consultations", "socialvalue.act_as_bidder", 45
    )
)
navigation.register(
    navigation.NavItem(
        "consultations-public",
        "Consultations",
        "compact-consultations",
        order=40,
        audience=navigation.SIGNED_OUT,
    )
)


def _health_rows(organisations) -> list[dict]:
    return [
        {"compact": compact, "health": selectors.health_of(compact)}
        for compact in selectors.compacts_of(organisations=organisations)
    ]


def _load_group_panel(*, user, organisations) -> dict:
    """Compact health of each of the member's groups."""
    return {"rows": _health_rows(organisations)}


def _load_review_panel(*, user, organisations) -> dict:
    return {"reviews": selectors.reviews_for(groups=organisations)}


def _load_authority_panel(*, user, organisations) -> dict:
    return {"rows": _health_rows(organisations)}


dashboard.register(
    dashboard.Panel(
        "compact.reviews",
        Role.COMPACT_MEMBER,
        "Reviews and consultations",
        "compact/panel.html",
        order=10,
        load=_load_group_panel,
    )
)
dashboard.register(
    dashboard.Panel(
        "compact.definitions",
        Role.COMPACT_MEMBER,
        "Local definitions in review",
        "compact/panel_reviews.html",
        order=20,
        load=_load_review_panel,
    )
)
dashboard.register(
    dashboard.Panel(
        "commissioner.compact",
        Role.COMMISSIONER,
        "Compact health",
        "compact/panel.html",
        order=30,
        load=_load_authority_panel,
    )
)


def _review_link(definition, user) -> list[tuple[str, str]]:
    if definition.review_group_id is None and not definition.authority_adoptions.all():
        return []
    return [
        (
            "Compact review: comments, the group's view and each authority's adoption",
            f"/compact/reviews/{definition.pk}/",
        )
    ]


def _group_view_needed(definition) -> list[str]:
    """A group that works as a forum here (it keeps a local Compact) records its view first."""
    if definition.review_group_id is None:
        return []
    if not LocalCompact.objects.filter(group_id=definition.review_group_id).exists():
        return []
    if GroupView.objects.filter(definition=definition).exists():
        return []
    return [
        f"{definition.review_group.name} has not recorded its view (support, support with "
        "changes or object) yet: the Compact group records its view before adoption."
    ]


def _group_view_note(definition) -> list[str]:
    view = selectors.group_view_of(definition)
    if view is None:
        return []
    return [f"{view.group.name}'s view: {view.get_position_display()}. {view.reasons}"]


hooks.register(hooks.page_links, _review_link)
hooks.register(hooks.adoption_checks, _group_view_needed)
hooks.register(hooks.adoption_notes, _group_view_note)
core_demo.register(demo.seed_compact, order=core_demo.ORDER["compact"])
