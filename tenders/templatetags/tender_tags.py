"""Template filters for tender pages: money (through socialvalue.money), weights and status tags."""

from decimal import Decimal

from django import template

from socialvalue.money import format_gbp

register = template.Library()

_STATUS_TAGS = {
    "draft": "govuk-tag--grey",
    "published": "govuk-tag--green",
    "closed": "govuk-tag--orange",
    "under_evaluation": "govuk-tag--blue",
    "awarded": "govuk-tag--purple",
    "in_delivery": "govuk-tag--turquoise",
    "ended": "govuk-tag--grey",
    "submitted": "govuk-tag--green",
    "withdrawn": "govuk-tag--orange",
}


@register.filter
def gbp(value) -> str:
    """'£1,234.50' via socialvalue.money.format_gbp; empty for None."""
    if value is None or value == "":
        return ""
    return format_gbp(value)


@register.filter
def gbp_whole(value) -> str:
    """'£1,235' (rounded half up to whole pounds) for large contract values."""
    if value is None or value == "":
        return ""
    return format_gbp(value, pence=False)


@register.filter
def percent(value) -> str:
    """A weight or share as people read it: 12.500 -> '12.5%', 40 -> '40%'; shown to 2 places
    at most (ROUND_HALF_UP), full precision kept elsewhere."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    text = f"{amount.normalize():f}"
    return f"{text}%"


@register.filter
def number(value) -> str:
    """A mark or quantity without trailing zeros: 5.00 -> '5', 12.50 -> '12.5'."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{amount.to_integral_value():,}"
    return f"{amount.normalize():,f}"


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for a tender or bid status."""
    return _STATUS_TAGS.get(str(status), "govuk-tag--grey")
