"""Monetised social value: gross and net, year by year. Pure: no Django, no settings.

Gross value is quantity x proxy value. Net value in year n of an outcome (domain brief,
section 7) is

    gross x (1 - deadweight) x (1 - attribution) x (1 - displacement) x (1 - drop-off)^(n-1)

then discounted with an HM Treasury Green Book schedule. Year 1 is the Green Book's year
0 and is not discounted unless ``Adjustments.discount_first_year`` is set (see
``method.json``, ``first_year_convention``): the same convention as the drop-off term,
which also leaves year 1 untouched. Everything is kept at full Decimal precision;
``Valuation.rounded()`` rounds money to whole pence, ROUND_HALF_UP, for presentation.
The rates and their sources live in ``measurement/data/method.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from socialvalue.kernel import numbers, sourced
from socialvalue.kernel.money import MoneyError, pounds, to_decimal
from socialvalue.kernel.sourced import Source

DEFAULT_METHOD_PATH = Path(__file__).resolve().parent / "data" / "method.json"
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DiscountBand:
    """The rate (a percentage) for years ``first_year`` to ``last_year`` from the
    present; ``last_year`` None means every later year."""

    first_year: int
    last_year: int | None
    rate: Decimal

    def covers(self, year: int) -> bool:
        """Whether this band sets the rate for ``year``."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class DiscountSchedule:
    """A dated discount schedule, e.g. the Green Book's 3.5% declining rate."""

    name: str
    label: str
    valid_from: date
    bands: tuple[DiscountBand, ...]
    sources: tuple[Source, ...] = ()

    def rate_for_year(self, year: int) -> Decimal:
        """The percentage rate applying in ``year`` (counted from the present, year 0)."""
        for band in self.bands:
            if band.covers(year):
                return band.rate
        raise ValueError(f"The {self.name} discount schedule has no rate for year {year}.")

    def factor(self, years: int) -> Decimal:
        """Discount factor after ``years`` years: the product over years 1..years of
        1 / (1 + rate/100), so a declining schedule compounds band by band."""
        if years < 0:
            raise ValueError("years must not be negative.")
        result = ONE
        for year in range(1, years + 1):
            result /= ONE + self.rate_for_year(year) / HUNDRED
        return result

    def describe(self) -> str:
        """The schedule in words, e.g. '3.5% for years 0-30, 3.0% for years 31-75, ...'."""
        parts = []
        for band in self.bands:
            span = (
                f"years {band.first_year}-{band.last_year}"
                if band.last_year is not None
                else f"year {band.first_year} onwards"
            )
            parts.append(f"{numbers.plain(band.rate)}% for {span}")
        return f"{self.label}: " + ", ".join(parts)


@dataclass(frozen=True)
class AdjustmentNote:
    """What one adjustment means and why the method gives it no default."""

    name: str
    meaning: str
    default: Decimal | None
    note: str


@dataclass(frozen=True)
class Method:
    """Valuation method parameters loaded from ``method.json``."""

    schedules: tuple[DiscountSchedule, ...]
    first_year_discounted: bool
    first_year_explanation: str
    formula: str
    adjustments: tuple[AdjustmentNote, ...]
    transfer_codes: frozenset[str] = frozenset()
    transfer_meaning: str = ""

    def kind_of(self, measure_code: str) -> str:
        """'transfer' for a measure valued at money moved between people, else 'welfare'."""
        return TRANSFER if measure_code in self.transfer_codes else WELFARE

    def schedule(self, name: str, on_date: date) -> DiscountSchedule:
        """The schedule called ``name`` in force on ``on_date`` (latest valid_from on or
        before it); ValueError if there is none."""
        named = (s for s in self.schedules if s.name == name)
        schedule = sourced.in_force(named, on_date, starts="valid_from")
        if schedule is None:
            raise ValueError(f"No {name!r} discount schedule is in force on {on_date}.")
        return schedule


