"""OCDS releases: every release the demo data produces validates against the OCDS 1.1.5 schema
(with the standard extensions, as shared) and against the service's own extension patched on top
(jsonschema, Draft 4); weights are numbers adding to 100; the codes used are the standard's; each
stage is a release; the endpoints are public, paginated, filtered by `since`, conditional; and
`export_ocds` writes the same releases."""

from __future__ import annotations

import csv
import json
from datetime import UTC, timedelta
from decimal import Decimal

import jsonschema
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from referencing import Registry, Resource

from socialvalue.models import Role
from tenders import services
from tenders.models import Tender
from tenders.ocds import schemas
from tests.factories import BidderOrganisationFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid

pytestmark = pytest.mark.django_db

RELEASES = "/api/ocds/releases/"
PUBLISHED_RELEASE_SCHEMA = (
    "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
)

# Codes of the standard's open codelists the releases use, each checked to be in the standard's
# list (OCDS 1.1.5 codelists: partyRole, awardCriterionType (award criteria breakdown),
# documentType, statistic (bids extension), submissionMethod).
STANDARD_CODES = {
    "partyRole": {"buyer", "procuringEntity", "supplier", "tenderer", "payer", "payee"},
    "awardCriterionType": {"price", "cost", "quality"},
    "documentType": {"biddingDocuments", "tenderNotice", "awardNotice", "contractSigned"},
    "statistic": {"bids", "validBids", "smeBids", "lowestValidBidValue", "highestValidBidValue"},
    "submissionMethod": {"electronicSubmission", "electronicAuction", "written", "inPerson"},
}


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def _validator(schema: dict) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _errors(release: dict, schema: dict) -> list[str]:
    return [
        f"{release['id']} {'/'.join(map(str, error.path))}: {error.message}"
        for error in _validator(schema).iter_errors(release)
    ]


def _package_errors(package: dict) -> list[str]:
    """The envelope against the package schema, its releases against the patched release schema
    (the package schema names the published release schema by address: served from here)."""
    registry = Registry().with_resource(
        PUBLISHED_RELEASE_SCHEMA, Resource.from_contents(schemas.release_schema())
    )
    validator = jsonschema.Draft4Validator(schemas.package_schema(), registry=registry)
    return [error.message for error in validator.iter_errors(package)]


def _codes_used(release: dict) -> dict[str, set[str]]:
    tender = release["tender"]
    return {
        "partyRole": {role for party in release["parties"] for role in party["roles"]},
        "awardCriterionType": {
            criterion["type"]
            for lot in tender.get("lots", [])
            for criterion in lot.get("awardCriteria", {}).get("criteria", [])
        },
        "documentType": {doc["documentType"] for doc in tender.get("documents", [])},
        "statistic": {stat["measure"] for stat in release.get("bids", {}).get("statistics", [])},
        "submissionMethod": set(tender.get("submissionMethod", [])),
    }


@pytest.fixture
def demo_releases(client) -> list[dict]:
    call_command("seed_demo")
    response = client.get(RELEASES)
    assert response.status_code == 200
    package = response.json()
    assert not _package_errors(package)
    return package["releases"]


def test_every_demo_release_validates_against_the_shared_schema_and_the_extension(demo_releases):
    assert {release["tag"][0] for release in demo_releases} == {
        "tender",
        "tenderUpdate",
        "award",
        "awardUpdate",
        "contract",
        "implementation",
    }
    patched = schemas.release_schema()
    jsonschema.Draft4Validator.check_schema(patched)
    for release in demo_releases:
        assert not _errors(release, schemas.standard_release_schema())
        assert not _errors(release, patched)


def test_the_extension_is_checked_not_ignored(demo_releases):
    """A release breaking the extension's rules fails against the patched schema only."""
    release = json.loads(json.dumps(demo_releases[0]))
    criterion = next(
        c for c in release["tender"]["lots"][0]["awardCriteria"]["criteria"] if "socialValue" in c
    )
    criterion["socialValue"]["priority"]["theme"] = 7
    release["tender"]["lots"][0]["socialValue"]["weight"] = 140
    assert not _errors(release, schemas.standard_release_schema())
    assert len(_errors(release, schemas.release_schema())) == 2


