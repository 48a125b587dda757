"""Read-only queries over local social value definitions and their priorities.

Every page, report and other app reads definitions through these functions.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from socialvalue.core.models import AuditEntry, Organisation, OrganisationKind, Role
from socialvalue.core.permissions import can, roles_by_organisation
from socialvalue.definitions.models import (
    AuthorityAdoption,
    DefinitionStatus,
    LocalDefinition,
    Priority,
    PriorityMeasure,
)
from socialvalue.definitions.permissions import authoring_organisation_ids


def _with_content(qs: QuerySet[LocalDefinition]) -> QuerySet[LocalDefinition]:
    """Prefetch owner, authorities, priorities and their measures: a fixed number of queries."""
    return qs.select_related("owner", "review_group").prefetch_related(
        "authorities",
        Prefetch(
            "authority_adoptions",
            queryset=AuthorityAdoption.objects.select_related("authority", "recorded_by"),
        ),
        Prefetch(
            "priorities",
            queryset=Priority.objects.order_by("order", "pk").prefetch_related(
                Prefetch(
                    "measures",
                    queryset=PriorityMeasure.objects.select_related("measure").order_by(
                        "order", "pk"
                    ),
                )
            ),
        ),
    )


def adopted_definition_for(
    *, authority: Organisation | int, on_date: date | None = None
) -> LocalDefinition | None:
    """The local definition adopted for ``authority``, with priorities and measures prefetched.

    Without ``on_date``: the one adopted now. With ``on_date``: the adopted or since-superseded
    version whose effective period covered that date (so a tender keeps the priorities it was
    built on). None if there is none.
    """
    authority_id = authority.pk if isinstance(authority, Organisation) else authority
    qs = LocalDefinition.objects.filter(authorities=authority_id)
    if on_date is None:
        qs = qs.filter(status=DefinitionStatus.ADOPTED)
    else:
        qs = qs.filter(
            status__in=[DefinitionStatus.ADOPTED, DefinitionStatus.SUPERSEDED],
            effective_from__lte=on_date,
        ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))
    return _with_content(qs.order_by("-effective_from", "-version")).first()


def adopted_priorities_for(
    *, authority: Organisation | int, on_date: date | None = None
) -> list[Priority]:
    """The priorities (with `.measures` prefetched, each with `.measure`) of the definition
    ``adopted_definition_for`` returns; an empty list when none is adopted."""
    definition = adopted_definition_for(authority=authority, on_date=on_date)
    return list(definition.priorities.all()) if definition else []


def definition_with_content(pk: int) -> LocalDefinition | None:
    """One definition by id with its owner, authorities, priorities and measures."""
    return _with_content(LocalDefinition.objects.filter(pk=pk)).first()


def definitions_visible_to(*, user) -> QuerySet[LocalDefinition]:
    """Every version the user may read: all versions of definitions owned by or applying to
    their organisations, versions in review for a Compact group they belong to, and (for
    service staff) everything. Newest first within each owner."""
    qs = LocalDefinition.objects.select_related("owner", "review_group").prefetch_related(
        "authorities"
    )
    if can(user, "socialvalue.read_every_definition"):
        return qs.order_by("owner__name", "-version", "-pk")
    by_org = roles_by_organisation(user)
    if not by_org:
        return qs.none()
    groups = [org for org, held in by_org.items() if Role.COMPACT_MEMBER in held]
    ids = LocalDefinition.objects.filter(
        Q(owner__in=list(by_org))
        | Q(authorities__in=list(by_org))
        | Q(review_group__in=groups, status=DefinitionStatus.IN_REVIEW)
    ).values("pk")
    return qs.filter(pk__in=ids).order_by("owner__name", "-version", "-pk")


def version_history(definition: LocalDefinition) -> list[LocalDefinition]:
    """Every version in the line ``definition`` belongs to (what it replaces and what replaced
    it), newest first; two queries whatever the length of the line."""
    same_owner = {
        d.pk: d
        for d in LocalDefinition.objects.filter(owner_id=definition.owner_id).select_related(
            "adopted_by", "submitted_by", "created_by", "superseded_by_user"
        )
    }
    following = {d.replaces_id: d for d in same_owner.values() if d.replaces_id}
    line = [same_owner.get(definition.pk, definition)]
    while line[0].replaces_id in same_owner:
        line.insert(0, same_owner[line[0].replaces_id])
    while line[-1].pk in following:
        line.append(following[line[-1].pk])
    return list(reversed(line))


def authoring_organisations_for(*, user) -> list[Organisation]:
    """The authorities and Compact groups for which the user may start a definition, by name."""
    return list(
        Organisation.objects.filter(pk__in=authoring_organisation_ids(user)).order_by("name")
    )


def definition_trail(history: list[LocalDefinition]) -> QuerySet[AuditEntry]:
    """The audit entries of every version in a line (``version_history``), newest first, with
    who acted; one query. The caller has checked that the user may read the definition."""
    return (
        AuditEntry.objects.filter(
            object_type=LocalDefinition._meta.label, object_id__in=[str(v.pk) for v in history]
        )
        .select_related("actor")
        .order_by("-sequence")
    )


def current_definitions_of(*, organisations) -> QuerySet[LocalDefinition]:
    """Definitions owned by or applying to these organisations, superseded ones left out,
    newest version first, each with ``priority_count``, its owner and authorities (for
    dashboard panels, whose caller has already chosen the organisations by role)."""
    ids = [o.pk for o in organisations]
    return (
        LocalDefinition.objects.filter(Q(authorities__in=ids) | Q(owner__in=ids))
        .exclude(status=DefinitionStatus.SUPERSEDED)
        .annotate(priority_count=Count("priorities", distinct=True))
        .prefetch_related("authorities")
        .select_related("owner")
        .distinct()
        .order_by("-version")
    )


def definitions_in_review_for(*, groups) -> QuerySet[LocalDefinition]:
    """Definitions in review for these Compact groups, latest submitted first (for the
    Compact member's dashboard panel; the caller has chosen the groups by role)."""
    return (
        LocalDefinition.objects.filter(
            review_group__in=[o.pk for o in groups], status=DefinitionStatus.IN_REVIEW
        )
        .select_related("owner", "review_group")
        .order_by("-submitted_at")
    )


def authorities_with_adopted_definitions() -> QuerySet[Organisation]:
    """Authorities that have an adopted definition now, by name (for the public index)."""
    ids = LocalDefinition.objects.filter(status=DefinitionStatus.ADOPTED).values("authorities")
    return Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.AUTHORITY).order_by("name")


def definitions_due_for_review(*, authorities, on_date: date) -> QuerySet[LocalDefinition]:
    """Adopted, in-review and draft versions applying to these authorities whose review date
    has come, soonest first (for the Compact's health page and reminders; the caller has chosen
    the authorities)."""
    return (
        LocalDefinition.objects.filter(
            authorities__in=[getattr(a, "pk", a) for a in authorities], review_on__lte=on_date
        )
        .exclude(status=DefinitionStatus.SUPERSEDED)
        .select_related("owner")
        .distinct()
        .order_by("review_on", "pk")
    )


def today() -> date:
    return timezone.localdate()