@dataclass(frozen=True)
class Adjustments:
    """The SROI adjustments for one outcome.

    deadweight, attribution, displacement and drop_off are percentages from 0 to 100;
    duration_years is how many years the outcome lasts (1 or more); discount is the
    schedule to discount with, or None for no discounting; discount_first_year chooses
    the convention for year 1 (default: not discounted, as the Green Book's year 0).
    Values may be given as Decimal, int or str; floats are refused.
    """

    deadweight: Decimal = ZERO
    attribution: Decimal = ZERO
    displacement: Decimal = ZERO
    drop_off: Decimal = ZERO
    duration_years: int = 1
    discount: DiscountSchedule | None = None
    discount_first_year: bool = False

    def __post_init__(self) -> None:
        for name in ("deadweight", "attribution", "displacement", "drop_off"):
            value = _decimal_field(name, getattr(self, name))
            if value < 0 or value > HUNDRED:
                raise ValueError(f"{name} must be a percentage from 0 to 100, not {value}.")
            object.__setattr__(self, name, value)
        years = self.duration_years
        if isinstance(years, bool) or not isinstance(years, int):
            raise ValueError(f"duration_years must be a whole number of years, not {years!r}.")
        if years < 1:
            raise ValueError(f"duration_years must be at least 1, not {years}.")
        if self.discount is not None and not isinstance(self.discount, DiscountSchedule):
            raise ValueError("discount must be a DiscountSchedule or None.")

    def assumptions(self) -> tuple[str, ...]:
        """The adjustments in plain words, to show beside the figures."""
        lines = [
            f"Deadweight {numbers.plain(self.deadweight)}%: share that would have happened anyway.",
            f"Attribution {numbers.plain(self.attribution)}%: share owed to others.",
            f"Displacement {numbers.plain(self.displacement)}%: share merely moved from elsewhere.",
        ]
        if self.duration_years == 1:
            lines.append("The outcome is counted for one year only, so drop-off does not apply.")
        else:
            lines.append(
                f"The outcome lasts {self.duration_years} years, falling by "
                f"{numbers.plain(self.drop_off)}% a year after the first (drop-off)."
            )
        if self.discount is None:
            lines.append("Future years are not discounted.")
        else:
            first = (
                "year 1 is discounted by one year"
                if self.discount_first_year
                else "year 1 is not discounted (the Green Book's year 0)"
            )
            lines.append(f"Discounted with {self.discount.describe()}; {first}.")
        return tuple(lines)


@dataclass(frozen=True)
class YearValue:
    """One year of an outcome: gross, net before discounting, and present value.

    discount_rate is the rate applied in that year's last step of discounting (None when
    the year is not discounted)."""

    year: int
    gross: Decimal
    net: Decimal
    discount_rate: Decimal | None
    discount_factor: Decimal
    present_value: Decimal


@dataclass(frozen=True)
class Valuation:
    """Gross and net value of one outcome side by side, with the assumptions used.

    total_gross is gross per year x duration (no adjustments, no discounting);
    total_net is the adjusted value before discounting; total_present_value is after
    discounting (equal to total_net when there is no discount schedule)."""

    quantity: Decimal
    proxy_value: Decimal
    gross_per_year: Decimal
    years: tuple[YearValue, ...]
    total_gross: Decimal
    total_net: Decimal
    total_present_value: Decimal
    assumptions: tuple[str, ...]
    rounded_to_pence: bool = field(default=False)

    def rounded(self) -> Valuation:
        """A copy with every money figure rounded to whole pence (ROUND_HALF_UP, via
        socialvalue.kernel.money.pounds). Totals are rounded from the full-precision totals,
        so they can differ by a penny from the sum of the rounded years."""
        return rounded(self)


@dataclass(frozen=True)
class CommitmentLine:
    """One line of a commitment: a quantity of a measure's unit at a proxy value."""

    quantity: Decimal
    proxy_value: Decimal
    label: str = ""


def gross_value(quantity: object, proxy_value: object) -> Decimal:
    """quantity x proxy value at full precision. Both must be zero or more."""
    amount = _non_negative("quantity", quantity)
    proxy = _non_negative("proxy_value", proxy_value)
    return amount * proxy


def net_value(
    quantity: object, proxy_value: object, adjustments: Adjustments | None = None
) -> Valuation:
    """Value one outcome year by year: gross, net of the adjustments, and discounted.

    Year n's net value = gross x (1 - deadweight) x (1 - attribution) x (1 - displacement)
    x (1 - drop-off)^(n - 1); its present value = net x the schedule's discount factor for
    n - 1 years (n years if ``discount_first_year``). Full precision throughout.
    """
    adjustments = adjustments if adjustments is not None else Adjustments()
    amount = _non_negative("quantity", quantity)
    proxy = _non_negative("proxy_value", proxy_value)
    gross = amount * proxy
    kept = (
        (ONE - adjustments.deadweight / HUNDRED)
        * (ONE - adjustments.attribution / HUNDRED)
        * (ONE - adjustments.displacement / HUNDRED)
    )
    remaining = ONE - adjustments.drop_off / HUNDRED
    years = []
    # A running product rather than remaining ** (year - 1): Decimal refuses 0 ** 0,
    # which a 100% drop-off would ask for in year 1.
    still_there = ONE
    for year in range(1, adjustments.duration_years + 1):
        if year > 1:
            still_there *= remaining
        net = gross * kept * still_there
        periods = year if adjustments.discount_first_year else year - 1
        if adjustments.discount is None or periods == 0:
            rate, factor = None, ONE
        else:
            rate = adjustments.discount.rate_for_year(periods)
            factor = adjustments.discount.factor(periods)
        years.append(
            YearValue(
                year=year,
                gross=gross,
                net=net,
                discount_rate=rate,
                discount_factor=factor,
                present_value=net * factor,
            )
        )
    return Valuation(
        quantity=amount,
        proxy_value=proxy,
        gross_per_year=gross,
        years=tuple(years),
        total_gross=gross * adjustments.duration_years,
        total_net=sum((y.net for y in years), ZERO),
        total_present_value=sum((y.present_value for y in years), ZERO),
        assumptions=adjustments.assumptions(),
    )


