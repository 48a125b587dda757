"""OCDS releases after the award: the award (standstill, assessment summaries sent, who bid,
no unsuccessful bidder's price), the contract with the winning social value commitments as data,
and the delivery the buyer verified, period by period, from the source delivery registers; each
a release with a stable id that validates against the shared schema with the service's
extension; the endpoints' queries do not grow with the number of awarded tenders; and the
tender's suitability for SMEs and VCSEs, from the authority's form to the release."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from decimal import Decimal

import jsonschema
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measurement.delivery import services as delivery
from measurement.delivery.models import ReturnLine
from measurement.delivery.services import LineInput
from tenders import award_rules, services
from tenders.demo import AWARDED_TITLE
from tenders.models import AwardOutcome, Bid, Contract, Tender
from tenders.ocds import releases as ocds
from tenders.ocds import schemas, sources
from tests.delivery.factories import contract_world
from tests.tenders.award_factories import tender_to_award
from tests.tenders.factories import build_tender
from tests.tenders.test_ocds import RELEASES, _errors, _package_errors
from tests.tenders.test_pages import _tender_form

pytestmark = pytest.mark.django_db

# The standard's closed codelists used after the award (OCDS 1.1.5 awardStatus, contractStatus,
# releaseTag; the bid extension's bidStatus) and the open partyRole.
AWARD_STATUS = {"pending", "active", "cancelled", "unsuccessful"}
CONTRACT_STATUS = {"pending", "active", "cancelled", "terminated"}
BID_STATUS = {"invited", "pending", "valid", "disqualified", "withdrawn"}
RELEASE_TAG = {
    "planning",
    "planningUpdate",
    "tender",
    "tenderAmendment",
    "tenderUpdate",
    "tenderCancellation",
    "award",
    "awardUpdate",
    "awardCancellation",
    "contract",
    "contractUpdate",
    "contractAmendment",
    "implementation",
    "implementationUpdate",
    "contractTermination",
}
PARTY_ROLES = {"buyer", "procuringEntity", "supplier", "tenderer"}


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def _verify_first_period(world) -> None:
    """The supplier's return for period 1, every line accepted by the buyer."""
    delivery.schedule_create(actor=world.officer, contract=world.contract)
    period = world.contract.reporting_periods.get(number=1)
    commitments = list(world.contract.commitments.order_by("pk"))
    lines = {c.pk: LineInput(quantity="10", variance_note="") for c in commitments}
    sent = delivery.return_save(actor=world.reporter, period=period, lines=lines, submit=True)
    for line in sent.lines.order_by("pk"):
        delivery.line_decide(actor=world.officer, line=line, decision="accept")


