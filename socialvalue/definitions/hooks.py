"""Where features above definitions add to a definition's pages and its adoption, without the
definitions importing them (the Compact's review registers here from its registrations).

- ``adoption_checks``: functions of a definition returning what stops its adoption (strings).
- ``page_links``: functions of (definition, user) returning (label, url) links for its page.
- ``adoption_notes``: functions of a definition returning lines the adoption page shows.
- ``public_links``: functions of an authority returning (label, url) links its public market
  statement page shows (delivery links its published summary of social value delivered).
"""

from collections.abc import Callable

adoption_checks: list[Callable] = []
page_links: list[Callable] = []
adoption_notes: list[Callable] = []
public_links: list[Callable] = []


def register(hooks: list[Callable], function: Callable) -> Callable:
    """Add ``function`` to one of the lists above once."""
    if function not in hooks:
        hooks.append(function)
    return function
