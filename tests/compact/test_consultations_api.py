"""GET /api/consultations/: open consultations (or closed ones) for anyone, with the published
response summary once there is one; never a consultation before it opens, never a response."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command

from compact.models import Consultation, ConsultationResponse
from compact.selectors import today

pytestmark = pytest.mark.django_db

URL = "/api/consultations/"


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def test_anyone_lists_open_and_closed_consultations(client):
    call_command("seed_demo")
    now = today()
    opened = client.get(URL)
    assert opened.status_code == 200 and opened.has_header("ETag")
    titles = {item["title"] for item in opened.json()["results"]}
    assert titles == set(
        Consultation.objects.filter(starts_on__lte=now, ends_on__gte=now).values_list(
            "title", flat=True
        )
    )
    closed = client.get(URL, {"state": "closed"}).json()["results"]
    assert closed and all(item["ends_on"] < now.isoformat() for item in closed)
    answered = [item for item in closed if item["response"]]
    assert answered and answered[0]["response"]["you_said_we_did"]
    body = opened.content.decode() + str(closed)
    for response in ConsultationResponse.objects.all()[:5]:
        for value in vars(response).values():
            if isinstance(value, str) and len(value) > 20:
                assert value not in body


def test_a_consultation_before_it_opens_is_not_listed(client):
    call_command("seed_demo")
    first = Consultation.objects.order_by("pk").first()
    Consultation.objects.filter(pk=first.pk).update(
        starts_on=today() + timedelta(days=3), ends_on=today() + timedelta(days=100)
    )
    ids = [item["id"] for item in client.get(URL).json()["results"]]
    ids += [item["id"] for item in client.get(URL, {"state": "closed"}).json()["results"]]
    assert first.pk not in ids


def test_an_unknown_state_is_refused_by_name(client):
    response = client.get(URL, {"state": "maybe"})
    assert response.status_code == 400 and response.json() == {"state": ["Choose open or closed."]}
