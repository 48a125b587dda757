"""The service's one set of filters for money, quantities and percentages in templates.

Money goes through socialvalue.kernel.money (pence, ROUND_HALF_UP). Feature template libraries re-register
these functions rather than writing their own.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from socialvalue.kernel.money import format_gbp

register = template.Library()


def _blank(value) -> bool:
    return value is None or value == ""


@register.filter
def gbp(value) -> str:
    """'£1,234.50'; empty for None."""
    return "" if _blank(value) else format_gbp(value)


@register.filter
def gbp_whole(value) -> str:
    """'£1,235' (half up to whole pounds), for large contract values."""
    return "" if _blank(value) else format_gbp(value, pence=False)


@register.filter
def proxy_value(value) -> str:
    """A proxy value per unit: '£1,234.50', sub-penny digits kept ('£0.2455'); None is 'No value'."""
    if _blank(value):
        return "No value"
    amount = Decimal(value)
    if amount == amount.quantize(Decimal("0.01")):
        return format_gbp(amount)
    return f"£{amount.normalize():,f}"


@register.filter
def quantity(value) -> str:
    """A quantity or mark without trailing zeros: 12.50 -> '12.5', 40.00 -> '40', 1200 -> '1,200'."""
    if _blank(value):
        return ""
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{amount.to_integral_value():,}"
    return f"{amount.normalize():,f}"


@register.filter
def percent(value) -> str:
    """A weight or share: 12.500 -> '12.5%', 40 -> '40%'; at most 2 places, ROUND_HALF_UP."""
    if _blank(value):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount.normalize():f}%"


@register.filter
def measured(value, unit: str) -> str:
    """A quantity with its measure's unit: '60 person-month'; a unit in pounds ('£ spent') puts
    the pound sign before the number: '£37,500 spent'."""
    if _blank(value):
        return ""
    unit = str(unit or "")
    if unit.startswith("£"):
        return f"£{quantity(value)} {unit.removeprefix('£').strip()}".strip()
    return f"{quantity(value)} {unit}".strip()
