"""Working days on the bundled UK bank holidays: weekends, Christmas and New Year, Easter, and
the copy kept in step with the govuk-bank-holidays package's bundled data."""

import json
from datetime import date
from importlib import resources

import pytest

from tenders.award_rules import (
    DIVISIONS,
    CalendarCoverageError,
    add_working_days,
    is_working_day,
    load_calendar,
    next_working_day,
    nth_working_day_from,
)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2026, 12, 4))  # Friday
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 12, 6))  # Sunday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (substitute day)
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday


def test_add_working_days_skips_a_weekend():
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday -> Monday
    assert add_working_days(date(2026, 12, 4), 0) == date(2026, 12, 4)
    assert add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)  # from a Saturday


def test_add_working_days_across_christmas_and_new_year():
    # Christmas 2026: Fri 25 Christmas Day, Mon 28 Boxing Day (substitute), Fri 1 Jan.
    # From Wed 23 Dec: Thu 24 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), Mon 4 Jan (5).
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)


def test_add_working_days_across_easter():
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    # From Thu 25 March: Tue 30 (1), Wed 31 (2).
    assert add_working_days(date(2027, 3, 25), 2) == date(2027, 3, 31)


def test_the_first_working_day_counts_as_day_one():
    assert nth_working_day_from(date(2026, 12, 7), 1) == date(2026, 12, 7)
    assert nth_working_day_from(date(2026, 12, 5), 1) == date(2026, 12, 7)
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)


def test_a_uk_wide_calendar_adds_scottish_and_northern_irish_bank_holidays():
    england = load_calendar()
    uk = load_calendar(DIVISIONS)
    assert england.is_working_day(date(2026, 1, 2))  # 2 January: Scotland only
    assert not uk.is_working_day(date(2026, 1, 2))
    assert uk.why_not_working(date(2026, 3, 17)) == "St Patrick’s Day"
    assert uk.why_not_working(date(2026, 12, 5)) == "Saturday"


def test_dates_outside_the_bundled_years_are_refused_not_guessed():
    calendar = load_calendar()
    with pytest.raises(CalendarCoverageError, match="Update tenders/data/bank_holidays.json"):
        is_working_day(date(calendar.covers_to.year + 1, 1, 5))
    with pytest.raises(ValueError, match="Unknown bank holiday divisions"):
        load_calendar(["wales"])


def test_the_copy_matches_the_packages_bundled_data_and_names_its_source():
    bundled = json.loads(
        resources.files("govuk_bank_holidays").joinpath("bank-holidays.json").read_text("utf-8")
    )
    for division in DIVISIONS:
        calendar = load_calendar([division])
        listed = {date.fromisoformat(e["date"]) for e in bundled[division]["events"]}
        assert calendar.holidays == listed
    source = load_calendar().sources[0]
    assert source.url == "https://www.gov.uk/bank-holidays.json" and source.confirmed
