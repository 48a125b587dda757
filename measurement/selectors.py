"""Read-only queries over the measures catalogue. The catalogue is open to every signed-in user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from measurement.models import Measure, ProxyValue


def proxy_in_force(*, measure: Measure | int, on_date: date) -> ProxyValue | None:
    """The proxy version in force for one measure on ``on_date``: the latest ``valid_from`` on
    or before it. None when every version starts later. The version may have no value."""
    measure_id = measure.pk if isinstance(measure, Measure) else measure
    return (
        ProxyValue.objects.filter(measure_id=measure_id, valid_from__lte=on_date)
        .order_by("-valid_from")
        .first()
    )


def proxies_in_force(
    *, measures: Iterable[Measure | int], on_date: date
) -> dict[int, ProxyValue | None]:
    """{measure id: the proxy version in force on ``on_date`` or None}, in one query."""
    ids = {m.pk if isinstance(m, Measure) else m for m in measures}
    found: dict[int, ProxyValue | None] = dict.fromkeys(ids)
    rows = (
        ProxyValue.objects.filter(measure_id__in=ids, valid_from__lte=on_date)
        .order_by("measure_id", "valid_from")
        .select_related("measure")
    )
    for row in rows:  # ascending, so the last one per measure wins
        found[row.measure_id] = row
    return found


def measures(*, theme: str = "", query: str = "", active_only: bool = False) -> QuerySet[Measure]:
    """Catalogue measures, filtered by theme and a search over code, name, outcome and unit,
    with their proxy versions prefetched (oldest first)."""
    qs = Measure.objects.all()
    if theme:
        qs = qs.filter(theme=theme)
    if query:
        qs = qs.filter(
            Q(code__icontains=query)
            | Q(name__icontains=query)
            | Q(outcome__icontains=query)
            | Q(unit__icontains=query)
        )
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.prefetch_related(
        Prefetch("proxy_values", queryset=ProxyValue.objects.order_by("valid_from"))
    )


def measure_by_code(code: str) -> Measure | None:
    """One measure with its proxy versions (oldest first), or None."""
    return measures().filter(code=code).first()