def test_weights_are_numbers_adding_to_100_and_social_value_is_structured(demo_releases):
    for release in demo_releases:
        for lot in release["tender"]["lots"]:
            criteria = lot["awardCriteria"]["criteria"]
            weights = [
                number["number"]
                for criterion in criteria
                for number in criterion["numbers"]
                if number.get("weight") == "percentageExact"
            ]
            assert all(isinstance(weight, int | float) for weight in weights)
            assert sum(Decimal(str(weight)) for weight in weights) == 100
            social = [c for c in criteria if "socialValue" in c]
            assert social and all(c["type"] == "quality" for c in social)
            shares = sum(Decimal(str(c["numbers"][0]["number"])) for c in social)
            assert Decimal(str(lot["socialValue"]["weight"])) == shares
            for criterion in social:
                priority = criterion["socialValue"]["priority"]
                assert priority["theme"] in {"economic", "social", "environmental"}
                assert priority["outcome"] and priority["definition"]
                assert all(m["id"] and m["unit"] for m in criterion["socialValue"]["measures"])


def test_the_codes_used_are_the_standards(demo_releases):
    for release in demo_releases:
        for codelist, codes in _codes_used(release).items():
            assert codes <= STANDARD_CODES[codelist], (codelist, codes)
    with (schemas.EXTENSION / "codelists" / "socialValueTheme.csv").open() as handle:
        assert {row["Code"] for row in csv.DictReader(handle)} == {
            "economic",
            "social",
            "environmental",
        }


def test_the_extension_follows_the_template_and_the_package_lists_it(client, demo_releases):
    extension = json.loads((schemas.EXTENSION / "extension.json").read_text())
    assert {"name", "description", "documentationUrl", "schemas", "compatibility"} <= set(extension)
    assert extension["schemas"] == ["release-schema.json"]
    package = client.get(RELEASES).json()
    served = package["extensions"][-1]
    assert served.endswith(reverse("api-ocds-extension", args=["extension.json"]))
    assert client.get(served).json() == extension
    patch = client.get(reverse("api-ocds-extension", args=["release-schema.json"])).json()
    assert patch == schemas.extension_patch()
    assert client.get(reverse("api-ocds-extension", args=["../settings.py"])).status_code == 404


def test_a_pass_mark_is_a_minimum_score_threshold(demo_releases):
    thresholds = [
        number
        for release in demo_releases
        for lot in release["tender"]["lots"]
        for criterion in lot["awardCriteria"]["criteria"]
        for number in criterion["numbers"]
        if "threshold" in number
    ]
    assert thresholds and all(n["threshold"] == "minimumScore" for n in thresholds)


def test_each_stage_is_a_release_as_the_tender_stood_then(client, procurement_officer, authority):
    tender = build_tender(procurement_officer, authority)
    first_deadline = tender.submission_deadline
    later = first_deadline + timedelta(days=5)
    amendment = services.tender_amend(
        actor=procurement_officer,
        tender=tender,
        reason="More time for site visits.",
        submission_deadline=later,
    )
    url = reverse("api-ocds-tender-releases", args=[tender.pk])
    package = client.get(url).json()
    assert not _package_errors(package)
    published, amended = package["releases"]
    code = f"ocds-sv0000-{tender.pk}"
    assert [published["id"], amended["id"]] == [
        f"{code}-tender",
        f"{code}-amendment-{amendment.pk}",
    ]
    assert published["ocid"] == amended["ocid"] == code
    assert published["tag"] == ["tender"] and amended["tag"] == ["tenderAmendment"]
    assert published["tender"]["tenderPeriod"]["endDate"] == _z(first_deadline)
    assert amended["tender"]["tenderPeriod"]["endDate"] == _z(later)
    assert "amendments" not in published["tender"]
    assert amended["tender"]["amendments"][0]["rationale"] == "More time for site visits."
    assert "bids" not in published and "bids" not in amended  # not before the deadline


def test_the_ocid_prefix_is_a_setting(client, settings, procurement_officer, authority):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    tender = build_tender(procurement_officer, authority)
    release = client.get(reverse("api-ocds-tender-releases", args=[tender.pk])).json()
    assert release["releases"][0]["ocid"] == f"ocds-abc123-{tender.pk}"


