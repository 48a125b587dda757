"""Proportionate social value asks: how much to ask of a supplier, by contract value.

Pure: no Django. The bands live in ``measurement/data/proportionality.json`` as dated
data. They are this service's defaults, to be adapted locally, not a legal figure; their
basis is the Compact's principle that monitoring and reporting should be relevant and
proportionate to the size of the opportunity (principle 3.6, wording not yet confirmed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from socialvalue.kernel import sourced
from socialvalue.kernel.money import MoneyError, format_gbp, to_decimal
from socialvalue.kernel.sourced import Source

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "proportionality.json"


@dataclass(frozen=True)
class Band:
    """One contract value band: from ``from_value`` (inclusive) to ``below_value``
    (exclusive; None means no upper limit)."""

    key: str
    label: str
    from_value: Decimal
    below_value: Decimal | None
    max_measures: int
    reporting: str
    reporting_label: str
    evidence: str
    evidence_description: str

    def contains(self, value: Decimal) -> bool:
        """Whether a contract of this whole-life value falls in the band."""
        return self.from_value <= value and (self.below_value is None or value < self.below_value)


@dataclass(frozen=True)
class ProportionalityRules:
    """A dated rule set with the basis it rests on."""

    valid_from: date
    bands: tuple[Band, ...]
    basis_summary: str
    basis_principle: str
    basis_source: Source
    is_default: bool
    local_adaptation: str

    @property
    def basis_title(self) -> str:
        return self.basis_source.title

    @property
    def basis_url(self) -> str:
        return self.basis_source.url

    @property
    def basis_confirmed(self) -> bool:
        return bool(self.basis_source.confirmed)


@dataclass(frozen=True)
class Suggestion:
    """What to ask of a supplier for a contract of ``contract_value``."""

    contract_value: Decimal
    band: Band
    max_measures: int
    reporting: str
    evidence: str
    explanation: str
    basis: str
    is_default: bool
    rules_valid_from: date


def suggest(
    contract_value: object, on_date: date, rules: Sequence[ProportionalityRules]
) -> Suggestion:
    """Suggest the most measures to ask for, how often to report and how heavy the
    evidence should be, for a contract of this whole-life value, using the rule set in
    force on ``on_date``. The explanation is plain English for the page."""
    try:
        value = to_decimal(contract_value)
    except MoneyError as error:
        raise ValueError(f"contract_value: {error}") from error
    if value < 0:
        raise ValueError(f"contract_value must not be negative, not {value}.")
    rule_set = sourced.in_force(rules, on_date, starts="valid_from")
    if rule_set is None:
        raise ValueError(f"No proportionality rules are in force on {on_date}.")
    band = next((b for b in rule_set.bands if b.contains(value)), None)
    if band is None:
        raise ValueError(f"No band covers a contract value of {value}.")

    measures = "one measure" if band.max_measures == 1 else f"{band.max_measures} measures"
    explanation = (
        f"This contract's whole-life value of {format_gbp(value)} falls in the band "
        f"'{band.label}'. Ask for at most {measures}, reported {band.reporting_label}. "
        f"Evidence: {band.evidence_description} "
        f"Why: {rule_set.basis_summary} "
        + (
            "These bands are this service's defaults, to be adapted locally, not a legal "
            "figure. " + rule_set.local_adaptation
            if rule_set.is_default
            else "These bands are the authority's own."
        )
    )
    return Suggestion(
        contract_value=value,
        band=band,
        max_measures=band.max_measures,
        reporting=band.reporting,
        evidence=band.evidence,
        explanation=explanation,
        basis=f"{rule_set.basis_principle}: {rule_set.basis_title}",
        is_default=rule_set.is_default,
        rules_valid_from=rule_set.valid_from,
    )


def load_rules(path: str | Path | None = None) -> tuple[ProportionalityRules, ...]:
    """Read the dated rule sets (default: the shipped ``proportionality.json``) and check
    that each one's bands start at 0 and follow on without gaps or overlaps."""
    data = sourced.load(path, default=DEFAULT_PATH)
    rule_sets = []
    for item in data["schedules"]:
        bands = tuple(
            Band(
                key=b["key"],
                label=b["label"],
                from_value=Decimal(b["from_value"]),
                below_value=None if b["below_value"] is None else Decimal(b["below_value"]),
                max_measures=int(b["max_measures"]),
                reporting=b["reporting"],
                reporting_label=b["reporting_label"],
                evidence=b["evidence"],
                evidence_description=b["evidence_description"],
            )
            for b in item["bands"]
        )
        _check_bands(item["valid_from"], bands)
        basis = item["basis"]
        rule_sets.append(
            ProportionalityRules(
                valid_from=date.fromisoformat(item["valid_from"]),
                bands=bands,
                basis_summary=basis["summary"],
                basis_principle=basis["principle"],
                basis_source=Source.from_data(basis),
                is_default=bool(item["is_default"]),
                local_adaptation=item["local_adaptation"],
            )
        )
    return tuple(rule_sets)


def _check_bands(valid_from: str, bands: Sequence[Band]) -> None:
    where = f"Proportionality rules from {valid_from}"
    if not bands or bands[0].from_value != 0:
        raise ValueError(f"{where}: the first band must start at 0.")
    for lower, upper in zip(bands, bands[1:], strict=False):
        if lower.below_value != upper.from_value:
            raise ValueError(
                f"{where}: band {lower.key!r} ends at {lower.below_value} but "
                f"band {upper.key!r} starts at {upper.from_value}."
            )
    if bands[-1].below_value is not None:
        raise ValueError(f"{where}: the last band must have no upper limit.")
