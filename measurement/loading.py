"""Load the shipped starter catalogue into the database (used by a data migration).

Takes the model classes as arguments so a migration can pass its historical models.
Adds what is missing and leaves what is there: safe to run again.
"""

from __future__ import annotations

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
    return created
