"""Where features above the Act check add to a planned contract's pages without the Act check
importing them (the Compact registers its consultations from compact/registrations.py).

- ``contract_links``: functions of (planned contract, user) returning (label, url) links shown on
  the contract's page and on each recorded check of it. Each function decides what the user may
  see and costs at most one query.
"""

from collections.abc import Callable

contract_links: list[Callable] = []


def register(hooks: list[Callable], function: Callable) -> Callable:
    """Add ``function`` to one of the lists above once."""
    if function not in hooks:
        hooks.append(function)
    return function


def links_for(contract, user) -> list[tuple[str, str]]:
    """Every registered link for this contract that this user may follow."""
    return [link for function in contract_links for link in function(contract, user)]
