"""Valuation that does not oversell: each net adjustment, drop-off over years, discounting
across the Green Book's 30-year step, uprating to one price base, transfers kept apart
from welfare values, and unconfirmed values left out of headline totals. Every expected
figure is worked by hand in the comment beside it."""

from datetime import date
from decimal import Decimal

import pytest

from measurement.valuation import (
    TRANSFER,
    WELFARE,
    Adjustments,
    DeflatorSeries,
    ValuedItem,
    deflator_in_force,
    financial_year,
    headline_totals,
    load_deflators,
    load_method,
    net_value,
)
from socialvalue.kernel.money import pounds

D = Decimal


@pytest.fixture(scope="module")
def standard():
    return load_method().schedule("standard", date(2026, 6, 1))


@pytest.mark.parametrize(
    ("adjustment", "expected"),
    [
        # 10 units x £100 = £1,000 gross, then one adjustment at a time.
        ({"deadweight": "20"}, D("800")),  # 1000 x 0.80
        ({"attribution": "25"}, D("750")),  # 1000 x 0.75
        ({"displacement": "10"}, D("900")),  # 1000 x 0.90
        # all three: 1000 x 0.80 x 0.75 x 0.90 = 540
        ({"deadweight": "20", "attribution": "25", "displacement": "10"}, D("540")),
    ],
)
def test_each_adjustment_takes_its_share_off_the_gross(adjustment, expected):
    valuation = net_value(10, 100, Adjustments(**adjustment))
    assert valuation.total_gross == D("1000")
    assert valuation.total_net == expected


def test_drop_off_halves_the_outcome_each_year_after_the_first():
    # £1,000 a year for 3 years, 50% drop-off: 1000, 500, 250 -> net 1,750 against 3,000 gross.
    valuation = net_value(10, 100, Adjustments(drop_off="50", duration_years=3))
    assert [y.net for y in valuation.years] == [D("1000"), D("500"), D("250")]
    assert valuation.total_net == D("1750")
    assert valuation.total_gross == D("3000")


def test_discounting_steps_from_3_5_to_3_0_percent_after_year_30(standard):
    # factor(30) = 1 / 1.035^30 = 0.356278...; year 31 is discounted at 3.0% on top:
    # factor(31) = factor(30) / 1.03 = 0.345901...
    assert standard.rate_for_year(30) == D("3.5")
    assert standard.rate_for_year(31) == D("3.0")
    assert standard.factor(30).quantize(D("0.000001")) == D("0.356278")
    assert standard.factor(31).quantize(D("0.000001")) == D("0.345901")
    assert standard.factor(31) == standard.factor(30) / D("1.03")


def test_a_32_year_outcome_discounts_its_last_years_across_the_step(standard):
    # Year n is discounted for n - 1 years (year 1 is the Green Book's year 0), so year 32
    # is discounted for 31 years: £1,000 x 0.345901... = £345.90.
    valuation = net_value(1, 1000, Adjustments(duration_years=32, discount=standard))
    last = valuation.years[-1]
    assert last.year == 32
    assert last.discount_rate == D("3.0")
    assert pounds(last.present_value) == D("345.90")
    assert valuation.years[30].discount_rate == D("3.5")  # year 31: 30 years, still 3.5%


SERIES = DeflatorSeries(
    label="test series",
    published_on=date(2026, 3, 31),
    reference_year="2024-25",
    index={"2024-25": D("100"), "2025-26": D("104"), "2026-27": D("106.08")},
    confirmed=True,
)


def test_uprating_moves_a_value_between_price_bases():
    # £500 in 2024-25 prices x 104/100 = £520 in 2025-26 prices; and back again.
    assert SERIES.uprate(500, from_year="2024-25", to_year="2025-26") == D("520")
    assert SERIES.uprate(520, from_year="2025-26", to_year="2024-25") == D("500")
    # two steps: 500 x 106.08 / 100 = 530.40
    assert SERIES.uprate(500, from_year="2024-25", to_year="2026-27") == D("530.4")
    assert SERIES.uprate(500, from_year="2025-26", to_year="2025-26") == D("500")


