"""The Act check's vocabulary and its dated rules (thresholds, regimes, the Act's own rules,
with their sources), as read from ``socialvalue/act/data/thresholds.json``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from socialvalue.kernel import sourced, vocabularies
from socialvalue.kernel.money import to_decimal
from socialvalue.kernel.sourced import Source

AUTHORITY_TYPES = vocabularies.codes(vocabularies.AUTHORITY_TYPES)
NATIONS = ("england", "wales")
CONTRACT_TYPES = ("services", "goods", "works", "mixed")
SERVICE_CATEGORIES = ("standard", "light_touch")
VAT_BASES = ("inclusive", "exclusive")
MIXED_WITH = ("goods", "works")
MAIN_PURPOSES = ("services", "works")
CONTRACT_KINDS = ("public", "exempted", "concession", "utilities", "defence_security")

DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "thresholds.json"

# Words for people, inside sentences; the codes above are what forms and the API exchange.
AUTHORITY_LABELS = {term.code: term.noun for term in vocabularies.AUTHORITY_TYPES}


# Labels for forms and pages, keyed by field then code.
CHOICE_LABELS = {
    "authority_type": vocabularies.labels(vocabularies.AUTHORITY_TYPES),
    "nation": {"england": "England", "wales": "Wales"},
    "contract_type": {
        "services": "Services",
        "goods": "Goods",
        "works": "Works",
        "mixed": "Mixed (services with goods or works)",
    },
    "service_category": {
        "standard": "Standard services",
        "light_touch": "Light touch (social and other specific) services",
    },
    "vat_basis": {"inclusive": "Including VAT", "exclusive": "Net of VAT"},
    "mixed_with": {"goods": "Goods", "works": "Works"},
    "main_purpose": {"services": "Mainly services", "works": "Mainly works"},
    "contract_kind": {
        "public": "An ordinary public contract",
        "exempted": "An exempted or excluded contract (for example with the authority's own "
        "company)",
        "concession": "A concession contract",
        "utilities": "A utilities contract",
        "defence_security": "A defence and security contract",
    },
}


class ActInputError(ValueError):
    """An impossible or unreadable input; ``field`` names the ActInputs field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- The dated rules, as read from the data file -------------------------------------


