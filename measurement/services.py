"""Changes to the measures catalogue: CSV import (planned, then applied whole or not at all),
CSV export, and new proxy versions. Each change is audited.

The CSV format is measurement.catalogue's (see measurement/data/README.md). An import never
edits a stored proxy version: a row whose version differs from the stored one becomes a new
version from the day of the import (when it is the latest version), or is refused with a
message naming the row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from measurement.catalogue import (
    HEADER,
    MEASURE_FIELDS,
    VERSION_FIELDS,
    Catalogue,
    CatalogueError,
    ProxyVersion,
    RowError,
    catalogue_to_rows,
    fields_of,
    parse_rows,
    rows_from_text,
    validate_rows,
)
from measurement.catalogue import Measure as MeasureItem
from measurement.loading import close_superseded_versions
from measurement.models import Measure, ProxyValue
from socialvalue.core import audit
from socialvalue.core.permissions import can
from socialvalue.kernel import numbers
from socialvalue.kernel.csv_cells import safe_rows
from socialvalue.kernel.dates import long_date

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_CHANGEABLE_MEASURE_FIELDS = ("outcome", "name", "evidence_guidance")


@dataclass(frozen=True)
class Change:
    """One thing an import will do. ``kind``: new_measure, measure_changed, new_version or
    changed_version (a changed value stored as a new version from ``valid_from``)."""

    kind: str
    code: str
    row: int
    detail: str
    valid_from: date | None = None


@dataclass
class ImportPlan:
    """What importing a file would do, or why it cannot be imported (``errors``)."""

    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged_rows: int = 0
    measures_not_in_file: int = 0
    catalogue: Catalogue | None = None
    _new_versions: list[tuple[str, ProxyVersion]] = field(default_factory=list, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def new_version_count(self) -> int:
        """Proxy versions the import adds (new measures' versions included)."""
        return len(self._new_versions)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV; ValidationError naming the file when it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        megabytes = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            {"file": f"The file is larger than {megabytes} MB; a catalogue CSV is smaller."}
        )
    if not data.strip():
        raise ValidationError({"file": "The file is empty."})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {
                "file": "The file is not UTF-8 text. In a spreadsheet program, save it as "
                "'CSV UTF-8 (comma delimited)' and try again."
            }
        ) from error


def _version_key(version: ProxyVersion | ProxyValue) -> tuple:
    """What a version says, apart from its date, so a file row and a stored row compare."""
    said = fields_of(version, VERSION_FIELDS)
    del said["valid_from"]
    value = said["value"]
    said["value"] = None if value is None else Decimal(value).normalize()
    said["source_confirmed"] = bool(said["source_confirmed"])
    return tuple(said.values())


def _row_numbers(rows: Sequence[Sequence[str]]) -> dict[tuple[str, str], int]:
    numbers = {}
    for number, raw in enumerate(rows[1:], start=2):
        if len(raw) == len(HEADER):
            cells = dict(zip(HEADER, (c.strip() for c in raw), strict=True))
            numbers.setdefault((cells["code"], cells["proxy_valid_from"]), number)
    return numbers


def plan_import(rows: Sequence[Sequence[str]], *, today: date | None = None) -> ImportPlan:
    """Compare catalogue rows (header first) with the stored catalogue and say what importing
    them would do. Nothing is written. ``errors`` names every row and column at fault."""
    today = today or timezone.localdate()
    plan = ImportPlan(errors=validate_rows(rows))
    if plan.errors:
        return plan
    catalogue = parse_rows(rows)
    plan.catalogue = catalogue
    numbers = _row_numbers(rows)
    stored = {
        m.code: m
        for m in Measure.objects.filter(code__in=[m.code for m in catalogue.measures])
        .prefetch_related("proxy_values")
        .order_by("code")
    }
    plan.measures_not_in_file = Measure.objects.exclude(
        code__in=[m.code for m in catalogue.measures]
    ).count()
    for item in catalogue.measures:
        first_row = numbers[(item.code, item.versions[0].valid_from.isoformat())]
        measure = stored.get(item.code)
        if measure is None:
            plan.changes.append(
                Change(
                    "new_measure",
                    item.code,
                    first_row,
                    f"{item.name} ({item.unit}), with {len(item.versions)} proxy "
                    f"version{'s' if len(item.versions) != 1 else ''}",
                )
            )
            for version in item.versions:
                plan._new_versions.append((item.code, version))
            continue
        _plan_measure(plan, item, measure, numbers, first_row, today)
    return plan


