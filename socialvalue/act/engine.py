"""Does the Public Services (Social Value) Act 2012 apply to a procurement?

Pure rules over plain data: ``load_schedules()`` reads the dated thresholds, regimes and
Act rules (with their sources) from ``data/thresholds.json``; ``assess(inputs, rules)``
decides and explains. Nothing here touches Django, the database or settings.

Money is Decimal throughout. ``Assessment.value_compared`` keeps full precision (a value
converted from gross to net can have many places); amounts are rounded to pence with
ROUND_HALF_UP only in ``Assessment.to_dict()`` and in the sentences of ``reasons``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from socialvalue.kernel import limits, numbers, sourced, vocabularies
from socialvalue.kernel.dates import long_date
from socialvalue.kernel.money import HUNDRED, MoneyError, format_gbp, pounds, to_decimal
from socialvalue.kernel.sourced import Source

AUTHORITY_TYPES = vocabularies.codes(vocabularies.AUTHORITY_TYPES)
NATIONS = ("england", "wales")
CONTRACT_TYPES = ("services", "goods", "works", "mixed")
SERVICE_CATEGORIES = ("standard", "light_touch")
VAT_BASES = ("inclusive", "exclusive")
MIXED_WITH = ("goods", "works")
MAIN_PURPOSES = ("services", "works")
CONTRACT_KINDS = ("public", "exempted", "concession", "utilities", "defence_security")

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "data" / "thresholds.json"

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


# --- Inputs --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ActInputs:
    """What the user tells us about the proposed procurement.

    value: the whole-term estimated value (including extensions and options), in pounds,
    on the VAT basis given by vat_basis. vat_rate: percent; None means the standard rate
    from the data file (20%); give 0 for exempt or zero-rated services.
    services_value: for mixed contracts (and mixed frameworks), the part of value that is
    services, on the same VAT basis. is_framework: the procurement concludes a framework.
    is_call_off: a contract awarded under an existing framework.
    devolved_functions: Wales only - does the body exercise wholly or mainly Welsh devolved
    functions? None: infer from authority_type where the law makes it clear.
    central_government_authority: is the body a central government authority (listed in
    the regime's schedule)? None: infer from authority_type where clear (NHS bodies and
    other public bodies vary: asked for only when the answer would change).
    urgent: section 1(8) - the case is urgent and complying would be impractical.
    is_dynamic: a contract awarded under a dynamic purchasing system (PCR) or dynamic market
    (Procurement Act 2023), which is not a framework.
    psr: health care services arranged under the NHS Provider Selection Regime.
    mixed_with: for mixed contracts, what the services are mixed with (goods: the value test;
    works: the main purpose test, with main_purpose).
    contract_kind: an ordinary public contract, or a kind the Act leaves out.
    """

    authority_type: str
    nation: str
    contract_type: str
    value: Decimal
    start_date: date
    service_category: str = "standard"
    vat_basis: str = "inclusive"
    vat_rate: Decimal | None = None
    services_value: Decimal | None = None
    is_framework: bool = False
    is_call_off: bool = False
    devolved_functions: bool | None = None
    central_government_authority: bool | None = None
    urgent: bool = False
    is_dynamic: bool = False
    psr: bool = False
    mixed_with: str = "goods"
    main_purpose: str | None = None
    contract_kind: str = "public"


_CHOICES = {
    "authority_type": AUTHORITY_TYPES,
    "nation": NATIONS,
    "contract_type": CONTRACT_TYPES,
    "service_category": SERVICE_CATEGORIES,
    "vat_basis": VAT_BASES,
    "mixed_with": MIXED_WITH,
    "contract_kind": CONTRACT_KINDS,
}
_BOOLEANS = ("is_framework", "is_call_off", "urgent", "is_dynamic", "psr")
_OPTIONAL_BOOLEANS = ("devolved_functions", "central_government_authority")


# The amounts' ranges, as everywhere in the service (socialvalue.kernel.limits).
_LIMITS = {"value": limits.MONEY, "services_value": limits.MONEY, "vat_rate": limits.PERCENT}


def validate_inputs(inputs: ActInputs) -> None:
    """Raise ActInputError naming the field for unknown choices or impossible combinations."""
    for name, choices in _CHOICES.items():
        given = getattr(inputs, name)
        if given not in choices:
            raise ActInputError(name, f"{given!r} is not one of: {', '.join(choices)}.")
    for name in ("value", "vat_rate", "services_value"):
        amount = getattr(inputs, name)
        if amount is None and name != "value":
            continue
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise ActInputError(name, "must be a finite Decimal.")
        if amount < 0:
            raise ActInputError(name, "cannot be negative.")
        limit = _LIMITS[name]
        if amount > limit.maximum:
            raise ActInputError(name, f"must be {limit.shown(limit.maximum)} or less.")
    if not isinstance(inputs.start_date, date) or hasattr(inputs.start_date, "hour"):
        raise ActInputError("start_date", "must be a date (not a date and time).")
    for name in _BOOLEANS:
        if not isinstance(getattr(inputs, name), bool):
            raise ActInputError(name, "must be True or False.")
    for name in _OPTIONAL_BOOLEANS:
        if getattr(inputs, name) not in (True, False, None):
            raise ActInputError(name, "must be True, False or None (not known).")
    if inputs.main_purpose not in (None, *MAIN_PURPOSES):
        raise ActInputError(
            "main_purpose", f"{inputs.main_purpose!r} is not one of: {', '.join(MAIN_PURPOSES)}."
        )
    works_mix = inputs.contract_type == "mixed" and inputs.mixed_with == "works"
    if inputs.mixed_with == "works" and inputs.contract_type != "mixed":
        raise ActInputError("mixed_with", "is only used for mixed contracts.")
    if works_mix and inputs.main_purpose is None:
        raise ActInputError(
            "main_purpose",
            "is needed for services mixed with works: is the main purpose services or works?",
        )
    if inputs.main_purpose is not None and not works_mix:
        raise ActInputError("main_purpose", "is only used for services mixed with works.")
    if works_mix:
        if inputs.services_value is not None and inputs.services_value > inputs.value:
            raise ActInputError("services_value", "cannot be more than the whole value.")
    elif inputs.contract_type == "mixed":
        if inputs.services_value is None:
            raise ActInputError(
                "services_value",
                "is needed for a mixed contract: how much of the value is services?",
            )
        if inputs.services_value > inputs.value:
            raise ActInputError("services_value", "cannot be more than the whole value.")
    elif inputs.services_value is not None:
        raise ActInputError("services_value", "is only used for mixed contracts.")
    if inputs.is_dynamic and (inputs.is_framework or inputs.is_call_off):
        raise ActInputError(
            "is_dynamic",
            "a contract under a dynamic purchasing system or dynamic market is neither a "
            "framework nor a call-off under one.",
        )
    if inputs.psr and inputs.contract_type in ("goods", "works"):
        raise ActInputError(
            "psr", "the Provider Selection Regime is for health care services, not goods or works."
        )
    if inputs.is_framework and inputs.is_call_off:
        raise ActInputError(
            "is_call_off",
            "a procurement cannot both conclude a framework and be a call-off under one.",
        )
    if inputs.nation == "england" and inputs.devolved_functions:
        raise ActInputError(
            "devolved_functions", "only a body in Wales can exercise Welsh devolved functions."
        )
    if (
        inputs.authority_type == "central_government"
        and inputs.central_government_authority is False
    ):
        raise ActInputError(
            "central_government_authority",
            "a central government department is a central government authority.",
        )
    if (
        inputs.authority_type in ("local_authority", "fire", "police", "housing_association")
        and inputs.central_government_authority
    ):
        raise ActInputError(
            "central_government_authority",
            f"{_a(AUTHORITY_LABELS[inputs.authority_type])} is not a central government authority.",
        )


def inputs_from_dict(data: Mapping[str, Any]) -> ActInputs:
    """Build and validate ActInputs from strings or JSON values (forms, the API, the command line).

    Money and rates: strings, ints or Decimals (floats are refused). Dates: ISO 'YYYY-MM-DD'.
    Yes/no fields: booleans or 'true'/'false'/'yes'/'no'/'1'/'0'; '' or None for not known.
    """
    known = {f.name for f in fields(ActInputs)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ActInputError(unknown[0], "is not an input of the Social Value Act check.")
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name == "main_purpose" and raw in (None, ""):
            values[name] = None
        elif name in ("value", "vat_rate", "services_value"):
            if raw in (None, "") and name != "value":
                values[name] = None
                continue
            try:
                values[name] = to_decimal(raw)
            except MoneyError as error:
                raise ActInputError(name, str(error)) from error
        elif name == "start_date":
            values[name] = _read_date(raw)
        elif name in _BOOLEANS:
            flag = _read_flag(name, raw)
            if flag is None:
                raise ActInputError(name, "must be yes or no.")
            values[name] = flag
        elif name in _OPTIONAL_BOOLEANS:
            values[name] = _read_flag(name, raw)
        else:
            values[name] = raw
    for name in ("authority_type", "nation", "contract_type", "value", "start_date"):
        if name not in values:
            raise ActInputError(name, "is required.")
    inputs = ActInputs(**values)
    validate_inputs(inputs)
    return inputs


# --- The answer ----------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """The answer: does the Act apply, on what threshold, and why (reasons in decision order).

    applies: True, False, or None when it depends on inputs listed in ``missing``.
    encouraged: the Act does not require it here, but guidance encourages considering
    social value anyway (below threshold, call-offs, goods or works, Welsh bodies...).
    value_compared: the value on the threshold's VAT basis, full precision.
    """

    applies: bool | None
    regime_code: str | None
    regime_name: str | None
    threshold: Decimal | None
    threshold_includes_vat: bool | None
    value_compared: Decimal | None
    reasons: tuple[str, ...]
    encouraged: bool
    source: Source | None
    missing: tuple[str, ...]
    schedule_id: str | None
    rule_sources: tuple[Source, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: money as strings rounded to pence (ROUND_HALF_UP), dates absent."""
        return {
            "applies": self.applies,
            "regime": (
                {"code": self.regime_code, "name": self.regime_name} if self.regime_code else None
            ),
            "threshold": _money_text(self.threshold),
            "threshold_includes_vat": self.threshold_includes_vat,
            "value_compared": _money_text(self.value_compared),
            "reasons": list(self.reasons),
            "encouraged": self.encouraged,
            "source": self.source.to_dict() if self.source else None,
            "missing": list(self.missing),
            "schedule_id": self.schedule_id,
            "rule_sources": [rule.to_dict() for rule in self.rule_sources],
        }