def test_uprating_to_a_year_the_series_lacks_is_refused():
    with pytest.raises(ValueError, match="2030-31"):
        SERIES.uprate(500, from_year="2024-25", to_year="2030-31")


def test_financial_years_turn_on_1_april():
    assert financial_year(date(2026, 3, 31)) == "2025-26"
    assert financial_year(date(2026, 4, 1)) == "2026-27"
    assert financial_year(date(1999, 4, 1)) == "1999-00"


def test_the_shipped_deflator_series_is_dated_sourced_and_marked_unconfirmed():
    series = deflator_in_force(load_deflators(), date(2026, 12, 1))
    assert series.published_on == date(2026, 3, 31)
    assert series.sources and series.sources[0].url.startswith("https://www.gov.uk/")
    # The figures were read in a copy of the release, not the release itself: the data says so.
    assert series.confirmed is False
    assert series.sources[0].confirmed is False and "uk_cost_indices.csv" in series.sources[0].note
    assert series.reference_year == "2024-25" and series.index["2024-25"] == D("100.0000")
    with pytest.raises(ValueError):
        deflator_in_force(load_deflators(), date(2020, 1, 1))


def test_the_shipped_series_uprates_the_catalogues_proxy_years_by_hand():
    series = deflator_in_force(load_deflators(), date(2026, 12, 1))
    # £1,000 in 2020-21 prices in 2024-25 prices: 1,000 x 100.0000 / 85.1002 = 1,175.0853...
    assert pounds(series.uprate(1000, from_year="2020-21", to_year="2024-25")) == D("1175.09")
    # £1,000 in 2015-16 prices in 2026-27 prices: 1,000 x 105.3095 / 74.5804 = 1,412.0264...
    assert pounds(series.uprate(1000, from_year="2015-16", to_year="2026-27")) == D("1412.03")
    # £500 in 2024-25 prices in 2025-26 prices: 500 x 103.2388 / 100 = 516.194 exactly.
    assert series.uprate(500, from_year="2024-25", to_year="2025-26") == D("516.194")


def test_forecast_years_are_told_apart_from_outturn():
    series = deflator_in_force(load_deflators(), date(2026, 12, 1))
    assert series.forecast_from == "2025-26"
    assert not series.is_forecast("2024-25")
    assert series.is_forecast("2025-26") and series.is_forecast("2030-31")
    assert not SERIES.is_forecast("2026-27")  # a series without forecast_from has none


def test_transfers_are_totalled_apart_and_unconfirmed_values_left_out():
    items = [
        ValuedItem("volunteering", gross=D("100"), net=D("80")),
        ValuedItem("local wages", gross=D("50"), net=D("40"), kind=TRANSFER),
        ValuedItem("living wage", gross=D("30"), net=D("20"), kind=TRANSFER, confirmed=False),
        ValuedItem("trees", gross=D("10"), net=D("9"), kind=WELFARE, confirmed=False),
    ]
    totals = headline_totals(items)
    assert (totals.welfare_gross, totals.welfare_net) == (D("100"), D("80"))
    assert (totals.transfer_gross, totals.transfer_net) == (D("50"), D("40"))
    assert (totals.unconfirmed_gross, totals.unconfirmed_net) == (D("40"), D("29"))
    assert totals.unconfirmed_labels == ("living wage", "trees")
    assert totals.headline_net == D("80")  # welfare only: transfers are not added

    included = headline_totals(items, include_unconfirmed=True)
    assert included.welfare_net == D("89")  # 80 + 9
    assert included.transfer_net == D("60")  # 40 + 20
    assert included.unconfirmed_included is True


def test_a_kind_other_than_welfare_or_transfer_is_refused():
    with pytest.raises(ValueError, match="kind"):
        ValuedItem("x", gross=D("1"), net=D("1"), kind="money")


def test_wage_measures_are_transfers_in_the_method():
    method = load_method()
    assert method.kind_of("ECO-07") == TRANSFER
    assert method.kind_of("ECO-01") == TRANSFER
    assert method.kind_of("ENV-01") == WELFARE
