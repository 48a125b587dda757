"""The award regimes: which applies, what each requires in order, and standstill end dates
worked by hand across weekends, Christmas and New Year, and Easter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from socialvalue.kernel.sourced import Source
from tenders.award_rules import (
    EACH_ASSESSED_SUPPLIER,
    EACH_BIDDER,
    PUBLIC,
    RegimeError,
    load_regimes,
    regime,
    regime_for,
    required_steps,
    standstill_ends,
)

LONDON = ZoneInfo("Europe/London")


def test_the_regime_boundary_is_24_february_2025():
    assert regime_for(procurement_started_on=date(2025, 2, 23)).key == "pcr2015"
    assert regime_for(procurement_started_on=date(2025, 2, 24)).key == "pa2023"
    assert regime_for(procurement_started_on=date(2015, 2, 26)).key == "pcr2015"
    with pytest.raises(RegimeError):
        regime_for(procurement_started_on=date(2015, 2, 25))


def test_the_provider_selection_regime_from_1_january_2024():
    assert (
        regime_for(procurement_started_on=date(2024, 1, 1), provider_selection_regime=True).key
        == "psr2023"
    )
    assert (
        regime_for(procurement_started_on=date(2026, 6, 1), provider_selection_regime=True).key
        == "psr2023"
    )
    with pytest.raises(RegimeError, match="Provider Selection Regime"):
        regime_for(procurement_started_on=date(2023, 12, 31), provider_selection_regime=True)


def test_pa2023_assessment_summaries_then_the_notice_that_starts_standstill():
    steps = required_steps("pa2023")
    assert [(s.key, s.recipients, s.starts_standstill) for s in steps] == [
        ("assessment_summary", EACH_ASSESSED_SUPPLIER, False),
        ("contract_award_notice", PUBLIC, True),
    ]
    assert steps[0].before == "contract_award_notice"
    assert any("Never another unsuccessful supplier" in line for line in steps[0].content)


def test_pcr2015_letters_to_every_bidder_and_the_regulation_84_report():
    chosen = regime("pcr2015")
    assert [(s.key, s.recipients) for s in chosen.steps] == [("award_decision_notice", EACH_BIDDER)]
    assert any("relative advantages" in line for line in chosen.steps[0].content)
    report = chosen.record[0]
    assert report.key == "regulation_84_report"
    assert any("abnormally low" in line for line in report.content)
    assert any("conflicts of interest" in line for line in report.content)


def test_psr_key_criteria_include_social_value_and_unconfirmed_parts_say_so():
    chosen = regime("psr2023")
    assert "social_value" in [k.key for k in chosen.key_criteria]
    assert chosen.key_criteria_confirmed is False
    assert any(line.startswith("Key criteria") for line in chosen.unconfirmed)
    assert any(line.startswith("Working days") for line in chosen.unconfirmed)


def test_every_regime_names_its_sources():
    for chosen in load_regimes().values():
        assert chosen.standstill.sources and all(
            isinstance(s, Source) for s in chosen.standstill.sources
        )
        assert all(s.url for s in chosen.standstill.sources)
        for step in chosen.steps:
            assert step.content


# --- Procurement Act 2023: 8 working days beginning with the day of the notice ---------


def test_pa2023_on_an_ordinary_week():
    # Published Tue 1 Dec 2026 (day 1): Dec 1-4 (4), 7-10 (8) -> ends midnight after Thu 10 Dec.
    end = standstill_ends("pa2023", date(2026, 12, 1))
    assert end.last_day == date(2026, 12, 10)
    assert end.ends_at == datetime(2026, 12, 11, 0, 0, tzinfo=LONDON)


def test_pa2023_across_christmas_and_new_year():
    # Published Fri 18 Dec 2026: 18 (1), 21-24 (5), [25 Christmas, 28 Boxing Day substitute],
    # 29, 30, 31 (8) -> Thu 31 Dec.
    assert standstill_ends("pa2023", date(2026, 12, 18)).last_day == date(2026, 12, 31)
    # Published Wed 23 Dec 2026: 23, 24 (2), 29, 30, 31 (5), [1 Jan; 2 Jan Saturday],
    # 4 Jan is the Scottish substitute for 2 January, so skipped UK-wide: 5, 6, 7 Jan (8).
    end = standstill_ends("pa2023", date(2026, 12, 23))
    assert end.last_day == date(2027, 1, 7)
    assert (date(2027, 1, 4), "2nd January") in end.skipped


def test_pa2023_across_easter():
    # Published Wed 24 March 2027: 24, 25 (2), [26 Good Friday, 29 Easter Monday],
    # 30, 31, 1, 2 Apr (6), 5, 6 (8) -> Tue 6 April.
    assert standstill_ends("pa2023", date(2027, 3, 24)).last_day == date(2027, 4, 6)


def test_pa2023_notice_on_a_saturday_counts_from_monday():
    assert standstill_ends("pa2023", date(2026, 12, 5)).last_day == date(2026, 12, 16)


def test_a_moment_is_read_in_london_time():
    # 23:30 UTC on Monday 29 June 2026 is 00:30 on Tuesday 30 June in London (summer time).
    late = datetime(2026, 6, 29, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert standstill_ends("pa2023", late).started_on == date(2026, 6, 30)


# --- PCR 2015: midnight at the end of the 10th day after sending (15 if not electronic) --


def test_pcr_ten_calendar_days_after_sending_electronically():
    # Sent Tue 17 Nov 2026: 10th day after is Fri 27 Nov.
    end = standstill_ends("pcr2015", date(2026, 11, 17))
    assert end.last_day == date(2026, 11, 27)
    assert end.ends_at == datetime(2026, 11, 28, 0, 0, tzinfo=LONDON)


def test_pcr_fifteen_days_when_not_sent_electronically():
    assert standstill_ends("pcr2015", date(2026, 11, 17), electronic=False).last_day == date(
        2026, 12, 2
    )
    # Or the 10th day after the last one was received, if that is earlier.
    assert standstill_ends(
        "pcr2015", date(2026, 11, 17), electronic=False, last_received_on=date(2026, 11, 19)
    ).last_day == date(2026, 11, 30)  # 29th is a Sunday: rolls to Monday 30


def test_pcr_ending_on_a_weekend_runs_to_the_next_working_day():
    # Sent Wed 2 Dec 2026: 10th day after is Sat 12 Dec -> Mon 14 Dec.
    end = standstill_ends("pcr2015", date(2026, 12, 2))
    assert end.last_day == date(2026, 12, 14)
    assert "not a working day" in end.rule


def test_pcr_across_christmas():
    # Sent Tue 15 Dec 2026: 10th day after is Fri 25 Dec (Christmas) -> Sat, Sun, Mon 28
    # (Boxing Day substitute) -> Tue 29 Dec.
    assert standstill_ends("pcr2015", date(2026, 12, 15)).last_day == date(2026, 12, 29)


def test_pcr_across_easter():
    # Sent Tue 16 March 2027: 10th day after is Fri 26 March, Good Friday -> Tue 30 March.
    assert standstill_ends("pcr2015", date(2027, 3, 16)).last_day == date(2027, 3, 30)


# --- Provider Selection Regime: 8 working days after the day standstill begins ---------


def test_psr_begins_the_day_after_the_notice():
    # Notice Mon 7 Dec 2026; standstill begins Tue 8; 8th working day after: Wed 9 .. Fri 18.
    assert standstill_ends("psr2023", date(2026, 12, 7)).last_day == date(2026, 12, 18)
    # Across Christmas (England): notice Fri 18 Dec; begins Sat 19; Mon 21 .. Thu 24 (4),
    # Tue 29 .. Thu 31 (7), Mon 4 Jan (8).
    assert standstill_ends("psr2023", date(2026, 12, 18)).last_day == date(2027, 1, 4)


def test_an_unknown_regime_is_named():
    with pytest.raises(KeyError, match="known: pa2023, pcr2015, psr2023"):
        standstill_ends("pcr2006", date(2026, 1, 5))


def test_psr_after_representations_waits_five_working_days_from_the_further_decision():
    # Notice Mon 7 Dec 2026 (ordinary end Fri 18 Dec); representations made, further decision
    # given Thu 17 Dec: 5 working days after it are Fri 18 .. Thu 24 Dec.
    end = standstill_ends("psr2023", date(2026, 12, 7), further_decision_on=date(2026, 12, 17))
    assert end.last_day == date(2026, 12, 24)
    assert "representations were made" in end.rule
    with pytest.raises(ValueError, match="no wait after a further decision"):
        standstill_ends("pa2023", date(2026, 12, 7), further_decision_on=date(2026, 12, 17))
