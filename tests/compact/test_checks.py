"""The Compact's pure checks and its dated data: one line per case."""

from datetime import date

import pytest

from compact import checks

COMPACT = checks.load()
RULES = COMPACT.rules_on(date(2026, 1, 1))


def test_the_figures_come_from_the_2010_renewal_with_their_sources():
    assert COMPACT.renewed == date(2010, 12, 1)
    assert (RULES.consultation_weeks, RULES.minimum_notice_months) == (12, 3)
    assert all(source.confirmed for source in RULES.sources)
    assert [s.number for s in COMPACT.sections] == ["1", "2", "3", "4", "5"]


def test_only_confirmed_wording_is_marked_confirmed_and_the_notice_commitment_has_no_number():
    consultation = COMPACT.commitment("twelve_week_consultation")
    assert consultation.words_confirmed and consultation.number == "2.4"
    assert "12-week formal written consultations" in consultation.words
    decommissioning = COMPACT.commitment("decommissioning")
    assert decommissioning.number is None and not decommissioning.words_confirmed
    assert all(c.rule for c in COMPACT.commitments)


@pytest.mark.parametrize(
    ("starts", "ends", "weeks", "shorter"),
    [
        (date(2026, 1, 5), date(2026, 3, 30), 12, False),  # exactly 84 days
        (date(2026, 1, 5), date(2026, 3, 29), 11, True),  # a day short
        (date(2026, 1, 5), date(2026, 3, 16), 10, True),
        (date(2026, 1, 5), date(2026, 6, 1), 21, False),
    ],
)
def test_consultation_length_against_twelve_weeks(starts, ends, weeks, shorter):
    length = checks.consultation_length(starts, ends, RULES)
    assert (length.weeks, length.shorter) == (weeks, shorter)


@pytest.mark.parametrize(
    ("notice", "ends", "short"),
    [
        (date(2026, 1, 10), date(2026, 4, 10), False),
        (date(2026, 1, 10), date(2026, 4, 9), True),
        (date(2026, 11, 30), date(2027, 2, 28), False),  # no 30 February: the month's end
        (date(2026, 1, 10), date(2026, 3, 10), True),  # two months
    ],
)
def test_three_months_notice(notice, ends, short):
    assert checks.notice_given(notice, ends, RULES).short is short


def test_add_months_keeps_to_the_months_last_day():
    assert checks.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert checks.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