def rounded(valuation: Valuation) -> Valuation:
    """``valuation`` with money rounded to pence (ROUND_HALF_UP); quantities, rates and
    discount factors are left at full precision."""
    return replace(
        valuation,
        proxy_value=pounds(valuation.proxy_value),
        gross_per_year=pounds(valuation.gross_per_year),
        years=tuple(
            replace(
                y, gross=pounds(y.gross), net=pounds(y.net), present_value=pounds(y.present_value)
            )
            for y in valuation.years
        ),
        total_gross=pounds(valuation.total_gross),
        total_net=pounds(valuation.total_net),
        total_present_value=pounds(valuation.total_present_value),
        rounded_to_pence=True,
    )


def commitment_total(lines: Iterable[CommitmentLine | tuple[object, object]]) -> Decimal:
    """Sum of quantity x proxy value over several lines (CommitmentLine or
    (quantity, proxy_value) pairs), at full precision. An empty commitment totals 0."""
    total = ZERO
    for index, line in enumerate(lines, start=1):
        if isinstance(line, CommitmentLine):
            quantity, proxy = line.quantity, line.proxy_value
        else:
            try:
                quantity, proxy = line
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"line {index} must be a CommitmentLine or a (quantity, proxy_value) pair."
                ) from error
        try:
            total += gross_value(quantity, proxy)
        except ValueError as error:
            raise ValueError(f"line {index}: {error}") from error
    return total


def social_value_ratio(total: object, contract_value: object) -> Decimal:
    """Social value per pound of contract value (total / contract_value), full precision.

    Present it with ``socialvalue.kernel.money.pounds`` as '£0.25 of social value per £1'."""
    value = _non_negative("total", total)
    contract = _decimal_field("contract_value", contract_value)
    if contract <= 0:
        raise ValueError(f"contract_value must be more than zero, not {contract}.")
    return value / contract


def load_method(path: str | Path | None = None) -> Method:
    """Read the valuation method (default: the shipped ``measurement/data/method.json``)."""
    data = sourced.load(path, default=DEFAULT_METHOD_PATH)
    schedules = tuple(
        DiscountSchedule(
            name=item["name"],
            label=item["label"],
            valid_from=date.fromisoformat(item["valid_from"]),
            bands=tuple(
                DiscountBand(
                    first_year=band["first_year"],
                    last_year=band["last_year"],
                    rate=Decimal(band["rate"]),
                )
                for band in item["bands"]
            ),
            sources=sourced.sources_from(item.get("sources", ())),
        )
        for item in data["discount_schedules"]
    )
    convention = data["first_year_convention"]
    adjustments = data["adjustments"]
    transfers = data.get("transfers", {})
    return Method(
        transfer_codes=frozenset(transfers.get("codes", ())),
        transfer_meaning=transfers.get("meaning", ""),
        schedules=schedules,
        first_year_discounted=bool(convention["first_year_discounted"]),
        first_year_explanation=convention["explanation"],
        formula=adjustments["formula"],
        adjustments=tuple(
            AdjustmentNote(
                name=item["name"],
                meaning=item["meaning"],
                default=None if item["default"] is None else Decimal(str(item["default"])),
                note=item["note"],
            )
            for item in adjustments["items"]
        ),
    )


def _decimal_field(name: str, value: object) -> Decimal:
    try:
        return to_decimal(value)
    except MoneyError as error:
        raise ValueError(f"{name}: {error}") from error


def _non_negative(name: str, value: object) -> Decimal:
    if value is None:
        raise ValueError(f"{name} is missing.")
    number = _decimal_field(name, value)
    if number < 0:
        raise ValueError(f"{name} must not be negative, not {number}.")
    return number


# --- One price base: uprating with a dated GDP deflator series -------------------------

DEFAULT_DEFLATOR_PATH = Path(__file__).resolve().parent / "data" / "gdp_deflator.json"


