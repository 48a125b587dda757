"""The pure delivery rules: periods by frequency, targets that add up, at-risk tests."""

from datetime import date
from decimal import Decimal

import pytest

from measurement.delivery import schedule

D = Decimal
RULES = schedule.rules_in_force(schedule.load_rules(), date(2026, 1, 1))


def test_six_monthly_periods_over_two_years_end_with_the_contract():
    found = schedule.periods(
        starts_on=date(2025, 4, 1), ends_on=date(2027, 3, 31), reporting="six-monthly", rules=RULES
    )
    assert [(p.starts_on, p.ends_on) for p in found] == [
        (date(2025, 4, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2027, 3, 31)),
    ]
    # due 30 days after each period ends
    assert found[0].due_on == date(2025, 10, 30)


def test_a_contract_shorter_than_a_period_reports_once_at_the_end():
    found = schedule.periods(
        starts_on=date(2026, 1, 15), ends_on=date(2026, 6, 30), reporting="annually", rules=RULES
    )
    assert [(p.number, p.starts_on, p.ends_on) for p in found] == [
        (1, date(2026, 1, 15), date(2026, 6, 30))
    ]


def test_quarters_from_the_31st_keep_to_month_ends():
    found = schedule.periods(
        starts_on=date(2026, 1, 31), ends_on=date(2026, 12, 31), reporting="quarterly", rules=RULES
    )
    assert [p.ends_on for p in found] == [
        date(2026, 4, 29),
        date(2026, 7, 30),
        date(2026, 10, 30),
        date(2026, 12, 31),
    ]


def test_targets_share_the_quantity_and_add_up_exactly():
    # 100 over 3 periods: 33.33, 33.33 and the remainder 33.34.
    assert schedule.split_target(D("100"), 3) == [D("33.33"), D("33.33"), D("33.34")]
    assert sum(schedule.split_target(D("7"), 4)) == D("7")


def test_behind_by_more_than_the_set_share_is_at_risk():
    # target to date 100, 20% allowed: 80 delivered is on the line, 79.99 is behind.
    assert not schedule.behind_target(
        cumulative_target=D("100"), cumulative_delivered=D("80"), rules=RULES
    )
    assert schedule.behind_target(
        cumulative_target=D("100"), cumulative_delivered=D("79.99"), rules=RULES
    )
    assert not schedule.behind_target(
        cumulative_target=D("0"), cumulative_delivered=D("0"), rules=RULES
    )


def test_overdue_and_queried_twice():
    assert schedule.is_overdue(due_on=date(2026, 1, 1), submitted=False, today=date(2026, 1, 2))
    assert not schedule.is_overdue(due_on=date(2026, 1, 1), submitted=True, today=date(2026, 2, 1))
    assert not schedule.is_overdue(due_on=date(2026, 1, 1), submitted=False, today=date(2026, 1, 1))
    assert schedule.queried_too_often(2, RULES) and not schedule.queried_too_often(1, RULES)


def test_an_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        schedule.periods(
            starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 1), reporting="weekly", rules=RULES
        )
