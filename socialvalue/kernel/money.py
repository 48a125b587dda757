"""Money and percentages as Decimal: the one place that rounds and formats them.

Amounts keep full precision through calculation; they are rounded to whole pence
with ROUND_HALF_UP only when stored as a price or shown to a person.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money."""


def to_decimal(value: object) -> Decimal:
    """Read a number (int, str, Decimal) as a Decimal; floats are refused to avoid binary error."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (bool, float)):
        raise MoneyError(f"{value!r} must be given as a string or Decimal, not a float.")
    else:
        text = str(value).strip().replace(",", "").removeprefix("£")
        try:
            result = Decimal(text)
        except InvalidOperation as error:
            raise MoneyError(f"{value!r} is not a number.") from error
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite number.")
    return result


def pounds(value: object) -> Decimal:
    """Round an amount to whole pence, halves away from zero (ROUND_HALF_UP)."""
    return to_decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_gbp(value: object, *, pence: bool = True) -> str:
    """Format an amount for people: '£1,234.50' (or '£1,235' with pence=False)."""
    amount = pounds(value)
    if not pence:
        amount = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"


def percent_of(amount: object, percent: object) -> Decimal:
    """amount × percent / 100 at full precision (no rounding)."""
    return to_decimal(amount) * to_decimal(percent) / HUNDRED


def format_gbp_exact(value: object) -> str:
    """A price per unit for people: '£1,234.50' in whole pence, else every digit ('£0.2455'),
    since a proxy value a source gives to the tenth of a penny must not be rounded away."""
    amount = to_decimal(value)
    if amount == amount.quantize(PENNY):
        return format_gbp(amount)
    return f"£{amount.normalize():,f}"
