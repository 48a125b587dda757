"""GET /api/awards/: every issued award, for anyone, lot by lot: the winner, the awarded value,
the standstill and when the letters went; never another bidder's price or scores. Filters
refused as JSON naming the parameter, ETags, and a query budget that holds as awards grow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Organisation
from tenders import services
from tenders.models import AwardNotice, AwardOutcome, Regime, Tender
from tests.tenders.award_factories import tender_to_award

pytestmark = pytest.mark.django_db


def issue(officer, authority, *, prices=("100000", "110000", "120000"), days_ago=3, no_award=False):
    world = tender_to_award(officer, authority, prices=prices)
    issued = timezone.now() - timedelta(days=days_ago)
    outcome = AwardOutcome.NO_AWARD if no_award else AwardOutcome.AWARD
    reason = "The budget was withdrawn." if no_award else ""
    services.award_decide(actor=officer, lot=world.lot, outcome=outcome, reason=reason, now=issued)
    services.award_issue(actor=officer, tender=world.tender, now=issued)
    return world


def test_anyone_reads_an_issued_award_with_its_winner_value_and_standstill(
    client, procurement_officer, authority
):
    world = issue(procurement_officer, authority, days_ago=1)
    winner = world.bidders[0]
    Organisation.objects.filter(pk=winner.pk).update(company_number="01234567")
    response = client.get(reverse("api-awards"))
    assert response.status_code == 200
    [award] = response.json()["results"]
    notice = AwardNotice.objects.get(tender=world.tender)
    assert award["tender"] == world.tender.pk and award["lot"] == 1
    assert award["buyer"] == {"id": authority.pk, "name": authority.name, "identifier": None}
    assert award["winner"] == {
        "id": winner.pk,
        "name": winner.name,
        "identifier": {"scheme": "GB-COH", "id": "01234567"},
    }
    assert award["value"] == "100000.00"
    assert award["status"] == "pending"  # the standstill is running
    assert award["contract"] is None
    assert award["assessment_summaries_sent_at"] == notice.issued_at.isoformat().replace(
        "+00:00", "Z"
    )
    standstill = award["standstill"]
    assert standstill["end_date"] == notice.standstill_last_day.isoformat()
    assert standstill["start_date"] == notice.standstill_rule["started_on"]
    assert standstill["ended_at"] is None and standstill["rule"]
    # The losing bids' prices, the scores and the panel's reasons are nowhere in the answer.
    body = response.content.decode()
    for price in ("110000", "120000"):
        assert price not in body
    assert "RATIONALE" not in body and "ranking" not in body


def test_the_award_is_active_after_standstill_and_a_lot_not_awarded_is_unsuccessful(
    client, procurement_officer, authority
):
    awarded = issue(procurement_officer, authority, days_ago=30)
    services.standstill_end(actor=procurement_officer, tender=awarded.tender)
    issue(procurement_officer, authority, no_award=True)
    results = client.get(reverse("api-awards")).json()["results"]
    by_tender = {row["tender"]: row for row in results}
    assert by_tender[awarded.tender.pk]["status"] == "active"
    assert by_tender[awarded.tender.pk]["standstill"]["ended_at"] is not None
    not_awarded = [row for row in results if row["tender"] != awarded.tender.pk][0]
    assert not_awarded["status"] == "unsuccessful"
    assert not_awarded["winner"] is None and not_awarded["value"] is None


def test_an_award_not_yet_issued_or_withdrawn_is_not_published(
    client, procurement_officer, authority
):
    world = tender_to_award(procurement_officer, authority)
    services.award_decide(actor=procurement_officer, lot=world.lot, outcome=AwardOutcome.AWARD)
    assert client.get(reverse("api-awards")).json()["results"] == []
    services.award_issue(actor=procurement_officer, tender=world.tender)
    assert len(client.get(reverse("api-awards")).json()["results"]) == 1
    AwardNotice.objects.filter(tender=world.tender).update(withdrawn_at=timezone.now())
    assert client.get(reverse("api-awards")).json()["results"] == []


def test_the_filters_narrow_the_awards_and_refuse_bad_values_naming_them(
    client, procurement_officer, authority
):
    first = issue(procurement_officer, authority, days_ago=10)
    second = issue(procurement_officer, authority, days_ago=2)
    url = reverse("api-awards")

    def tenders(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [row["tender"] for row in response.json()["results"]]

    assert tenders(buyer=authority.pk) == [first.tender.pk, second.tender.pk]
    assert tenders(supplier=second.bidders[0].pk) == [second.tender.pk]
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert tenders(since=since) == [second.tender.pk]
    assert tenders(until=since) == [first.tender.pk]
    refused = {
        "buyer": ("987654", "Choose a buying authority by its id."),
        "supplier": (str(authority.pk), "Choose a supplier by its id."),
        "since": ("1 April", "Enter a date in ISO 8601 format, like 2026-04-01."),
    }
    for name, (value, message) in refused.items():
        response = client.get(url, {name: value})
        assert response.status_code == 400
        assert response.json() == {name: [message]}
    response = client.get(url, {"since": "2026-05-01", "until": "2026-04-01"})
    assert response.status_code == 400
    assert response.json() == {"until": ["The end date must be on or after the start date."]}


def test_an_unchanged_list_is_answered_304_to_its_etag(client, procurement_officer, authority):
    issue(procurement_officer, authority)
    first = client.get(reverse("api-awards"))
    assert first.status_code == 200 and first["ETag"]
    again = client.get(reverse("api-awards"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_the_list_costs_the_same_queries_for_one_award_as_for_three(
    client, procurement_officer, authority, django_assert_max_num_queries
):
    issue(procurement_officer, authority, prices=("100000",))
    # Two for the awards and their notices; six for the throttle's count in the database cache.
    with django_assert_max_num_queries(8) as one:
        client.get(reverse("api-awards"))
    for _ in range(2):
        issue(procurement_officer, authority, prices=("100000", "105000"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(reverse("api-awards")).json()["results"]) == 3


def test_under_pcr_2015_the_award_is_published_with_its_contract(
    client, procurement_officer, authority
):
    """PCR 2015 sends the award decision to bidders only; the contract award notice follows
    the contract. The Procurement Act 2023 publishes the award at issue (tested above)."""
    world = tender_to_award(procurement_officer, authority)
    Tender.objects.filter(pk=world.tender.pk).update(regime=Regime.PCR_2015)
    world.tender.refresh_from_db()
    issued = timezone.now() - timedelta(days=30)
    services.award_decide(
        actor=procurement_officer, lot=world.lot, outcome=AwardOutcome.AWARD, now=issued
    )
    services.award_issue(actor=procurement_officer, tender=world.tender, now=issued)
    assert client.get(reverse("api-awards")).json()["results"] == []
    services.standstill_end(actor=procurement_officer, tender=world.tender)
    today = timezone.localdate()
    contract = services.contract_enter(
        actor=procurement_officer,
        lot=world.lot,
        value=Decimal("100000"),
        signed_on=today,
        starts_on=today,
        ends_on=today + timedelta(days=365),
    )
    [award] = client.get(reverse("api-awards")).json()["results"]
    assert award["contract"] == contract.pk and award["status"] == "active"
    assert award["regime"] == "Public Contracts Regulations 2015"