@dataclass(frozen=True)
class Regime:
    """A procurement regime, in force for procurements started from effective_from."""

    code: str
    name: str
    effective_from: date
    effective_to: date | None
    source: Source

    def in_force_on(self, day: date) -> bool:
        return sourced.covers(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class ThresholdValues:
    """Threshold amounts in pounds for one schedule."""

    central_supplies_services: Decimal
    sub_central_supplies_services: Decimal
    works: Decimal
    light_touch: Decimal


@dataclass(frozen=True)
class ThresholdSchedule:
    """The thresholds for procurements started between effective_from and effective_to."""

    id: str
    series: str
    applies_to: str
    effective_from: date
    effective_to: date | None
    regime: str
    includes_vat: bool
    values: ThresholdValues
    source: Source
    light_touch_note: str | None = None

    def in_force_on(self, day: date) -> bool:
        return sourced.covers(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class LightTouchRule:
    """How the Act treats light touch (social and other specific) services in a period.

    basis: "light_touch_threshold" (compare with the schedule's light touch figure),
    "ordinary_services_threshold" (compare with the central or sub-central services figure) or
    "fixed_threshold" (compare with ``threshold``, the same for every authority, as when the
    Act looked back to the revoked 2006 Regulations' Part B figure).
    value_basis: "threshold" (the schedule's own VAT basis) or "net" (net of VAT, whatever
    the schedule says).
    """

    id: str
    effective_from: date
    effective_to: date | None
    basis: str
    value_basis: str
    summary: str
    source: Source
    threshold: Decimal | None = None

    def in_force_on(self, day: date) -> bool:
        return sourced.covers(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class WelshDuty:
    """The Welsh socially responsible procurement duty that replaces the Act for Welsh bodies."""

    title: str
    section: str
    effective_from: date
    reporting_from: date
    summary: str
    source: Source


@dataclass(frozen=True)
class DatedNote:
    """A dated reading of the Act (what it says in a period), with its source."""

    id: str
    effective_from: date
    effective_to: date | None
    summary: str
    source: Source

    def in_force_on(self, day: date) -> bool:
        return sourced.covers(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class ProviderSelectionRegime:
    """The NHS Provider Selection Regime: its start, and the Act's position under it by period."""

    code: str
    name: str
    effective_from: date
    summary: str
    source: Source
    act_position: tuple[DatedNote, ...]


@dataclass(frozen=True)
class RegimeProvision:
    """What a procurement regime calls a thing, and where it says so."""

    name: str
    provision: str
    source: Source


@dataclass(frozen=True)
class ExcludedKinds:
    """Contracts outside the Act by their kind in a period: reading, source, and words per kind."""

    id: str
    effective_from: date
    effective_to: date | None
    summary: str
    source: Source
    kinds: Mapping[str, str]

    def in_force_on(self, day: date) -> bool:
        return sourced.covers(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class ActRules:
    """Everything ``assess`` needs from law and guidance, each part with its source."""

    commencement: date
    commencement_source: Source
    section_1_source: Source
    section_1_current_source: Source
    urgent_cases_source: Source
    standard_vat_rate: Decimal
    vat_source: Source
    regimes: tuple[Regime, ...]
    schedules: tuple[ThresholdSchedule, ...]
    light_touch_rules: tuple[LightTouchRule, ...]
    central_government_by_authority_type: Mapping[str, bool | None]
    central_government_note: str
    central_government_source: Source
    welsh_exclusion_summary: str
    welsh_exclusion_source: Source
    devolved_by_authority_type: Mapping[str, bool | None]
    devolved_note: str
    welsh_duty: WelshDuty
    vat_exempt_summary: str
    vat_exempt_source: Source
    provider_selection: ProviderSelectionRegime
    dynamic_summary: str
    dynamic_by_regime: Mapping[str, RegimeProvision]
    mixed_works_summary: str
    mixed_works_by_regime: Mapping[str, RegimeProvision]
    excluded_kinds: tuple[ExcludedKinds, ...]
    regime_start_note: str
    contracting_authority_note: str

    def regime_on(self, day: date) -> Regime | None:
        """The procurement regime for a procurement started on ``day`` (None before the first)."""
        return sourced.in_force(self.regimes, day, starts="effective_from", ends="effective_to")

    def schedule_on(self, day: date, series: str = "england") -> ThresholdSchedule | None:
        """The threshold schedule of ``series`` in force on ``day``, if any."""
        of_series = (s for s in self.schedules if s.series == series)
        return sourced.in_force(of_series, day, starts="effective_from", ends="effective_to")

    def light_touch_rule_on(self, day: date) -> LightTouchRule | None:
        """The Act's light touch rule for a procurement started on ``day``."""
        return sourced.in_force(
            self.light_touch_rules, day, starts="effective_from", ends="effective_to"
        )

    def excluded_kinds_on(self, day: date) -> ExcludedKinds | None:
        """The Act's exclusions by kind of contract for a procurement started on ``day``."""
        return next((e for e in self.excluded_kinds if e.in_force_on(day)), None)

    def series_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.series for s in self.schedules))


def load_schedules(path: str | Path | None = None) -> ActRules:
    """Read the dated Act rules and threshold schedules (default: data/thresholds.json)."""
    data = sourced.load(path, default=DEFAULT_RULES_PATH)
    act, wales, central = data["act"], data["wales"], data["central_government_authority"]
    psr, exempt = data["provider_selection_regime"], data["vat"]["exempt_services"]
    return ActRules(
        commencement=date.fromisoformat(act["commencement"]),
        commencement_source=Source.from_data(act["commencement_source"]),
        section_1_source=Source.from_data(act["section_1_source"]),
        section_1_current_source=Source.from_data(act["section_1_current_source"]),
        urgent_cases_source=Source.from_data(act["urgent_cases_source"]),
        standard_vat_rate=to_decimal(data["vat"]["standard_rate"]),
        vat_source=Source.from_data(data["vat"]["source"]),
        regimes=tuple(
            Regime(
                code=r["code"],
                name=r["name"],
                effective_from=date.fromisoformat(r["effective_from"]),
                effective_to=sourced.optional_date(r["effective_to"]),
                source=Source.from_data(r["source"]),
            )
            for r in data["regimes"]
        ),
        schedules=tuple(
            ThresholdSchedule(
                id=s["id"],
                series=s["series"],
                applies_to=s["applies_to"],
                effective_from=date.fromisoformat(s["effective_from"]),
                effective_to=sourced.optional_date(s["effective_to"]),
                regime=s["regime"],
                includes_vat=bool(s["includes_vat"]),
                values=ThresholdValues(**{k: to_decimal(v) for k, v in s["values"].items()}),
                source=Source.from_data(s["source"]),
                light_touch_note=s.get("light_touch_note"),
            )
            for s in data["schedules"]
        ),
        light_touch_rules=tuple(
            LightTouchRule(
                id=r["id"],
                effective_from=date.fromisoformat(r["effective_from"]),
                effective_to=sourced.optional_date(r["effective_to"]),
                basis=r["basis"],
                value_basis=r["value_basis"],
                summary=r["summary"],
                source=Source.from_data(r["source"]),
                threshold=to_decimal(r["threshold"]) if r.get("threshold") else None,
            )
            for r in data["light_touch_rules"]
        ),
        central_government_by_authority_type=MappingProxyType(dict(central["by_authority_type"])),
        central_government_note=central["note"],
        central_government_source=Source.from_data(central["source"]),
        welsh_exclusion_summary=wales["exclusion_summary"],
        welsh_exclusion_source=Source.from_data(wales["exclusion_source"]),
        devolved_by_authority_type=MappingProxyType(dict(wales["devolved_by_authority_type"])),
        devolved_note=wales["devolved_note"],
        welsh_duty=WelshDuty(
            title=wales["welsh_duty"]["title"],
            section=wales["welsh_duty"]["section"],
            effective_from=date.fromisoformat(wales["welsh_duty"]["effective_from"]),
            reporting_from=date.fromisoformat(wales["welsh_duty"]["reporting_from"]),
            summary=wales["welsh_duty"]["summary"],
            source=Source.from_data(wales["welsh_duty"]["source"]),
        ),
        vat_exempt_summary=exempt["summary"],
        vat_exempt_source=Source.from_data(exempt["source"]),
        provider_selection=ProviderSelectionRegime(
            code=psr["code"],
            name=psr["name"],
            effective_from=date.fromisoformat(psr["effective_from"]),
            summary=psr["summary"],
            source=Source.from_data(psr["source"]),
            act_position=tuple(_dated_note(n) for n in psr["act_position"]),
        ),
        dynamic_summary=data["dynamic_purchasing"]["summary"],
        dynamic_by_regime=_provisions(data["dynamic_purchasing"]["by_regime"]),
        mixed_works_summary=data["mixed_with_works"]["summary"],
        mixed_works_by_regime=_provisions(data["mixed_with_works"]["by_regime"]),
        excluded_kinds=tuple(
            ExcludedKinds(
                id=e["id"],
                effective_from=date.fromisoformat(e["effective_from"]),
                effective_to=sourced.optional_date(e["effective_to"]),
                summary=e["summary"],
                source=Source.from_data(e["source"]),
                kinds=MappingProxyType(dict(e["kinds"])),
            )
            for e in data["excluded_kinds"]
        ),
        regime_start_note=data["regime_start_note"],
        contracting_authority_note=data["contracting_authority_note"],
    )


def _dated_note(data: Mapping[str, Any]) -> DatedNote:
    return DatedNote(
        id=data["id"],
        effective_from=date.fromisoformat(data["effective_from"]),
        effective_to=sourced.optional_date(data["effective_to"]),
        summary=data["summary"],
        source=Source.from_data(data["source"]),
    )


def _provisions(data: Mapping[str, Any]) -> Mapping[str, RegimeProvision]:
    return MappingProxyType(
        {
            code: RegimeProvision(
                name=entry.get("name", ""),
                provision=entry["provision"],
                source=Source.from_data(entry["source"]),
            )
            for code, entry in data.items()
        }
    )


def _a(label: str) -> str:
    """'a local authority', 'an NHS body', 'any other public body'."""
    if label.startswith("other "):
        return f"any {label}"
    return f"an {label}" if label[0] in "aeiou" or label.startswith("NHS") else f"a {label}"
