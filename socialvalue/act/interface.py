"""The Social Value Act check as other programs see it: input names, reading and writing inputs.

The command line (`assess_act --authority-type ...`) and the JSON API (`{"authority_type": ...}`)
share one set of names, taken from the command's options; this module translates them to and
from the engine's ActInputs fields, so an error from the engine names the option or JSON field
the caller actually used. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from socialvalue.act.engine import ActInputError, ActInputs, inputs_from_dict
from socialvalue.kernel import numbers

# Engine field -> external name (JSON key; the command-line option is "--" + name with dashes).
EXTERNAL_NAMES: dict[str, str] = {
    "authority_type": "authority_type",
    "nation": "nation",
    "contract_type": "contract_type",
    "service_category": "service_category",
    "value": "value",
    "vat_basis": "vat",
    "vat_rate": "vat_rate",
    "services_value": "services_value",
    "is_framework": "framework",
    "is_call_off": "call_off",
    "start_date": "date",
    "devolved_functions": "devolved_functions",
    "central_government_authority": "central_government_authority",
    "urgent": "urgent",
    "is_dynamic": "dps",
    "psr": "psr",
    "mixed_with": "mixed_with",
    "main_purpose": "main_purpose",
    "contract_kind": "contract_kind",
}
ENGINE_NAMES = {external: engine for engine, external in EXTERNAL_NAMES.items()}


def option_for(engine_field: str) -> str:
    """The command-line option for an engine field: 'is_call_off' -> '--call-off'."""
    return "--" + EXTERNAL_NAMES.get(engine_field, engine_field).replace("_", "-")


def external_name(engine_field: str) -> str:
    """The JSON key for an engine field: 'start_date' -> 'date'."""
    return EXTERNAL_NAMES.get(engine_field, engine_field)


def inputs_from_external(data: Mapping[str, Any], *, today: date) -> ActInputs:
    """Build and validate ActInputs from external names; ``date`` defaults to ``today``.

    Raises ActInputError whose ``field`` is the external name (e.g. 'date', 'call_off').
    Keys whose value is None are treated as not given.
    """
    unknown = sorted(set(data) - set(ENGINE_NAMES))
    if unknown:
        raise ActInputError(unknown[0], "is not an input of the Social Value Act check.")
    engine_data = {ENGINE_NAMES[key]: raw for key, raw in data.items() if raw is not None}
    engine_data.setdefault("start_date", today)
    light_touch = engine_data.get("service_category") == "light_touch" or engine_data.get("psr")
    if (
        light_touch
        and engine_data.get("vat_basis") == "exclusive"
        and "vat_rate" not in engine_data
    ):
        # Most care and health services are VAT-exempt: a net value needs its real rate.
        raise ActInputError(
            "vat_rate",
            "is needed when a light touch value is given net of VAT: many care and health "
            "services are exempt from VAT (give 0), others are charged at the standard rate (20).",
        )
    try:
        return inputs_from_dict(engine_data)
    except ActInputError as error:
        raise ActInputError(external_name(error.field), error.message) from error


def inputs_as_data(inputs: ActInputs) -> dict[str, Any]:
    """ActInputs as JSON-ready engine fields (money and rates as strings, the date as ISO).

    The result reads back to equal inputs with ``socialvalue.act.engine.inputs_from_dict``; it is what a
    recorded check stores, so the record shows exactly what was answered.
    """
    data: dict[str, Any] = {}
    for field in fields(ActInputs):
        value = getattr(inputs, field.name)
        if isinstance(value, Decimal):
            value = numbers.exact(value)
        elif isinstance(value, date):
            value = value.isoformat()
        data[field.name] = value
    return data