def _plan_measure(
    plan: ImportPlan,
    item: MeasureItem,
    measure: Measure,
    numbers: dict[tuple[str, str], int],
    first_row: int,
    today: date,
) -> None:
    for column in ("theme", "unit"):
        if getattr(item, column) != getattr(measure, column):
            plan.errors.append(
                RowError(
                    first_row,
                    column,
                    f"{item.code} is stored with {column} {getattr(measure, column)!r}; a "
                    f"measure's {column} cannot change because bids and returns already count "
                    "in it. Give the new measure a new code.",
                )
            )
    changed = [f for f in _CHANGEABLE_MEASURE_FIELDS if getattr(item, f) != getattr(measure, f)]
    if changed:
        plan.changes.append(
            Change("measure_changed", item.code, first_row, "New " + ", ".join(changed))
        )
    versions = sorted(measure.proxy_values.all(), key=lambda v: v.valid_from)
    by_date = {v.valid_from: v for v in versions}
    latest = versions[-1] if versions else None
    for version in item.versions:
        row = numbers[(item.code, version.valid_from.isoformat())]
        stored_version = by_date.get(version.valid_from)
        if stored_version is not None:
            if _version_key(stored_version) == _version_key(version):
                plan.unchanged_rows += 1
            elif latest is not None and _version_key(latest) == _version_key(version):
                plan.unchanged_rows += 1  # this change was imported before, as a newer version
            elif stored_version is latest and version.valid_from < today and today not in by_date:
                plan.changes.append(
                    Change(
                        "changed_version",
                        item.code,
                        row,
                        f"Proxy {_shown(stored_version.value)} from {version.valid_from} is "
                        f"kept; {_shown(version.value)} is added as a new version from {today}",
                        valid_from=today,
                    )
                )
                plan._new_versions.append(
                    (item.code, _replace_date(version, today)),
                )
            else:
                plan.errors.append(
                    RowError(
                        row,
                        "proxy_value",
                        f"{item.code}'s proxy version from {version.valid_from} is stored as "
                        f"{_shown(stored_version.value)} with its source, and a stored version "
                        "is never changed. To change the value from a date, add a new row "
                        "with a later proxy_valid_from.",
                    )
                )
        elif latest is not None and version.valid_from < latest.valid_from:
            plan.errors.append(
                RowError(
                    row,
                    "proxy_valid_from",
                    f"{item.code} already has a later proxy version (from {latest.valid_from}); "
                    "a new version must start after it, so values already in use do not change.",
                )
            )
        else:
            plan.changes.append(
                Change(
                    "new_version",
                    item.code,
                    row,
                    f"{_shown(version.value)} from {version.valid_from}",
                    valid_from=version.valid_from,
                )
            )
            plan._new_versions.append((item.code, version))


def _shown(value) -> str:
    return "no value" if value is None else f"£{plain_decimal(value)}"


def _replace_date(version: ProxyVersion, valid_from: date) -> ProxyVersion:
    from dataclasses import replace

    return replace(version, valid_from=valid_from)