def test_the_awarded_demo_tender_publishes_its_award_contract_and_delivery(client):
    call_command("seed_demo")
    tender = Tender.objects.get(title=AWARDED_TITLE)
    package = client.get(reverse("api-ocds-tender-releases", args=[tender.pk])).json()
    assert not _package_errors(package)
    found = package["releases"]
    for release in found:
        assert not _errors(release, schemas.standard_release_schema())
        assert not _errors(release, schemas.release_schema())
    tags = [release["tag"][0] for release in found]
    assert tags == [
        "tender",
        "tenderUpdate",
        "award",
        "awardUpdate",
        "contract",
        "implementation",
    ]
    award, ended, signed, delivered = found[2:]
    code = ocds.ocid(tender)
    contract = Contract.objects.get(tender=tender)
    assert [award["id"], signed["id"], delivered["id"]] == [
        f"{code}-award-{tender.award_notices.get().pk}",
        f"{code}-contract-{contract.pk}",
        f"{code}-contract-{contract.pk}-period-1",
    ]

    # The award: pending in standstill, active once it ended; the UK extension's dates.
    notice = tender.award_notices.get()
    assert award["awards"][0]["status"] == "pending"
    assert ended["awards"][0]["status"] == "active"
    assert award["awards"][0]["standstillPeriod"] == {
        "startDate": ocds.moment(notice.issued_at),
        "endDate": ocds.moment(notice.standstill_ends_at),
    }
    assert award["awards"][0]["assessmentSummariesDateSent"] == ocds.moment(notice.issued_at)
    winner = contract.bid
    assert award["awards"][0]["suppliers"] == [
        {"id": f"ocds-sv0000-org-{winner.bidder_id}", "name": winner.bidder.name}
    ]
    assert award["awards"][0]["relatedBids"] == [str(winner.pk)]
    assert award["awards"][0]["value"]["amount"] == ocds.number(winner.price)

    # Who bid: every submitted bid, its lot and status; the winner's price alone.
    bids = list(Bid.objects.unscoped(reason="the test compares").filter(tender=tender))
    details = {item["id"]: item for item in award["bids"]["details"]}
    assert set(details) == {str(bid.pk) for bid in bids}
    assert all(item["relatedLots"] == ["1"] for item in details.values())
    assert [item for item in details.values() if "value" in item] == [details[str(winner.pk)]]
    text = json.dumps(package)
    for bid in bids:
        if bid.pk != winner.pk:
            assert str(bid.price) not in text and str(ocds.number(bid.price)) not in text
    assert not award_rules.regime(tender.regime).publication.unsuccessful_bid_prices
    roles = {party["name"]: party["roles"] for party in award["parties"]}
    assert roles[winner.bidder.name] == ["tenderer", "supplier"]
    assert sum(role == ["tenderer"] for role in roles.values()) == len(bids) - 1
    # A charity is a VCSE (UK extension); nothing is said of the others.
    details_of = {party["name"]: party.get("details") for party in award["parties"]}
    assert details_of[winner.bidder.name] == {"vcse": True}

    # The contract, with the winning commitments as data.
    published = signed["contracts"][0]
    assert published["awardID"] == award["awards"][0]["id"]
    assert published["value"]["amount"] == ocds.number(contract.value)
    assert published["dateSigned"] == ocds.moment(
        datetime.combine(contract.signed_on, time.min, tzinfo=ocds.UK)
    )
    commitments = {item["id"]: item for item in published["socialValueCommitments"]}
    assert len(commitments) == contract.commitments.count() > 0
    for commitment in contract.commitments.select_related("measure", "proxy_value"):
        item = commitments[str(commitment.pk)]
        assert item["measure"] == {
            "id": commitment.measure.code,
            "name": commitment.measure.name,
            "unit": commitment.measure.unit,
        }
        assert Decimal(str(item["quantity"])) == commitment.quantity
        assert item["timing"] == commitment.timing
        assert item["proxyValue"]["version"] == str(commitment.proxy_value_id)
        if commitment.proxy_value.source_title:
            assert item["proxyValue"]["source"] == commitment.proxy_value.source_title
    assert "implementation" not in published

    # Delivery: the first period, verified; the second, still awaiting checks, is not out.
    delivery_rows = delivered["contracts"][0]["implementation"]["socialValueDelivery"]
    accepted = ReturnLine.objects.filter(
        delivery_return__period__contract=contract, status="accepted"
    )
    assert {(row["relatedCommitment"], Decimal(str(row["quantity"]))) for row in delivery_rows} == {
        (str(line.commitment_id), line.quantity) for line in accepted
    }
    assert all(row["id"].endswith("-period-1") for row in delivery_rows)

    # The codes are the standard's.
    for release in found:
        assert set(release["tag"]) <= RELEASE_TAG
        assert {role for party in release["parties"] for role in party["roles"]} <= PARTY_ROLES
        assert {a["status"] for a in release.get("awards", [])} <= AWARD_STATUS
        assert {c["status"] for c in release.get("contracts", [])} <= CONTRACT_STATUS
        assert {b["status"] for b in release.get("bids", {}).get("details", [])} <= BID_STATUS

    # The tender says whom it suits.
    assert found[0]["tender"]["suitability"] == {"sme": True, "vcse": True}


def test_release_ids_are_stable_and_since_keeps_the_later_stages(
    client, procurement_officer, authority
):
    world = contract_world(procurement_officer, authority)
    _verify_first_period(world)
    url = reverse("api-ocds-tender-releases", args=[world.contract.tender_id])
    first = [release["id"] for release in client.get(url).json()["releases"]]
    cache.clear()
    again = [release["id"] for release in client.get(url).json()["releases"]]
    assert first == again and len(first) == len(set(first))
    assert first[-1].endswith(f"-contract-{world.contract.pk}-period-1")
    # Since the contract was entered: the contract and the delivery verified after it.
    since = ocds.moment(world.contract.entered_at)
    later = client.get(RELEASES, {"since": since}).json()
    assert [release["tag"][0] for release in later["releases"]] == ["contract", "implementation"]
    assert not _package_errors(later)


