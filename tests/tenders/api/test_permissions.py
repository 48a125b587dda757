"""The API decides who may read what through the permission rules, as the pages do: what a
tender publishes is for anyone, a draft for no one outside its authority, and a refusal about a
tender the caller may not know exists is a 404."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from socialvalue.core.permissions import can
from tenders import selectors
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db


def test_anyone_may_list_and_read_a_published_tender_but_not_a_draft(
    open_tender, procurement_officer, authority, bidder
):
    draft = build_tender(procurement_officer, authority, publish=False, title="Meals at home")
    for person in (AnonymousUser(), bidder):
        assert can(person, "tenders.list_published_tenders")
        assert can(person, "tenders.read_published_tender", open_tender)
        assert not can(person, "tenders.read_published_tender", draft)


def test_a_draft_that_reached_the_endpoint_is_still_not_found(
    client, monkeypatch, procurement_officer, authority
):
    draft = build_tender(procurement_officer, authority, publish=False, title="Meals at home")
    # Were the selector ever to let a draft through, the rule still refuses it, as not found.
    monkeypatch.setattr(selectors, "public_tender", lambda *, pk: draft)
    response = client.get(reverse("api-tender-detail", args=[draft.pk]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No published tender has this id."}
    assert "Meals at home" not in response.content.decode()


def test_the_endpoints_refuse_when_the_rule_says_no(client, monkeypatch, open_tender):
    import rules

    monkeypatch.setitem(
        rules.permissions.permissions, "tenders.list_published_tenders", rules.always_deny
    )
    assert client.get(reverse("api-opportunities")).status_code == 403
    assert client.get(reverse("api-tender-detail", args=[open_tender.pk])).status_code == 403
