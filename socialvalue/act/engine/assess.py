"""The answer: whether the Act applies to a procurement, with its reasons in order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from socialvalue.act.engine.inputs import (
    ActInputs,
    validate_inputs,
)
from socialvalue.act.engine.rules import (
    AUTHORITY_LABELS,
    ActRules,
    Regime,
    ThresholdSchedule,
    _a,
)
from socialvalue.kernel import numbers
from socialvalue.kernel.dates import long_date
from socialvalue.kernel.money import HUNDRED, format_gbp, pounds
from socialvalue.kernel.sourced import Source

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


def _money_text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(pounds(amount))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
