"""Template filters for tender pages: status tags, and the shared money and number filters."""

from django import template

from socialvalue.templatetags import numbers

register = template.Library()
for _name in ("gbp", "gbp_whole", "percent", "measured"):
    register.filter(_name, getattr(numbers, _name))
register.filter("number", numbers.quantity)

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
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for a tender or bid status."""
    return _STATUS_TAGS.get(str(status), "govuk-tag--grey")
