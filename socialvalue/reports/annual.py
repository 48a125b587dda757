"""An authority's annual social value report, made of sections the features register.

The report covers one financial year (1 April to 31 March). Each feature adds what it knows from
its own `registrations.py` with `register_section`: the Act check its checks and their answers,
tenders their social value weightings and the value bidders committed, delivery the value
delivered under contracts and verified by the authority.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from socialvalue.core.models import Organisation
from socialvalue.reports import registry

FIRST_YEAR = 2012  # the Public Services (Social Value) Act 2012 came into force in January 2013


@dataclass(frozen=True)
class Period:
    """A financial year: 1 April of `year` to 31 March of the next."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"1 April {self.year} to 31 March {self.year + 1}"

    @property
    def short(self) -> str:
        return f"{self.year} to {self.year + 1}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    # (organisation, period) -> the section's template context
    load: Callable[[Organisation, Period], dict]
    # (organisation, period) -> text that changes whenever what the section shows changes
    data_version: Callable[[Organisation, Period], str]
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    """Add or replace a section of the annual report by its key."""
    _SECTIONS[section.key] = section
    return section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.title))


def current_year(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def clean_options(raw: dict) -> dict:
    """{"year": "2026"} -> {"year": 2026}; the current financial year when none is given."""
    text = str(raw.get("year", "") or "").strip()
    if not text:
        return {"year": current_year()}
    if not text.isdigit() or len(text) != 4:
        raise ValueError("Enter the year the financial year starts in, like 2026.")
    year = int(text)
    if year < FIRST_YEAR or year > current_year():
        raise ValueError(
            f"Enter a financial year from {FIRST_YEAR} to {current_year()} (the current one)."
        )
    return {"year": year}


def load(organisation: Organisation, options: dict) -> dict:
    period = Period(options["year"])
    return {
        "authority": organisation,
        "period": period,
        "sections": [
            {"section": section, **section.load(organisation, period)} for section in sections()
        ],
    }


def data_version(organisation: Organisation, options: dict) -> str:
    period = Period(options["year"])
    parts = [organisation.name] + [
        f"{s.key}:{s.data_version(organisation, period)}" for s in sections()
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


ANNUAL = registry.register(
    registry.ReportKind(
        key="annual",
        title="Annual social value report",
        subject_model="socialvalue.Organisation",
        permission="socialvalue.view_annual_report",
        template="reports/annual.html",
        load=load,
        data_version=data_version,
        organisation_of=lambda organisation: organisation,
        confidential=True,
        clean_options=clean_options,
        describe=lambda organisation, options: (
            f"{organisation.name}, {Period(options['year']).short}"
        ),
    )
)
