"""The measures catalogue: read, check and choose proxy values. Pure: no Django.

The catalogue's CSV has one row per (measure, proxy version). A measure whose proxy
changes (a new tax rate, a new year's earnings figure) gets a further row with the same
code and a later ``proxy_valid_from``; earlier rows stay, so what a bid was judged with
can always be shown again. The same CSV is the format for import and export, so
``validate_rows`` speaks in row numbers and column names a person can find in a
spreadsheet (the header is row 1, the first measure row 2).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from socialvalue.kernel import sourced, vocabularies
from socialvalue.kernel.csv_cells import read_rows, safe_rows
from socialvalue.kernel.limits import PROXY_VALUE, LimitError
from socialvalue.kernel.sourced import Source

THEMES: tuple[str, ...] = vocabularies.codes(vocabularies.THEMES)
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "catalogue.csv"

# A code is short and stable because bids and returns refer to it: "ECO-01", "LOCAL-7".
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}-[A-Z0-9]{1,10}$")
_PLAIN_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Columns that describe the measure itself and so must agree across its proxy rows.
_MEASURE_COLUMNS = ("theme", "outcome", "name", "unit", "evidence_guidance")
# The fields of a measure and of a proxy version, named alike here and on the database rows,
# so code that copies one into the other lists them once. The CSV's header is made of them.
MEASURE_FIELDS: tuple[str, ...] = ("code", *_MEASURE_COLUMNS)
_VERSION_DETAILS = (
    "proxy_year",
    "price_base",
    "source_title",
    "source_url",
    "source_quote",
    "source_confirmed",
    "notes",
)
VERSION_FIELDS: tuple[str, ...] = ("value", "valid_from", *_VERSION_DETAILS)
HEADER: tuple[str, ...] = (*MEASURE_FIELDS, "proxy_value", "proxy_valid_from", *_VERSION_DETAILS)


def fields_of(obj, names: Iterable[str]) -> dict:
    """``{name: obj.name}`` for each name: a dataclass or a database row, as keyword arguments."""
    return {name: getattr(obj, name) for name in names}


@dataclass(frozen=True)
class ProxyVersion:
    """One dated proxy value for a measure, with where it came from.

    ``value`` is pounds per unit, or None where no sound public source gives one.
    """

    code: str
    value: Decimal | None
    valid_from: date
    proxy_year: str
    price_base: str
    source_title: str
    source_url: str
    source_quote: str
    source_confirmed: bool
    notes: str

    @property
    def source(self) -> Source | None:
        """Where the value comes from, in the service's one shape of a source (None when the
        row names none). The CSV and the database keep its parts as columns."""
        if not self.source_title:
            return None
        return Source(
            title=self.source_title,
            url=self.source_url,
            confirmed=self.source_confirmed,
            quote=self.source_quote or None,
        )


@dataclass(frozen=True)
class Measure:
    """A measure a supplier can commit to and report against, with its proxy versions
    in date order (oldest first)."""

    code: str
    theme: str
    outcome: str
    name: str
    unit: str
    evidence_guidance: str
    versions: tuple[ProxyVersion, ...]

    def proxy_on(self, on_date: date) -> ProxyVersion | None:
        """The proxy version in force on ``on_date`` (see ``proxy_in_force``)."""
        return proxy_in_force(self.versions, on_date)


@dataclass(frozen=True)
class Catalogue:
    """All measures, in the order their codes first appear in the file."""

    measures: tuple[Measure, ...]

    def get(self, code: str) -> Measure:
        """The measure with this code; KeyError naming the code if there is none."""
        for measure in self.measures:
            if measure.code == code:
                return measure
        raise KeyError(f"No measure with code {code!r} in the catalogue.")

    def by_theme(self, theme: str) -> tuple[Measure, ...]:
        """Measures under one theme (economic, social or environmental)."""
        return tuple(m for m in self.measures if m.theme == theme)


@dataclass(frozen=True)
class RowError:
    """A problem with one row of a catalogue CSV. ``row`` counts the header as row 1;
    ``column`` is None when the problem is with the row as a whole."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CatalogueError(ValueError):
    """The catalogue rows did not validate; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def rows_from_text(text: str) -> list[list[str]]:
    """Split CSV text (e.g. an uploaded file, already decoded) into rows of cells.

    A leading byte-order mark, as spreadsheet programs often write, is dropped, and so is the
    apostrophe the export puts before a cell a spreadsheet would run as a formula."""
    return read_rows(sourced.csv_rows(text))


def rows_to_text(rows: Iterable[Sequence[str]]) -> str:
    """Write rows as CSV text with ``\\n`` line endings (the export format), each cell made
    safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(safe_rows(rows))
    return buffer.getvalue()