def test_bid_counts_are_published_once_bidding_closed_and_nothing_else_about_bids(
    client, procurement_officer, authority
):
    now = timezone.now()
    tender = build_tender(procurement_officer, authority, now=now - timedelta(days=10))
    bidder_org = BidderOrganisationFactory()
    bidder = person_with_role(Role.BIDDER, bidder_org)
    bid = draft_bid(
        bidder, bidder_org, tender, now=now - timedelta(days=9), price=Decimal("987654")
    )
    services.bid_submit(actor=bidder, bid=bid, now=now - timedelta(days=9))
    response = client.get(reverse("api-ocds-tender-releases", args=[tender.pk]))
    assert "987654" not in response.content.decode()
    closed = response.json()["releases"][-1]
    assert closed["tag"] == ["tenderUpdate"]
    assert closed["bids"]["statistics"][0]["measure"] == "bids"
    assert closed["bids"]["statistics"][0]["value"] == 1
    assert not _errors(closed, schemas.release_schema())


def test_drafts_are_not_found(client, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False)
    assert client.get(reverse("api-ocds-tender-releases", args=[draft.pk])).status_code == 404
    assert client.get(RELEASES).json()["releases"] == []


def test_since_keeps_the_releases_dated_then_or_later(client, procurement_officer, authority):
    now = timezone.now()
    old = build_tender(
        procurement_officer,
        authority,
        now=now - timedelta(days=3),
        deadline_in=timedelta(days=2, hours=12),
        title="Old",
    )
    new = build_tender(procurement_officer, authority, title="New")
    since = (now - timedelta(days=1)).date().isoformat()
    ids = [r["id"] for r in client.get(RELEASES, {"since": since}).json()["releases"]]
    assert f"ocds-sv0000-{new.pk}-tender" in ids
    assert f"ocds-sv0000-{old.pk}-tender" not in ids
    # The old tender's deadline passed since: its closing is a release, its publication is not.
    assert f"ocds-sv0000-{old.pk}-bids-closed" in ids
    refused = client.get(RELEASES, {"since": "yesterday"})
    assert refused.status_code == 400 and "since" in refused.json()


def test_pages_follow_a_cursor(client, procurement_officer, authority):
    for number in range(3):
        build_tender(procurement_officer, authority, title=f"Tender {number}")
    first = client.get(RELEASES, {"page_size": 2}).json()
    assert len(first["releases"]) == 2 and first["links"]["prev"] is None
    second = client.get(first["links"]["next"]).json()
    assert [r["tender"]["title"] for r in second["releases"]] == ["Tender 2"]
    assert second["links"]["next"] is None


def test_an_unchanged_answer_is_not_sent_again(client, procurement_officer, authority):
    build_tender(procurement_officer, authority)
    first = client.get(RELEASES)
    assert first.has_header("ETag")
    again = client.get(RELEASES, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    build_tender(procurement_officer, authority, title="Another")
    assert client.get(RELEASES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_release_list_makes_the_same_queries_however_many_tenders(
    client, procurement_officer, authority
):
    build_tender(procurement_officer, authority)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(RELEASES).status_code == 200
        return len(queries)

    few = count()
    for number in range(4):
        build_tender(procurement_officer, authority, title=f"More {number}")
    assert count() == few


def test_export_writes_a_valid_package_and_json_lines(tmp_path, client):
    call_command("seed_demo")
    out = tmp_path / "releases.json"
    call_command("export_ocds", "--out", str(out))
    package = json.loads(out.read_text())
    assert not _package_errors(package)
    api = client.get(RELEASES).json()["releases"]
    assert package["releases"] == api
    lines = tmp_path / "releases.jsonl"
    call_command("export_ocds", "--out", str(lines), "--format", "jsonl", "--since", "2000-01-01")
    assert [json.loads(line) for line in lines.read_text().splitlines()] == api
    future = (timezone.now() + timedelta(days=400)).date().isoformat()
    call_command("export_ocds", "--out", str(out), "--since", future)
    assert json.loads(out.read_text())["releases"] == []
    with pytest.raises(CommandError, match="--since"):
        call_command("export_ocds", "--out", str(out), "--since", "soon")


def _z(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_a_tender_is_not_counted_twice(client, procurement_officer, authority):
    tender = build_tender(procurement_officer, authority)
    for days in (1, 2):
        services.tender_amend(
            actor=procurement_officer,
            tender=Tender.objects.get(pk=tender.pk),
            reason="More time.",
            submission_deadline=tender.submission_deadline + timedelta(days=days),
        )
    ids = [r["id"] for r in client.get(RELEASES, {"since": "2000-01-01"}).json()["releases"]]
    assert len(ids) == len(set(ids)) == 3
