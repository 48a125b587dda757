"""Dated data from law and guidance, with its sources: one shape of a source, one reader. Pure.

Every figure the service takes from law or guidance lives in a data file beside the engine
that uses it (``socialvalue/act/data/``, ``tenders/data/``, ``measurement/data/``): JSON, or
CSV for the measures catalogue. Each record is dated and names where it comes from. The
engines read their files with ``load``, turn each source entry into a ``Source``, and pick
the record in force on a date with ``in_force``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True)
class Source:
    """Where a figure or rule comes from: a title and web address, the short ``quote`` that
    shows it, whether it was ``confirmed`` against the published text (None where the file
    does not say), a ``note`` (why it is not confirmed, how it was read) and ``read_via`` when
    it was read in a copy elsewhere."""

    title: str
    url: str = ""
    confirmed: bool | None = None
    quote: str | None = None
    note: str | None = None
    read_via: str | None = None

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> Source:
        """A source entry of a data file. Only these keys are read, so a record may keep its
        source's fields beside its own; an entry may say 'notes' for 'note'."""
        note = raw.get("note", raw.get("notes"))
        return cls(
            title=raw["title"],
            url=raw.get("url") or "",
            confirmed=bool(raw["confirmed"]) if "confirmed" in raw else None,
            quote=raw.get("quote") or None,
            note=note or None,
            read_via=raw.get("read_via") or None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The source as JSON: title, url, confirmed, quote and note (None when not given),
        and read_via when given."""
        data: dict[str, Any] = {
            "title": self.title,
            "url": self.url,
            "confirmed": self.confirmed,
            "quote": self.quote,
            "note": self.note,
        }
        if self.read_via:
            data["read_via"] = self.read_via
        return data


def sources_from(entries: Iterable[Mapping[str, Any]]) -> tuple[Source, ...]:
    """Each source entry of a list in a data file, as a Source."""
    return tuple(Source.from_data(entry) for entry in entries)


def csv_rows(text: str) -> list[list[str]]:
    """CSV text as rows of cells; a leading byte-order mark, as spreadsheets write, is dropped."""
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def load(path: str | Path | None, *, default: Path) -> Any:
    """Read a data file (``default`` when ``path`` is None): JSON as parsed, CSV as rows."""
    source = Path(path) if path is not None else default
    text = source.read_text(encoding="utf-8")
    if source.suffix.lower() == ".csv":
        return csv_rows(text)
    return json.loads(text)


def optional_date(text: str | None) -> date | None:
    """A date written YYYY-MM-DD in a data file, or None for an open end."""
    return date.fromisoformat(text) if text else None


def covers(starts: date, ends: date | None, on_date: date) -> bool:
    """Whether a record in force from ``starts`` to ``ends`` inclusive (None: still in force)
    is in force on ``on_date``."""
    return starts <= on_date and (ends is None or on_date <= ends)


def in_force(
    records: Iterable[Record], on_date: date, *, starts: str, ends: str | None = None
) -> Record | None:
    """The record in force on ``on_date``: of those whose ``starts`` attribute is on or before
    it (and whose ``ends`` attribute, when named, is on or after it or None), the one that
    started last, the first of them on a tie. None when there is none."""
    start_of = attrgetter(starts)
    end_of = attrgetter(ends) if ends else (lambda _record: None)
    current = [r for r in records if covers(start_of(r), end_of(r), on_date)]
    return max(current, key=start_of) if current else None
