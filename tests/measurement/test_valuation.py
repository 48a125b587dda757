"""Valuation: gross and net value, drop-off, Green Book discounting, totals and ratio.

Expected figures are worked by hand (shown in comments) and compared exactly, or after
rounding to pence where the true value does not terminate."""

from datetime import date
from decimal import Decimal

import pytest

from measurement.valuation import (
    Adjustments,
    CommitmentLine,
    commitment_total,
    gross_value,
    load_method,
    net_value,
    social_value_ratio,
)
from socialvalue.kernel.money import pounds

D = Decimal


@pytest.fixture(scope="module")
def method():
    return load_method()


@pytest.fixture(scope="module")
def standard(method):
    return method.schedule("standard", date(2025, 6, 1))


@pytest.fixture(scope="module")
def health(method):
    return method.schedule("health", date(2025, 6, 1))


def test_gross_value_is_quantity_times_proxy_exactly():
    # 10 FTE-weeks x £728 = £7,280
    assert gross_value(10, "728") == D("7280")
    assert gross_value("2.5", "400.14") == D("1000.350")


def test_one_year_with_no_adjustments_keeps_the_gross_value():
    valuation = net_value(10, "728")
    assert valuation.total_gross == valuation.total_net == valuation.total_present_value
    assert valuation.total_present_value == D("7280")
    assert len(valuation.years) == 1


def test_deadweight_attribution_and_displacement_multiply():
    # 1000 x 0.80 x 0.90 x 0.95 = 684
    adjustments = Adjustments(deadweight=D("20"), attribution=D("10"), displacement=D("5"))
    valuation = net_value(1000, 1, adjustments)
    assert valuation.total_net == D("684")
    assert valuation.total_gross == D("1000")


def test_drop_off_and_discounting_over_three_years(standard):
    # gross 1000 a year; kept 0.8 x 0.9 = 0.72; drop-off 25%:
    #   year 1: 720 (not discounted)
    #   year 2: 720 x 0.75 = 540;    540 / 1.035   = 521.739130...
    #   year 3: 720 x 0.5625 = 405;  405 / 1.035^2 = 378.071834...
    #   present value 1619.810964... ; undiscounted net 1665; gross 3 x 1000
    adjustments = Adjustments(
        deadweight=D("20"),
        attribution=D("10"),
        drop_off=D("25"),
        duration_years=3,
        discount=standard,
    )
    valuation = net_value(1000, 1, adjustments)
    assert [y.net for y in valuation.years] == [D("720"), D("540"), D("405")]
    assert [pounds(y.present_value) for y in valuation.years] == [
        D("720.00"),
        D("521.74"),
        D("378.07"),
    ]
    assert [y.discount_rate for y in valuation.years] == [None, D("3.5"), D("3.5")]
    assert valuation.total_gross == D("3000")
    assert valuation.total_net == D("1665")
    assert pounds(valuation.total_present_value) == D("1619.81")


def test_rounded_valuation_shows_gross_and_net_in_pence(standard):
    adjustments = Adjustments(
        deadweight=D("20"),
        attribution=D("10"),
        drop_off=D("25"),
        duration_years=3,
        discount=standard,
    )
    shown = net_value(1000, 1, adjustments).rounded()
    assert shown.rounded_to_pence
    assert shown.total_gross == D("3000.00")
    assert shown.total_net == D("1665.00")
    assert shown.total_present_value == D("1619.81")
    assert shown.years[1].present_value == D("521.74")


def test_discounting_year_one_as_well_when_asked(standard):
    # year 1: 1000 / 1.035 = 966.183575...; year 2: 1000 / 1.071225 = 933.510700...
    adjustments = Adjustments(duration_years=2, discount=standard, discount_first_year=True)
    valuation = net_value(1000, 1, adjustments)
    assert [pounds(y.present_value) for y in valuation.years] == [D("966.18"), D("933.51")]
    assert pounds(valuation.total_present_value) == D("1899.69")
    assert "year 1 is discounted" in valuation.assumptions[-1]


def test_health_values_use_the_health_rate(health):
    # one QALY at £70,000 for two years at 1.5%: 70000 + 70000 / 1.015 = 138965.517...
    valuation = net_value(1, "70000", Adjustments(duration_years=2, discount=health))
    assert pounds(valuation.total_present_value) == D("138965.52")


