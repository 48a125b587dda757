"""Read-only queries over local social value definitions and their priorities.

Every page, report and other app reads definitions through these functions.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from socialvalue.models import (
    DefinitionStatus,
    LocalDefinition,
    Organisation,
    Priority,
    PriorityMeasure,
)


def _with_content(qs: QuerySet[LocalDefinition]) -> QuerySet[LocalDefinition]:
    """Prefetch owner, authorities, priorities and their measures: a fixed number of queries."""
    return qs.select_related("owner", "review_group").prefetch_related(
        "authorities",
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


def today() -> date:
    return timezone.localdate()
