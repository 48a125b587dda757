"""Template filters for the catalogue: proxy values and quantities as people read them."""

from decimal import Decimal

from django import template

from socialvalue.money import format_gbp

register = template.Library()


@register.filter
def proxy_value(value) -> str:
    """'£1,234.50' (socialvalue.money.format_gbp); a value with sub-penny digits keeps them
    ('£0.2455'); None is 'No value'."""
    if value is None or value == "":
        return "No value"
    amount = Decimal(value)
    if amount == amount.quantize(Decimal("0.01")):
        return format_gbp(amount)
    return f"£{amount.normalize():,f}"


@register.filter
def quantity(value) -> str:
    """A target quantity without trailing zeros: 12.50 -> '12.5', 40.00 -> '40', 1200 -> '1,200'."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{amount.to_integral_value():,}"
    return f"{amount.normalize():,f}"
