"""The real Living Wage's uplift over the statutory minimum in force. Pure: no Django.

The ECO-07 and ECO-08 proxies value paying the real Living Wage as the extra pay a
full-time worker gets over the statutory minimum. Both rates change on their own dates
(the minimum each 1 April, the real Living Wage each autumn), so the uplift is worked out
from the two rates in force on a date, never kept as one figure. Rates and their sources
are in ``measurement/data/wage_rates.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from socialvalue.kernel import sourced
from socialvalue.kernel.sourced import Source

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "wage_rates.json"


@dataclass(frozen=True)
class Rate:
    valid_from: date
    rate: Decimal
    confirmed: bool
    source: Source


@dataclass(frozen=True)
class LivingWageRate:
    valid_from: date
    uk: Decimal
    london: Decimal
    confirmed: bool
    source: Source


@dataclass(frozen=True)
class WageRates:
    full_time_hours: Decimal
    hours_confirmed: bool
    statutory_minimum: tuple[Rate, ...]
    real_living_wage: tuple[LivingWageRate, ...]


@dataclass(frozen=True)
class Uplift:
    """The extra pay for one full-time worker for a year: (real Living Wage - statutory
    minimum) x full-time hours, with the rates used; confirmed only if all three are."""

    on_date: date
    london: bool
    living_wage: Decimal
    statutory_minimum: Decimal
    hours: Decimal
    per_year: Decimal
    confirmed: bool
    sources: tuple[Source, ...]


def load_rates(path: str | Path | None = None) -> WageRates:
    """Read the wage rates file (default: the shipped one)."""
    data = sourced.load(path, default=DEFAULT_PATH)
    hours = data["full_time_hours_per_year"]
    return WageRates(
        full_time_hours=Decimal(hours["value"]),
        hours_confirmed=bool(hours["confirmed"]),
        statutory_minimum=tuple(
            Rate(
                valid_from=date.fromisoformat(item["valid_from"]),
                rate=Decimal(item["rate"]),
                confirmed=bool(item["confirmed"]),
                source=Source.from_data(item["source"]),
            )
            for item in data["statutory_minimum"]
        ),
        real_living_wage=tuple(
            LivingWageRate(
                valid_from=date.fromisoformat(item["valid_from"]),
                uk=Decimal(item["uk"]),
                london=Decimal(item["london"]),
                confirmed=bool(item["confirmed"]),
                source=Source.from_data(item["source"]),
            )
            for item in data["real_living_wage"]
        ),
    )


def living_wage_uplift(on_date: date, *, london: bool = False, rates: WageRates) -> Uplift:
    """The real Living Wage's annual uplift over the statutory minimum in force on
    ``on_date`` (full precision, never below zero). ValueError when either rate is not
    yet in force on that date."""
    minimum = sourced.in_force(rates.statutory_minimum, on_date, starts="valid_from")
    living = sourced.in_force(rates.real_living_wage, on_date, starts="valid_from")
    if minimum is None or living is None:
        raise ValueError(f"No statutory minimum or real Living Wage is in force on {on_date}.")
    living_rate = living.london if london else living.uk
    per_hour = max(living_rate - minimum.rate, Decimal(0))
    return Uplift(
        on_date=on_date,
        london=london,
        living_wage=living_rate,
        statutory_minimum=minimum.rate,
        hours=rates.full_time_hours,
        per_year=per_hour * rates.full_time_hours,
        confirmed=minimum.confirmed and living.confirmed and rates.hours_confirmed,
        sources=(living.source, minimum.source),
    )
