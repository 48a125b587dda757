"""Whether a bid's monetised social value is in proportion to its price. Pure: no Django.

Two checks, each a prompt to look again, never a refusal:

- the bid's headline total (gross, from confirmed proxy values only: the figure the bid page
  shows) above ``total_share_percent`` of the price;
- one commitment's monetised value (confirmed or not) above ``commitment_share_percent`` of
  the price.

A value is flagged when it is MORE than the share (equal is not flagged), compared at full
precision. Shares are shown to one decimal place, ROUND_HALF_UP. Without a price above zero
nothing can be compared, and the result says so. The shares are dated data with their
rationale in ``measurement/data/plausibility.json``: a service choice, not law.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from socialvalue.kernel import numbers, sourced
from socialvalue.kernel.money import MoneyError, format_gbp, to_decimal
from socialvalue.kernel.sourced import Source

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "plausibility.json"
HUNDRED = Decimal(100)
SHARE_PLACES = Decimal("0.1")

TOTAL = "total"
COMMITMENT = "commitment"


@dataclass(frozen=True)
class Rules:
    """The shares of the price above which a bid's social value is flagged, in force from
    ``valid_from`` to ``ends`` (None: still in force), with why and what to check."""

    valid_from: date
    ends: date | None
    total_share_percent: Decimal
    commitment_share_percent: Decimal
    rationale: str
    what_to_check: tuple[str, ...]
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        for name in ("total_share_percent", "commitment_share_percent"):
            value = _decimal(name, getattr(self, name))
            if value <= 0:
                raise ValueError(f"{name} must be more than zero, not {value}.")
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Line:
    """One commitment as the check sees it: ``key`` to find its flag again (the page's id),
    a label, its monetised value (None when counted, not monetised) and whether its proxy
    value's source is confirmed."""

    key: Hashable
    label: str
    value: Decimal | None
    confirmed: bool = True


@dataclass(frozen=True)
class Flag:
    """One figure out of proportion: what it is, its value, its share of the price (one
    decimal place) and the share it is flagged above, with the sentence to show."""

    kind: str
    key: Hashable | None
    value: Decimal
    share_percent: Decimal
    threshold_percent: Decimal
    message: str


@dataclass(frozen=True)
class Result:
    """The checks on one bid. ``checked`` is False without a price above zero (``reason``
    says why); ``total_flag`` and ``line_flags`` (by line key) hold what is out of
    proportion."""

    checked: bool
    reason: str
    price: Decimal | None
    total: Decimal
    total_share_percent: Decimal | None
    total_flag: Flag | None
    line_flags: dict[Hashable, Flag]
    rules: Rules

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Every flag, the total's first."""
        found = [self.total_flag] if self.total_flag else []
        return tuple(found + list(self.line_flags.values()))

    @property
    def flagged(self) -> bool:
        return bool(self.total_flag or self.line_flags)


def share_of(value: object, price: object) -> Decimal:
    """``value`` as a percentage of ``price`` (more than zero), one decimal place, ROUND_HALF_UP."""
    amount = _decimal("value", value)
    base = _decimal("price", price)
    if base <= 0:
        raise ValueError(f"price must be more than zero, not {base}.")
    return (amount * HUNDRED / base).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def check_bid(*, price: object, total: object, lines: Iterable[Line], rules: Rules) -> Result:
    """Check a bid's headline ``total`` and each of its ``lines`` against its ``price``.

    ``total`` is the figure the page shows as the bid's total (gross, confirmed proxy values
    only); the lines are every commitment, each judged on its own whatever its source."""
    headline = _decimal("total", total)
    lines = tuple(lines)
    if price is None:
        return _unchecked(
            "The bid gives no price, so its social value cannot be compared.", None, headline, rules
        )
    amount = _decimal("price", price)
    if amount <= 0:
        return _unchecked(
            "The bid's price is not above zero, so its social value cannot be compared.",
            amount,
            headline,
            rules,
        )
    total_share = share_of(headline, amount)
    total_flag = None
    if headline * HUNDRED > amount * rules.total_share_percent:
        total_flag = Flag(
            kind=TOTAL,
            key=None,
            value=headline,
            share_percent=total_share,
            threshold_percent=rules.total_share_percent,
            message=(
                f"The total social value from confirmed proxy values, {format_gbp(headline)}, is {numbers.plain(total_share)}% "
                f"of the price, {format_gbp(amount)}: more than "
                f"{numbers.plain(rules.total_share_percent)}%."
            ),
        )
    line_flags: dict[Hashable, Flag] = {}
    for line in lines:
        if line.value is None:
            continue
        value = _decimal("value", line.value)
        if value * HUNDRED > amount * rules.commitment_share_percent:
            share = share_of(value, amount)
            unconfirmed = "" if line.confirmed else " (its source is unconfirmed)"
            line_flags[line.key] = Flag(
                kind=COMMITMENT,
                key=line.key,
                value=value,
                share_percent=share,
                threshold_percent=rules.commitment_share_percent,
                message=(
                    f"{line.label}{unconfirmed}: {format_gbp(value)} is "
                    f"{numbers.plain(share)}% of the price, more than "
                    f"{numbers.plain(rules.commitment_share_percent)}% for one commitment."
                ),
            )
    return Result(
        checked=True,
        reason="",
        price=amount,
        total=headline,
        total_share_percent=total_share,
        total_flag=total_flag,
        line_flags=line_flags,
        rules=rules,
    )


def load_rules(path: str | Path | None = None) -> tuple[Rules, ...]:
    """Every dated rule set in the data file (default: the shipped one)."""
    data = sourced.load(path, default=DEFAULT_PATH)
    return tuple(
        Rules(
            valid_from=date.fromisoformat(item["valid_from"]),
            ends=sourced.optional_date(item.get("ends")),
            total_share_percent=Decimal(item["total_share_percent"]),
            commitment_share_percent=Decimal(item["commitment_share_percent"]),
            rationale=item["rationale"],
            what_to_check=tuple(item.get("what_to_check", ())),
            sources=sourced.sources_from(item.get("sources", ())),
        )
        for item in data["rule_sets"]
    )


def rules_in_force(rule_sets: Iterable[Rules], on_date: date) -> Rules:
    """The rule set in force on ``on_date``; ValueError if there is none."""
    found = sourced.in_force(rule_sets, on_date, starts="valid_from", ends="ends")
    if found is None:
        raise ValueError(f"No plausibility rules are in force on {on_date}.")
    return found


def _unchecked(reason: str, price: Decimal | None, total: Decimal, rules: Rules) -> Result:
    return Result(
        checked=False,
        reason=reason,
        price=price,
        total=total,
        total_share_percent=None,
        total_flag=None,
        line_flags={},
        rules=rules,
    )


def _decimal(name: str, value: object) -> Decimal:
    try:
        return to_decimal(value)
    except MoneyError as error:
        raise ValueError(f"{name}: {error}") from error
