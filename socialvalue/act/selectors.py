"""Read-only queries for the Social Value Act check, each carrying the permission filter.

Every page, panel and report reads planned contracts and recorded checks through these; each
returns a queryset that costs a fixed number of queries however many rows there are.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery

from socialvalue.act.models import ActAssessment, PlannedContract
from socialvalue.act.permissions import ACT_ROLES
from socialvalue.core.models import Organisation, OrganisationKind, User
from socialvalue.core.permissions import organisations_with_role


def act_authorities_for(*, user: User) -> QuerySet[Organisation]:
    """Authorities where the user may check contracts (commissioner or procurement officer)."""
    return Organisation.objects.filter(
        pk__in=organisations_with_role(user, *ACT_ROLES), kind=OrganisationKind.AUTHORITY
    ).order_by("name")


def _with_latest_check(queryset: QuerySet[PlannedContract]) -> QuerySet[PlannedContract]:
    """Annotate each contract with its latest recorded check, in the same single query (three
    subqueries per row on the act_check_latest index; no count grouped over every contract)."""
    latest = ActAssessment.objects.filter(planned_contract=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )
    return (
        queryset.select_related("authority")
        .annotate(
            latest_assessment_id=Subquery(latest.values("pk")[:1]),
            latest_applies=Subquery(latest.values("applies")[:1]),
            latest_recorded_at=Subquery(latest.values("recorded_at")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def planned_contracts_visible_to(*, user: User) -> QuerySet[PlannedContract]:
    """Planned contracts of the user's authorities, newest first, each with its latest check."""
    return _with_latest_check(
        PlannedContract.objects.filter(authority__in=organisations_with_role(user, *ACT_ROLES))
    )


def planned_contracts_of(*, organisations: Iterable[Organisation]) -> QuerySet[PlannedContract]:
    """Planned contracts of these authorities with their latest check (for dashboard panels,
    whose caller has already chosen the organisations by role)."""
    return _with_latest_check(
        PlannedContract.objects.filter(authority__in=[o.pk for o in organisations])
    )


def planned_contract_get(*, pk: int) -> PlannedContract | None:
    """One planned contract with its authority; the caller checks permission on it."""
    return PlannedContract.objects.select_related("authority").filter(pk=pk).first()


def assessments_for(*, planned_contract: PlannedContract) -> QuerySet[ActAssessment]:
    """The recorded checks of a planned contract, newest first, with who recorded them."""
    return (
        ActAssessment.objects.filter(planned_contract=planned_contract)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )


def latest_assessment_for(*, planned_contract: PlannedContract) -> ActAssessment | None:
    """The newest recorded check of a planned contract, if any."""
    return assessments_for(planned_contract=planned_contract).first()


def assessment_get(*, pk: int) -> ActAssessment | None:
    """One recorded check with its contract, authority and recorder; the caller checks permission."""
    return (
        ActAssessment.objects.select_related(
            "planned_contract", "planned_contract__authority", "recorded_by"
        )
        .filter(pk=pk)
        .first()
    )
