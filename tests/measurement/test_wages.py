"""The real Living Wage proxy follows the statutory minimum in force: worked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from measurement.catalogue import load_catalogue
from measurement.models import ProxyValue
from measurement.selectors import proxy_in_force
from measurement.wages import living_wage_uplift, load_rates

D = Decimal


@pytest.fixture(scope="module")
def rates():
    return load_rates()


def test_before_april_2026_the_uplift_is_over_the_2025_minimum(rates):
    # (£13.45 - £12.21) x 1,950 hours = £2,418, the Foundation's own 2025-26 figure.
    uplift = living_wage_uplift(date(2026, 3, 31), rates=rates)
    assert (uplift.living_wage, uplift.statutory_minimum) == (D("13.45"), D("12.21"))
    assert uplift.per_year == D("2418")


def test_from_1_april_2026_the_uplift_follows_the_new_minimum_of_12_71(rates):
    # (£13.45 - £12.71) x 1,950 = £1,443; London (£14.80 - £12.71) x 1,950 = £4,075.50.
    assert living_wage_uplift(date(2026, 4, 1), rates=rates).per_year == D("1443")
    assert living_wage_uplift(date(2026, 4, 1), london=True, rates=rates).per_year == D("4075.5")


def test_the_uplift_is_unconfirmed_while_the_living_wage_rate_is(rates):
    assert living_wage_uplift(date(2026, 4, 1), rates=rates).confirmed is False


def test_no_uplift_before_a_real_living_wage_rate_is_held(rates):
    with pytest.raises(ValueError):
        living_wage_uplift(date(2025, 1, 1), rates=rates)


def test_every_living_wage_proxy_in_the_catalogue_matches_the_rates_in_force(rates):
    catalogue = load_catalogue()
    for code, london in (("ECO-07", False), ("ECO-08", True)):
        for version in catalogue.get(code).versions:
            uplift = living_wage_uplift(version.valid_from, london=london, rates=rates)
            # The Foundation quotes whole pounds (£5,050 for £5,050.50), so within £1.
            assert abs(version.value - uplift.per_year) <= 1, (code, version.valid_from)


@pytest.mark.django_db
def test_a_superseded_version_ends_the_day_before_the_next_starts():
    old = ProxyValue.objects.get(measure__code="ECO-07", valid_from=date(2025, 10, 22))
    assert old.valid_until == date(2026, 3, 31)
    assert old.in_force_on(date(2026, 3, 31)) and not old.in_force_on(date(2026, 4, 1))
    current = proxy_in_force(measure=old.measure_id, on_date=date(2026, 4, 1))
    assert current.value == D("1443") and current.valid_until is None
