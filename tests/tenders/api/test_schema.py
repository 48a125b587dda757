"""The OpenAPI schema is read from the serializers and the opportunity filters: it validates,
describes every endpoint, lists the filters as parameters, and describes each answer with exactly
the fields, types and nulls the endpoint really gives."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from measurement.models import Measure
from socialvalue.definitions import services as definition_services
from tenders import services
from tenders.models import Criterion
from tests.tenders.factories import build_tender


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_every_endpoint_of_the_api_is_described(schema):
    operations = {
        path: {method: operation["operationId"] for method, operation in methods.items()}
        for path, methods in schema["paths"].items()
    }
    assert operations == {
        "/api/act/assess/": {"post": "act_assess"},
        "/api/opportunities/": {"get": "opportunities_list"},
        "/api/tenders/{id}/": {"get": "tender_detail"},
        "/api/bids/": {"get": "own_bids"},
        "/api/market-statements/": {"get": "market_statements"},
        "/api/consultations/": {"get": "consultations"},
        "/api/market-statements/{slug}/": {"get": "market_statement"},
        "/api/tenders/{id}/clarifications/": {"get": "tender_clarifications"},
        "/api/ocds/releases/": {"get": "ocds_releases"},
        "/api/ocds/tenders/{id}/releases.json": {"get": "ocds_tender_releases"},
        "/api/awards/": {"get": "awards"},
        "/api/contracts/": {"get": "contracts"},
        "/api/contracts/{id}/": {"get": "contract"},
        "/api/delivery/returns/": {"get": "delivery_returns"},
    }


def test_the_list_takes_the_filters_of_the_opportunities_page(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/opportunities/"]["get"]["parameters"]}
    assert set(parameters) == {"q", "authority", "value", "closing", "lot", "closed"} | {
        "page",
        "page_size",
    }
    assert parameters["authority"]["schema"]["type"] == "integer"
    assert parameters["closed"]["schema"]["type"] == "boolean"
    assert sorted(parameters["closing"]["schema"]["enum"], key=int) == ["7", "14", "30", "90"]
    assert parameters["q"]["description"] == "Words in the title, description or reference."


def _resolve(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        return _resolve(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    for combined in ("allOf", "oneOf"):  # a nullable reference; a URL or blank
        if combined in node:
            return _resolve(schema, node[combined][0])
    return node


_TYPES = {"string": str, "integer": int, "boolean": bool, "number": (int, float)}


def assert_described(schema: dict, node: dict, value, where: str = "answer") -> int:
    """Fail unless `value` is exactly what the schema `node` says (every key of every object,
    no more and no fewer, types and nulls). Returns how many values were checked."""
    resolved = _resolve(schema, node)
    if value is None:
        assert node.get("nullable") or resolved.get("nullable"), f"{where} is null"
        return 1
    if "enum" in resolved:
        assert value in resolved["enum"], where
    kind = resolved.get("type")
    if kind == "object" and "properties" in resolved:
        assert isinstance(value, dict), where
        assert set(value) == set(resolved["properties"]), where
        assert set(resolved.get("required", [])) <= set(value), where
        return 1 + sum(
            assert_described(schema, resolved["properties"][key], item, f"{where}.{key}")
            for key, item in value.items()
        )
    if kind == "object":
        assert isinstance(value, dict), where
        return 1
    if kind == "array":
        assert isinstance(value, list), where
        return 1 + sum(
            assert_described(schema, resolved["items"], item, f"{where}[{index}]")
            for index, item in enumerate(value)
        )
    assert isinstance(value, _TYPES[kind]), f"{where}: {value!r} is not {kind}"
    return 1


def _answer_schema(schema: dict, path: str, method: str = "get") -> dict:
    return schema["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


@pytest.fixture
def published_in_full(procurement_officer, authority, commissioner):
    """A published tender with every part filled: a question tied to a priority with measures,
    a pass mark and word limit, a document and an amendment; and a second, plain one."""
    tender = build_tender(procurement_officer, authority, value=Decimal("123456.78"))
    definition = definition_services.definition_create(
        actor=commissioner, owner=authority, title="Our social value", statement="Good work."
    )
    priority = definition_services.priority_add(
        actor=commissioner, definition=definition, theme="economic", outcome="Local jobs"
    )
    question = Criterion.objects.get(lot__tender=tender, name="Local employment")
    Criterion.objects.filter(pk=question.pk).update(
        priority=priority, pass_mark=Decimal("2.50"), word_limit=500
    )
    question.measures.set(Measure.objects.filter(code__in=["ECO-01", "ENV-01"]))
    services.tender_amend(
        actor=procurement_officer,
        tender=tender,
        reason="The pricing schedule was missing a line.",
        submission_deadline=tender.submission_deadline + timedelta(days=3),
        documents=[("Revised pricing schedule", SimpleUploadedFile("p.pdf", b"%PDF-1.4 x"))],
    )
    build_tender(procurement_officer, authority, title="Plain tender")
    return tender


@pytest.mark.django_db
def test_the_answers_have_exactly_the_fields_the_schema_describes(
    client, schema, published_in_full
):
    listing = client.get(reverse("api-opportunities")).json()
    assert listing["count"] == 2
    checked = assert_described(schema, _answer_schema(schema, "/api/opportunities/"), listing)
    detail = client.get(reverse("api-tender-detail", args=[published_in_full.pk])).json()
    assert detail["amendments"] and detail["documents"]
    assert any(row["priority"] and row["measures"] for row in detail["lots"][0]["criteria"])
    checked += assert_described(schema, _answer_schema(schema, "/api/tenders/{id}/"), detail)
    assert checked > 100


@pytest.mark.django_db
def test_the_act_answer_has_exactly_the_fields_the_schema_describes(client, schema):
    cache.clear()
    body = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "services",
        "value": "300000",
        "vat": "exclusive",
        "date": "2026-09-01",
    }
    response = client.post(reverse("api-act-assess"), json.dumps(body), "application/json")
    assert response.status_code == 200
    assert_described(schema, _answer_schema(schema, "/api/act/assess/", "post"), response.json())