def assess(inputs: ActInputs, rules: ActRules) -> Assessment:
    """Decide whether the Social Value Act's duty applies, with the reasons in order."""
    validate_inputs(inputs)
    return _Decision(inputs, rules).run()


class _Decision:
    """One assessment in progress: collects reasons as each rule is applied."""

    def __init__(self, inputs: ActInputs, rules: ActRules) -> None:
        self.inputs = inputs
        self.rules = rules
        self.reasons: list[str] = []
        self.missing: list[str] = []
        self.regime = rules.regime_on(inputs.start_date)
        self.schedule: ThresholdSchedule | None = None
        self.vat_rate = inputs.vat_rate if inputs.vat_rate is not None else rules.standard_vat_rate
        self.relied_on: list[Source] = []
        # Health care under the Provider Selection Regime is light touch for the Act's test.
        self.service_category = inputs.service_category
        # The threshold test may be met while the answer still turns on another fact.
        self.answer_pending = False

    def run(self) -> Assessment:
        inputs, rules, day = self.inputs, self.rules, self.inputs.start_date
        if day < rules.commencement:
            self.say(
                f"The procurement starts on {long_date(day)}, before the Act came into force on "
                f"{long_date(rules.commencement)}, so the Act's duty does not apply."
            )
            self.rely(rules.commencement_source)
            return self.answer(False, encouraged=False)

        devolved, devolved_said = self.devolved_status()
        series = "wales" if inputs.nation == "wales" and devolved else "england"
        self.schedule = rules.schedule_on(day, series) or rules.schedule_on(day, "england")
        if self.schedule is None:
            raise LookupError(f"No threshold schedule covers {day.isoformat()}.")
        self.say(
            f"The procurement starts on {long_date(day)}, so the rules in force on that date decide: "
            f"{self.regime.name if self.regime else 'no procurement regime'}, with the thresholds "
            f"in force from {long_date(self.schedule.effective_from)} ({self.schedule.source.title}), "
            f"which are {'inclusive' if self.schedule.includes_vat else 'net'} of VAT. "
            f"{rules.regime_start_note}"
        )
        if inputs.authority_type in ("housing_association", "other_public"):
            self.say(
                "The Act covers relevant authorities (contracting authorities under the "
                "procurement rules); this check assumes the "
                f"{AUTHORITY_LABELS[inputs.authority_type]} is one. "
                f"{rules.contracting_authority_note}"
            )

        if inputs.nation == "wales":
            if devolved:
                self.say(devolved_said)
                self.say_welsh_duty()
                self.rely(rules.welsh_exclusion_source)
                return self.answer(False)
            self.say(devolved_said)

        if inputs.contract_kind != "public":
            self.outside_by_kind()
            return self.answer(False)
        if inputs.psr:
            self.provider_selection()

        if inputs.is_call_off:
            self.say(
                "A call-off under a framework is outside the Act: section 1(1) covers contracts "
                "not based on a framework, and frameworks themselves. The duty falls on the "
                "procurement of the framework. Guidance still encourages considering social value "
                "in call-offs."
            )
            self.rely(rules.section_1_source)
            return self.answer(False)

        self.rely(rules.section_1_source)
        if inputs.is_dynamic:
            self.dynamic_contract()
        if not self.services_inside():
            return self.answer(False)
        self.answer_pending = inputs.nation == "wales" and devolved is None

        inside, threshold, includes_vat, value_compared = self.compare_with_threshold()
        if inside is False:
            return self.answer(
                False, threshold=threshold, includes_vat=includes_vat, value_compared=value_compared
            )
        applies: bool | None = inside
        if inputs.nation == "wales" and devolved is None:
            self.missing.append("devolved_functions")
            self.rely(rules.welsh_exclusion_source)
            lead = "The value reaches the threshold, so" if inside else "Also,"
            self.say(
                f"{lead} the answer turns on the Welsh exclusion: the Act applies only if the "
                "body's functions are not wholly or mainly Welsh devolved functions "
                "(section 1(11)-(12)). Tell us which."
            )
            applies = None
        if applies is not False and inputs.urgent:
            self.say(
                "You marked the case as urgent: under section 1(8) the authority may disregard the "
                "duty if it would be impractical to comply because of the urgency. Record why."
            )
            self.rely(rules.urgent_cases_source)
        if applies:
            self.say(
                "Before starting the procurement the authority must consider how what is proposed "
                "might improve the economic, social and environmental well-being of the relevant "
                "area and how the procurement might secure that (section 1(3)), only as far as "
                "relevant and proportionate (section 1(6)), and whether to consult (section 1(7))."
            )
        return self.answer(
            applies,
            encouraged=applies is not True,
            threshold=threshold,
            includes_vat=includes_vat,
            value_compared=value_compared,
        )

    # -- steps --

    def outside_by_kind(self) -> None:
        """Contracts the Act leaves out by their kind (utilities, concessions, defence, exempted)."""
        inputs, day = self.inputs, self.inputs.start_date
        scope = self.rules.excluded_kinds_on(day)
        if scope is None:
            raise LookupError(f"No exclusions by kind of contract cover {day.isoformat()}.")
        self.say(
            f"You said this is {scope.kinds[inputs.contract_kind]}. {scope.summary} So the Act's "
            "duty does not apply. Guidance still encourages considering social value."
        )
        self.rely(scope.source)
        if not scope.source.confirmed:
            self.say(
                f"This reading is not confirmed against the text ({scope.source.title}): "
                f"{scope.source.note}"
            )

    def provider_selection(self) -> None:
        """Health care arranged under the Provider Selection Regime: its own regime and reading."""
        psr, day = self.rules.provider_selection, self.inputs.start_date
        # Health care services are light touch (social and other specific) services throughout.
        self.service_category = "light_touch"
        if day < psr.effective_from:
            self.say(
                f"The Provider Selection Regime applies only to procurements started on or after "
                f"{long_date(psr.effective_from)}; this one starts earlier, so the rules then in "
                "force decide, with health care as light touch services."
            )
            self.rely(psr.source)
            return
        self.regime = Regime(
            code=psr.code,
            name=psr.name,
            effective_from=psr.effective_from,
            effective_to=None,
            source=psr.source,
        )
        position = next((n for n in psr.act_position if n.in_force_on(day)), None)
        if position is None:
            raise LookupError(f"No Provider Selection Regime reading covers {day.isoformat()}.")
        self.say(f"{psr.summary} {position.summary}")
        self.rely(psr.source)
        self.rely(position.source)
        if not position.source.confirmed:
            self.say(
                "Whether the Act applies to a contract under the Provider Selection Regime is not "
                f"confirmed: {position.source.note} The answer below follows this reading."
            )

    def dynamic_contract(self) -> None:
        # The procurement rules in force, even where the Provider Selection Regime is named.
        regime = self.rules.regime_on(self.inputs.start_date)
        provision = self.rules.dynamic_by_regime.get(regime.code if regime else "")
        if provision is None:
            self.say(self.rules.dynamic_summary)
            return
        self.say(
            f"This contract is awarded under a {provision.name} ({provision.provision}). "
            f"{self.rules.dynamic_summary}"
        )
        self.rely(provision.source)

    def devolved_status(self) -> tuple[bool | None, str]:
        """Whether the body exercises wholly or mainly Welsh devolved functions, and the reason."""
        inputs, rules = self.inputs, self.rules
        if inputs.nation != "wales":
            return False, ""
        label = AUTHORITY_LABELS[inputs.authority_type]
        if inputs.devolved_functions is not None:
            if inputs.devolved_functions:
                return True, (
                    "You said the body's functions are wholly or mainly Welsh devolved "
                    "functions, so section 1(11)-(12) exclude it: the Act's duty does not apply."
                )
            return False, (
                "You said the body's functions are not wholly or mainly Welsh devolved functions, "
                "so the Welsh exclusion in section 1(11)-(12) does not apply."
            )
        inferred = rules.devolved_by_authority_type.get(inputs.authority_type)
        if inferred is True:
            return True, (
                f"{_cap(_a(label))} in Wales exercises wholly or mainly Welsh devolved "
                "functions, so section 1(11)-(12) exclude it: the Act's duty does not apply."
            )
        if inferred is False:
            extra = (
                " (If the body is the Welsh Government or one of its sponsored bodies, say "
                "that its functions are devolved: the Act excludes them.)"
                if inputs.authority_type == "central_government"
                else ""
            )
            return False, (
                f"{_cap(_a(label))} in Wales does not exercise wholly or mainly Welsh "
                "devolved functions, so the Welsh exclusion in section 1(11)-(12) does not "
                f"apply.{extra}"
            )
        return None, (
            f"Whether {_a(label)} in Wales is excluded depends on whether its functions are "
            "wholly or mainly Welsh devolved functions (section 1(11)-(12)); the check "
            "continues on the other tests."
        )

    def say_welsh_duty(self) -> None:
        duty, day = self.rules.welsh_duty, self.inputs.start_date
        if day >= duty.effective_from:
            self.say(
                f"Instead, if the body is a contracting authority listed in Schedule 1 to the "
                f"{duty.title}, the section {duty.section} duty applies: {duty.summary}"
            )
        else:
            self.say(
                f"The {duty.title} section {duty.section} duty, which replaces this for Welsh "
                f"contracting authorities, comes into force on {long_date(duty.effective_from)}; "
                "guidance still encourages considering social value before then."
            )

    def services_inside(self) -> bool:
        """Apply section 1(1): services, mixed contracts and frameworks by greater part of value."""
        inputs = self.inputs
        what = "framework" if inputs.is_framework else "contract"
        if inputs.contract_type in ("goods", "works"):
            self.say(
                f"A {inputs.contract_type} {what} is outside the Act, which covers services (alone "
                "or together with goods or works). Guidance still encourages considering wider "
                "social value in other contracts."
            )
            return False
        if inputs.contract_type == "mixed" and inputs.mixed_with == "works":
            return self.main_purpose_test(what)
        if inputs.contract_type == "mixed":
            share = f"{format_gbp(inputs.services_value)} of {format_gbp(inputs.value)}"
            greater = inputs.services_value * 2 > inputs.value
            if inputs.is_framework:
                subject = (
                    "services contracts are likely to be the greater part by value of the "
                    "contracts under the framework"
                )
            else:
                subject = "services are the greater part by value of this mixed contract"
            if greater:
                self.say(f"Services come to {share}, so {subject}: it is within section 1(1).")
                return True
            self.say(
                f"Services come to {share}, which is not more than half, so it is not true that "
                f"{subject}: it is outside the Act."
            )
            return False
        if inputs.is_framework:
            self.say(
                "A framework for services is within section 1(1)(b) when it reaches the threshold."
            )
        else:
            self.say(
                "A services contract not based on a framework is within section 1(1)(a) when it "
                "reaches the threshold."
            )
        return True

    def main_purpose_test(self, what: str) -> bool:
        """Services mixed with works: the main purpose decides, not the split of value."""
        inputs, rules = self.inputs, self.rules
        regime = rules.regime_on(inputs.start_date)
        provision = rules.mixed_works_by_regime.get(regime.code if regime else "")
        where = f" ({provision.provision})" if provision else ""
        if provision:
            self.rely(provision.source)
        self.say(f"{rules.mixed_works_summary}{where}")
        if provision and not provision.source.confirmed:
            self.say(f"Not confirmed against the text: {provision.source.note}")
        if inputs.main_purpose == "works":
            self.say(
                f"You said the main purpose is works, so this is a works {what}: it is outside "
                "the Act, which covers services contracts. Guidance still encourages considering "
                "wider social value."
            )
            return False
        self.say(
            f"You said the main purpose is services, so this is a services {what} (together "
            "with works): it is within section 1(1) when its whole value reaches the services "
            "threshold."
        )
        return True

    def central_status(self) -> tuple[bool | None, str]:
        inputs, rules = self.inputs, self.rules
        label = AUTHORITY_LABELS[inputs.authority_type]
        if inputs.central_government_authority is not None:
            said = "is" if inputs.central_government_authority else "is not"
            return inputs.central_government_authority, (
                f"You said the body {said} a central government authority"
            )
        inferred = rules.central_government_by_authority_type.get(inputs.authority_type)
        if inferred is True:
            return True, f"{_cap(_a(label))} is a central government authority"
        if inferred is False:
            return False, f"{_cap(_a(label))} is a sub-central authority"
        return None, (
            f"Whether {_a(label)} is a central government authority depends on the body "
            f"(for example, which kind of NHS body) and the date"
        )

    def compare_with_threshold(
        self,
    ) -> tuple[bool | None, Decimal | None, bool, Decimal]:
        """Pick the threshold, convert the value to its VAT basis, and compare."""
        inputs, schedule = self.inputs, self.schedule
        assert schedule is not None  # set in run() before any comparison
        values = schedule.values
        compare_net = False
        central, central_said = self.central_status()

        if self.service_category == "light_touch":
            rule = self.rules.light_touch_rule_on(inputs.start_date)
            if rule is None:
                raise LookupError(f"No light touch rule covers {inputs.start_date.isoformat()}.")
            self.say(f"Light touch (social and other specific) services: {rule.summary}")
            self.rely(rule.source)
            if not rule.source.confirmed:
                self.say(
                    f"This light touch rule is not fully confirmed ({rule.source.title}): "
                    f"{rule.source.note}"
                )
            if rule.basis == "light_touch_threshold":
                candidates: dict[bool | None, Decimal] = {None: values.light_touch}
                self.say(f"The threshold for these services is {format_gbp(values.light_touch)}.")
            elif rule.basis == "fixed_threshold":
                if rule.threshold is None:
                    raise LookupError(f"Light touch rule {rule.id} has no threshold figure.")
                candidates = {None: rule.threshold}
                self.say(
                    f"The threshold for these services is {format_gbp(rule.threshold)}, "
                    "for every kind of authority."
                )
            else:
                candidates = {
                    True: values.central_supplies_services,
                    False: values.sub_central_supplies_services,
                }
            if rule.value_basis == "net":
                compare_net = True
                if schedule.includes_vat:
                    self.say(
                        "The Act's own test for these services takes the value net of VAT, even "
                        "though the procurement rules treat the threshold figures as including "
                        "VAT; the comparison below uses the value net of VAT."
                    )
        else:
            candidates = {
                True: values.central_supplies_services,
                False: values.sub_central_supplies_services,
            }

        threshold_gross = schedule.includes_vat and not compare_net
        value_compared = self.value_on_basis(threshold_gross)
        shown = format_gbp(value_compared)

        if None in candidates:
            threshold = candidates[None]
            return self.judge(value_compared, threshold), threshold, threshold_gross, value_compared
        central_figure, sub_central_figure = candidates[True], candidates[False]
        if central is not None:
            threshold = central_figure if central else sub_central_figure
            kind = "central government" if central else "sub-central"
            self.say(
                f"{central_said}, so the {kind} services threshold applies: "
                f"{format_gbp(threshold)}."
            )
            return self.judge(value_compared, threshold), threshold, threshold_gross, value_compared

        self.rely(self.rules.central_government_source)
        self.say(
            f"{central_said}: {self.rules.central_government_note} The central government "
            f"threshold is {format_gbp(central_figure)} and the sub-central threshold "
            f"{format_gbp(sub_central_figure)}."
        )
        low, high = sorted((central_figure, sub_central_figure))
        if value_compared >= high:
            self.say(
                f"{shown} reaches the higher of the two thresholds ({format_gbp(high)}), so the "
                "answer is the same either way."
            )
            return True, high, threshold_gross, value_compared
        if value_compared < low:
            self.say(
                f"{shown} is below even the lower threshold ({format_gbp(low)}), so the Act does "
                "not apply either way. Guidance encourages considering social value below "
                "threshold as good practice."
            )
            return False, low, threshold_gross, value_compared
        self.missing.append("central_government_authority")
        self.say(
            f"{shown} lies between the two thresholds, so the answer depends on whether the "
            "body is a central government authority. Tell us which."
        )
        return None, None, threshold_gross, value_compared

    def value_on_basis(self, threshold_includes_vat: bool) -> Decimal:
        """The user's value converted to the threshold's VAT basis, at full precision."""
        inputs = self.inputs
        given = format_gbp(inputs.value)
        rate = numbers.plain(self.vat_rate)
        rate_note = "" if inputs.vat_rate is not None else " (the standard rate)"
        whole = (
            "The value compared is the total estimated value over the whole term, including "
            "extensions and options. "
        )
        if inputs.vat_basis == "inclusive" and threshold_includes_vat:
            self.say(whole + f"You gave {given} including VAT, the same basis as the threshold.")
            return inputs.value
        if inputs.vat_basis == "exclusive" and not threshold_includes_vat:
            self.say(whole + f"You gave {given} net of VAT, the same basis as the threshold.")
            return inputs.value
        factor = 1 + self.vat_rate / HUNDRED
        if self.service_category == "light_touch" and inputs.vat_rate is None:
            # Most care and health services are VAT-exempt: never assume 20% for them silently.
            self.say(
                "You did not give a VAT rate, so the standard rate is assumed. "
                f"{self.rules.vat_exempt_summary}"
            )
            self.rely(self.rules.vat_exempt_source)
        if threshold_includes_vat:
            converted = inputs.value * factor
            self.say(
                whole + f"You gave {given} net of VAT; the threshold includes VAT, so VAT at "
                f"{rate}%{rate_note} was added: {given} x {numbers.plain(factor)} = "
                f"{format_gbp(converted)}."
            )
            return converted
        converted = inputs.value / factor
        self.say(
            whole + f"You gave {given} including VAT; the comparison is net of VAT, so VAT at "
            f"{rate}%{rate_note} was taken off: {given} / {numbers.plain(factor)} = "
            f"{format_gbp(converted)}."
        )
        return converted

    def judge(self, value_compared: Decimal, threshold: Decimal) -> bool:
        shown, limit = format_gbp(value_compared), format_gbp(threshold)
        if value_compared >= threshold:
            outcome = "the threshold test is met" if self.answer_pending else "the Act applies"
            self.say(f"{shown} is at or above the threshold of {limit}, so {outcome}.")
            return True
        self.say(
            f"{shown} is below the threshold of {limit}, so the Act does not apply. Guidance "
            "encourages considering social value below threshold as good practice."
        )
        return False

    # -- plumbing --

    def say(self, reason: str) -> None:
        if reason:
            self.reasons.append(reason)

    def rely(self, source: Source) -> None:
        if source not in self.relied_on:
            self.relied_on.append(source)

    def answer(
        self,
        applies: bool | None,
        *,
        encouraged: bool = True,
        threshold: Decimal | None = None,
        includes_vat: bool | None = None,
        value_compared: Decimal | None = None,
    ) -> Assessment:
        if self.schedule is not None:
            source = self.schedule.source
        else:
            source = self.rules.commencement_source
        return Assessment(
            applies=applies,
            regime_code=self.regime.code if self.regime else None,
            regime_name=self.regime.name if self.regime else None,
            threshold=threshold,
            threshold_includes_vat=includes_vat
            if threshold is not None or value_compared is not None
            else None,
            value_compared=value_compared,
            reasons=tuple(self.reasons),
            encouraged=encouraged,
            source=source,
            missing=tuple(self.missing),
            schedule_id=self.schedule.id if self.schedule else None,
            rule_sources=tuple(self.relied_on),
        )


# --- helpers -------------------------------------------------------------------------


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


def _money_text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(pounds(amount))


def _a(label: str) -> str:
    """'a local authority', 'an NHS body', 'any other public body'."""
    if label.startswith("other "):
        return f"any {label}"
    return f"an {label}" if label[0] in "aeiou" or label.startswith("NHS") else f"a {label}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _read_date(raw: Any) -> date:
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError as error:
        raise ActInputError("start_date", f"{raw!r} is not a date (YYYY-MM-DD).") from error


def _read_flag(name: str, raw: Any) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("", "none", "null", "unknown"):
        return None
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise ActInputError(name, f"{raw!r} is not yes or no.")