def validate_rows(rows: Sequence[Sequence[str]]) -> list[RowError]:
    """Check catalogue rows (header first) and return every problem found, in row order.

    Checks: the exact header; the number of cells per row; a code, a known theme, an
    outcome, name and unit; a proxy value that is empty or a plain positive decimal within
    socialvalue.kernel.limits.PROXY_VALUE;
    an ISO date in proxy_valid_from; source_confirmed of true or false; a source title
    and http(s) URL for every proxy value; a quote where the source is marked confirmed;
    one row per (code, proxy_valid_from); and the same theme, outcome, name, unit and
    evidence guidance on every row of one code. An empty list means the rows are good.
    """
    if not rows:
        return [RowError(1, None, "The file is empty: the first row must be the header.")]
    header = [cell.strip() for cell in rows[0]]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0].removeprefix("\ufeff")
    if tuple(header) != HEADER:
        return [RowError(1, None, _header_problem(header))]

    errors: list[RowError] = []
    seen_versions: dict[tuple[str, str], int] = {}
    first_row_of_code: dict[str, tuple[int, dict[str, str]]] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines are harmless in a hand-edited file
        if len(raw) != len(HEADER):
            errors.append(
                RowError(number, None, f"Has {len(raw)} cells; every row needs {len(HEADER)}.")
            )
            continue
        cells = dict(zip(HEADER, (cell.strip() for cell in raw), strict=True))
        errors.extend(_row_errors(number, cells))

        code, valid_from = cells["code"], cells["proxy_valid_from"]
        if code and valid_from:
            key = (code, valid_from)
            if key in seen_versions:
                errors.append(
                    RowError(
                        number,
                        "proxy_valid_from",
                        f"{code} already has a proxy valid from {valid_from} "
                        f"(row {seen_versions[key]}); each version needs its own date.",
                    )
                )
            else:
                seen_versions[key] = number
        if code:
            if code not in first_row_of_code:
                first_row_of_code[code] = (number, cells)
            else:
                first_number, first = first_row_of_code[code]
                for column in _MEASURE_COLUMNS:
                    if cells[column] != first[column]:
                        errors.append(
                            RowError(
                                number,
                                column,
                                f"Differs from row {first_number} for {code}; every row "
                                f"of one measure must give the same {column}.",
                            )
                        )
    return errors


