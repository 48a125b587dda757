"""The contracts API (public) and the delivery returns API (by token): anonymous readers see
every contract with its commitments and verified delivery totals, exactly as the delivery page
computes them; a supplier's token reads its own returns and no one else's, an authority's token
the sent returns on its contracts; a revoked token is refused. Filters refused as JSON naming
the parameter, ETags, and query budgets that hold as data grows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measurement.delivery import selectors, services
from measurement.delivery.models import ReturnLine
from socialvalue.core import api_tokens
from socialvalue.core.permissions import forget_roles
from socialvalue.models import Membership, Role
from tests.delivery.factories import contract_world
from tests.factories import AuthorityFactory, BidderOrganisationFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _sent_and_checked(world, *, accept_first=True, note="Fewer staff than planned."):
    """The first period's return sent with evidence; the first line accepted, the other left
    awaiting checks."""
    contract = world.contract
    services.schedule_create(actor=world.officer, contract=contract)
    period = contract.reporting_periods.get(number=1)
    evidence = services.evidence_add(
        actor=world.reporter,
        supplier=world.supplier,
        upload=SimpleUploadedFile("hours.pdf", b"%PDF-1.4 hours", content_type="application/pdf"),
        description="Hours log for the quarter",
    )
    first, second = contract.commitments.order_by("pk")
    services.return_save(
        actor=world.reporter,
        period=period,
        lines={
            first.pk: services.LineInput(quantity="100", evidence_ids=[evidence.pk]),
            second.pk: services.LineInput(quantity="1", variance_note=note),
        },
        submit=True,
    )
    if accept_first:
        line = ReturnLine.objects.get(commitment=first)
        services.line_decide(actor=world.officer, line=line, decision="accept")
    return period


@pytest.fixture
def world(procurement_officer, authority):
    return contract_world(procurement_officer, authority)


def _key(user, organisation):
    return api_tokens.api_token_create(actor=user, organisation=organisation, name="Script")


def test_anyone_reads_a_contract_with_its_commitments_and_proxy_sources(client, world):
    response = client.get(reverse("api-contracts"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    contract = world.contract
    assert row["id"] == contract.pk and row["value"] == "150000.00"
    assert row["supplier"]["name"] == "Greenway Supplies Ltd"
    assert row["buyer"]["id"] == contract.tender.authority_id
    assert (row["signed_on"], row["ends_on"]) == (
        contract.signed_on.isoformat(),
        contract.ends_on.isoformat(),
    )
    codes = {c["measure"]["code"]: c for c in row["commitments"]}
    assert set(codes) == {"ECO-05", "ECO-07"}
    assert codes["ECO-05"]["quantity"] == "400"
    assert codes["ECO-05"]["timing"] == "Over the contract"
    stored = contract.commitments.get(measure__code="ECO-05")
    if stored.proxy_value is not None:
        assert codes["ECO-05"]["proxy"]["id"] == stored.proxy_value_id
        assert codes["ECO-05"]["proxy"]["source_title"] == stored.proxy_value.source_title


def test_the_delivery_totals_count_accepted_quantities_as_the_delivery_page_does(client, world):
    _sent_and_checked(world)
    response = client.get(reverse("api-contract-detail", args=[world.contract.pk]))
    assert response.status_code == 200
    delivery = response.json()["delivery"]
    figures = selectors.contract_figures(world.contract)
    by_pk = {row["commitment"]: row for row in delivery["commitments"]}
    for row in figures.commitments:
        answer = by_pk[row.commitment.pk]
        assert Decimal(answer["delivered"]) == row.delivered
        for name in ("committed_gross", "delivered_gross", "delivered_net"):
            value = getattr(row, name)
            expected = None if value is None else str(value.quantize(Decimal("0.01")))
            assert answer[name] == expected, name
    first, second = world.contract.commitments.order_by("pk")
    assert by_pk[first.pk]["delivered"] == "100"  # accepted
    assert by_pk[second.pk]["delivered"] == "0"  # reported, still awaiting checks
    assert delivery["price_base"] == figures.price_base
    assert delivery["assumptions"] == list(figures.assumptions)
    assert delivery["totals"]["welfare_net"] == str(
        figures.totals.welfare_net.quantize(Decimal("0.01"))
    )
    # Nothing of the returns themselves is public: no variance note, no evidence.
    body = response.content.decode()
    assert "Fewer staff" not in body and "Hours log" not in body
    # The list carries the same verified totals, summed for its whole page at once.
    listed = client.get(reverse("api-contracts")).json()["results"]
    delivered = next(item for item in listed if item["id"] == world.contract.pk)["delivered"]
    for name in ("welfare_gross", "welfare_net", "transfer_gross", "transfer_net"):
        assert delivered[name] == delivery["totals"][name], name
    # Something was accepted, so something is delivered (in whichever heading its kind is).
    assert sum(Decimal(delivered[name]) for name in delivered if name.endswith("_gross")) > 0


def test_a_contract_that_does_not_exist_is_not_found(client):
    response = client.get(reverse("api-contract-detail", args=[987654]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No contract has this id."}


def test_the_contract_filters_narrow_and_refuse_bad_values_naming_them(client, world, authority):
    url = reverse("api-contracts")
    signed = world.contract.signed_on

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(buyer=authority.pk, supplier=world.supplier.pk) == [world.contract.pk]
    assert ids(buyer=AuthorityFactory().pk) == []
    assert ids(since=signed.isoformat(), until=signed.isoformat()) == [world.contract.pk]
    assert ids(since=(signed + timedelta(days=1)).isoformat()) == []
    for name, value in (("buyer", "x"), ("supplier", str(authority.pk)), ("until", "2026-13-01")):
        response = client.get(url, {name: value})
        assert response.status_code == 400, name
        assert list(response.json()) == [name]
    response = client.get(url, {"since": "2026-05-01", "until": "2026-04-01"})
    assert response.json() == {"until": ["The end date must be on or after the start date."]}


def test_the_contract_answers_304_to_their_etag(client, world):
    for url in (
        reverse("api-contracts"),
        reverse("api-contract-detail", args=[world.contract.pk]),
    ):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_suppliers_token_reads_its_own_returns_and_nobody_elses(
    client, world, procurement_officer, authority
):
    period = _sent_and_checked(world)
    other = contract_world(procurement_officer, authority)  # another supplier's contract
    _sent_and_checked(other, note="Their own note.")
    _, key = _key(world.reporter, world.supplier)
    response = client.get(reverse("api-delivery-returns"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    [sent] = response.json()["results"]
    assert sent["period"]["number"] == period.number and sent["status"] == "submitted"
    assert sent["contract"] == world.contract.pk
    lines = {line["commitment"]: line for line in sent["lines"]}
    first, second = world.contract.commitments.order_by("pk")
    assert lines[first.pk]["status"] == "accepted" and lines[first.pk]["quantity"] == "100"
    assert lines[first.pk]["evidence"] == [
        {"description": "Hours log for the quarter", "name": "hours.pdf"}
    ]
    assert lines[second.pk]["status"] == "pending"
    assert "Their own note." not in response.content.decode()
    assert "Authorization" in response["Vary"]  # each token's answer is its own
    again = client.get(
        reverse("api-delivery-returns"),
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_an_authoritys_token_reads_the_sent_returns_on_its_contracts_only(
    client, world, procurement_officer
):
    _sent_and_checked(world)
    # A draft return of the next period stays the supplier's own.
    second_period = world.contract.reporting_periods.get(number=2)
    services.return_save(
        actor=world.reporter,
        period=second_period,
        lines={c.pk: services.LineInput(quantity="1") for c in world.contract.commitments.all()},
        submit=False,
        today=second_period.starts_on,
    )
    _, key = _key(procurement_officer, world.contract.tender.authority)
    results = client.get(
        reverse("api-delivery-returns"), HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()["results"]
    assert [row["period"]["number"] for row in results] == [1]
    _, own_key = _key(world.reporter, world.supplier)
    own = client.get(reverse("api-delivery-returns"), HTTP_AUTHORIZATION=f"Bearer {own_key}")
    assert sorted(row["status"] for row in own.json()["results"]) == ["draft", "submitted"]
    drafts = client.get(
        reverse("api-delivery-returns"),
        {"status": "draft"},
        HTTP_AUTHORIZATION=f"Bearer {own_key}",
    ).json()["results"]
    assert [row["period"]["number"] for row in drafts] == [2]


def test_other_organisations_tokens_see_no_returns_and_a_revoked_token_is_refused(client, world):
    _sent_and_checked(world)
    url = reverse("api-delivery-returns")
    other_supplier = BidderOrganisationFactory()
    other_authority = AuthorityFactory()
    for role, organisation in ((Role.BIDDER, other_supplier), (Role.COMMISSIONER, other_authority)):
        person = person_with_role(role, organisation)
        _, key = _key(person, organisation)
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200
        assert response.json()["results"] == []
    # The supplier's person holding a token for another organisation sees none of its returns.
    elsewhere = BidderOrganisationFactory()
    Membership.objects.create(user=world.reporter, organisation=elsewhere, role=Role.BIDDER)
    forget_roles(world.reporter)
    _, key = _key(world.reporter, elsewhere)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()["results"] == []
    token, key = _key(world.reporter, world.supplier)
    assert len(client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()["results"]) == 1
    api_tokens.api_token_revoke(actor=world.reporter, token=token)
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert refused.status_code == 401
    assert "Fewer staff" not in refused.content.decode()
    assert client.get(url).status_code in (401, 403)  # no token at all
    client.force_login(world.reporter)
    assert client.get(url).status_code in (401, 403)  # a session is not a token


def test_a_bad_return_filter_is_refused_as_json_naming_it(client, world):
    _, key = _key(world.reporter, world.supplier)
    for name, value in (("status", "sent"), ("contract", "x"), ("since", "yesterday")):
        response = client.get(
            reverse("api-delivery-returns"), {name: value}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert response.status_code == 400, name
        assert list(response.json()) == [name]


def test_the_lists_cost_the_same_queries_as_contracts_and_returns_grow(
    client, procurement_officer, authority, django_assert_max_num_queries
):
    first = contract_world(procurement_officer, authority)
    _sent_and_checked(first)
    _, key = _key(first.reporter, first.supplier)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    with django_assert_max_num_queries(30) as contracts_one:
        client.get(reverse("api-contracts"))
    with django_assert_max_num_queries(30) as returns_one:
        client.get(reverse("api-delivery-returns"), **auth)
    with django_assert_max_num_queries(30) as detail_one:
        client.get(reverse("api-contract-detail", args=[first.contract.pk]))
    second = contract_world(procurement_officer, authority)
    _sent_and_checked(second)
    third_period = first.contract.reporting_periods.get(number=2)
    services.return_save(
        actor=first.reporter,
        period=third_period,
        lines={c.pk: services.LineInput(quantity="2") for c in first.contract.commitments.all()},
        submit=True,
        today=third_period.starts_on + timedelta(days=1),
    )
    with django_assert_max_num_queries(len(contracts_one.captured_queries)):
        assert len(client.get(reverse("api-contracts")).json()["results"]) == 2
    with django_assert_max_num_queries(len(returns_one.captured_queries)):
        assert len(client.get(reverse("api-delivery-returns"), **auth).json()["results"]) == 2
    with django_assert_max_num_queries(len(detail_one.captured_queries)):
        client.get(reverse("api-contract-detail", args=[first.contract.pk]))


def test_the_answers_have_exactly_the_fields_the_schema_describes(client, world):
    from drf_spectacular.generators import SchemaGenerator

    from tests.tenders.api.test_schema import _answer_schema, assert_described

    schema = SchemaGenerator().get_schema(request=None, public=True)
    _sent_and_checked(world)
    _, key = _key(world.reporter, world.supplier)
    answers = {
        "/api/awards/": client.get(reverse("api-awards")),
        "/api/contracts/": client.get(reverse("api-contracts")),
        "/api/contracts/{id}/": client.get(
            reverse("api-contract-detail", args=[world.contract.pk])
        ),
        "/api/delivery/returns/": client.get(
            reverse("api-delivery-returns"), HTTP_AUTHORIZATION=f"Bearer {key}"
        ),
    }
    checked = 0
    for path, response in answers.items():
        assert response.status_code == 200, path
        checked += assert_described(schema, _answer_schema(schema, path), response.json(), path)
    assert checked > 100


def test_the_browsable_pages_list_no_organisations_to_filter_by(client, world):
    """The filters take ids; the HTML page of the API draws no list naming every buyer and
    supplier on the service."""
    other = BidderOrganisationFactory(name="Never Bid Anywhere Ltd")
    for url in (reverse("api-contracts"), reverse("api-awards")):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert other.name not in response.content.decode()
