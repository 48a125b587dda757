"""The service's one set of filters for money, quantities and percentages in templates.

A builtin library (settings.TEMPLATES), so no template loads it. The filters only handle
blanks: the text itself comes from socialvalue.kernel.money and socialvalue.kernel.numbers.
"""

from django import template

from socialvalue.kernel import numbers
from socialvalue.kernel.money import format_gbp, format_gbp_exact

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
    return "No value" if _blank(value) else format_gbp_exact(value)


@register.filter
def quantity(value) -> str:
    """A quantity or mark without trailing zeros: 12.50 -> '12.5', 40.00 -> '40', 1200 -> '1,200'."""
    return "" if _blank(value) else numbers.grouped(value)


@register.filter
def percent(value) -> str:
    """A weight or share: 12.500 -> '12.5%', 40 -> '40%'; at most 2 places, ROUND_HALF_UP."""
    return "" if _blank(value) else numbers.percent(value)


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
