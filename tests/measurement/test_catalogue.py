"""The measures catalogue: the shipped CSV, the import checks and proxy versions by date."""

from datetime import date
from decimal import Decimal

import pytest

from measurement.catalogue import DEFAULT_PATH as CATALOGUE_PATH
from measurement.catalogue import (
    HEADER,
    THEMES,
    CatalogueError,
    ProxyVersion,
    catalogue_to_rows,
    load_catalogue,
    parse_rows,
    proxy_in_force,
    rows_from_text,
    rows_to_text,
    validate_rows,
)


@pytest.fixture(scope="module")
def shipped_rows():
    return rows_from_text(CATALOGUE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def good_row(**changes):
    """A valid data row as a list of cells in header order, with some cells changed."""
    cells = {
        "code": "ECO-99",
        "theme": "economic",
        "outcome": "More local people in work",
        "name": "Test measure",
        "unit": "FTE-week",
        "evidence_guidance": "Payroll extract.",
        "proxy_value": "100.50",
        "proxy_valid_from": "2025-04-01",
        "proxy_year": "2025-26",
        "price_base": "cash",
        "source_title": "A source",
        "source_url": "https://www.gov.uk/example",
        "source_quote": "the figure is £100.50",
        "source_confirmed": "true",
        "notes": "",
    }
    cells.update(changes)
    return [cells[column] for column in HEADER]


# --- the shipped catalogue -------------------------------------------------------------


def test_shipped_catalogue_validates_with_no_errors(shipped_rows):
    assert validate_rows(shipped_rows) == []


def test_shipped_catalogue_has_at_least_30_measures_across_all_three_themes(catalogue):
    assert len({m.code for m in catalogue.measures}) >= 30
    for theme in THEMES:
        assert catalogue.by_theme(theme), f"no {theme} measures"


def test_every_shipped_proxy_value_cites_a_source_url(catalogue):
    priced = [v for m in catalogue.measures for v in m.versions if v.value is not None]
    assert priced
    for version in priced:
        assert version.source_url.startswith(("https://", "http://")), version.code
        assert version.source_title, version.code


def test_every_confirmed_proxy_quotes_its_source(catalogue):
    for measure in catalogue.measures:
        for version in measure.versions:
            if version.source_confirmed:
                assert version.source_quote, measure.code


def test_several_measures_share_an_outcome(catalogue):
    outcomes = [m.outcome for m in catalogue.measures]
    assert any(outcomes.count(o) > 1 for o in outcomes)


def test_shipped_catalogue_keeps_measures_without_a_proxy(catalogue):
    unpriced = [m.code for m in catalogue.measures if all(v.value is None for v in m.versions)]
    assert "ECO-11" in unpriced  # spend with local suppliers is counted at face value


def test_shipped_catalogue_header_is_the_import_export_format(shipped_rows):
    assert tuple(shipped_rows[0]) == HEADER


def test_export_then_import_gives_back_the_same_catalogue(catalogue):
    text = rows_to_text(catalogue_to_rows(catalogue))
    assert parse_rows(rows_from_text(text)) == catalogue


def test_english_landfill_tax_proxy_has_one_version_per_tax_year(catalogue):
    versions = catalogue.get("ENV-02").versions
    assert [(v.valid_from, v.value) for v in versions] == [
        (date(2024, 4, 1), Decimal("103.70")),
        (date(2025, 4, 1), Decimal("126.15")),
        (date(2026, 4, 1), Decimal("130.75")),
    ]


def test_unknown_code_is_refused_by_name(catalogue):
    with pytest.raises(KeyError, match="NOPE-01"):
        catalogue.get("NOPE-01")


# --- proxy_in_force --------------------------------------------------------------------


def version(valid_from, value):
    return ProxyVersion(
        code="ENV-02",
        value=None if value is None else Decimal(value),
        valid_from=valid_from,
        proxy_year="",
        price_base="",
        source_title="",
        source_url="",
        source_quote="",
        source_confirmed=False,
        notes="",
    )


VERSIONS = (version(date(2024, 4, 1), "103.70"), version(date(2025, 4, 1), "126.15"))


@pytest.mark.parametrize(
    ("on_date", "expected"),
    [
        (date(2024, 3, 31), None),
        (date(2024, 4, 1), Decimal("103.70")),
        (date(2025, 3, 31), Decimal("103.70")),
        (date(2025, 4, 1), Decimal("126.15")),
        (date(2025, 4, 2), Decimal("126.15")),
        (date(2030, 1, 1), Decimal("126.15")),
    ],
)
def test_proxy_in_force_takes_the_new_value_from_its_change_date(on_date, expected):
    chosen = proxy_in_force(VERSIONS, on_date)
    assert (None if chosen is None else chosen.value) == expected


def test_proxy_in_force_does_not_depend_on_the_order_given():
    assert proxy_in_force(reversed(VERSIONS), date(2025, 6, 1)).value == Decimal("126.15")


def test_shipped_measure_gives_the_rate_for_the_tax_year(catalogue):
    measure = catalogue.get("ENV-02")
    assert measure.proxy_on(date(2025, 3, 31)).value == Decimal("103.70")
    assert measure.proxy_on(date(2025, 4, 1)).value == Decimal("126.15")


# --- validate_rows: each kind of bad row -------------------------------------------------


def errors_for(*data_rows):
    return validate_rows([list(HEADER), *data_rows])


def test_a_good_row_has_no_errors():
    assert errors_for(good_row()) == []


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"theme": "cultural"}, "theme", "not a theme"),
        ({"theme": ""}, "theme", "not a theme"),
        ({"proxy_value": "-5"}, "proxy_value", "negative"),
        ({"proxy_value": "ten pounds"}, "proxy_value", "not a plain number"),
        ({"proxy_value": "£1,234.50"}, "proxy_value", "no £ sign or commas"),
        ({"proxy_value": "0"}, "proxy_value", "leave the cell empty"),
        ({"proxy_valid_from": "01/04/2025"}, "proxy_valid_from", "YYYY-MM-DD"),
        ({"proxy_valid_from": "2025-02-30"}, "proxy_valid_from", "YYYY-MM-DD"),
        ({"proxy_valid_from": ""}, "proxy_valid_from", "required"),
        ({"source_confirmed": "yes"}, "source_confirmed", "true or false"),
        ({"source_url": ""}, "source_url", "web address"),
        ({"source_url": "www.gov.uk/x"}, "source_url", "http"),
        ({"source_title": ""}, "source_title", "title"),
        ({"source_quote": ""}, "source_quote", "quote"),
        ({"code": ""}, "code", "required"),
        ({"code": "eco 1"}, "code", "not a code"),
        ({"name": ""}, "name", "required"),
        ({"unit": ""}, "unit", "required"),
    ],
)
def test_bad_cell_is_reported_with_its_row_and_column(changes, column, words):
    errors = errors_for(good_row(), good_row(**{"code": "ECO-98", **changes}))
    assert len(errors) == 1, errors
    assert errors[0].row == 3
    assert errors[0].column == column
    assert words in errors[0].message
    assert str(errors[0]).startswith(f"Row 3, column {column}: ")


