"""What the Act check is asked: the facts of a procurement, checked and read from plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from socialvalue.act.engine.rules import (
    AUTHORITY_LABELS,
    AUTHORITY_TYPES,
    CONTRACT_KINDS,
    CONTRACT_TYPES,
    MAIN_PURPOSES,
    MIXED_WITH,
    NATIONS,
    SERVICE_CATEGORIES,
    VAT_BASES,
    ActInputError,
    _a,
)
from socialvalue.kernel import limits
from socialvalue.kernel.money import MoneyError, to_decimal

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