@transaction.atomic
def import_catalogue(
    *, actor, rows: Sequence[Sequence[str]], today: date | None = None
) -> ImportPlan:
    """Import catalogue rows: all of them, or (on any error) none. Raises CatalogueError with
    every row error; PermissionDenied unless the actor may import."""
    if not can(actor, "measurement.import_catalogue"):
        raise PermissionDenied
    # Serialise imports: a second one waits, then plans against what the first wrote.
    list(Measure.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    plan = plan_import(rows, today=today)
    if plan.errors:
        raise CatalogueError(plan.errors)
    assert plan.catalogue is not None
    measures = {m.code: m for m in Measure.objects.all()}
    for item in plan.catalogue.measures:
        measure = measures.get(item.code)
        if measure is None:
            measures[item.code] = Measure.objects.create(**fields_of(item, MEASURE_FIELDS))
        elif any(getattr(item, f) != getattr(measure, f) for f in _CHANGEABLE_MEASURE_FIELDS):
            for name in _CHANGEABLE_MEASURE_FIELDS:
                setattr(measure, name, getattr(item, name))
            measure.save()
    ProxyValue.objects.bulk_create(
        [
            ProxyValue(measure=measures[code], **fields_of(version, VERSION_FIELDS))
            for code, version in plan._new_versions
        ]
    )
    close_superseded_versions(ProxyValue)
    audit.record(
        actor=actor,
        action="catalogue.imported",
        data={
            "new_measures": plan.count("new_measure"),
            "changed_measures": plan.count("measure_changed"),
            "new_versions": plan.new_version_count,
            "unchanged_rows": plan.unchanged_rows,
            "codes": sorted({c.code for c in plan.changes}),
        },
    )
    return plan


def plain_decimal(value: Decimal) -> str:
    """A proxy value as the CSV writes it: pence when it is whole pence, else every digit."""
    return numbers.pence_or_digits(value)


def catalogue_from_database() -> Catalogue:
    """The stored catalogue as the pure module's dataclasses (two queries)."""
    items = []
    for measure in Measure.objects.order_by("code").prefetch_related("proxy_values"):
        versions = tuple(
            ProxyVersion(
                code=measure.code,
                **{
                    **fields_of(v, VERSION_FIELDS),
                    "value": None if v.value is None else Decimal(plain_decimal(v.value)),
                },
            )
            for v in sorted(measure.proxy_values.all(), key=lambda v: v.valid_from)
        )
        items.append(MeasureItem(**fields_of(measure, MEASURE_FIELDS), versions=versions))
    return Catalogue(measures=tuple(items))


def export_csv() -> str:
    """The whole stored catalogue as CSV text in the import format (header first), written
    with tablib, each cell made safe to open in a spreadsheet; importing it again changes
    nothing."""
    rows = safe_rows(catalogue_to_rows(catalogue_from_database()))
    dataset = tablib.Dataset(*[tuple(r) for r in rows[1:]], headers=rows[0])
    return dataset.export("csv", lineterminator="\n")


def rows_from_upload(data: bytes) -> list[list[str]]:
    """Rows of an uploaded CSV file (header first)."""
    return rows_from_text(decode_upload(data))


@transaction.atomic
def proxy_add(
    *,
    actor,
    measure: Measure,
    value: Decimal | None,
    valid_from: date,
    proxy_year: str = "",
    price_base: str = "",
    source_title: str = "",
    source_url: str = "",
    source_quote: str = "",
    source_confirmed: bool = False,
    notes: str = "",
) -> ProxyValue:
    """Add a new proxy version to a measure, after its latest one. Earlier versions stay as
    they are, so whatever was judged with them keeps its value."""
    if not can(actor, "measurement.import_catalogue"):
        raise PermissionDenied
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    latest = measure.proxy_values.order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": f"The date must be after {long_date(latest.valid_from)}, when the "
                "latest version took effect; earlier versions are never changed."
            }
        )
    errors = {}
    if value is not None and value <= 0:
        errors["value"] = "A proxy value must be more than zero, or left empty."
    if value is not None and not source_title.strip():
        errors["source_title"] = "A proxy value needs the title of its source."
    if value is not None and not source_url.strip():
        errors["source_url"] = "A proxy value needs the web address of its source."
    if source_confirmed and not source_quote.strip():
        errors["source_quote"] = "A confirmed source needs the short quote that shows the figure."
    if errors:
        raise ValidationError(errors)
    proxy = ProxyValue(
        measure=measure,
        value=value,
        valid_from=valid_from,
        proxy_year=proxy_year.strip(),
        price_base=price_base.strip(),
        source_title=source_title.strip(),
        source_url=source_url.strip(),
        source_quote=source_quote.strip(),
        source_confirmed=source_confirmed,
        notes=notes.strip(),
    )
    proxy.full_clean()
    proxy.save()
    close_superseded_versions(ProxyValue)
    audit.record(
        actor=actor,
        action="catalogue.proxy_added",
        obj=proxy,
        data={"measure": measure.code, "value": value, "valid_from": valid_from},
    )
    return proxy
