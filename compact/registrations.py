"""Wires the Compact into the service: permissions, header links, dashboard panels, the
definitions' hooks (review links, the group's view before adoption), jobs and demo data.
Imported once from CompactConfig.ready()."""

from django.db.models import Q
from django.utils import timezone

from compact import demo, reminders, reports, selectors  # noqa: F401  (reminders: its jobs)
from compact import permissions as compact_permissions  # noqa: F401  (registers the rules)
from compact.models import Consultation, GroupView, LocalCompact
from compact.permissions import AUTHORITY_ROLES
from socialvalue.act import hooks as act_hooks
from socialvalue.core import dashboard, navigation
from socialvalue.core import demo as core_demo
from socialvalue.core.models import Role
from socialvalue.core.permissions import roles_by_organisation
from socialvalue.definitions import hooks
from socialvalue.reports import registry

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


def _consultation_links(contract, user) -> list[tuple[str, str]]:
    """The consultations on a planned contract this user may see (one query): open or closed
    ones for everyone who sees the contract, one not yet open for its authority's people."""
    today = timezone.localdate()
    visible = Q(starts_on__lte=today)
    if roles_by_organisation(user).get(contract.authority_id, frozenset()) & AUTHORITY_ROLES:
        visible = Q()
    links = []
    for consultation in Consultation.objects.filter(visible, planned_contract=contract).order_by(
        "-starts_on", "-pk"
    ):
        state = reports.consultation_state(consultation, today)
        links.append(
            (
                f"{consultation.title} ({state}: {consultation.starts_on:%-d %B %Y} to "
                f"{consultation.ends_on:%-d %B %Y})",
                consultation.get_absolute_url(),
            )
        )
    return links


act_hooks.register(act_hooks.contract_links, _consultation_links)

registry.register(
    registry.ReportKind(
        key="compact-consultation",
        title="Consultation report",
        subject_model="compact.Consultation",
        # Like its page: public once open; before that, its authority's people only.
        permission="compact.view_consultation",
        template="compact/report_consultation.html",
        load=reports.consultation_report,
        data_version=reports.consultation_version,
        organisation_of=lambda consultation: consultation.authority,
        # Its authority's alone until it opens (no-store); public, and cacheable, from then.
        confidential=lambda consultation: consultation.starts_on > timezone.localdate(),
        describe=lambda consultation, options: consultation.title,
    )
)
registry.register(
    registry.ReportKind(
        key="compact-decommissioning",
        title="Decommissioning assessment",
        subject_model="compact.DecommissioningAssessment",
        # Like its page: the authority, the area's Compact group and the affected provider.
        permission="compact.view_decommissioning",
        template="compact/report_decommissioning.html",
        load=reports.decommissioning_report,
        data_version=reports.decommissioning_version,
        organisation_of=lambda assessment: assessment.authority,
        confidential=True,
        describe=lambda assessment, options: assessment.service,
    )
)
registry.register(
    registry.ReportKind(
        key="compact-review",
        title="Compact review",
        subject_model="socialvalue.LocalDefinition",
        # Like its page (/compact/reviews/<id>/): whoever may read the definition.
        permission="socialvalue.view_definition",
        template="compact/report_review.html",
        load=reports.review_report,
        data_version=reports.review_version,
        organisation_of=lambda definition: definition.owner,
        confidential=True,
        describe=lambda definition, options: f"{definition.title}, version {definition.version}",
    )
)
registry.register(
    registry.ReportKind(
        key="compact-strategy-review",
        title="Joint strategy reviews",
        subject_model="compact.JointStrategy",
        # Like its page (/compact/strategies/<id>/): public.
        permission="compact.view_strategy",
        template="compact/report_strategy.html",
        load=reports.strategy_report,
        data_version=reports.strategy_version,
        organisation_of=lambda strategy: strategy.compact.group,
        confidential=False,
        describe=lambda strategy, options: strategy.title,
    )
)
core_demo.register(demo.seed_compact, order=core_demo.ORDER["compact"])
