"""POST /api/act/assess/: the same inputs and answer as assess_act, errors naming the field."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from socialvalue.act.api import ActCheckThrottle
from tests.act.test_command import run

pytestmark = pytest.mark.django_db

URL = "/api/act/assess/"
BODY = {
    "authority_type": "local_authority",
    "nation": "england",
    "contract_type": "services",
    "service_category": "light_touch",
    "value": "300000",
    "vat": "exclusive",
    "vat_rate": "20",
    "date": "2026-09-01",
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Before each test only: the command tests close the database connection, which the
    # database cache would need after them (and the test's rollback empties that cache anyway).
    cache.clear()


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def as_options(body: dict) -> list[str]:
    """The same inputs as assess_act options."""
    args = []
    for name, value in body.items():
        option = "--" + name.replace("_", "-")
        if value is True:
            args.append(option)
        elif value is not False:
            args += [option, str(value)]
    return args


SAME = [
    BODY,
    {**BODY, "value": "150000", "vat": "inclusive", "service_category": "standard"},
    {**BODY, "call_off": True},
    {**BODY, "framework": True, "contract_type": "mixed", "services_value": "200000"},
    {**BODY, "nation": "wales", "authority_type": "housing_association"},
    {**BODY, "nation": "wales", "authority_type": "police", "vat_rate": "0"},
    {**BODY, "authority_type": "nhs", "value": "180000", "service_category": "standard"},
    {**BODY, "authority_type": "nhs", "central_government_authority": "yes"},
    {**BODY, "date": "2015-06-01"},
]


@pytest.mark.parametrize("body", SAME)
def test_the_endpoint_gives_the_same_answer_as_the_command(client, capsys, body):
    response = post(client, body)
    status, out, _ = run(as_options(body), capsys)
    assert response.status_code == 200 and status == 0
    assert response.json() == json.loads(out)


def test_no_sign_in_is_needed_and_the_answer_has_the_issue_keys(client):
    answer = post(client, BODY).json()
    assert answer["applies"] is True
    assert answer["threshold"] == "207720.00" and answer["value_compared"] == "360000.00"
    assert {"regime", "threshold_includes_vat", "reasons", "encouraged", "source"} <= set(answer)


def test_amounts_may_be_json_numbers(client):
    assert post(client, {**BODY, "value": 300000}).json()["value_compared"] == "360000.00"


ERRORS = [
    pytest.param({k: v for k, v in BODY.items() if k != "value"}, "value", id="missing-value"),
    pytest.param({**BODY, "nation": "scotland"}, "nation", id="bad-nation"),
    pytest.param({**BODY, "authority_type": "parish"}, "authority_type", id="bad-authority"),
    pytest.param({**BODY, "value": "lots"}, "value", id="bad-value"),
    pytest.param({**BODY, "value": "-1"}, "value", id="negative-value"),
    pytest.param({**BODY, "date": "2026-02-30"}, "date", id="bad-date"),
    pytest.param({**BODY, "vat_rate": "150"}, "vat_rate", id="bad-rate"),
    pytest.param({**BODY, "contract_type": "mixed"}, "services_value", id="mixed-without-share"),
    pytest.param({**BODY, "framework": True, "call_off": True}, "call_off", id="both-routes"),
    pytest.param({**BODY, "devolved_functions": True}, "devolved_functions", id="england-devolved"),
    pytest.param({**BODY, "colour": "red"}, "colour", id="unknown-field"),
]


@pytest.mark.parametrize(("body", "field"), ERRORS)
def test_bad_input_is_a_400_naming_the_field(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]


def test_a_body_that_is_not_an_object_is_refused(client):
    response = client.post(URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_anonymous_callers_are_throttled(client, monkeypatch):
    monkeypatch.setitem(ActCheckThrottle.THROTTLE_RATES, "act_check", "2/minute")
    assert post(client, BODY).status_code == 200
    assert post(client, BODY).status_code == 200
    assert post(client, BODY).status_code == 429


def test_the_endpoint_is_described_in_the_openapi_schema(client, commissioner, client_for):
    schema = client_for(commissioner).get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/act/assess/"]["post"]
    assert operation["operationId"] == "act_assess"
    assert "No sign-in needed" in operation["description"]
    request = schema["components"]["schemas"]["ActInputs"]
    assert {"authority_type", "nation", "contract_type", "value", "vat", "date"} <= set(
        request["properties"]
    )
    assert "applies" in schema["components"]["schemas"]["ActAnswer"]["properties"]
    assert "400" in operation["responses"]


@pytest.mark.parametrize(
    ("field", "sent", "message"),
    [
        ("value", "1e30", "Enter a value of £10,000,000,000 or less."),
        ("value", 1e30, "Enter a value of £10,000,000,000 or less."),
        ("value", "12.345", "Enter a value with no more than 2 decimal places."),
        ("value", "Infinity", "Enter a value as a number of pounds, like 250000 or 250,000.50."),
        ("vat_rate", "1e-30", "Enter a VAT rate with no more than 2 decimal places."),
        ("vat_rate", 101, "Enter a VAT rate of 100% or less."),
    ],
)
def test_an_amount_outside_its_limit_is_a_400_saying_what_is_allowed(client, field, sent, message):
    response = post(client, {**BODY, field: sent})
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_pounds_may_be_sent_with_a_pound_sign_and_commas(client):
    response = post(client, {**BODY, "value": "£300,000"})
    assert response.status_code == 200


SCOPE_SAME = [
    {**BODY, "dps": True},
    {**BODY, "contract_type": "mixed", "mixed_with": "works", "main_purpose": "services"},
    {**BODY, "contract_kind": "concession"},
    {**BODY, "authority_type": "nhs", "psr": True, "central_government_authority": "no"},
]


@pytest.mark.parametrize("body", SCOPE_SAME)
def test_the_new_inputs_give_the_same_answer_as_the_command(client, capsys, body):
    response = post(client, body)
    status, out, _ = run(as_options(body), capsys)
    assert response.status_code == 200 and status == 0
    assert response.json() == json.loads(out)


SCOPE_ERRORS = [
    pytest.param(
        {**BODY, "contract_type": "mixed", "mixed_with": "works"},
        "main_purpose",
        id="works-mix-without-purpose",
    ),
    pytest.param({**BODY, "mixed_with": "land"}, "mixed_with", id="bad-mixed-with"),
    pytest.param({**BODY, "contract_kind": "grant"}, "contract_kind", id="bad-kind"),
    pytest.param({**BODY, "dps": True, "framework": True}, "dps", id="dps-and-framework"),
    pytest.param({**BODY, "psr": True, "contract_type": "works"}, "psr", id="psr-works"),
    pytest.param(
        {k: v for k, v in BODY.items() if k != "vat_rate"}, "vat_rate", id="net-without-rate"
    ),
]


@pytest.mark.parametrize(("body", "field"), SCOPE_ERRORS)
def test_bad_new_input_is_a_400_naming_the_field(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    assert list(response.json()) == [field]