def test_a_recorded_performance_failure_is_published_in_an_implementation_release(
    client, procurement_officer, authority
):
    world = contract_world(procurement_officer, authority)
    _verify_first_period(world)
    before = timezone.now()
    decided = timezone.localdate() - timedelta(days=10)
    failure = delivery.performance_failure_record(
        actor=world.officer,
        contract=world.contract,
        requirement="400 hours of volunteering a year",
        description="No hours reported for two periods.",
        decision_date=decided,
        penalty_type="imposed",
        penalty_type_entered="Service credit under clause 12",
        penalty_amount=Decimal("1500.50"),
    )
    cache.clear()
    url = reverse("api-ocds-tender-releases", args=[world.contract.tender_id])
    package = client.get(url).json()
    assert not _package_errors(package)
    assert schemas.PERFORMANCE_FAILURES_EXTENSION in package["extensions"]
    found = package["releases"]
    for release in found:
        assert not _errors(release, schemas.release_schema())
    published = found[-1]
    code = ocds.ocid(world.contract.tender)
    assert published["tag"] == ["implementation"]
    assert published["id"] == f"{code}-contract-{world.contract.pk}-failure-{failure.pk}"
    assert published["date"] == ocds.moment(failure.recorded_at)
    implementation = published["contracts"][0]["implementation"]
    assert implementation["socialValueDelivery"]  # the verified period stays in the release
    assert implementation["performanceFailures"] == [
        {
            "id": str(failure.pk),
            "requirement": "400 hours of volunteering a year",
            "description": "No hours reported for two periods.",
            "decisionDate": ocds.moment(datetime.combine(decided, time.min, tzinfo=ocds.UK)),
            "penaltyType": "imposed",
            "penaltyTypeEntered": "Service credit under clause 12",
            "penaltyValue": {"amount": 1500.5, "currency": "GBP"},
            "suppliers": [
                {"id": f"ocds-sv0000-org-{world.supplier.pk}", "name": world.supplier.name}
            ],
        }
    ]
    # The object against the UK extension's PerformanceFailure (the performance failures
    # extension's own schema is not vendored: see tenders/ocds/schemas.py).
    definitions = schemas.release_schema()["definitions"]
    check = jsonschema.Draft4Validator(
        {"$ref": "#/definitions/PerformanceFailure", "definitions": definitions}
    )
    assert not list(check.iter_errors(implementation["performanceFailures"][0]))
    # The releases before the failure do not carry it.
    assert all(
        "performanceFailures" not in contract.get("implementation", {})
        for release in found[:-1]
        for contract in release.get("contracts", [])
    )
    # A reader who last asked before it was recorded gets it, though decided days earlier.
    cache.clear()
    later = client.get(RELEASES, {"since": ocds.moment(before)}).json()
    assert [release["id"] for release in later["releases"]] == [published["id"]]
    assert not _package_errors(later)


def test_a_period_still_being_checked_is_not_published(client, procurement_officer, authority):
    world = contract_world(procurement_officer, authority)
    delivery.schedule_create(actor=world.officer, contract=world.contract)
    period = world.contract.reporting_periods.get(number=1)
    lines = {
        c.pk: LineInput(quantity="10", variance_note="")
        for c in world.contract.commitments.order_by("pk")
    }
    sent = delivery.return_save(actor=world.reporter, period=period, lines=lines, submit=True)
    first = sent.lines.order_by("pk").first()
    delivery.line_decide(actor=world.officer, line=first, decision="accept")
    url = reverse("api-ocds-tender-releases", args=[world.contract.tender_id])
    tags = [release["tag"][0] for release in client.get(url).json()["releases"]]
    assert "contract" in tags and "implementation" not in tags


def test_delivery_registers_its_source_with_tenders():
    assert "delivery" in {source.name for source in sources.implementation_sources()}


def test_the_release_endpoints_make_the_same_queries_however_many_awarded_tenders(
    client, procurement_officer, authority, django_assert_max_num_queries
):
    world = contract_world(procurement_officer, authority)
    _verify_first_period(world)

    def count(url) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count(RELEASES)
    one = count(reverse("api-ocds-tender-releases", args=[world.contract.tender_id]))
    for _ in range(2):
        more = contract_world(procurement_officer, authority)
        _verify_first_period(more)
    cache.clear()
    with django_assert_max_num_queries(few):
        package = client.get(RELEASES).json()
    assert [r["tag"][0] for r in package["releases"]].count("implementation") == 3
    assert count(RELEASES) == few
    cache.clear()
    with django_assert_max_num_queries(one):
        client.get(reverse("api-ocds-tender-releases", args=[more.contract.tender_id]))


def test_an_unsuccessful_price_is_published_only_where_the_regime_publishes_them(
    client, procurement_officer, authority, monkeypatch
):
    world = contract_world(procurement_officer, authority)
    url = reverse("api-ocds-tender-releases", args=[world.contract.tender_id])
    award = next(r for r in client.get(url).json()["releases"] if r["tag"] == ["award"])
    assert [item.get("value") for item in award["bids"]["details"]] == [
        {"amount": 150000, "currency": "GBP"}
    ]
    # Every regime's data says whether it publishes them, dated, with its sources.
    for regime in award_rules.load_regimes().values():
        assert regime.publication.unsuccessful_bid_prices is False
        assert regime.publication.reviewed_on and regime.publication.note
        assert not regime.publication.confirmed
        assert any(line.startswith("Publication") for line in regime.unconfirmed)


