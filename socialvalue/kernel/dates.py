"""How the service writes dates in sentences: one wording, no platform-specific strftime flags."""

from datetime import date, datetime


def long_date(day: date) -> str:
    """'1 September 2026'."""
    return f"{day.day} {day:%B %Y}"


def long_moment(moment: datetime) -> str:
    """'5 March 2026 at 17:00', for a moment already in the time zone people read it in."""
    return f"{long_date(moment.date())} at {moment:%H:%M}"
