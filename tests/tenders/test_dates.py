"""Tender dates and deadlines typed into the GOV.UK date input and a 24-hour time: each error is
shown once, by the part at fault, with what was typed kept; deadlines are UK time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Organisation, PlannedContract
from tenders.forms import ClockTimeField, TenderForm
from tenders.models import Tender

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _form_data(**overrides) -> dict:
    later = timezone.localdate() + timedelta(days=30)
    questions = later - timedelta(days=5)
    data = {
        "title": "Library outreach",
        "description": "Reading sessions for children.",
        "contract_type": "services",
        "estimated_value": "120000",
        "price_method": "lowest_price_ratio",
        "clarification_deadline_date_0": str(questions.day),
        "clarification_deadline_date_1": str(questions.month),
        "clarification_deadline_date_2": str(questions.year),
        "clarification_deadline_time": "12:00",
        "submission_deadline_date_0": str(later.day),
        "submission_deadline_date_1": str(later.month),
        "submission_deadline_date_2": str(later.year),
        "submission_deadline_time": "12:00",
    }
    data.update(overrides)
    return data


def _form(data: dict, authority) -> TenderForm:
    return TenderForm(
        data,
        authorities=Organisation.objects.filter(pk=authority.pk),
        planned_contracts=PlannedContract.objects.none(),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"submission_deadline_date_0": "31", "submission_deadline_date_1": "2"},
            "submission_deadline_date",
            "Deadline for bids must be a real date.",
        ),
        (
            {"submission_deadline_date_1": "13"},
            "submission_deadline_date",
            "Deadline for bids must be a real date.",
        ),
        (
            {"submission_deadline_date_1": ""},
            "submission_deadline_date",
            "Deadline for bids must include a month.",
        ),
        (
            {"clarification_deadline_date_2": "27"},
            "clarification_deadline_date",
            "Year must include 4 numbers.",
        ),
        (
            {"contract_start_0": "1", "contract_start_1": "x", "contract_start_2": "2027"},
            "contract_start",
            "The contract start must be a real date.",
        ),
        (
            {"submission_deadline_time": "25:00"},
            "submission_deadline_time",
            "Time bids close: the hour must be from 00 to 23.",
        ),
        (
            {"submission_deadline_time": "12:75"},
            "submission_deadline_time",
            "Time bids close: the minutes must be from 00 to 59.",
        ),
        (
            {"clarification_deadline_time": "noon"},
            "clarification_deadline_time",
            "Time questions close must be a time on the 24-hour clock, like 09:00 or 17:30.",
        ),
        (
            {"submission_deadline_time": ""},
            "submission_deadline_time",
            "Enter the time of the deadline for bids.",
        ),
        (
            {
                "submission_deadline_date_0": "",
                "submission_deadline_date_1": "",
                "submission_deadline_date_2": "",
            },
            "submission_deadline_date",
            "Enter the date of the deadline for bids.",
        ),
    ],
)
def test_a_wrong_date_or_time_is_named_once_by_its_field(authority, overrides, field, message):
    form = _form(_form_data(**overrides), authority)
    assert not form.is_valid()
    assert form.errors[field] == [message]
    # Only the part at fault: no second, generic message about the same deadline.
    flat = [m for messages in form.errors.values() for m in messages]
    assert flat.count(message) == 1 and len(flat) == 1


def test_an_impossible_date_marks_the_part_and_keeps_what_was_typed(
    client_for, procurement_officer
):
    data = _form_data(submission_deadline_date_1="13")
    page = client_for(procurement_officer).post(reverse("tender-create"), data).content.decode()
    assert "Deadline for bids must be a real date." in page
    assert 'href="#id_submission_deadline_date_1"' in page  # the summary links to the month
    assert 'name="submission_deadline_date_1" value="13"' in page
    assert 'value="Library outreach"' in page
    assert not Tender.objects.exists()


@pytest.mark.parametrize(
    ("typed", "hours", "minutes"),
    [("17:30", 17, 30), ("9:05", 9, 5), ("0930", 9, 30), ("17.30", 17, 30), ("00:00", 0, 0)],
)
def test_times_are_read_on_the_24_hour_clock(typed, hours, minutes):
    moment = ClockTimeField(subject="Time bids close").clean(typed)
    assert (moment.hour, moment.minute) == (hours, minutes)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(date(2027, 7, 1), 11), (date(2027, 1, 12), 12)],  # British Summer Time, then GMT
)
def test_a_deadline_is_uk_time_in_summer_and_winter(authority, day, utc_hour):
    questions = day - timedelta(days=3)
    form = _form(
        _form_data(
            submission_deadline_date_0=str(day.day),
            submission_deadline_date_1=str(day.month),
            submission_deadline_date_2=str(day.year),
            clarification_deadline_date_0=str(questions.day),
            clarification_deadline_date_1=str(questions.month),
            clarification_deadline_date_2=str(questions.year),
        ),
        authority,
    )
    assert form.is_valid(), form.errors
    deadline = form.cleaned_data["submission_deadline"]
    assert deadline == datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)
    assert deadline.astimezone(ZoneInfo("UTC")).hour == utc_hour


def test_a_saved_deadline_comes_back_into_the_boxes(client_for, procurement_officer):
    client = client_for(procurement_officer)
    client.post(reverse("tender-create"), _form_data(submission_deadline_time="17:45"))
    tender = Tender.objects.get()
    page = client.get(reverse("tender-edit", args=[tender.pk])).content.decode()
    local = timezone.localtime(tender.submission_deadline)
    assert f'name="submission_deadline_date_0" value="{local.day}"' in page
    assert 'name="submission_deadline_time" value="17:45"' in page
