"""Read-only queries over the measures catalogue. The catalogue is open to every signed-in user."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from measurement.catalogue import proxy_in_force as catalogue_proxy_in_force
from measurement.models import Measure, ProxyValue
from measurement.proportionality import ProportionalityRules, Suggestion, load_rules, suggest


def _not_ended(on_date: date) -> Q:
    """Versions whose end date, if any, is on or after ``on_date``."""
    return Q(valid_until__isnull=True) | Q(valid_until__gte=on_date)


def proxy_in_force(*, measure: Measure | int, on_date: date) -> ProxyValue | None:
    """The proxy version in force for one measure on ``on_date``: the latest ``valid_from`` on
    or before it. None when every version starts later. The version may have no value."""
    measure_id = measure.pk if isinstance(measure, Measure) else measure
    return (
        ProxyValue.objects.filter(measure_id=measure_id, valid_from__lte=on_date)
        .filter(_not_ended(on_date))
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
        .filter(_not_ended(on_date))
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


def in_force_among(
    versions: Iterable[ProxyValue], on_date: date | None = None
) -> ProxyValue | None:
    """The version in force on ``on_date`` (default today) among already-fetched versions
    (e.g. a prefetched ``measure.proxy_values.all()``), with no query: the catalogue's own
    rule, which reads only ``valid_from``."""
    return catalogue_proxy_in_force(versions, on_date or timezone.localdate())


@functools.cache
def _proportionality_rules() -> tuple[ProportionalityRules, ...]:
    return load_rules()


def proportionality_rules(*, on_date: date | None = None) -> ProportionalityRules:
    """The proportionality rule set (value bands) in force on ``on_date`` (default today)."""
    on_date = on_date or timezone.localdate()
    in_force = [r for r in _proportionality_rules() if r.valid_from <= on_date]
    return max(in_force, key=lambda r: r.valid_from)


def proportionality_for(*, contract_value, on_date: date | None = None) -> Suggestion:
    """How many measures to ask for at most, how often to report and how much evidence to
    keep, for a contract of this whole-life value (pounds, Decimal or text) under the rules
    in force on ``on_date`` (default today). ValueError for a negative or non-numeric value."""
    return suggest(contract_value, on_date or timezone.localdate(), _proportionality_rules())
