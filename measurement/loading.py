"""Load the shipped starter catalogue into the database (used by a data migration).

Takes the model classes as arguments so a migration can pass its historical models.
Adds what is missing and leaves what is there: safe to run again.
"""

from __future__ import annotations

from datetime import timedelta

from measurement.catalogue import (
    MEASURE_FIELDS,
    VERSION_FIELDS,
    Catalogue,
    fields_of,
    load_catalogue,
)


def load_starter_catalogue(measure_model, proxy_model, catalogue: Catalogue | None = None) -> int:
    """Create every measure and proxy version of the catalogue that is not yet stored.

    Returns the number of proxy versions created.
    """
    catalogue = catalogue or load_catalogue()
    existing = {m.code: m for m in measure_model.objects.all()}
    stored_versions = set(proxy_model.objects.values_list("measure__code", "valid_from"))
    created = 0
    for item in catalogue.measures:
        measure = existing.get(item.code)
        if measure is None:
            measure = measure_model.objects.create(**fields_of(item, MEASURE_FIELDS))
        new_versions = [
            proxy_model(measure=measure, **fields_of(version, VERSION_FIELDS))
            for version in item.versions
            if (item.code, version.valid_from) not in stored_versions
        ]
        proxy_model.objects.bulk_create(new_versions)
        created += len(new_versions)
    close_superseded_versions(proxy_model)
    return created


def close_superseded_versions(proxy_model) -> int:
    """Give every version that a later one replaces its end date: the day before the next
    version starts. Versions are otherwise never edited, so this writes with update().
    Returns the number of versions whose end date changed."""
    if not any(f.name == "valid_until" for f in proxy_model._meta.get_fields()):
        return 0  # an earlier migration's model, before versions had end dates
    changed = 0
    by_measure: dict[int, list] = {}
    for row in proxy_model.objects.order_by("measure_id", "valid_from"):
        by_measure.setdefault(row.measure_id, []).append(row)
    for versions in by_measure.values():
        for current, following in zip(versions, versions[1:], strict=False):
            ends = following.valid_from - timedelta(days=1)
            if current.valid_until != ends:
                proxy_model.objects.filter(pk=current.pk).update(valid_until=ends)
                changed += 1
    return changed