def test_a_row_with_no_proxy_needs_no_source():
    no_quote = good_row(
        proxy_value="", source_title="", source_url="", source_quote="", source_confirmed="false"
    )
    assert errors_for(no_quote) == []


def test_duplicate_code_and_valid_from_is_reported_on_the_second_row():
    errors = errors_for(good_row(), good_row(proxy_value="120"))
    assert [(e.row, e.column) for e in errors] == [(3, "proxy_valid_from")]
    assert "row 2" in errors[0].message


def test_same_code_with_a_later_date_is_a_new_version_not_a_duplicate():
    assert errors_for(good_row(), good_row(proxy_valid_from="2026-04-01")) == []


def test_rows_of_one_code_must_describe_the_same_measure():
    errors = errors_for(good_row(), good_row(proxy_valid_from="2026-04-01", theme="social"))
    assert [(e.row, e.column) for e in errors] == [(3, "theme")]


def test_row_with_too_few_cells_is_reported():
    errors = errors_for(good_row()[:-2])
    assert [(e.row, e.column) for e in errors] == [(2, None)]
    assert "15" in errors[0].message


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (list(HEADER[:-1]), "Missing: notes"),
        ([*HEADER[:-1], "comments"], "Not recognised: comments"),
        ([HEADER[1], HEADER[0], *HEADER[2:]], "different order"),
    ],
)
def test_wrong_header_is_reported_on_row_one(header, words):
    errors = validate_rows([header, good_row()])
    assert len(errors) == 1
    assert errors[0].row == 1
    assert words in errors[0].message


def test_empty_file_is_reported():
    assert validate_rows([])[0].row == 1


def test_byte_order_mark_from_a_spreadsheet_is_accepted():
    text = "\ufeff" + rows_to_text([list(HEADER), good_row()])
    assert validate_rows(rows_from_text(text)) == []


def test_blank_lines_are_ignored():
    assert errors_for(good_row(), ["" for _ in HEADER]) == []


def test_parse_rows_lists_every_problem_at_once():
    with pytest.raises(CatalogueError) as caught:
        parse_rows([list(HEADER), good_row(theme="x"), good_row(code="ECO-98", proxy_value="-1")])
    assert [e.row for e in caught.value.errors] == [2, 3]
    assert "Row 2, column theme" in str(caught.value)
