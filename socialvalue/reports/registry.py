"""Report kinds: what each report is about, who may have it, and how it is made.

A feature adds a kind from its `registrations.py`:

    registry.register(ReportKind(
        key="act-consideration",                  # in URLs and on the command line
        title="Social Value Act consideration record",
        subject_model="socialvalue.PlannedContract",
        permission="socialvalue.view_planned_contract",   # asked with the subject, by can()
        template="socialvalue/act/report.html",   # extends reports/document.html
        load=act_reports.consideration_context,   # (subject, options) -> template context
        data_version=act_reports.consideration_version,   # (subject, options) -> str
        organisation_of=lambda contract: contract.authority,
        confidential=True,                        # no-store on download
    ))

`confidential` is a bool, or a callable of the subject for a kind whose subject turns public
(a consultation is confidential to its authority until it opens): (subject) -> bool.

`data_version` must change whenever what the report shows changes (and only then): asking again
with the same version returns the report already made; a new version makes a new report and
keeps the old one. A report's content depends on its subject and options alone, never on who
asked, so one made for a colleague may be handed to another who may see the same subject. A
kind shown to one party only (a letter to one bidder) takes that party's own object as subject.

This module imports no models, so a test worker can register a kind before Django is set up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class UnknownReportKind(LookupError):
    """No report kind is registered under this key."""


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    subject_model: str
    permission: str
    template: str
    load: Callable[..., dict]
    data_version: Callable[..., str]
    organisation_of: Callable[[object], object]
    confidential: bool | Callable[[object], bool] = True
    # Options a kind accepts (e.g. a financial year), cleaned from a form or the command line:
    # (raw dict of strings) -> options dict, raising ValueError with a message a person can read.
    clean_options: Callable[[dict], dict] | None = None
    # The name of the file a person downloads, without ".pdf": (subject, options) -> str.
    filename: Callable[[object, dict], str] | None = None
    # A one-line description for the report's page and the list of reports.
    describe: Callable[[object, dict], str] | None = None

    def is_confidential(self, subject) -> bool:
        """Whether a report of this subject is confidential (downloaded with no-store); a
        callable flag is asked about the subject, and with no subject the answer is yes."""
        if callable(self.confidential):
            return subject is None or bool(self.confidential(subject))
        return bool(self.confidential)


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    """Add or replace a report kind by its key."""
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> ReportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownReportKind(key) from None


def kinds() -> list[ReportKind]:
    return sorted(_KINDS.values(), key=lambda k: k.title)
