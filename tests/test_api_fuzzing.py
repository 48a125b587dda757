"""Schemathesis fuzzes the JSON API from its own OpenAPI schema, against a live test server:
every operation, with a bounded number of generated requests each (about a minute in all), must
answer without a server error and with a status, content type and body its schema describes.

The demo data is loaded so that some generated ids find real tenders. Throttling is lifted for
the run (the generated requests would otherwise meet the per-address limits, which have their
own tests)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle

pytestmark = [pytest.mark.django_db(transaction=True)]

EXAMPLES = 25  # generated requests per operation


@pytest.fixture
def api_schema(live_server, monkeypatch):
    call_command("seed_demo")
    lifted = dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "100000/minute")
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", lifted)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case):
    case.call_and_validate()
