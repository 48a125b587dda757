"""Template filters for tender pages: the colour of a status tag, a score as people read it and
a look-up by key. A builtin library."""

from decimal import Decimal

from django import template

from tenders import scoring

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
    "successful": "govuk-tag--green",
    "unsuccessful": "govuk-tag--grey",
}


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for a tender or bid status."""
    return _STATUS_TAGS.get(str(status), "govuk-tag--grey")


@register.filter
def score(value) -> str:
    """A score as shown to people: 2 decimal places, halves up (tenders.scoring.presented);
    ranks use full precision. A dash for none."""
    if value is None or value == "":
        return "–"
    return str(scoring.presented(Decimal(str(value))))


@register.filter
def get_item(mapping, key):
    """mapping[key], or None (for dictionaries keyed by something a template cannot spell)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
