"""What a social value commitment is worth: a quantity of a measure at the proxy value in
force, to the penny (measurement.valuation does the arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache

from measurement import plausibility
from measurement.models import Measure
from measurement.selectors import proxy_in_force
from measurement.valuation import gross_value
from socialvalue.kernel.money import pounds
from tenders.models import Bid


def monetised_value(quantity: Decimal, proxy) -> Decimal | None:
    """The gross value of a quantity at a proxy value (a measurement.ProxyValue), rounded to
    pence with ROUND_HALF_UP; None without a proxy or when the proxy has no value."""
    if proxy is None or proxy.value is None:
        return None
    return pounds(gross_value(quantity, proxy.value))


@dataclass(frozen=True)
class CommitmentPreview:
    measure: Measure
    quantity: Decimal
    proxy_value: object  # measurement.ProxyValue | None
    monetised_value: Decimal | None


def commitment_preview(*, measure: Measure, quantity: Decimal, on_date: date) -> CommitmentPreview:
    """The monetised value of a quantity of a measure at the proxy value in force on a date
    (gross value, rounded to pence with ROUND_HALF_UP). None when the measure has no value."""
    proxy = proxy_in_force(measure=measure, on_date=on_date)
    return CommitmentPreview(measure, quantity, proxy, monetised_value(quantity, proxy))


def commitment_total(bid: Bid) -> Decimal:
    """The monetised total of a bid's commitments as stored (pounds)."""
    return sum((c.monetised_value or Decimal(0) for c in bid.commitments.all()), Decimal(0))


@dataclass(frozen=True)
class CommitmentTotals:
    """A bid's monetised value in two parts: from proxy values seen in their primary source, and
    from proxy values whose source is unconfirmed (shown apart, never summed into one total)."""

    confirmed: Decimal
    unconfirmed: Decimal
    unconfirmed_count: int


def is_unconfirmed(commitment) -> bool:
    """A monetised commitment whose proxy value's source has not been confirmed."""
    return commitment.monetised_value is not None and not (
        commitment.proxy_value is not None and commitment.proxy_value.source_confirmed
    )


def commitment_totals(commitments) -> CommitmentTotals:
    """Split the monetised values of these commitments (their proxy values loaded) by whether
    the proxy value's source is confirmed."""
    confirmed = unconfirmed = Decimal(0)
    count = 0
    for commitment in commitments:
        if commitment.monetised_value is None:
            continue
        if is_unconfirmed(commitment):
            unconfirmed += commitment.monetised_value
            count += 1
        else:
            confirmed += commitment.monetised_value
    return CommitmentTotals(confirmed, unconfirmed, count)


@cache
def _plausibility_rules() -> tuple[plausibility.Rules, ...]:
    # The shipped data file, read once per process (no query).
    return plausibility.load_rules()


def bid_plausibility(
    *, price, commitments, on_date: date, whole: bool = True
) -> plausibility.Result:
    """Whether these commitments' monetised values (their proxy values loaded) are in
    proportion to ``price``: the headline total is the one the bid page shows (gross,
    confirmed proxy values only), each commitment judged on its own. Flags are keyed by
    commitment id. ``whole`` False (a panel member's share of a bid) checks the commitments
    alone: a share has no meaningful total. Reads no database."""
    commitments = list(commitments)
    totals = commitment_totals(commitments)
    result = plausibility.check_bid(
        price=price,
        total=totals.confirmed,
        lines=[
            plausibility.Line(
                key=c.pk,
                label=f"{c.measure.code} {c.measure.name}",
                value=c.monetised_value,
                confirmed=not is_unconfirmed(c),
            )
            for c in commitments
        ],
        rules=plausibility.rules_in_force(_plausibility_rules(), on_date),
    )
    return result if whole else replace(result, total_flag=None)


def preview_flag(*, price, preview: CommitmentPreview, on_date: date) -> plausibility.Flag | None:
    """The flag one previewed commitment would get on its own against the bid's price (the
    same rule as the bid's pages), or None."""
    result = plausibility.check_bid(
        price=price,
        total=Decimal(0),
        lines=[
            plausibility.Line(
                key="preview",
                label=f"{preview.measure.code} {preview.measure.name}",
                value=preview.monetised_value,
                confirmed=bool(preview.proxy_value and preview.proxy_value.source_confirmed),
            )
        ],
        rules=plausibility.rules_in_force(_plausibility_rules(), on_date),
    )
    return result.line_flags.get("preview")
