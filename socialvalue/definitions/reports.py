"""The market statement as a PDF: an authority's adopted definition, priorities and measures,
with the proxy values in force and the proportionality bands. Public, like its page."""

from __future__ import annotations

import hashlib
from datetime import date

from measurement import selectors as measure_selectors
from socialvalue.core.models import Organisation
from socialvalue.definitions import selectors
from socialvalue.definitions.models import Priority

THEME_LABELS = dict(Priority._meta.get_field("theme").choices)


def attach_proxies(priorities: list[Priority], on_date: date) -> None:
    """Give each measure link of these priorities its proxy value in force on a date
    (`link.proxy_today`), in one query."""
    measure_ids = {link.measure_id for p in priorities for link in p.measures.all()}
    proxies = measure_selectors.proxies_in_force(measures=measure_ids, on_date=on_date)
    for priority in priorities:
        for link in priority.measures.all():
            link.proxy_today = proxies.get(link.measure_id)


def market_statement_context(authority: Organisation, options: dict | None = None) -> dict:
    """What the market statement page and its PDF show for an authority today."""
    on_date = selectors.today()
    definition = selectors.adopted_definition_for(authority=authority)
    priorities = list(definition.priorities.all()) if definition else []
    attach_proxies(priorities, on_date)
    by_theme = [
        (label, [p for p in priorities if p.theme == key])
        for key, label in THEME_LABELS.items()
        if any(p.theme == key for p in priorities)
    ]
    return {
        "authority": authority,
        "definition": definition,
        "priorities": priorities,
        "by_theme": by_theme,
        "rules": measure_selectors.proportionality_rules(),
        "today": on_date,
    }


CONTENTS = [
    ("statement", "What social value means here"),
    ("priorities", "Our priorities and how we will measure them"),
    ("bands", "What we will ask for, by contract size"),
]


def market_statement_report(authority: Organisation, options: dict) -> dict:
    """The page's context with the contents list of the PDF."""
    return {**market_statement_context(authority), "contents": CONTENTS}


def market_statement_version(authority: Organisation, options: dict) -> str:
    """Changes when another version is adopted, or a proxy value or band comes into force."""
    context = market_statement_context(authority)
    definition = context["definition"]
    proxies = sorted(
        (link.measure_id, getattr(link.proxy_today, "pk", None), link.target_quantity)
        for p in context["priorities"]
        for link in p.measures.all()
    )
    text = repr(
        (
            authority.name,
            definition and (definition.pk, definition.version, definition.updated_at.isoformat()),
            proxies,
            repr(context["rules"]),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()
