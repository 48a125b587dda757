"""Sealed until the deadline: every role against every route that can show a bid.

Before the submission deadline nobody at the authority, and no administrator through the admin
site, can read a bid's contents; after the deadline, only once a procurement officer has opened
the bids, and then only the authority's procurement officers and the evaluators on the lot's panel
who have declared no conflict with the bidder (an evaluator off the panel, or conflicted, reads
nothing). A bidder never sees another bidder's bid. The "secret" below is the bid's answer text and its price; each case
checks whether it appears in the response.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from socialvalue.core.permissions import can as allowed
from socialvalue.models import Role
from tenders import selectors, services
from tenders.evaluation_selectors import assignable_criteria
from tenders.models import Evaluator
from tests.factories import AuthorityFactory, UserFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid

pytestmark = pytest.mark.django_db

SECRET = "Secret-answer-7731"
PRICE = Decimal("987654.32")
PRICE_SHOWN = "987,654.32"
FILE_BODY = b"%PDF-1.4 sealed attachment body"

PHASES = ("before_deadline", "after_deadline_unopened", "after_opening")
# Who may read the contents in each phase.
READERS = {
    "before_deadline": {"own_bidder"},
    "after_deadline_unopened": {"own_bidder"},
    "after_opening": {"own_bidder", "procurement_officer", "evaluator"},
}
PEOPLE = (
    "own_bidder",
    "other_bidder",
    "procurement_officer",
    "evaluator",
    "evaluator_off_panel",
    "conflicted_evaluator",
    "commissioner",
    "authority_admin",
    "officer_elsewhere",
    "superuser",
)
PAGE_ROUTES = (
    "bid-detail",
    "bid-attachment",
    "tender-detail",
    "tender-bids",
    "evaluation-mark-bid",
    "evaluation-moderate-bid",
)
# Routes that show the contents to some readers only: the panel member's marking page (their
# own appointment), the officer's moderation page (marks, never the answers or the price).
ROUTE_READERS = {
    "evaluation-mark-bid": {"evaluator"},
    "evaluation-moderate-bid": set(),
}
ADMIN_ROUTES = ("admin-changelist", "admin-change")


@pytest.fixture
def world(authority, bidder_org, bidder, procurement_officer, freezer_now):
    start = freezer_now - timedelta(days=5)
    tender = build_tender(procurement_officer, authority, now=start, deadline_in=timedelta(days=10))
    bid = draft_bid(bidder, bidder_org, tender, now=start, price=PRICE, text=SECRET)
    services.attachment_add(
        actor=bidder,
        bid=bid,
        upload=SimpleUploadedFile("plan.pdf", FILE_BODY, content_type="application/pdf"),
        now=start,
    )
    services.bid_submit(actor=bidder, bid=bid, now=start)
    people = {
        "own_bidder": bidder,
        "other_bidder": person_with_role(Role.BIDDER),
        "procurement_officer": procurement_officer,
        "evaluator": person_with_role(Role.EVALUATOR, authority),
        "evaluator_off_panel": person_with_role(Role.EVALUATOR, authority),
        "conflicted_evaluator": person_with_role(Role.EVALUATOR, authority),
        "commissioner": person_with_role(Role.COMMISSIONER, authority),
        "authority_admin": person_with_role(Role.ORG_ADMIN, authority),
        "officer_elsewhere": person_with_role(Role.PROCUREMENT_OFFICER, AuthorityFactory()),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    # The panel is appointed while bids come in; its members declare once the bids are opened.
    lot = tender.lots.get()
    for person in ("evaluator", "conflicted_evaluator"):
        services.evaluator_appoint(
            actor=procurement_officer,
            lot=lot,
            user=people[person],
            criteria=assignable_criteria(lot),
        )
    return {"tender": tender, "bid": bid, "people": people}


@pytest.fixture
def freezer_now():
    return timezone.now()


def _move_to(phase, world, monkeypatch):
    tender = world["tender"]
    if phase == "before_deadline":
        return
    later = tender.submission_deadline + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    if phase == "after_opening":
        services.open_bids(actor=world["people"]["procurement_officer"], tender=tender)
        for person, conflict in (("evaluator", False), ("conflicted_evaluator", True)):
            user = world["people"][person]
            services.interests_declare(
                actor=user,
                evaluator=Evaluator.objects.get(user=user),
                answers={
                    world["bid"].bidder_id: services.Declared(conflict, "A director is my son.")
                },
            )


def _url(route, world):
    bid, tender = world["bid"], world["tender"]
    if route == "bid-detail":
        return reverse("bid-detail", args=[bid.pk])
    if route == "bid-attachment":
        return reverse("bid-attachment", args=[bid.attachments.get().pk])
    if route == "evaluation-mark-bid":
        evaluator = Evaluator.objects.get(user=world["people"]["evaluator"])
        return reverse(route, args=[evaluator.pk, bid.pk])
    if route == "evaluation-moderate-bid":
        return reverse(route, args=[bid.pk])
    if route == "admin-changelist":
        return reverse("admin:tenders_bid_changelist")
    if route == "admin-change":
        return reverse("admin:tenders_bid_change", args=[bid.pk])
    return reverse(route, args=[tender.pk])


def _shows_contents(response) -> bool:
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return SECRET.encode() in body or PRICE_SHOWN.encode() in body or FILE_BODY in body


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", PAGE_ROUTES + ADMIN_ROUTES)
def test_bid_contents_only_reach_those_the_sealed_rule_allows(
    client, monkeypatch, world, phase, person, route
):
    _move_to(phase, world, monkeypatch)
    client.force_login(world["people"][person], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(_url(route, world))
    allowed = person in READERS[phase] and route in ("bid-detail", "bid-attachment", "tender-bids")
    if route in ROUTE_READERS:
        allowed = person in READERS[phase] and person in ROUTE_READERS[route]
    assert _shows_contents(response) is allowed, (
        f"{person} {'should' if allowed else 'should not'} see the bid's contents on {route} "
        f"({phase}); got status {response.status_code}"
    )


def test_the_admin_shows_a_bid_exists_but_not_what_it_says(client, world):
    client.force_login(
        world["people"]["superuser"], backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(reverse("admin:tenders_bid_changelist"))
    assert page.status_code == 200
    assert world["bid"].bidder.name.encode() in page.content
    assert not _shows_contents(page)
    for model in ("bidanswer", "commitment", "bidattachment"):
        assert client.get(f"/admin/tenders/{model}/").status_code == 404


@pytest.mark.parametrize("phase", PHASES)
def test_the_authority_always_sees_how_many_bids_are_in(client, monkeypatch, world, phase):
    _move_to(phase, world, monkeypatch)
    client.force_login(
        world["people"]["commissioner"], backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(reverse("tender-detail", args=[world["tender"].pk])).content.decode()
    assert "1 bid received" in page


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("person", PEOPLE)
def test_the_selector_agrees_with_the_pages(monkeypatch, world, phase, person):
    _move_to(phase, world, monkeypatch)
    world["tender"].refresh_from_db()
    world["bid"].refresh_from_db()
    readable = selectors.bids_readable_by(user=world["people"][person], tender=world["tender"])
    assert readable.filter(pk=world["bid"].pk).exists() is (person in READERS[phase])
    assert allowed(world["people"][person], "tenders.view_bid", world["bid"]) is (
        person in READERS[phase]
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for route in PAGE_ROUTES:
        response = client.get(_url(route, world))
        if route == "tender-detail":
            # A published tender is a public opportunity; nothing of its bids shows.
            assert response.status_code == 200
            body = response.content.decode()
            assert SECRET not in body and "bid received" not in body
            continue
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_a_superuser_cannot_open_bids_or_act_for_the_authority(monkeypatch, world):
    from django.core.exceptions import PermissionDenied

    _move_to("after_deadline_unopened", world, monkeypatch)
    with pytest.raises(PermissionDenied):
        services.open_bids(actor=world["people"]["superuser"], tender=world["tender"])
