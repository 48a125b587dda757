"""Cells of the CSV files the service writes and reads back: formula neutralising. Pure.

A spreadsheet program opening a CSV runs a text cell that begins with =, +, -, @, a tab or a
carriage return as a formula (OWASP, "CSV Injection"), so a measure named
=HYPERLINK("http://x","y") would become a live link, and worse. Every CSV writer passes its
rows through ``safe_rows``, which puts an apostrophe before such a cell: spreadsheets show
the text as typed. Numbers (int, Decimal, float) are left alone, and so is text that is a
plain number such as "-5": neither is a formula.

Reading a file back, ``read_rows`` takes off exactly the apostrophe the writer added, so
exporting and importing again changes nothing. A cell that already began with apostrophes
before a formula character gets one more on the way out, so the reader can tell the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _looks_like_formula(text: str) -> bool:
    # Judged on the text after any apostrophes, so the writer and reader agree on which cells
    # carry an added apostrophe (see the module docstring).
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(bare)


def safe_cell(value: object) -> object:
    """A cell as written to a CSV: text a spreadsheet would run as a formula gets a leading
    apostrophe; anything else is returned as it is."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def read_cell(text: str) -> str:
    """A cell as read from a CSV the service wrote: the apostrophe ``safe_cell`` added is
    taken off; anything else is returned as it is."""
    if text.startswith("'") and _looks_like_formula(text):
        return text[1:]
    return text


def safe_rows(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    """Rows with every cell passed through ``safe_cell``."""
    return [[safe_cell(cell) for cell in row] for row in rows]


def read_rows(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    """Rows with every cell passed through ``read_cell``."""
    return [[read_cell(cell) for cell in row] for row in rows]