@dataclass(frozen=True)
class DeflatorSeries:
    """A GDP deflator index by financial year ('2025-26'), as published on one date.

    ``confirmed`` is False when the index figures were not read in the published release:
    anything uprated with the series is then unconfirmed too. Years from ``forecast_from`` on
    (None: none) are the OBR's forecasts, not outturn."""

    label: str
    published_on: date
    reference_year: str
    index: dict[str, Decimal]
    confirmed: bool
    sources: tuple[Source, ...] = ()
    forecast_from: str | None = None

    def is_forecast(self, year: str) -> bool:
        """Whether the index for ``year`` ('2026-27') is a forecast rather than outturn."""
        return self.forecast_from is not None and year >= self.forecast_from

    def uprate(self, value: object, *, from_year: str, to_year: str) -> Decimal:
        """``value`` in ``from_year`` prices re-expressed in ``to_year`` prices:
        value x index[to_year] / index[from_year], full precision."""
        amount = _decimal_field("value", value)
        for year in (from_year, to_year):
            if year not in self.index:
                raise ValueError(f"The {self.label} has no index for {year}.")
        return amount * self.index[to_year] / self.index[from_year]


def financial_year(on_date: date) -> str:
    """The UK financial year (1 April to 31 March) holding ``on_date``, e.g. '2026-27'."""
    start = on_date.year if on_date.month >= 4 else on_date.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def load_deflators(path: str | Path | None = None) -> tuple[DeflatorSeries, ...]:
    """Every published deflator series in the data file (default: the shipped one)."""
    data = sourced.load(path, default=DEFAULT_DEFLATOR_PATH)
    return tuple(
        DeflatorSeries(
            label=item["label"],
            published_on=date.fromisoformat(item["published_on"]),
            reference_year=item["reference_year"],
            index={year: Decimal(figure) for year, figure in item["index"].items()},
            confirmed=bool(item["confirmed"]),
            sources=sourced.sources_from(item.get("sources", ())),
            forecast_from=item.get("forecast_from"),
        )
        for item in data["series"]
    )


def deflator_in_force(series: Iterable[DeflatorSeries], on_date: date) -> DeflatorSeries:
    """The latest series published on or before ``on_date``; ValueError if none."""
    found = sourced.in_force(series, on_date, starts="published_on")
    if found is None:
        raise ValueError(f"No GDP deflator series was published by {on_date}.")
    return found


# --- Totals that do not oversell ---------------------------------------------------------

WELFARE = "welfare"
TRANSFER = "transfer"
KINDS = (WELFARE, TRANSFER)


@dataclass(frozen=True)
class ValuedItem:
    """One valued line for totals: gross and net (present value) in one price base.

    ``kind`` is 'welfare' (a gain to society) or 'transfer' (money moved between people,
    such as wages, benefits or tax: real to the person, not a gain to society as a whole).
    ``confirmed`` is False when the proxy (or the deflator used on it) was not seen in its
    primary source."""

    label: str
    gross: Decimal
    net: Decimal
    kind: str = WELFARE
    confirmed: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}.")


@dataclass(frozen=True)
class Totals:
    """Headline totals kept apart: welfare and transfers, gross and net; what was left out
    because its source is unconfirmed, shown but not added (unless asked)."""

    welfare_gross: Decimal
    welfare_net: Decimal
    transfer_gross: Decimal
    transfer_net: Decimal
    unconfirmed_gross: Decimal
    unconfirmed_net: Decimal
    unconfirmed_included: bool
    unconfirmed_labels: tuple[str, ...]

    @property
    def headline_net(self) -> Decimal:
        """The one figure to quote: net welfare value (transfers are not added)."""
        return self.welfare_net


def headline_totals(items: Iterable[ValuedItem], *, include_unconfirmed: bool = False) -> Totals:
    """Add valued lines into welfare and transfer totals, gross and net. Unconfirmed lines
    are totalled apart and left out of the welfare and transfer totals unless
    ``include_unconfirmed`` (the authority's explicit choice)."""
    sums = dict.fromkeys(
        ("welfare_gross", "welfare_net", "transfer_gross", "transfer_net", "u_gross", "u_net"),
        ZERO,
    )
    labels = []
    for item in items:
        if not item.confirmed:
            sums["u_gross"] += item.gross
            sums["u_net"] += item.net
            labels.append(item.label)
            if not include_unconfirmed:
                continue
        sums[f"{item.kind}_gross"] += item.gross
        sums[f"{item.kind}_net"] += item.net
    return Totals(
        welfare_gross=sums["welfare_gross"],
        welfare_net=sums["welfare_net"],
        transfer_gross=sums["transfer_gross"],
        transfer_net=sums["transfer_net"],
        unconfirmed_gross=sums["u_gross"],
        unconfirmed_net=sums["u_net"],
        unconfirmed_included=include_unconfirmed,
        unconfirmed_labels=tuple(labels),
    )