def test_full_drop_off_leaves_nothing_after_the_first_year():
    valuation = net_value(100, 1, Adjustments(drop_off=D("100"), duration_years=3))
    assert [y.net for y in valuation.years] == [D("100"), D("0"), D("0")]


def test_without_a_schedule_future_years_are_not_discounted():
    valuation = net_value(100, 1, Adjustments(duration_years=2))
    assert valuation.total_present_value == valuation.total_net == D("200")
    assert "not discounted" in valuation.assumptions[-1]


def test_green_book_rate_steps_down_after_year_30(standard):
    # factor(31) = 1 / (1.035^30 x 1.03) = 0.345901...
    assert standard.rate_for_year(30) == D("3.5")
    assert standard.rate_for_year(31) == D("3.0")
    assert standard.rate_for_year(76) == D("2.5")
    assert standard.factor(31) == standard.factor(30) / D("1.03")
    assert standard.factor(31).quantize(D("0.000001")) == D("0.345901")


def test_assumptions_state_each_adjustment(standard):
    adjustments = Adjustments(
        deadweight=D("20"),
        attribution=D("10"),
        drop_off=D("25"),
        duration_years=3,
        discount=standard,
    )
    text = " ".join(net_value(1, 1, adjustments).assumptions)
    for words in ("Deadweight 20%", "Attribution 10%", "Displacement 0%", "3 years", "25%", "3.5%"):
        assert words in text


def test_rounding_for_presentation_is_half_up():
    # 1 x £0.125 is £0.13 when shown, not £0.12 (banker's rounding would give 0.12)
    assert net_value(1, "0.125").rounded().total_gross == D("0.13")


def test_commitment_total_adds_lines():
    # 7280 + 1000.35 + 378.45 = 8658.80
    lines = [(10, "728"), ("2.5", "400.14"), CommitmentLine(D("3"), D("126.15"), "landfill")]
    assert commitment_total(lines) == D("8658.80")
    assert commitment_total([]) == D("0")


def test_commitment_total_names_the_bad_line():
    with pytest.raises(ValueError, match=r"line 2: quantity must not be negative"):
        commitment_total([(1, 1), (-1, 1)])


def test_social_value_ratio_is_value_per_pound_of_contract():
    assert social_value_ratio(D("250000"), D("1000000")) == D("0.25")
    assert pounds(social_value_ratio("1619.81", "10000")) == D("0.16")


@pytest.mark.parametrize("contract_value", ["0", "-100"])
def test_social_value_ratio_refuses_a_contract_value_of_zero_or_less(contract_value):
    with pytest.raises(ValueError, match="contract_value"):
        social_value_ratio(100, contract_value)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: gross_value(-1, 10), "quantity"),
        (lambda: gross_value(1, -10), "proxy_value"),
        (lambda: gross_value(1, None), "proxy_value"),
        (lambda: gross_value(1.5, 10), "quantity"),
        (lambda: net_value("-0.01", 10), "quantity"),
        (lambda: Adjustments(deadweight=D("101")), "deadweight"),
        (lambda: Adjustments(attribution=D("-1")), "attribution"),
        (lambda: Adjustments(displacement="abc"), "displacement"),
        (lambda: Adjustments(drop_off=D("100.01")), "drop_off"),
        (lambda: Adjustments(duration_years=0), "duration_years"),
        (lambda: Adjustments(duration_years=2.5), "duration_years"),
        (lambda: Adjustments(duration_years=True), "duration_years"),
        (lambda: Adjustments(discount="3.5%"), "discount"),
    ],
)
def test_bad_input_is_refused_naming_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()


def test_percentages_at_the_limits_are_allowed():
    assert net_value(100, 1, Adjustments(deadweight=0, attribution="100")).total_net == 0


def test_method_file_gives_no_default_adjustments(method):
    assert {a.name for a in method.adjustments} == {
        "deadweight",
        "attribution",
        "displacement",
        "drop_off",
    }
    assert all(a.default is None for a in method.adjustments)
    assert method.first_year_discounted is False


def test_method_has_no_schedule_before_its_start(method):
    with pytest.raises(ValueError, match="standard"):
        method.schedule("standard", date(2002, 12, 31))