def parse_rows(rows: Sequence[Sequence[str]]) -> Catalogue:
    """Build a Catalogue from rows (header first); raise CatalogueError listing every
    problem if any row is invalid."""
    errors = validate_rows(rows)
    if errors:
        raise CatalogueError(errors)
    grouped: dict[str, list[dict[str, str]]] = {}
    for raw in rows[1:]:
        if not any(cell.strip() for cell in raw):
            continue
        cells = dict(zip(HEADER, (cell.strip() for cell in raw), strict=True))
        grouped.setdefault(cells["code"], []).append(cells)
    measures = []
    for code, group in grouped.items():
        first = group[0]
        versions = sorted((_version(cells) for cells in group), key=lambda v: v.valid_from)
        measures.append(
            Measure(
                code=code,
                theme=first["theme"],
                outcome=first["outcome"],
                name=first["name"],
                unit=first["unit"],
                evidence_guidance=first["evidence_guidance"],
                versions=tuple(versions),
            )
        )
    return Catalogue(measures=tuple(measures))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read the catalogue CSV (default: the shipped ``measurement/data/catalogue.csv``)."""
    return parse_rows(read_rows(sourced.load(path, default=DEFAULT_PATH)))


def catalogue_to_rows(catalogue: Catalogue) -> list[list[str]]:
    """The catalogue as CSV rows, header first: the export format, which
    ``parse_rows`` reads back unchanged."""
    rows: list[list[str]] = [list(HEADER)]
    for measure in catalogue.measures:
        for version in measure.versions:
            rows.append(
                [
                    measure.code,
                    measure.theme,
                    measure.outcome,
                    measure.name,
                    measure.unit,
                    measure.evidence_guidance,
                    "" if version.value is None else str(version.value),
                    version.valid_from.isoformat(),
                    version.proxy_year,
                    version.price_base,
                    version.source_title,
                    version.source_url,
                    version.source_quote,
                    "true" if version.source_confirmed else "false",
                    version.notes,
                ]
            )
    return rows


def proxy_in_force(versions: Iterable[ProxyVersion], on_date: date) -> ProxyVersion | None:
    """The version with the latest ``valid_from`` on or before ``on_date``.

    A version takes effect on its valid-from date itself. Returns None when every
    version starts after ``on_date``. The version returned may itself have no value
    (``value is None``): then the measure is counted but not monetised on that date.
    """
    return sourced.in_force(versions, on_date, starts="valid_from")


def _header_problem(header: Sequence[str]) -> str:
    missing = [c for c in HEADER if c not in header]
    unexpected = [c for c in header if c not in HEADER]
    parts = ["The header row must be exactly: " + ",".join(HEADER) + "."]
    if missing:
        parts.append("Missing: " + ", ".join(missing) + ".")
    if unexpected:
        parts.append("Not recognised: " + ", ".join(unexpected) + ".")
    if not missing and not unexpected:
        parts.append("The columns are there but in a different order.")
    return " ".join(parts)


def _row_errors(number: int, cells: dict[str, str]) -> list[RowError]:
    errors: list[RowError] = []

    def problem(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    code = cells["code"]
    if not code:
        problem("code", "A code is required, e.g. ECO-01.")
    elif not _CODE.match(code):
        problem(
            "code",
            f"{code!r} is not a code: use capitals, a hyphen and a number, e.g. ECO-01.",
        )
    theme = cells["theme"]
    if theme not in THEMES:
        problem("theme", f"{theme!r} is not a theme; use one of {', '.join(THEMES)}.")
    for column in ("outcome", "name", "unit"):
        if not cells[column]:
            problem(column, f"A {column} is required.")

    value = cells["proxy_value"]
    if value:
        if value.startswith("-"):
            problem("proxy_value", f"{value!r} is negative; a proxy value cannot be.")
        elif not _PLAIN_DECIMAL.match(value):
            problem(
                "proxy_value",
                f"{value!r} is not a plain number: write pounds per unit like 1234.50, "
                "with no £ sign or commas, or leave it empty.",
            )
        elif Decimal(value) == 0:
            problem("proxy_value", "Zero is not a proxy: leave the cell empty instead.")
        else:
            try:
                PROXY_VALUE.check(Decimal(value), what="a proxy value")
            except LimitError as error:
                problem("proxy_value", f"{value!r}: {error.message}")
        if not cells["source_title"]:
            problem("source_title", "A proxy value needs the title of its source.")
        url = cells["source_url"]
        if not url:
            problem("source_url", "A proxy value needs the web address of its source.")
        elif not url.startswith(("https://", "http://")):
            problem("source_url", f"{url!r} is not a web address starting http:// or https://.")

    valid_from = cells["proxy_valid_from"]
    if not valid_from:
        problem("proxy_valid_from", "A date is required (YYYY-MM-DD).")
    elif _parse_date(valid_from) is None:
        problem("proxy_valid_from", f"{valid_from!r} is not a date written YYYY-MM-DD.")

    confirmed = cells["source_confirmed"].lower()
    if confirmed not in ("true", "false"):
        problem("source_confirmed", f"{cells['source_confirmed']!r} must be true or false.")
    elif confirmed == "true" and not cells["source_quote"]:
        problem("source_quote", "A confirmed source needs the short quote that shows the figure.")
    return errors


def _parse_date(text: str) -> date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _version(cells: dict[str, str]) -> ProxyVersion:
    valid_from = _parse_date(cells["proxy_valid_from"])
    assert valid_from is not None  # guaranteed by validate_rows
    try:
        value = Decimal(cells["proxy_value"]) if cells["proxy_value"] else None
    except InvalidOperation as error:  # pragma: no cover - guaranteed by validate_rows
        raise CatalogueError([RowError(0, "proxy_value", str(error))]) from error
    return ProxyVersion(
        code=cells["code"],
        value=value,
        valid_from=valid_from,
        proxy_year=cells["proxy_year"],
        price_base=cells["price_base"],
        source_title=cells["source_title"],
        source_url=cells["source_url"],
        source_quote=cells["source_quote"],
        source_confirmed=cells["source_confirmed"].lower() == "true",
        notes=cells["notes"],
    )
