"""API tokens: made on the account's page (the key shown once, only its hash kept), revoked
there, scoped to one organisation; a bidder reads its own bids with one and nobody else's."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from socialvalue.core import api_tokens
from socialvalue.core.permissions import forget_roles
from socialvalue.models import ApiToken, AuditEntry, Membership, Role
from tests.factories import BidderOrganisationFactory, MembershipFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid

pytestmark = pytest.mark.django_db

BIDS = "/api/bids/"


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_is_made_on_the_page_shown_once_and_kept_hashed(client, bidder, bidder_org):
    client.force_login(bidder)
    page = reverse("api-tokens")
    response = client.post(page, {"name": "Bid tracker", "organisation": bidder_org.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.organisation, token.name) == (bidder, bidder_org, "Bid tracker")
    assert token.key_digest == ApiToken.digest(key) and key not in token.key_digest
    assert key.startswith(token.prefix)
    assert AuditEntry.objects.filter(action="api_token.created").count() == 1
    again = client.get(page).content.decode()
    assert key not in again and token.prefix in again


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  ", "organisation": ""}, "Enter a name for the token."),
        ({"name": "x", "organisation": ""}, "Choose the organisation the token is for."),
    ],
)
def test_a_refused_token_says_why_beside_the_field(client, bidder, data, message):
    client.force_login(bidder)
    response = client.post(reverse("api-tokens"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_makes_a_token_for_an_organisation_they_are_not_in(client, bidder):
    client.force_login(bidder)
    other = BidderOrganisationFactory()
    response = client.post(reverse("api-tokens"), {"name": "x", "organisation": other.pk})
    assert "Choose one of your organisations." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.fixture
def bids(procurement_officer, authority, bidder, bidder_org):
    """A bid of the bidder's organisation and one of another bidder, on the same tender."""
    tender = build_tender(procurement_officer, authority)
    own = draft_bid(bidder, bidder_org, tender, price=Decimal("1111"))
    other_org = BidderOrganisationFactory()
    other = draft_bid(
        person_with_role(Role.BIDDER, other_org), other_org, tender, price=Decimal("99999")
    )
    return own, other


def test_a_bidder_reads_its_own_bids_with_its_token_and_nobody_elses(
    client, bidder, bidder_org, bids
):
    own, other = bids
    _, key = api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name="Mine")
    response = client.get(BIDS, **_bearer(key))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [own.pk]
    assert results[0]["price"] == "1111.00" and results[0]["status"] == "draft"
    assert "99999" not in response.content.decode()
    assert "Authorization" in response["Vary"]
    ApiToken.objects.update(last_used_at=None)
    client.get(BIDS, **_bearer(key))
    assert ApiToken.objects.get().last_used_at is not None


def test_the_other_bidder_reads_only_its_own(client, bids):
    own, other = bids
    other_person = Membership.objects.get(organisation=other.bidder).user
    _, key = api_tokens.api_token_create(
        actor=other_person, organisation=other.bidder, name="Theirs"
    )
    assert [item["id"] for item in client.get(BIDS, **_bearer(key)).json()["results"]] == [other.pk]


def test_a_token_is_scoped_to_its_organisation(client, bidder, bidder_org, bids):
    """A person who bids for two organisations sees, with a token for one, that one's bids."""
    own, other = bids
    MembershipFactory(user=bidder, organisation=other.bidder, role=Role.BIDDER)
    _, key = api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name="A only")
    assert [item["id"] for item in client.get(BIDS, **_bearer(key)).json()["results"]] == [own.pk]
    forget_roles(bidder)  # the roles read when the first token was made
    _, key_b = api_tokens.api_token_create(actor=bidder, organisation=other.bidder, name="B")
    assert [i["id"] for i in client.get(BIDS, **_bearer(key_b)).json()["results"]] == [other.pk]


def test_an_authority_token_reads_no_bids(client, procurement_officer, authority, bids):
    _, key = api_tokens.api_token_create(
        actor=procurement_officer, organisation=authority, name="Council"
    )
    assert client.get(BIDS, **_bearer(key)).status_code == 403


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer svk_nothing", "Bearer a b", "Basic dXNlcjpwYXNz", "Bearer svk_\u00e9"],
)
def test_no_valid_token_no_bids(client, bids, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(BIDS, **extra)
    assert response.status_code in (401, 403)
    assert "1111" not in response.content.decode()


def test_signing_in_is_not_a_token(client, bidder, bids):
    client.force_login(bidder)
    assert client.get(BIDS).status_code == 401


def test_a_revoked_token_stops_working_and_only_its_person_revokes_it(
    client, bidder, bidder_org, bids
):
    token, key = api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name="Old")
    colleague = person_with_role(Role.BIDDER, bidder_org)
    client.force_login(colleague)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert client.get(BIDS, **_bearer(key)).status_code == 200
    client.force_login(bidder)
    response = client.post(reverse("api-token-revoke", args=[token.pk]), follow=True)
    assert "it no longer works" in response.content.decode()
    assert client.get(BIDS, **_bearer(key)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
    again = client.post(reverse("api-token-revoke", args=[token.pk]), follow=True)
    assert "already revoked" in again.content.decode()


def test_leaving_the_organisation_stops_the_token(client, bidder, bidder_org, bids):
    _, key = api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name="Mine")
    Membership.objects.filter(user=bidder).delete()
    assert client.get(BIDS, **_bearer(key)).status_code == 401


def test_an_unchanged_list_is_not_sent_again(client, bidder, bidder_org, bids):
    _, key = api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name="Mine")
    first = client.get(BIDS, **_bearer(key))
    again = client.get(BIDS, HTTP_IF_NONE_MATCH=first["ETag"], **_bearer(key))
    assert again.status_code == 304


def test_the_token_list_is_paginated(client, bidder, bidder_org):
    for number in range(27):
        api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name=f"T{number}")
    client.force_login(bidder)
    body = client.get(reverse("api-tokens")).content.decode()
    assert "Page 1 of 2" in body


def test_last_used_is_written_at_most_every_few_minutes(bidder, bidder_org):
    token, key = api_tokens.api_token_create(actor=bidder, organisation=bidder_org, name="Mine")
    now = timezone.now()
    assert api_tokens.token_for_key(key, now=now).last_used_at == now
    assert api_tokens.token_for_key(key, now=now + timedelta(minutes=1)).last_used_at == now
    later = now + timedelta(minutes=6)
    assert api_tokens.token_for_key(key, now=later).last_used_at == later
