"""Template filters for tender pages: the colour of a status tag. A builtin library."""

from django import template

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
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for a tender or bid status."""
    return _STATUS_TAGS.get(str(status), "govuk-tag--grey")
