"""Decimals as text: the one place that turns a number into the digits people and files read.

Money in pounds is written by ``socialvalue.kernel.money.format_gbp``; everything else (a
quantity, a weight, a rate, a number kept in JSON or a CSV) is written here. None of these
functions ever gives exponent notation ('5E+1'), which Decimal's own ``str`` can.
"""

from decimal import ROUND_HALF_UP, Decimal

from socialvalue.kernel.money import PENNY


def exact(value: Decimal) -> str:
    """Every digit the value holds, trailing zeros kept: 12.50 -> '12.50'. For the JSON and
    stored records that must read back the same number."""
    return f"{value:f}"


def plain(value: object) -> str:
    """As a person types it, no trailing zeros: 50.000 -> '50', 12.50 -> '12.5', 1E+3 -> '1000'."""
    return f"{Decimal(value).normalize():f}"


def grouped(value: object) -> str:
    """As ``plain``, with thousands separated: 1200 -> '1,200', 1234.50 -> '1,234.5'."""
    return f"{Decimal(value).normalize():,f}"


def percent(value: object) -> str:
    """A weight or share: at most two places (ROUND_HALF_UP), no trailing zeros: 12.500 -> '12.5%'."""
    return f"{plain(Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP))}%"


def pence_or_digits(value: object) -> str:
    """Pounds per unit as a file keeps them: '1234.50' when whole pence, else every digit
    ('0.2455'), so no figure a source gave is rounded away."""
    amount = Decimal(value)
    whole_pence = amount.quantize(PENNY)
    return exact(whole_pence) if whole_pence == amount else plain(amount)
