"""CSV cells a spreadsheet would run as formulas (socialvalue.kernel.csv_cells)."""

from decimal import Decimal

import pytest

from socialvalue.kernel.csv_cells import read_cell, safe_cell, safe_rows


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "=cmd|' /C calc'!A0",
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1:A2)",
        "\tTabbed",
        "\rReturn",
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [Decimal("-5"), -5, -5.5, "-5", "+12.50", "Plain words", "", "5"])
def test_numbers_and_ordinary_text_are_left_alone(value):
    # A negative number is not a formula, whether it is a number or text that is one.
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    "original",
    [
        "=HYPERLINK(1)",
        "'=already quoted",
        "''=twice",
        "'plain with an apostrophe",
        "'-5",
        "-5",
        "It's fine",
        "@handle",
    ],
)
def test_reading_back_gives_what_was_written(original):
    assert read_cell(safe_cell(original)) == original


def test_every_row_and_cell_is_made_safe():
    assert safe_rows([["=1+1", Decimal("2")], ["ok", "@x"]]) == [
        ["'=1+1", Decimal("2")],
        ["ok", "'@x"],
    ]
