"""Does the Public Services (Social Value) Act 2012 apply to a procurement?

Pure rules over plain data: ``load_schedules()`` (rules.py) reads the dated thresholds, regimes
and Act rules (with their sources) from ``socialvalue/act/data/thresholds.json``;
``inputs_from_dict`` (inputs.py) reads and checks what the check is asked; ``assess(inputs,
rules)`` (assess.py) decides and explains. Nothing here touches Django, the database or settings.

Money is Decimal throughout. ``Assessment.value_compared`` keeps full precision (a value
converted from gross to net can have many places); amounts are rounded to pence with
ROUND_HALF_UP only in ``Assessment.to_dict()`` and in the sentences of ``reasons``.
"""

from socialvalue.act.engine.assess import (
    Assessment,
    assess,
)
from socialvalue.act.engine.inputs import (
    ActInputs,
    inputs_from_dict,
    validate_inputs,
)
from socialvalue.act.engine.rules import (
    AUTHORITY_LABELS,
    AUTHORITY_TYPES,
    CHOICE_LABELS,
    CONTRACT_KINDS,
    CONTRACT_TYPES,
    DEFAULT_RULES_PATH,
    MAIN_PURPOSES,
    MIXED_WITH,
    NATIONS,
    SERVICE_CATEGORIES,
    VAT_BASES,
    ActInputError,
    ActRules,
    DatedNote,
    ExcludedKinds,
    LightTouchRule,
    ProviderSelectionRegime,
    Regime,
    RegimeProvision,
    ThresholdSchedule,
    ThresholdValues,
    WelshDuty,
    load_schedules,
)

__all__ = [
    "AUTHORITY_LABELS",
    "AUTHORITY_TYPES",
    "ActInputError",
    "ActInputs",
    "ActRules",
    "Assessment",
    "CHOICE_LABELS",
    "CONTRACT_KINDS",
    "CONTRACT_TYPES",
    "DEFAULT_RULES_PATH",
    "DatedNote",
    "ExcludedKinds",
    "LightTouchRule",
    "MAIN_PURPOSES",
    "MIXED_WITH",
    "NATIONS",
    "ProviderSelectionRegime",
    "Regime",
    "RegimeProvision",
    "SERVICE_CATEGORIES",
    "ThresholdSchedule",
    "ThresholdValues",
    "VAT_BASES",
    "WelshDuty",
    "assess",
    "inputs_from_dict",
    "load_schedules",
    "validate_inputs",
]
