"""What the tender forms share: plain figures, re-laying out a form, and reading deadlines
(a date and a 24-hour clock time, UK time)."""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialvalue.core.forms import GOVUKDateField
from socialvalue.kernel import numbers

# Who a tender or lot suits (OCDS suitability extension: `sme`, `vcse`); a tender and its lots
# say it alike.
SUITABLE_FOR = [
    ("sme", "Small and medium-sized enterprises (SMEs)"),
    ("vcse", "Voluntary, community and social enterprises (VCSEs)"),
]


def plain(value: Decimal | None) -> str:
    """A number as a person types it: 50.000 -> '50', 12.50 -> '12.5' (never '5E+1')."""
    if value is None:
        return ""
    return numbers.plain(value)


def refresh_layout(form) -> None:
    """Rebuild the GOV.UK helper after a form adds or removes fields in __init__ (the helper
    lays out the fields that existed when it was made)."""
    form.helper = FormHelper(form)
    form.helper.form_tag = False


TIME_HELP = "Use the 24-hour clock, UK time. For example, 09:00 or 17:30."


_TIME = re.compile(r"^(?P<hours>\d{1,2})[:.]?(?P<minutes>\d{2})$")


class ClockTimeField(forms.CharField):
    """A time of day typed as HH:MM on the 24-hour clock (UK time); errors name the part at fault.

    GOV.UK Frontend has no time component, so this is a plain text input of five characters
    with a hint, as the Design System's "ask users for dates and times" pattern suggests.
    Accepts 17:30, 17.30, 1730 and 9:05; returns a `datetime.time`.
    """

    def __init__(self, *, subject: str, **kwargs):
        kwargs.setdefault("help_text", TIME_HELP)
        super().__init__(**kwargs)
        self.subject = subject
        self.widget.attrs.update(inputmode="numeric", spellcheck="false", autocomplete="off")

    def clean(self, value) -> time | None:
        text = super().clean(value)
        if not text:
            return None
        found = _TIME.match(text.strip())
        if found is None:
            raise ValidationError(
                f"{self.subject} must be a time on the 24-hour clock, like 09:00 or 17:30."
            )
        hours, minutes = int(found["hours"]), int(found["minutes"])
        if hours > 23:
            raise ValidationError(f"{self.subject}: the hour must be from 00 to 23.")
        if minutes > 59:
            raise ValidationError(f"{self.subject}: the minutes must be from 00 to 59.")
        return time(hours, minutes)


class DeadlinesForm(forms.Form):
    """The two deadlines, each a GOV.UK date input and a 24-hour time (UK time)."""

    clarification_deadline_date = GOVUKDateField(
        label="Deadline for questions", subject="Deadline for questions", required=False
    )
    clarification_deadline_time = ClockTimeField(
        label="Time questions close", subject="Time questions close", required=False
    )
    submission_deadline_date = GOVUKDateField(
        label="Deadline for bids", subject="Deadline for bids", required=False
    )
    submission_deadline_time = ClockTimeField(
        label="Time bids close", subject="Time bids close", required=False
    )

    def _moment(self, name: str, label: str) -> datetime | None:
        """The deadline from its date and time fields, in UK time; None when both are empty.
        A part with its own error (an impossible date, a bad time) is not reported twice."""
        day = self.cleaned_data.get(f"{name}_date")
        clock = self.cleaned_data.get(f"{name}_time")
        date_failed = f"{name}_date" in self.errors
        time_failed = f"{name}_time" in self.errors
        if date_failed or time_failed:
            return None
        if day is None and clock is None:
            return None
        if day is None:
            self.add_error(f"{name}_date", f"Enter the date of the {label}.")
            return None
        if clock is None:
            self.add_error(f"{name}_time", f"Enter the time of the {label}.")
            return None
        # The service's time zone (Europe/London), so 12:00 means noon in the UK, BST or not.
        return timezone.make_aware(datetime.combine(day, clock))

    def clean(self):
        data = super().clean()
        data["clarification_deadline"] = self._moment(
            "clarification_deadline", "deadline for questions"
        )
        data["submission_deadline"] = self._moment("submission_deadline", "deadline for bids")
        return data

    @staticmethod
    def deadline_initial(tender) -> dict:
        """The boxes filled from a tender's deadlines, in UK time."""
        initial = {}
        for name in ("clarification_deadline", "submission_deadline"):
            moment = getattr(tender, name)
            if moment is not None:
                local = timezone.localtime(moment)
                initial[f"{name}_date"] = local.date()
                initial[f"{name}_time"] = local.strftime("%H:%M")
        return initial
