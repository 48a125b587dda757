"""Builders shared by the Act engine's tests: one case, changed by keyword."""

from datetime import date
from decimal import Decimal as D

from socialvalue.act.engine import ActInputs, assess, load_schedules

RULES = load_schedules()


def make(**overrides):
    """A sub-central services contract in England, 2026, value including VAT."""
    fields = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "services",
        "value": D("1000000"),
        "start_date": date(2026, 6, 1),
    }
    fields.update(overrides)
    return ActInputs(**fields)


def run(**overrides):
    return assess(make(**overrides), RULES)