def test_suitability_from_the_authority_form_to_the_page_and_the_release(
    client, procurement_officer, authority
):
    tender = build_tender(procurement_officer, authority, publish=False)
    client.force_login(procurement_officer)
    lot = tender.lots.get()
    for url in (
        reverse("tender-edit", args=[tender.pk]),
        reverse("tender-lot-edit", args=[lot.pk]),
    ):
        html = " ".join(client.get(url).content.decode().split())
        assert 'aria-describedby="id_suitable_for_hint"' in html
        assert 'class="govuk-checkboxes__input" id="id_suitable_for_1" value="sme"' in html
        assert 'id="id_suitable_for_2" value="vcse"' in html
    response = client.post(
        reverse("tender-lot-edit", args=[lot.pk]),
        {"title": lot.title, "description": "", "estimated_value": "", "suitable_for": ["vcse"]},
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.suitable_for_sme, lot.suitable_for_vcse) == (False, True)
    edited = client.post(
        reverse("tender-edit", args=[tender.pk]), _tender_form(suitable_for=["sme"])
    )
    assert edited.status_code == 302
    tender.refresh_from_db()
    assert (tender.suitable_for_sme, tender.suitable_for_vcse) == (True, False)
    services.tender_publish(actor=procurement_officer, tender=Tender.objects.get(pk=tender.pk))
    client.logout()
    page = client.get(reverse("tender-detail", args=[tender.pk])).content.decode()
    assert "Small and medium-sized enterprises (SMEs)" in page
    assert "Suitable for: Voluntary, community and social enterprises (VCSEs)" in page
    release = client.get(reverse("api-ocds-tender-releases", args=[tender.pk])).json()
    published = release["releases"][0]["tender"]
    assert published["suitability"] == {"sme": True}
    assert published["lots"][0]["suitability"] == {"vcse": True}
    assert not _errors(release["releases"][0], schemas.release_schema())


def test_the_extension_checks_commitments_and_delivery_and_serves_its_readme(
    client, procurement_officer, authority
):
    world = contract_world(procurement_officer, authority)
    _verify_first_period(world)
    url = reverse("api-ocds-tender-releases", args=[world.contract.tender_id])
    delivered = client.get(url).json()["releases"][-1]
    assert not _errors(delivered, schemas.release_schema())
    broken = json.loads(json.dumps(delivered))
    contract = broken["contracts"][0]
    contract["socialValueCommitments"][0]["quantity"] = "four hundred"
    contract["implementation"]["socialValueDelivery"][0].pop("relatedCommitment")
    assert not _errors(broken, schemas.standard_release_schema())
    assert len(_errors(broken, schemas.release_schema())) == 2
    readme = client.get(reverse("api-ocds-extension", args=["README.md"]))
    assert readme["Content-Type"].startswith("text/markdown")
    assert b"socialValueCommitments" in readme.content


def test_a_withdrawn_award_is_cancelled_and_the_new_one_published(
    client, procurement_officer, authority
):
    world = tender_to_award(
        procurement_officer, authority, prices=("100000", "105000", "110000"), marks=("5", "4", "2")
    )
    services.award_decide(actor=procurement_officer, lot=world.lot, outcome=AwardOutcome.AWARD)
    services.award_issue(actor=procurement_officer, tender=world.tender)
    services.award_replace(actor=procurement_officer, lot=world.lot, reason="Failed the checks.")
    services.award_issue(actor=procurement_officer, tender=world.tender)
    url = reverse("api-ocds-tender-releases", args=[world.tender.pk])
    package = client.get(url).json()
    assert not _package_errors(package)
    later = [r for r in package["releases"] if "awards" in r]
    assert [r["tag"][0] for r in later] == ["award", "awardCancellation", "award"]
    first, cancelled, again = (r["awards"][0] for r in later)
    assert first["relatedBids"] == [str(world.bids[0].pk)] and first["status"] == "pending"
    assert cancelled["id"] == first["id"] and cancelled["status"] == "cancelled"
    assert again["relatedBids"] == [str(world.bids[1].pk)] and again["status"] == "pending"
    assert again["id"] != first["id"]
    assert later[1]["tender"]["status"] == "active"
    roles = {p["id"]: p["roles"] for p in later[1]["parties"]}
    assert all(
        roles_ == ["tenderer"]
        for key, roles_ in roles.items()
        if "org" in key and (key != f"ocds-sv0000-org-{world.tender.authority_id}")
    )
    # The third bid never won: its price is never published.
    assert "110000" not in json.dumps(package)
    for release in later:
        assert not _errors(release, schemas.release_schema())
