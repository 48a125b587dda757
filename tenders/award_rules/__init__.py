"""Pure award rules: which regime governs a procurement (Procurement Act 2023, Public Contracts
Regulations 2015, Provider Selection Regime), what it requires to be sent or published after the
winner is chosen, what must be kept on record, and when its standstill ends, counted on the UK
bank holidays bundled with the service.

No Django, no network: reads only tenders/data/award_regimes.json and
tenders/data/bank_holidays.json through socialvalue.kernel.sourced. The award pages and
notifications drive their steps from `required_steps` and their dates from `standstill_ends`.
"""

from tenders.award_rules.calendar import (
    DIVISIONS,
    ENGLAND_AND_WALES,
    BankHolidayCalendar,
    CalendarCoverageError,
    add_working_days,
    is_working_day,
    load_calendar,
    next_working_day,
    nth_working_day_from,
)
from tenders.award_rules.regimes import (
    CALENDAR_DAYS,
    EACH_ASSESSED_SUPPLIER,
    EACH_BIDDER,
    LONDON,
    PUBLIC,
    WORKING_DAYS,
    AwardStep,
    KeyCriterion,
    RecordItem,
    Regime,
    RegimeError,
    StandstillEnd,
    StandstillRule,
    WorkingDays,
    load_regimes,
    regime,
    regime_for,
    required_steps,
    standstill_ends,
)

__all__ = [
    "CALENDAR_DAYS",
    "DIVISIONS",
    "EACH_ASSESSED_SUPPLIER",
    "EACH_BIDDER",
    "ENGLAND_AND_WALES",
    "LONDON",
    "PUBLIC",
    "WORKING_DAYS",
    "AwardStep",
    "BankHolidayCalendar",
    "CalendarCoverageError",
    "KeyCriterion",
    "RecordItem",
    "Regime",
    "RegimeError",
    "StandstillEnd",
    "StandstillRule",
    "WorkingDays",
    "add_working_days",
    "is_working_day",
    "load_calendar",
    "load_regimes",
    "next_working_day",
    "nth_working_day_from",
    "regime",
    "regime_for",
    "required_steps",
    "standstill_ends",
]
