"""Nobody reaches another organisation's objects: every route with an id or slug, every role.

The route list is read from the URL configuration (as tests/core/test_routes.py does for
signed-out visitors), and every route that names an object in its path must have a row in CASES
saying how to make such an object owned by organisation A (the demo council, or the demo
bidder for bids). Then each person of organisation B, in every role, asks for it by GET and POST:
they must be refused (403 or 404; 405 for a button view asked by GET), the page must not carry
any of A's private words, and nothing in the database may change (every row of every table of
the service is compared, the audit trail included), nor may any email be sent.

A new route without a row fails `test_every_route_with_an_object_in_its_path_has_a_case` with a
message saying to add it. The POST each person sends is what the object's owner would send: the
owner's own form, read from the page (see `_owner_form`), so a route that forgot its check would
really change something; `test_the_owners_post_would_change_something` proves that for each row
marked `changes=True`.

FOREIGN_REFERENCES covers the other way in: B acting on its own object while naming one of A's
in the form (A's authority on a joint definition, A's planned contract, priority or bidder).
List pages, the public API and every page of the admin site are checked for A's words too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from socialvalue.models import Job, JobStatus, Membership, Report, ReportStatus, Role
from tests.factories import (
    AuthorityFactory,
    BidderOrganisationFactory,
    CompactGroupFactory,
    MembershipFactory,
    UserFactory,
    person_with_role,
)

# --------------------------------------------------------------------------- private words

# Words only organisation A (and, for bids, only the bidder) may read. No page shown to anyone
# else may carry them.
DRAFT_TENDER = "XORG-DRAFT-TENDER-7Q2"
DOCUMENT_BODY = b"%PDF-1.4 XORG-DOCUMENT-5K1"
QUESTION = "XORG-QUESTION-3M8 about collection times"
BID_TEXT = "XORG-BID-ANSWER-9F4"
BID_PRICE = Decimal("123456.78")
BID_PRICE_SHOWN = "123,456.78"
BID_FILE = b"%PDF-1.4 XORG-BID-FILE-2H6"
COMMITMENT_TIMING = "XORG-TIMING-8D3"
DEFINITION = "XORG-DRAFT-DEFINITION-4T1"
PRIORITY = "XORG-PRIORITY-6B2"
TARGET = "XORG-TARGET-1W7"
REVIEW_DEFINITION = "XORG-IN-REVIEW-2C9"
INVITEE = "xorg-invitee@example.org"
RESPONSE = "XORG-CONSULTATION-RESPONSE-8N3"
RESPONSE_FILE = b"%PDF-1.4 XORG-RESPONSE-FILE-4J2"
FUTURE_CONSULTATION = "XORG-NOT-YET-OPEN-6P1"
# From the Compact demo (compact/demo.py): an assessment and a review comment, private to the
# council, its Compact group and the affected provider.
DEMO_DECOMMISSIONING = "About 40 young people lose a weekly evening session"
DEMO_REVIEW_COMMENT = "count apprenticeships separately"
JOB_ERROR = "XORG-JOB-ERROR-5V5"
SAVED_SEARCH = "XORG-SAVED-SEARCH-4P8"
REPORT_ERROR = "XORG-REPORT-ERROR-3J8"
REPORT_FILE = b"%PDF-1.7 XORG-REPORT-FILE-6N2"
EXPLANATION = "XORG-EXPLANATION-4R2 of the staff costs"
EXPLANATION_FILE = b"%PDF-1.4 XORG-EXPLANATION-FILE-7J3"
CHALLENGE = "XORG-CHALLENGE-9P1 to the price scores"
# From the demo's awarded tender (tenders/demo.py): its bids' answers and the panel's reasons.
DEMO_AWARDED_TEXT = "with named sites and dates"
DEMO_RATIONALE = "specific sites, dates and named staff"
# Delivery of the demo contract (measurement/delivery/demo.py) and more of it: private to the
# council and its supplier.
EVIDENCE_TEXT = "XORG-EVIDENCE-3T8 payroll summary"
EVIDENCE_FILE = b"%PDF-1.4 XORG-EVIDENCE-FILE-5W2"
DELIVERY_QUESTION = "XORG-DELIVERY-QUESTION-2Y6"
DEMO_VARIANCE = "Two sites closed for a month after flooding"
REMEDY_TEXT = "XORG-REMEDY-7K4 extra sessions"
FAILURE_TEXT = "XORG-FAILURE-3M9 sessions stopped"
# From the demo's sealed bids (tenders/demo.py) and its Act checks (socialvalue/act_demo.py).
DEMO_BID_TEXT = "with a specific, evidenced plan"
DEMO_BID_PRICES = ("312,500.00", "298,000.00", "276,400.00")
DEMO_BREAKDOWN = "staff 70%, running costs 20%"
DEMO_CONSIDERATION = "Local recruitment and fair pay for care workers"
# What only the authority learns before opening: how many bids are in.
BIDS_RECEIVED = "bids received"
API_TOKEN_NAME = "XORG-TOKEN-4R7"

BID_SECRETS = (
    BID_TEXT,
    BID_PRICE_SHOWN,
    BID_FILE.decode(),
    COMMITMENT_TIMING,
    DEMO_BID_TEXT,
    *DEMO_BID_PRICES,
    DEMO_BREAKDOWN,
    EXPLANATION,
    EXPLANATION_FILE.decode(),
    DEMO_AWARDED_TEXT,
    str(BID_PRICE),  # as the API writes it
)
AUTHORITY_SECRETS = (
    API_TOKEN_NAME,  # the demo bidder's own token (service staff see it in the audit trail)
    DRAFT_TENDER,
    DOCUMENT_BODY.decode(),
    QUESTION,
    DEFINITION,
    PRIORITY,
    TARGET,
    REVIEW_DEFINITION,
    INVITEE,
    JOB_ERROR,
    SAVED_SEARCH,
    REPORT_ERROR,
    REPORT_FILE.decode(),
    DEMO_CONSIDERATION,
    BIDS_RECEIVED,
    CHALLENGE,
    DEMO_RATIONALE,
    RESPONSE,
    RESPONSE_FILE.decode(),
    FUTURE_CONSULTATION,
    DEMO_DECOMMISSIONING,
    DEMO_REVIEW_COMMENT,
    EVIDENCE_TEXT,
    EVIDENCE_FILE.decode(),
    DELIVERY_QUESTION,
    DEMO_VARIANCE,
    REMEDY_TEXT,
    FAILURE_TEXT,
)

# --------------------------------------------------------------------------- people

# Organisation B: another authority, a bidder, and an unrelated Compact group, in every role.
PEOPLE_B = (
    "commissioner",
    "procurement_officer",
    "evaluator",
    "org_admin",
    "bidder",
    "bidder_org_admin",
    "compact_member",
)
# For a bid, organisation A is the bidder: the authority running the tender may not read it
# before opening either, nor may service staff (the seal has no superuser way round).
TENDER_AUTHORITY = ("council_commissioner", "council_procurement", "council_evaluator")
STAFF = ("superuser",)


@dataclass
class World:
    objects: dict[str, object] = field(default_factory=dict)
    people: dict[str, object] = field(default_factory=dict)
    owners: dict[str, object] = field(default_factory=dict)


def _upload(name: str, body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _build_world() -> World:
    """The demo (organisation A), a few more of A's objects, and organisation B's people."""
    from socialvalue.act.selectors import assessments_for
    from socialvalue.core import services
    from socialvalue.core.demo import seed_all, seed_core
    from socialvalue.definitions import services as definition_services
    from socialvalue.models import DefinitionStatus, LocalDefinition, PlannedContract
    from tenders import services as tender_services
    from tenders.demo import AWARDED_TITLE, CLOSED_TITLE, EVALUATION_TITLE, OPEN_TITLE
    from tenders.evaluation_selectors import assignable_criteria
    from tenders.models import (
        Bid,
        ConflictDeclaration,
        Contract,
        Criterion,
        CriterionKind,
        Evaluator,
        Tender,
    )
    from tests.tenders.factories import build_tender, draft_bid

    seed_all()
    cast, _ = seed_core()
    council = cast.organisations["council"]
    food_network = cast.organisations["voluntary_1"]
    officer, commissioner = cast.users["procurement"], cast.users["commissioner"]
    bidder_a, admin_a = cast.users["bidder_1"], cast.users["admin"]
    world = World()
    o = world.objects
    o["council"] = council

    # Tenders of the council: a draft with a document; the demo's open and closed tenders.
    draft = build_tender(officer, council, publish=False, title=DRAFT_TENDER)
    o["draft_tender"], o["draft_lot"] = draft, draft.lots.get()
    o["draft_criterion"] = Criterion.objects.filter(
        lot=o["draft_lot"], parent__isnull=False
    ).first()
    o["draft_document"] = tender_services.document_add(
        actor=officer,
        tender=draft,
        title="Specification",
        upload=_upload("spec.pdf", DOCUMENT_BODY),
    )
    o["open_tender"] = Tender.objects.get(authority=council, title=OPEN_TITLE)
    o["closed_tender"] = Tender.objects.get(authority=council, title=CLOSED_TITLE)
    o["clarification"] = tender_services.clarification_ask(
        actor=bidder_a, tender=o["open_tender"], bidder=food_network, question=QUESTION
    )

    # The demo bidder's bids: a draft (with a commitment and a file) on the open tender, one
    # submitted on another open tender, and its sealed bid on the closed tender.
    draft_bid_ = draft_bid(bidder_a, food_network, o["open_tender"], price=BID_PRICE, text=BID_TEXT)
    # The demo tender asks for a price breakdown: with it the draft is ready to submit.
    tender_services.bid_save(
        actor=bidder_a,
        bid=draft_bid_,
        price=BID_PRICE,
        price_breakdown=f"{BID_TEXT} breakdown",
        answers={a.criterion_id: a.text for a in draft_bid_.answers.all()},
    )
    sv_question = Criterion.objects.filter(
        lot__tender=o["open_tender"], kind=CriterionKind.SOCIAL_VALUE, children__isnull=True
    ).first()
    o["commitment"] = tender_services.commitment_add(
        actor=bidder_a,
        bid=draft_bid_,
        measure=sv_question.measures.order_by("code").first(),
        quantity=Decimal("12"),
        timing=COMMITMENT_TIMING,
        criterion=sv_question,
    )
    o["draft_attachment"] = tender_services.attachment_add(
        actor=bidder_a, bid=draft_bid_, upload=_upload("plan.pdf", BID_FILE)
    )
    o["draft_bid"] = draft_bid_
    o["saved_search"] = tender_services.saved_search_create(
        actor=bidder_a, name=f"{SAVED_SEARCH} search", query={"q": "care"}
    )
    second = build_tender(officer, council, title="Grounds care for council buildings")
    submitted = draft_bid(bidder_a, food_network, second, price=BID_PRICE, text=BID_TEXT)
    o["submitted_attachment"] = tender_services.attachment_add(
        actor=bidder_a, bid=submitted, upload=_upload("method.pdf", BID_FILE)
    )
    tender_services.bid_submit(actor=bidder_a, bid=submitted)
    o["submitted_bid"] = submitted
    o["sealed_bid"] = Bid.objects.unscoped(reason="the test reads what was stored").get(
        tender=o["closed_tender"], bidder=food_network
    )

    # Evaluation: the demo tender under evaluation (its panel, a declared conflict, a bid), and
    # an appointment on the closed tender with no marks yet.
    evaluating = Tender.objects.get(authority=council, title=EVALUATION_TITLE)
    o["evaluation_tender"], o["evaluation_lot"] = evaluating, evaluating.lots.get()
    o["appointment"] = Evaluator.objects.get(lot=o["evaluation_lot"], user=cast.users["evaluator"])
    o["declaration"] = ConflictDeclaration.objects.get(
        evaluator=o["appointment"], has_conflict=True
    )
    o["evaluation_bid"] = (
        Bid.objects.unscoped(reason="the test reads what was stored")
        .filter(lot=o["evaluation_lot"])
        .exclude(bidder=o["declaration"].bidder)
        .order_by("pk")
        .first()
    )
    o["closed_lot"] = o["closed_tender"].lots.get()
    o["closed_appointment"] = tender_services.evaluator_appoint(
        actor=officer,
        lot=o["closed_lot"],
        user=cast.users["evaluator"],
        criteria=assignable_criteria(o["closed_lot"])[:1],
    )

    # The demo's awarded tender, its contract and the food network's successful bid; a price
    # query on that bid, answered with a file; a challenge to the award.
    awarded = Tender.objects.get(authority=council, title=AWARDED_TITLE)
    o["awarded_tender"], o["awarded_lot"] = awarded, awarded.lots.get()
    o["contract"] = Contract.objects.get(tender=awarded)
    o["awarded_bid"] = Bid.objects.unscoped(reason="the test reads what was stored").get(
        tender=awarded, bidder=food_network
    )
    o["award_letter"] = o["awarded_bid"].award_letters.get()
    query = o["awarded_bid"].abnormally_low_queries.create(
        price=o["awarded_bid"].price,
        mean_of_others=o["awarded_bid"].price * 2,
        percent_below_mean=Decimal("50"),
        threshold_percent=Decimal("15"),
        request="Explain the price.",
        requested_by=officer,
        requested_at=timezone.now(),
    )
    o["query"] = tender_services.abnormally_low_respond(
        actor=bidder_a,
        query=query,
        response=EXPLANATION,
        files=[_upload("costs.pdf", EXPLANATION_FILE)],
    )
    o["query_file"] = o["query"].files.get()
    # Delivery of that contract: the demo's schedule and returns, an evidence file, the period
    # now running (no return yet), a line of the second return awaiting checks and one queried.
    from measurement.delivery import services as delivery_services
    from measurement.delivery import totals as delivery_totals
    from measurement.delivery.models import ReturnLine

    o["evidence"] = delivery_services.evidence_add(
        actor=bidder_a,
        supplier=food_network,
        upload=_upload("log.pdf", EVIDENCE_FILE),
        description=EVIDENCE_TEXT,
    )
    periods = list(o["contract"].reporting_periods.order_by("number"))
    o["sent_period"], o["open_period"] = periods[1], periods[2]
    lines = list(ReturnLine.objects.filter(delivery_return__period=periods[1]).order_by("pk"))
    assert len(lines) >= 2, "the demo contract needs two commitments"
    o["pending_line"], o["queried_line"] = lines[0], lines[-1]
    delivery_services.line_decide(
        actor=officer, line=lines[-1], decision="query", reason=DELIVERY_QUESTION
    )
    # The demo contract is at risk (its second return awaits checks): a remedy and a failure.
    # The second return's sample is fixed so the line awaiting checks lies outside it.
    o["remedy"] = delivery_services.remedy_record(
        actor=officer,
        contract=o["contract"],
        agreed=REMEDY_TEXT,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    o["failure"] = delivery_services.performance_failure_record(
        actor=officer,
        contract=o["contract"],
        requirement=FAILURE_TEXT,
        description=FAILURE_TEXT,
        decision_date=timezone.localdate(),
        penalty_type="contracted",
    )
    ReturnLine.objects.filter(pk=lines[0].pk).update(sample_check=False)
    o["sent_return"] = lines[0].delivery_return
    # The demo council publishes its delivered social value (verified only) on its public page.
    assert delivery_totals.is_published(council)
    o["challenge"] = tender_services.challenge_record(
        actor=officer,
        tender=awarded,
        summary=CHALLENGE,
        received_at=timezone.now() - timedelta(hours=1),
    )

    # Social Value Act: the demo's planned contract and its recorded check.
    o["planned_contract"] = PlannedContract.objects.get(
        authority=council, title="Home care and reablement support"
    )
    o["assessment"] = assessments_for(planned_contract=o["planned_contract"]).first()

    # Local definitions: the adopted demo one, a new draft and one in review.
    o["adopted_definition"] = LocalDefinition.objects.get(
        owner=council, status=DefinitionStatus.ADOPTED
    )
    measures = [link.measure for link in o["adopted_definition"].priorities.first().measures.all()]
    draft_definition = definition_services.definition_create(
        actor=commissioner, owner=council, title=DEFINITION, statement=f"{DEFINITION} statement"
    )
    priorities = [
        definition_services.priority_add(
            actor=commissioner,
            definition=draft_definition,
            theme="social",
            outcome=f"{PRIORITY} {n}",
        )
        for n in (1, 2)
    ]
    definition_services.priority_set_measures(
        actor=commissioner, priority=priorities[0], measures=measures
    )
    link = priorities[0].measures.select_related("measure", "priority__definition").first()
    definition_services.priority_measure_set_target(
        actor=commissioner, link=link, target_quantity=Decimal("5"), target_text=TARGET
    )
    o["draft_definition"], o["priority"], o["target"] = draft_definition, priorities[0], link
    review = definition_services.definition_create(
        actor=commissioner, owner=council, title=REVIEW_DEFINITION, statement="In review"
    )
    in_review_priority = definition_services.priority_add(
        actor=commissioner, definition=review, theme="economic", outcome="Local jobs"
    )
    definition_services.priority_set_measures(
        actor=commissioner, priority=in_review_priority, measures=measures
    )
    o["review_definition"] = definition_services.definition_submit(
        actor=commissioner, definition=review
    )

    # Members, invitations and background jobs of the council.
    o["invitation"] = services.member_invite(
        actor=admin_a,
        organisation=council,
        email=INVITEE,
        role=Role.EVALUATOR,
        accept_url_for=lambda token: f"https://example.org/{token}",
    )
    o["membership"] = Membership.objects.get(
        organisation=council, user=cast.users["evaluator"], role=Role.EVALUATOR
    )
    # An API token of the demo bidder for its organisation.
    from socialvalue.core import api_tokens

    o["api_token"], o["api_key"] = api_tokens.api_token_create(
        actor=bidder_a, organisation=food_network, name=API_TOKEN_NAME
    )
    o["job"] = Job.objects.create(
        kind="audit.verify",
        requested_by=commissioner,
        organisation=council,
        status=JobStatus.FAILED,
        error=JOB_ERROR,
    )

    # Reports of the council: the Act record failed (its error says so), the annual one ready.
    o["report"] = Report.objects.create(
        kind="act-consideration",
        subject_id=o["planned_contract"].pk,
        title="Social Value Act consideration record",
        organisation=council,
        requested_by=commissioner,
        data_version="xorg-failed",
        status=ReportStatus.FAILED,
        error=REPORT_ERROR,
    )
    ready = Report.objects.create(
        kind="annual",
        subject_id=council.pk,
        options={"year": 2026},
        title="Annual social value report",
        organisation=council,
        requested_by=commissioner,
        data_version="xorg-ready",
        status=ReportStatus.READY,
    )
    ready.file.save("ready.pdf", ContentFile(REPORT_FILE))
    o["ready_report"] = ready

    # The Compact (compact/demo.py): the council's local Compact, its strategy, the group's joint
    # definition in review with a comment thread, consultations, a response with a file, and a
    # decommissioning assessment; plus a consultation that has not opened yet, with a document.
    from compact import services as compact_services
    from compact.demo import CLOSED_TITLE as CLOSED_CONSULTATION
    from compact.demo import JOINT_TITLE, OPEN_TITLE
    from compact.models import (
        Consultation,
        DecommissioningAssessment,
        JointStrategy,
        LocalCompact,
        ReviewComment,
        Signatory,
    )

    o["local_compact"] = LocalCompact.objects.get(group=cast.organisations["compact"])
    o["unsigned"] = Signatory.objects.filter(
        compact=o["local_compact"], signed_on__isnull=True
    ).first()
    o["strategy"] = JointStrategy.objects.get(compact=o["local_compact"])
    o["joint_definition"] = LocalDefinition.objects.get(title=JOINT_TITLE)
    o["review_comment"] = ReviewComment.objects.filter(
        definition=o["joint_definition"], parent__isnull=True, resolved_at__isnull=True
    ).first()
    o["open_consultation"] = Consultation.objects.get(title=OPEN_TITLE)
    o["closed_consultation"] = Consultation.objects.get(title=CLOSED_CONSULTATION)
    today = timezone.localdate()
    o["future_consultation"] = compact_services.consultation_create(
        actor=commissioner,
        authority=council,
        title=FUTURE_CONSULTATION,
        subject="policy",
        description="Not yet public.",
        audience="Everyone.",
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=100),
    )
    o["consultation_document"] = compact_services.consultation_document_add(
        actor=commissioner,
        consultation=o["future_consultation"],
        title="Draft policy",
        upload=_upload("draft.pdf", DOCUMENT_BODY),
    )
    response = compact_services.consultation_respond(
        actor=bidder_a,
        consultation=o["open_consultation"],
        organisation=food_network,
        body=RESPONSE,
        uploads=[_upload("response.pdf", RESPONSE_FILE)],
    )
    o["response_attachment"] = response.attachments.get()
    o["decommissioning"] = DecommissioningAssessment.objects.get(authority=council)

    # Organisation B.
    authority_b, bidder_b = AuthorityFactory(), BidderOrganisationFactory()
    group_b = CompactGroupFactory()
    o["authority_b"], o["bidder_b"], o["group_b"] = authority_b, bidder_b, group_b
    p = world.people
    p["commissioner"] = person_with_role(Role.COMMISSIONER, authority_b)
    p["procurement_officer"] = person_with_role(Role.PROCUREMENT_OFFICER, authority_b)
    p["evaluator"] = person_with_role(Role.EVALUATOR, authority_b)
    p["org_admin"] = person_with_role(Role.ORG_ADMIN, authority_b)
    p["bidder"] = person_with_role(Role.BIDDER, bidder_b)
    p["bidder_org_admin"] = person_with_role(Role.ORG_ADMIN, bidder_b)
    p["compact_member"] = person_with_role(Role.COMPACT_MEMBER, group_b)
    MembershipFactory(user=p["compact_member"], organisation=group_b, role=Role.ORG_ADMIN)
    p["council_commissioner"] = commissioner
    p["council_procurement"] = officer
    p["council_evaluator"] = cast.users["evaluator"]
    p["superuser"] = UserFactory(is_staff=True, is_superuser=True)
    world.owners = {
        key: cast.users[key] for key in ("procurement", "commissioner", "admin", "compact")
    }
    world.owners["bidder"] = bidder_a
    world.owners["evaluator"] = cast.users["evaluator"]
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end; each test
    runs inside its own savepoint (pytest-django's `db`), so what one test changes is undone."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = _build_world()
        yield built
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- the route table


def pk(key: str) -> Callable[[World], dict]:
    return lambda world: {"pk": world.objects[key].pk}


def slug(key: str) -> Callable[[World], dict]:
    return lambda world: {"slug": world.objects[key].slug}


def member(key: str) -> Callable[[World], dict]:
    """A member of an organisation, named by the organisation and the person."""
    return lambda world: {
        "slug": world.objects[key].organisation.slug,
        "user_id": world.objects[key].user_id,
    }


def _report_of(kind: str, key: str) -> Callable[[World], dict]:
    return lambda world: {"kind": kind, "subject_id": world.objects[key].pk}


def transition(world: World) -> dict:
    return {"pk": world.objects["awarded_tender"].pk, "action": "start_delivery"}


def _first_rank(world: World) -> dict:
    return {"pk": world.objects["awarded_lot"].pk, "rank": 1}


def _challenge(world: World) -> dict:
    day = timezone.localdate()
    return {
        "summary": "Another challenge.",
        "received_on_0": str(day.day),
        "received_on_1": str(day.month),
        "received_on_2": str(day.year),
    }


@dataclass(frozen=True)
class Case:
    """How to reach one of organisation A's objects through a route.

    `target` gives the URL's arguments. `owner` is who in A may use the route (a key of
    World.owners): their form, read from the page, is what everyone else POSTs. `post` adds or
    replaces fields (a function of the world). `changes`: the owner's POST changes something
    (checked by a control test, so the refusals are not vacuous). `visible`: by design anyone
    signed in may read this page (a published tender, a market statement): it must still show
    none of A's private words. `people`: who else is refused besides organisation B.
    """

    target: Callable[[World], dict]
    owner: str | None = None
    post: Callable[[World], dict] | None = None
    changes: bool = False
    visible: bool = False
    methods: tuple[str, ...] = ("get", "post")
    people: tuple[str, ...] = ()
    note: str = ""


def _return_post(world: World) -> dict:
    commitments = world.objects["contract"].commitments.all()
    return {**{f"quantity_{c.pk}": "1" for c in commitments}, "save": "1"}


def _accept(world: World) -> dict:
    return {f"line-{world.objects['pending_line'].pk}-decision": "accept"}


def _answer(world: World) -> dict:
    return {f"line-{world.objects['queried_line'].pk}-answer": "From the ward 2 site."}


def _act_record(world: World) -> dict:
    from socialvalue.act.views import _sign

    return {
        "check_token": _sign(world.objects["assessment"].inputs),
        "wellbeing_improvement": "Local jobs.",
        "procurement_approach": "Weighted criteria.",
        "will_consult": "no",
        "no_consultation_reason": "Small contract.",
    }


def _new_deadline(world: World) -> dict:
    later = world.objects["open_tender"].submission_deadline + timedelta(days=7)
    return {
        "reason": "More time for bidders.",
        "submission_deadline_date_0": str(later.day),
        "submission_deadline_date_1": str(later.month),
        "submission_deadline_date_2": str(later.year),
    }


def _local_minimum(world: World) -> dict:
    starts = timezone.localdate() + timedelta(days=30)
    return {
        "title": "Council policy",
        "percent": "15",
        "starts_0": str(starts.day),
        "starts_1": str(starts.month),
        "starts_2": str(starts.year),
    }


SEALED = TENDER_AUTHORITY + STAFF
# The authority's own people who are not its procurement officer (both sit on the demo panel),
# and who are not the panel member whose appointment it is.
NOT_THE_OFFICER = ("council_commissioner", "council_evaluator", *STAFF)
NOT_THE_EVALUATOR = ("council_commissioner", "council_procurement", *STAFF)


def _mark_bid(world: World) -> dict:
    return {"pk": world.objects["appointment"].pk, "bid_pk": world.objects["evaluation_bid"].pk}


def _appoint(world: World) -> dict:
    from tenders.evaluation_selectors import assignable_criteria

    return {
        "user": world.owners["commissioner"].pk,
        "criteria": [c.pk for c in assignable_criteria(world.objects["closed_lot"])],
    }


def _date(name: str, day) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _today():
    return timezone.localdate()


CASES: dict[str, tuple[Case, ...]] = {
    # Core: organisations, members, invitations, jobs.
    "organisation": (
        Case(
            slug("council"),
            owner="admin",
            post=lambda w: {"email": "xorg-new@example.org", "role": Role.EVALUATOR},
            changes=True,
        ),
    ),
    "invitation-revoke": (Case(pk("invitation"), owner="admin", changes=True),),
    "member-roles": (
        Case(
            member("membership"),
            owner="admin",
            post=lambda w: {"roles": [Role.EVALUATOR, Role.COMMISSIONER]},
            changes=True,
        ),
    ),
    "member-remove": (Case(member("membership"), owner="admin", changes=True),),
    "api-token-revoke": (Case(pk("api_token"), owner="bidder", changes=True),),
    "job": (Case(pk("job"), owner="commissioner", changes=True),),
    # Reports: asking for one about A's contract or A's year, and A's reports themselves. (The
    # market statement's report is public, like its page: tests/reports.)
    "report-request": (
        Case(
            _report_of("act-consideration", "planned_contract"), owner="commissioner", changes=True
        ),
        Case(_report_of("annual", "council"), owner="commissioner", changes=True),
        # The officers' evaluation report of A's awarded tender (every bidder's prices and marks),
        # and the food network's own assessment summary letter.
        Case(_report_of("tender-evaluation", "awarded_tender"), owner="procurement", changes=True),
        Case(_report_of("assessment-summary", "award_letter"), owner="bidder", changes=True),
        # The Compact's: A's decommissioning assessment, and A's consultation not open yet (an
        # open one's report is public, like its page: tests/reports/test_compact_reports.py).
        Case(
            _report_of("compact-decommissioning", "decommissioning"),
            owner="commissioner",
            changes=True,
        ),
        Case(
            _report_of("compact-consultation", "future_consultation"),
            owner="commissioner",
            changes=True,
        ),
        # The Compact group's review of its joint definition, like the review page.
        Case(_report_of("compact-review", "joint_definition"), owner="compact", changes=True),
        # The delivery report of A's contract: the authority's and the supplier's, like its page.
        Case(_report_of("delivery-contract", "contract"), owner="procurement", changes=True),
    ),
    "report-detail": (
        Case(pk("report"), owner="commissioner"),
        Case(pk("ready_report"), owner="commissioner"),
    ),
    "report-download": (Case(pk("ready_report"), owner="commissioner"),),
    "report-retry": (Case(pk("report"), owner="commissioner", changes=True),),
    # The Social Value Act check.
    "act-contract": (Case(pk("planned_contract"), owner="commissioner"),),
    "act-check": (Case(pk("planned_contract"), owner="commissioner"),),
    "act-record": (
        Case(pk("planned_contract"), owner="commissioner", post=_act_record, changes=True),
    ),
    "act-assessment": (Case(pk("assessment"), owner="commissioner"),),
    # Local definitions: a draft, one in review, the adopted one.
    "definition-detail": (Case(pk("draft_definition"), owner="commissioner"),),
    "definition-edit": (Case(pk("draft_definition"), owner="commissioner", changes=True),),
    "definition-submit": (Case(pk("draft_definition"), owner="commissioner", changes=True),),
    "definition-return": (Case(pk("review_definition"), owner="commissioner", changes=True),),
    "definition-adopt": (Case(pk("review_definition"), owner="commissioner", changes=True),),
    # The world's draft is already the adopted definition's next version (a new draft starts as
    # one), so the owner's POST is refused too; tests/definitions covers the owner's own path.
    "definition-new-version": (Case(pk("adopted_definition"), owner="commissioner"),),
    "definition-priority-add": (
        Case(
            pk("draft_definition"),
            owner="commissioner",
            post=lambda w: {"theme": "social", "outcome": "Another outcome"},
            changes=True,
        ),
    ),
    "definition-priority": (Case(pk("priority"), owner="commissioner"),),
    "definition-priority-edit": (Case(pk("priority"), owner="commissioner", changes=True),),
    "definition-priority-remove": (Case(pk("priority"), owner="commissioner", changes=True),),
    "definition-priority-move": (
        Case(
            pk("priority"), owner="commissioner", post=lambda w: {"direction": "down"}, changes=True
        ),
    ),
    "definition-priority-measures": (Case(pk("priority"), owner="commissioner", changes=True),),
    "definition-target": (Case(pk("target"), owner="commissioner", changes=True),),
    "definition-market-statement": (
        Case(slug("council"), visible=True, note="published to the market"),
    ),
    "definition-market-statement-print": (
        Case(slug("council"), visible=True, note="published to the market"),
    ),
    "api-market-statement": (
        Case(slug("council"), visible=True, methods=("get",), note="published to the market"),
    ),
    # Tenders: the draft is the authority's alone; published ones are public opportunities.
    "tender-detail": (
        Case(pk("draft_tender"), owner="procurement"),
        Case(
            pk("closed_tender"),
            visible=True,
            methods=("get",),
            note="a published tender is a public opportunity; its bids are not",
        ),
    ),
    "tender-edit": (Case(pk("draft_tender"), owner="procurement", changes=True),),
    "tender-publish": (
        Case(
            pk("draft_tender"),
            owner="procurement",
            post=lambda w: {"confirm": "on"},
            changes=True,
        ),
    ),
    "tender-copy": (
        Case(pk("draft_tender"), owner="procurement", changes=True),
        Case(pk("closed_tender"), owner="procurement", changes=True),
    ),
    "tender-interest": (
        Case(pk("draft_tender"), note="no interest in a draft; a published tender is public"),
    ),
    "tender-interest-list": (
        Case(pk("open_tender"), owner="procurement", people=("bidder",)),
        Case(pk("draft_tender"), owner="procurement"),
    ),
    "tender-lot-copy": (
        Case(
            pk("draft_lot"),
            owner="procurement",
            post=lambda w: {"source": w.objects["open_tender"].lots.order_by("pk").first().pk},
            changes=True,
        ),
    ),
    "tender-amend": (
        Case(pk("open_tender"), owner="procurement", post=_new_deadline, changes=True),
    ),
    "tender-open-bids": (Case(pk("closed_tender"), owner="procurement", changes=True),),
    "tender-bids": (
        Case(pk("draft_tender"), owner="procurement"),
        Case(
            pk("closed_tender"),
            visible=True,
            methods=("get",),
            people=TENDER_AUTHORITY + STAFF,
            note="the page answers everyone who may see the tender; sealed bids stay unlisted",
        ),
    ),
    "tender-transition": (Case(transition, owner="procurement", changes=True),),
    # The award: the awarded demo tender, its lot, contract, a price query and a challenge.
    "award-tender": (Case(pk("awarded_tender"), owner="procurement"),),
    "award-issue": (Case(pk("awarded_tender"), owner="procurement"),),
    "award-standstill-end": (Case(pk("awarded_tender"), owner="procurement"),),
    "award-challenge-add": (
        Case(pk("awarded_tender"), owner="procurement", post=_challenge, changes=True),
    ),
    "award-challenge-resolve": (
        Case(
            pk("challenge"),
            owner="procurement",
            post=lambda w: {"resolution": "Withdrawn."},
            changes=True,
        ),
    ),
    "award-ranking": (Case(pk("awarded_lot"), owner="procurement"),),
    "award-ranking-chart": (Case(pk("awarded_lot"), owner="procurement", methods=("get",)),),
    "award-tie": (Case(_first_rank, owner="procurement"),),
    "award-lot": (Case(pk("awarded_lot"), owner="procurement"),),
    "award-lot-replace": (Case(pk("awarded_lot"), owner="procurement"),),
    "contract-enter": (Case(pk("awarded_lot"), owner="procurement"),),
    "contract-detail": (Case(pk("contract"), owner="procurement"),),
    # Delivery of the demo contract: the authority's pages and the supplier's.
    "delivery-contract": (Case(pk("contract"), owner="procurement"),),
    "delivery-contract-chart": (Case(pk("contract"), owner="procurement", methods=("get",)),),
    "delivery-schedule-create": (Case(pk("contract"), owner="procurement"),),
    "delivery-assumptions": (
        Case(
            pk("contract"),
            owner="procurement",
            post=lambda w: {"deadweight": "33", "duration_years": "2"},
            changes=True,
        ),
    ),
    "delivery-return": (
        Case(pk("open_period"), owner="bidder", post=_return_post, changes=True),
        Case(pk("sent_period"), owner="bidder", methods=("get",)),
    ),
    "delivery-line-decide": (
        Case(pk("pending_line"), owner="procurement", post=_accept, changes=True),
    ),
    "delivery-query-answer": (
        Case(pk("queried_line"), owner="bidder", post=_answer, changes=True),
    ),
    "delivery-remedy-add": (
        Case(
            pk("contract"),
            owner="procurement",
            post=lambda w: {
                "agreed": "Catch up by spring.",
                **_date("due_on", _today() + timedelta(days=30)),
            },
            changes=True,
        ),
    ),
    "delivery-remedy-outcome": (
        Case(
            pk("remedy"),
            owner="procurement",
            post=lambda w: {"outcome": "met", "outcome_note": "Caught up."},
            changes=True,
        ),
    ),
    "delivery-failure-add": (
        Case(
            pk("contract"),
            owner="procurement",
            post=lambda w: {
                "requirement": "Weekly sessions",
                "description": "Stopped.",
                **_date("decision_date", _today()),
            },
            changes=True,
        ),
    ),
    "delivery-accept-unsampled": (
        Case(
            pk("sent_return"),
            owner="procurement",
            post=lambda w: {"note": "Totals agree with the payroll summary."},
            changes=True,
        ),
    ),
    # The council's choice to publish its delivered value (published in the world: the owner's
    # post withdraws it), and the public page itself, verified delivery only.
    "delivery-publication": (
        Case(pk("council"), owner="procurement", post=lambda w: {"published": "no"}, changes=True),
    ),
    "delivery-public": (
        Case(
            slug("council"),
            visible=True,
            methods=("get",),
            note="published by the council: verified delivery only",
        ),
    ),
    "award-query-request": (Case(pk("awarded_bid"), owner="procurement"),),
    "award-query": (
        Case(
            pk("query"),
            owner="bidder",
            post=lambda w: {"form": "answer", "response": "A better explanation."},
            changes=True,
        ),
    ),
    "award-query-file": (Case(pk("query_file"), owner="bidder"),),
    "bid-outcome": (Case(pk("awarded_bid"), owner="bidder"),),
    "tender-lot-add": (
        Case(
            pk("draft_tender"),
            owner="procurement",
            post=lambda w: {"title": "Second lot"},
            changes=True,
        ),
    ),
    "tender-document-add": (
        Case(
            pk("draft_tender"),
            owner="procurement",
            post=lambda w: {"title": "Annex", "file": _upload("annex.pdf", DOCUMENT_BODY)},
            changes=True,
        ),
    ),
    "tender-clarifications": (
        Case(pk("draft_tender"), owner="procurement"),
        Case(
            pk("open_tender"),
            visible=True,
            methods=("get",),
            note="bidders read the published answers; another bidder's question stays private",
        ),
    ),
    "tender-clarification-answer": (
        Case(
            pk("clarification"),
            owner="procurement",
            post=lambda w: {"answer": "Weekdays.", "publish": "all"},
            changes=True,
        ),
    ),
    "tender-document": (Case(pk("draft_document"), owner="procurement"),),
    "tender-lot-edit": (Case(pk("draft_lot"), owner="procurement", changes=True),),
    "tender-criteria": (Case(pk("draft_lot"), owner="procurement"),),
    "tender-criterion-add": (
        Case(
            pk("draft_lot"),
            owner="procurement",
            post=lambda w: {"kind": "quality", "name": "Added", "weight": "10"},
            changes=True,
        ),
    ),
    "tender-weights": (Case(pk("draft_lot"), owner="procurement", changes=True),),
    "tender-criterion-edit": (Case(pk("draft_criterion"), owner="procurement", changes=True),),
    "tender-policy": (
        Case(slug("council"), owner="procurement", post=_local_minimum, changes=True),
    ),
    "api-tender-detail": (Case(pk("draft_tender"), note="the API answers for published only"),),
    "api-tender-clarifications": (
        Case(pk("draft_tender"), note="published tenders' published answers only"),
    ),
    "api-ocds-tender-releases": (
        Case(pk("draft_tender"), note="OCDS releases are published for published tenders only"),
    ),
    "api-contract-detail": (
        Case(
            pk("contract"),
            visible=True,
            methods=("get",),
            note="open data: parties, value, commitments and verified totals; never returns",
        ),
    ),
    # Evaluation: the officer runs the panel and moderates; a panel member declares and marks.
    "evaluation-overview": (Case(pk("evaluation_tender"), owner="procurement", people=STAFF),),
    "evaluation-settings": (
        Case(pk("closed_tender"), owner="procurement", people=NOT_THE_OFFICER, changes=True),
    ),
    "evaluation-appoint": (
        Case(
            pk("closed_lot"),
            owner="procurement",
            people=NOT_THE_OFFICER,
            post=_appoint,
            changes=True,
        ),
    ),
    "evaluation-appointment": (
        Case(
            pk("closed_appointment"),
            owner="procurement",
            people=NOT_THE_OFFICER,
            changes=True,
        ),
    ),
    "evaluation-appointment-remove": (
        Case(
            pk("closed_appointment"),
            owner="procurement",
            people=NOT_THE_OFFICER,
            changes=True,
        ),
    ),
    "evaluation-mitigate": (
        Case(pk("declaration"), owner="procurement", people=NOT_THE_OFFICER, changes=True),
    ),
    "evaluation-moderation": (
        Case(pk("evaluation_lot"), owner="procurement", people=NOT_THE_OFFICER),
    ),
    "evaluation-moderate-bid": (
        Case(pk("evaluation_bid"), owner="procurement", people=NOT_THE_OFFICER),
    ),
    "evaluation-declare": (
        Case(pk("appointment"), owner="evaluator", people=NOT_THE_EVALUATOR, changes=True),
    ),
    "evaluation-marking": (Case(pk("appointment"), owner="evaluator", people=NOT_THE_EVALUATOR),),
    "evaluation-mark-bid": (Case(_mark_bid, owner="evaluator", people=NOT_THE_EVALUATOR),),
    # Bids: A is the bidder. Sealed from other bidders, the authority and service staff.
    "bid-start": (
        Case(pk("draft_lot"), note="no bids on a draft; bidding on an open tender is public"),
    ),
    "bid-detail": (
        Case(pk("draft_bid"), owner="bidder", people=SEALED),
        Case(pk("sealed_bid"), owner="bidder", people=SEALED),
    ),
    "bid-edit": (Case(pk("draft_bid"), owner="bidder", people=SEALED, changes=True),),
    "bid-submit": (
        Case(
            pk("draft_bid"),
            owner="bidder",
            people=SEALED,
            post=lambda w: {"declaration": "on"},
            changes=True,
        ),
    ),
    "bid-receipt": (Case(pk("submitted_bid"), owner="bidder", people=SEALED),),
    # A person's saved searches are theirs alone (not even their organisation's).
    "tender-alert-change": (Case(pk("saved_search"), owner="bidder", people=SEALED, changes=True),),
    "bid-withdraw": (Case(pk("submitted_bid"), owner="bidder", people=SEALED, changes=True),),
    "bid-commitment-add": (
        Case(
            pk("draft_bid"),
            owner="bidder",
            people=SEALED,
            post=lambda w: {
                "criterion": w.objects["commitment"].criterion_id,
                "measure": w.objects["commitment"].measure_id,
                "quantity": "3",
                "timing": "Year one",
            },
            changes=True,
        ),
    ),
    "bid-commitment-remove": (Case(pk("commitment"), owner="bidder", people=SEALED, changes=True),),
    "bid-attachment-add": (
        Case(
            pk("draft_bid"),
            owner="bidder",
            people=SEALED,
            post=lambda w: {"file": _upload("more.pdf", BID_FILE)},
            changes=True,
        ),
    ),
    "bid-attachment": (
        Case(pk("draft_attachment"), owner="bidder", people=SEALED),
        Case(pk("submitted_attachment"), owner="bidder", people=SEALED),
    ),
    "bid-attachment-remove": (
        Case(pk("draft_attachment"), owner="bidder", people=SEALED, changes=True),
    ),
}

CASES.update(
    {
        # The Compact: a local Compact and its strategy are public; the rest is the group's, the
        # council's, or (a response) the responding organisation's.
        "compact-local": (
            Case(slug("local_compact"), visible=True, methods=("get",), note="public"),
        ),
        "compact-health": (Case(slug("local_compact"), owner="compact"),),
        "compact-signatory-add": (
            Case(
                slug("local_compact"),
                owner="compact",
                post=lambda w: {"name": "Another body", "sector": "public"},
                changes=True,
            ),
        ),
        "compact-commitment-add": (
            Case(
                slug("local_compact"),
                owner="compact",
                post=lambda w: {"text": "Pay the real Living Wage.", "national_key": ""},
                changes=True,
            ),
        ),
        "compact-member-add": (
            Case(
                slug("local_compact"),
                owner="compact",
                post=lambda w: {"organisation": w.objects["authority_b"].pk, "role": "observer"},
                changes=True,
            ),
        ),
        "compact-strategy-create": (
            Case(
                slug("local_compact"),
                owner="compact",
                post=lambda w: {
                    "title": "Second strategy",
                    "policy": "Policy.",
                    "lead_officer": "Head of Policy",
                    "review_every_months": "12",
                    **_date("next_review_on", _today() + timedelta(days=365)),
                },
                changes=True,
            ),
        ),
        "compact-signatory-signed": (
            Case(
                pk("unsigned"),
                owner="compact",
                post=lambda w: _date("signed_on", _today()),
                changes=True,
            ),
        ),
        "compact-strategy": (Case(pk("strategy"), visible=True, methods=("get",), note="public"),),
        "compact-strategy-review": (
            Case(
                pk("strategy"),
                owner="compact",
                post=lambda w: {"findings": "On track.", **_date("reviewed_on", _today())},
                changes=True,
            ),
        ),
        "compact-review": (Case(pk("joint_definition"), owner="compact"),),
        "compact-review-comment": (
            Case(
                pk("joint_definition"),
                owner="compact",
                post=lambda w: {"body": "A comment."},
                changes=True,
            ),
        ),
        "compact-review-view": (
            Case(
                pk("joint_definition"),
                owner="compact",
                post=lambda w: {"position": "support", "reasons": "Agreed."},
                changes=True,
            ),
        ),
        "compact-comment-resolve": (
            Case(
                pk("review_comment"),
                owner="compact",
                post=lambda w: {"resolution": "Changed."},
                changes=True,
            ),
        ),
        "compact-review-adopt": (
            Case(
                pk("review_definition"),
                owner="commissioner",
                post=lambda w: {
                    "authority": w.objects["council"].pk,
                    **_date("decided_on", _today()),
                },
                changes=True,
            ),
        ),
        "compact-review-settings": (
            Case(
                pk("draft_definition"),
                owner="commissioner",
                post=lambda w: {
                    "voluntary_sector_role": "Delivery.",
                    **_date("review_on", _today()),
                },
                changes=True,
            ),
        ),
        "compact-consultation": (
            Case(pk("future_consultation"), owner="commissioner", note="not open yet"),
            Case(pk("open_consultation"), visible=True, methods=("get",), note="open: public"),
        ),
        "compact-consultation-edit": (
            Case(
                pk("future_consultation"),
                owner="commissioner",
                post=lambda w: {"title": "Retitled by another organisation"},
                changes=True,
                note="only before it opens",
            ),
        ),
        "compact-consultation-document": (
            Case(pk("consultation_document"), owner="commissioner", note="not open yet"),
        ),
        "compact-consultation-document-add": (
            Case(
                pk("open_consultation"),
                owner="commissioner",
                post=lambda w: {"title": "Annex", "file": _upload("annex.pdf", DOCUMENT_BODY)},
                changes=True,
            ),
        ),
        "compact-consultation-respond": (
            Case(
                pk("future_consultation"),
                post=lambda w: {"body": "Early.", "organisation": w.objects["bidder_b"].pk},
                note="nobody responds before it opens; an open one is for everyone to answer",
            ),
        ),
        "compact-consultation-responses": (Case(pk("open_consultation"), owner="commissioner"),),
        "compact-consultation-publish": (
            Case(pk("closed_consultation"), owner="commissioner", changes=True),
        ),
        "compact-response-attachment": (Case(pk("response_attachment"), owner="bidder"),),
        "compact-decommissioning": (Case(pk("decommissioning"), owner="commissioner"),),
        "compact-decommissioning-comment": (
            Case(
                pk("decommissioning"),
                owner="commissioner",
                post=lambda w: {"body": "Noted."},
                changes=True,
            ),
        ),
    }
)

# Routes with an argument in the path that do not name an organisation's object (and why).
NOT_ORGANISATION_OBJECTS = {
    "invitation-accept": "the emailed token is the credential (tests/core/test_accounts.py)",
    "password_reset_confirm": "Django's password reset link; the token is the credential",
    "email-confirm": "the emailed link; the signed token is the credential (tests/socialvalue/test_registration.py)",
    "measure-detail": "the measures catalogue is shared by the whole service",
    "measure-proxy-add": "the shared catalogue, changed by service staff only (tests/measurement)",
    "api-ocds-extension": "the service's own OCDS extension files, the same for everyone",
    "tender-alert-unsubscribe": "the emailed link; the signed token is the credential (tests/tenders/test_journeys.py)",
}


def _routes(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or entry.namespace == "admin":
                continue
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name or "", prefix + str(entry.pattern)


ROUTES = sorted(set(_routes(get_resolver())))
OBJECT_ROUTES = sorted({name for name, route in ROUTES if "<" in route})
PLAIN_ROUTES = sorted({name for name, route in ROUTES if "<" not in route})
CASE_IDS = [(name, number) for name, cases in sorted(CASES.items()) for number in range(len(cases))]


def test_every_route_with_an_object_in_its_path_has_a_case():
    missing = [
        name for name in OBJECT_ROUTES if name not in CASES and name not in NOT_ORGANISATION_OBJECTS
    ]
    assert not missing, (
        f"Routes {missing} name an object in their path but have no row in CASES in "
        "tests/test_cross_organisation.py: add one saying how to make such an object owned by "
        "organisation A (or list the route in NOT_ORGANISATION_OBJECTS with the reason)."
    )
    stale = sorted(set(CASES) - set(OBJECT_ROUTES))
    assert not stale, f"CASES names routes that no longer exist: {stale}"


# --------------------------------------------------------------------------- checking


def _snapshot() -> dict[str, str]:
    """A digest of every row of every table of the service (audit trail included)."""
    digests = {}
    for label in ("socialvalue", "tenders", "measurement", "compact", "delivery"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # Signing in stamps last_login: that is the test's doing, not the route's.
            columns = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
            rows = model._base_manager.order_by("pk").values_list(*columns)
            digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


class _Forms(HTMLParser):
    """The fields of each <form> on a page, as a browser would submit them (no buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name, value):
        if self.forms and name:
            self.forms[-1][1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(((a.get("action") or ""), {}))
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, self._text.lstrip("\n"))
            self._textarea = None


def _owner_form(client, url: str) -> dict[str, list[str]]:
    """What the owner's form on the page at `url` would send as it stands (empty if none)."""
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return {}
    parser = _Forms()
    parser.feed(_body(response))
    for action, fields in parser.forms:
        if action in ("", url) and "csrfmiddlewaretoken" in fields:
            fields.pop("csrfmiddlewaretoken")
            return fields
    return {}


def _post_data(client, world: World, case: Case, url: str) -> dict:
    data: dict = {}
    if case.owner is not None:
        _sign_in(client, world.owners[case.owner])
        data.update(_owner_form(client, url))
        client.logout()
    if case.post is not None:
        data.update(case.post(world))
    return data


def _sign_in(client, user) -> None:
    client.logout()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def _secrets_for(person: str) -> tuple[str, ...]:
    # The authority that runs the tender may know its own tender; only bids are sealed from it.
    if person in TENDER_AUTHORITY or person in STAFF:
        return BID_SECRETS
    return BID_SECRETS + AUTHORITY_SECRETS


def _fresh(value):
    """A new upload for every request (the test client reads each file once)."""
    if isinstance(value, SimpleUploadedFile):
        value.seek(0)
        return SimpleUploadedFile(value.name, value.read(), content_type=value.content_type)
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "number"), CASE_IDS, ids=[f"{r}-{n}" for r, n in CASE_IDS])
def test_nobody_else_reaches_organisation_as_objects(client, world, route, number):
    case = CASES[route][number]
    url = reverse(route, kwargs=case.target(world))
    data = _post_data(client, world, case, url)
    before, outbox = _snapshot(), len(mail.outbox)
    problems = []
    for person in PEOPLE_B + case.people:
        _sign_in(client, world.people[person])
        for method in case.methods:
            payload = {key: _fresh(value) for key, value in data.items()}
            response = client.post(url, payload) if method == "post" else client.get(url)
            status = response.status_code
            body = _body(response)
            shown = [secret for secret in _secrets_for(person) if secret in body]
            # 405: the route does not take this method, so it did nothing.
            refused = status in (403, 404, 405) or (case.visible and status == 200)
            if not refused:
                where = response.get("Location", "")
                problems.append(f"{person} {method.upper()} {url} answered {status} {where}")
            if shown:
                problems.append(f"{person} {method.upper()} {url} showed {shown}")
            after = _snapshot()
            if changed := _changed(before, after):
                problems.append(f"{person} {method.upper()} {url} changed {changed}")
                before = after
            if len(mail.outbox) != outbox:
                problems.append(f"{person} {method.upper()} {url} sent an email")
                outbox = len(mail.outbox)
    assert not problems, "\n".join(problems)


CHANGING = [(name, number) for name, number in CASE_IDS if CASES[name][number].changes]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "number"), CHANGING, ids=[f"{r}-{n}" for r, n in CHANGING])
def test_the_owners_post_would_change_something(client, world, route, number):
    """The control: what organisation B is refused really changes A's data when A sends it, so
    the refusals above are not vacuous (a wrong object or form would make them pass for free)."""
    case = CASES[route][number]
    url = reverse(route, kwargs=case.target(world))
    data = _post_data(client, world, case, url)
    _sign_in(client, world.owners[case.owner])
    before = _snapshot()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    assert _changed(before, _snapshot()), (
        f"The owner's POST to {url} changed nothing: fix the case's data. Sent {data}; page said "
        + re.sub(r"\s+", " ", _body(response))[:3000]
    )


# --------------------------------------------------------------------------- B's objects naming A's

# The other way in: organisation B acts on its own object but names one of A's in the form (an
# id typed into the POST). Each returns what went wrong, as sentences; none may change A's data.


def _names_as_authority(client, world: World) -> list[str]:
    """A Compact group's joint definition naming the council cannot be put in force for it."""
    from socialvalue.definitions import services as definition_services
    from socialvalue.definitions.selectors import adopted_definition_for

    member, council = world.people["compact_member"], world.objects["council"]
    joint = definition_services.definition_create(
        actor=member,
        owner=world.objects["group_b"],
        title="Imposed",
        statement="From elsewhere.",
        authorities=[council],
    )
    priority = definition_services.priority_add(
        actor=member, definition=joint, theme="social", outcome="Imposed outcome"
    )
    definition_services.priority_set_measures(
        actor=member, priority=priority, measures=[world.objects["target"].measure]
    )
    definition_services.definition_submit(actor=member, definition=joint)
    _sign_in(client, member)
    # The adoption form's date left empty: "from the earliest day it can".
    empty_date = {f"effective_from_{part}": "" for part in range(3)}
    client.post(reverse("definition-adopt", args=[joint.pk]), empty_date)
    if adopted_definition_for(authority=council) != world.objects["adopted_definition"]:
        return ["a Compact group replaced the council's adopted definition"]
    return []


def _names_as_planned_contract(client, world: World) -> list[str]:
    """B's new tender cannot carry A's planned contract (and with it A's Act check)."""
    from tenders.models import Tender

    _sign_in(client, world.people["procurement_officer"])
    data = _owner_form(client, reverse("tender-create"))
    data.update(
        title="B's tender",
        description="Cleaning.",
        contract_type="services",
        estimated_value="1000",
        planned_contract=world.objects["planned_contract"].pk,
    )
    client.post(reverse("tender-create"), data)
    if Tender.objects.filter(
        planned_contract=world.objects["planned_contract"], title="B's tender"
    ):
        return ["B's tender now carries A's planned contract and its Act check"]
    return []


def _names_as_priority(client, world: World) -> list[str]:
    """B's award criterion cannot be tied to a priority of A's unpublished draft definition."""
    from tenders.models import Criterion, CriterionKind
    from tests.tenders.factories import build_tender

    officer = world.people["procurement_officer"]
    tender = build_tender(officer, world.objects["authority_b"], publish=False)
    lot = tender.lots.get()
    parent = Criterion.objects.get(lot=lot, parent=None, kind=CriterionKind.SOCIAL_VALUE)
    _sign_in(client, officer)
    url = reverse("tender-criterion-add", args=[lot.pk]) + f"?parent={parent.pk}"
    data = _owner_form(client, url)
    data.update(name="Tied", weight="10", question="Q?", priority=world.objects["priority"].pk)
    client.post(url, data)
    if Criterion.objects.filter(lot=lot, priority=world.objects["priority"]).exists():
        return ["B's criterion is tied to A's draft priority"]
    return []


def _names_as_bidder(client, world: World) -> list[str]:
    """B's bidder cannot start a bid or ask a question in the name of A's bidder."""
    from tenders.models import Bid, Clarification

    bidder, open_tender = world.people["bidder"], world.objects["open_tender"]
    food_network = world.objects["draft_bid"].bidder
    _sign_in(client, bidder)
    client.post(
        reverse("tender-clarifications", args=[open_tender.pk]),
        {"bidder": food_network.pk, "question": "Asked in another's name?"},
    )
    client.post(
        reverse("bid-start", args=[world.objects["submitted_bid"].lot_id]),
        {"bidder": food_network.pk},
    )
    problems = []
    if Clarification.objects.filter(bidder=food_network, asked_by=bidder).exists():
        problems.append("B's bidder asked a question as A's bidder")
    if (
        Bid.objects.unscoped(reason="the test reads what was stored")
        .filter(bidder=food_network, created_by=bidder)
        .exists()
    ):
        problems.append("B's bidder started a bid as A's bidder")
    return problems


def _names_as_relevant_priority(client, world: World) -> list[str]:
    """B's Act check cannot record a priority of A's draft definition (its title would show)."""
    from socialvalue.act.services import planned_contract_create
    from socialvalue.models import ActAssessment

    commissioner = world.people["commissioner"]
    planned = planned_contract_create(
        actor=commissioner, authority=world.objects["authority_b"], title="B's plan"
    )
    data = _act_record(world)
    data["relevant_priorities"] = [world.objects["priority"].pk]
    _sign_in(client, commissioner)
    client.post(reverse("act-record", args=[planned.pk]), data)
    if ActAssessment.objects.filter(planned_contract=planned).exists():
        recorded = ActAssessment.objects.get(planned_contract=planned).relevant_priorities
        if PRIORITY in repr(recorded):
            return ["B's Act check recorded A's draft priority"]
    return []


def _names_as_consultation_parties(client, world: World) -> list[str]:
    """B's consultation cannot claim A's planned contract (and with it A's Act check); B's
    bidder cannot respond to A's open consultation in the name of A's voluntary organisation."""
    from compact.models import Consultation, ConsultationResponse

    problems = []
    _sign_in(client, world.people["commissioner"])
    today = timezone.localdate()
    data = {
        "authority": world.objects["authority_b"].pk,
        "title": "XORG-B-CONSULTATION",
        "subject": "procurement",
        "planned_contract": world.objects["planned_contract"].pk,
        "description": "D.",
        "audience": "A.",
        **_date("starts_on", today),
        **_date("ends_on", today + timedelta(weeks=13)),
    }
    client.post(reverse("compact-consultation-create"), data)
    if Consultation.objects.filter(planned_contract=world.objects["planned_contract"]).exclude(
        authority=world.objects["council"]
    ):
        problems.append("B's consultation claimed A's planned contract")
    _sign_in(client, world.people["bidder"])
    before = ConsultationResponse.objects.count()
    client.post(
        reverse("compact-consultation-respond", args=[world.objects["open_consultation"].pk]),
        {"organisation": world.objects["council"].pk, "body": "In A's name."},
    )
    food_network = world.objects["response_attachment"].response.organisation
    client.post(
        reverse("compact-consultation-respond", args=[world.objects["open_consultation"].pk]),
        {"organisation": food_network.pk, "body": "In A's name."},
    )
    if ConsultationResponse.objects.count() != before:
        problems.append("B's bidder responded in another organisation's name")
    return problems


def _names_as_copy_source(client, world: World) -> list[str]:
    """B's officer cannot copy the criteria of A's draft lot into B's own lot."""
    from tenders.models import Criterion
    from tests.tenders.factories import build_tender

    officer = world.people["procurement_officer"]
    tender = build_tender(officer, world.objects["authority_b"], publish=False)
    lot = tender.lots.get()
    before = set(Criterion.objects.filter(lot=lot).values_list("pk", "name", "weight"))
    _sign_in(client, officer)
    client.post(
        reverse("tender-lot-copy", args=[lot.pk]), {"source": world.objects["draft_lot"].pk}
    )
    if set(Criterion.objects.filter(lot=lot).values_list("pk", "name", "weight")) != before:
        return ["B's lot's criteria were replaced when it named A's lot as the source"]
    return []


FOREIGN_REFERENCES = {
    "compact-consultation-create and compact-consultation-respond": _names_as_consultation_parties,
    "tender-lot-copy": _names_as_copy_source,
    "definition-adopt": _names_as_authority,
    "tender-create": _names_as_planned_contract,
    "tender-criterion-add": _names_as_priority,
    "bid-start and tender-clarifications": _names_as_bidder,
    "act-record": _names_as_relevant_priority,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FOREIGN_REFERENCES))
def test_organisation_bs_own_objects_cannot_name_as_objects(client, world, name):
    problems = FOREIGN_REFERENCES[name](client, world)
    assert not problems, "; ".join(problems)


# --------------------------------------------------------------------------- lists, API, admin

# Pages without an object in the path that nobody in organisation B should see A's words on.
LIST_ROUTES = [
    name
    for name in PLAIN_ROUTES
    if not name.startswith("api-") and name not in {"sign-out", "audit-check", "measure-export"}
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", LIST_ROUTES)
def test_no_list_page_shows_another_organisations_private_objects(client, world, route):
    url = reverse(route)
    before = _snapshot()
    for person in PEOPLE_B:
        _sign_in(client, world.people[person])
        body = _body(client.get(url))
        shown = [secret for secret in _secrets_for(person) if secret in body]
        assert not shown, f"{person} saw {shown} on {url}"
    assert not _changed(before, _snapshot())


@pytest.mark.django_db
def test_the_api_lists_no_draft_tender_and_no_bid(client, world):
    for url in (reverse("api-opportunities"), reverse("api-opportunities") + "?closed=true"):
        body = _body(client.get(url))
        assert DRAFT_TENDER not in body
        assert not [secret for secret in BID_SECRETS if secret in body]
    response = client.get(reverse("api-tender-detail", args=[world.objects["closed_tender"].pk]))
    assert response.status_code == 200
    assert not [s for s in BID_SECRETS + (BIDS_RECEIVED,) if s in _body(response)]


@pytest.mark.django_db
def test_an_api_token_reads_its_organisations_bids_and_nobody_elses(client, world):
    from socialvalue.core import api_tokens

    own = client.get(
        reverse("api-own-bids"), HTTP_AUTHORIZATION=f"Bearer {world.objects['api_key']}"
    )
    assert own.status_code == 200 and BID_TEXT not in _body(own)  # the list gives no answers
    assert str(BID_PRICE) in _body(own)  # its own price, as the control
    assert world.objects["draft_bid"].pk in [item["id"] for item in own.json()["results"]]
    for person in PEOPLE_B:
        user = world.people[person]
        organisation = Membership.objects.filter(user=user).first().organisation
        _, key = api_tokens.api_token_create(actor=user, organisation=organisation, name="B")
        response = client.get(reverse("api-own-bids"), HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code in (200, 403), person
        body = _body(response)
        assert not [secret for secret in BID_SECRETS if secret in body], person
        if response.status_code == 200:
            assert response.json()["results"] == [], person
    client.force_login(world.people["bidder"])
    assert API_TOKEN_NAME not in _body(client.get(reverse("api-tokens")))


@pytest.mark.django_db
def test_the_ocds_releases_carry_no_draft_and_no_bid_contents(client, world):
    urls = [
        reverse("api-tender-clarifications", args=[world.objects["open_tender"].pk]),
        reverse("api-ocds-releases"),
        reverse("api-ocds-tender-releases", args=[world.objects["closed_tender"].pk]),
        reverse("api-ocds-tender-releases", args=[world.objects["open_tender"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        body = _body(response)
        assert DRAFT_TENDER not in body
        assert not [secret for secret in BID_SECRETS if secret in body], url


DELIVERY_SECRETS = (EVIDENCE_TEXT, EVIDENCE_FILE.decode(), DELIVERY_QUESTION, DEMO_VARIANCE)


@pytest.mark.django_db
def test_the_awards_and_contracts_open_data_carry_no_bid_contents_and_no_returns(client, world):
    """Anyone reads the awards and contracts: the winner and its price, the commitments and
    the verified totals; never a losing bid, a bid's answers, nor what returns say."""
    urls = [
        reverse("api-awards"),
        reverse("api-contracts"),
        reverse("api-contract-detail", args=[world.objects["contract"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        assert DRAFT_TENDER not in body
        shown = [s for s in BID_SECRETS + DELIVERY_SECRETS + (DEMO_RATIONALE,) if s in body]
        assert not shown, f"{url} showed {shown}"
    awards = client.get(reverse("api-awards")).json()["results"]
    assert world.objects["awarded_tender"].pk in [row["tender"] for row in awards]


@pytest.mark.django_db
def test_an_api_token_reads_its_organisations_returns_and_nobody_elses(client, world):
    """The demo supplier's token reads its returns (its variance note, as the control); every
    person of organisation B, with a token of their own, reads none of them."""
    from socialvalue.core import api_tokens

    url = reverse("api-delivery-returns")
    own = client.get(url, HTTP_AUTHORIZATION=f"Bearer {world.objects['api_key']}")
    assert own.status_code == 200 and DEMO_VARIANCE in _body(own)
    assert EVIDENCE_FILE.decode() not in _body(own)  # names of files, never the files
    for person in PEOPLE_B:
        user = world.people[person]
        organisation = Membership.objects.filter(user=user).first().organisation
        _, key = api_tokens.api_token_create(actor=user, organisation=organisation, name="B")
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code in (200, 403), person
        body = _body(response)
        assert not [s for s in DELIVERY_SECRETS + BID_SECRETS if s in body], person
        if response.status_code == 200:
            assert response.json()["results"] == [], person


def _admin_urls(world: World) -> list[str]:
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for obj in model._base_manager.order_by("-pk")[:5]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    for key in ("draft_bid", "submitted_bid", "sealed_bid"):
        urls.append(reverse("admin:tenders_bid_change", args=[world.objects[key].pk]))
    return urls


@pytest.mark.django_db
def test_no_admin_page_shows_a_sealed_bids_contents(client, world):
    """Service staff with every power (superuser) read no bid through the admin site: every
    registered model's list, change and history pages, before any bid is opened."""
    _sign_in(client, world.people["superuser"])
    before = _snapshot()
    for url in _admin_urls(world):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        shown = [secret for secret in BID_SECRETS if secret in _body(response)]
        assert not shown, f"{url} showed {shown}"
    # Nor can the admin's search be used to test guesses about what a bid says.
    for secret in (BID_TEXT, DEMO_BID_TEXT, str(BID_PRICE)):
        search = client.get(reverse("admin:tenders_bid_changelist"), {"q": secret})
        assert search.context["cl"].result_count == 0, secret
    assert not _changed(before, _snapshot())


# --------------------------------------------------------------------------- a superuser

# What a superuser's requests may change: a job retried, and the audit entries that record it.
# Service staff read local definitions by a named permission (socialvalue.view_definition), so
# they may ask for the Compact review's PDF of one, exactly as they may read its page: the report
# row is their own request, and no organisation's data changes.
STAFF_MAY_CHANGE = {
    "socialvalue.Job",
    "socialvalue.AuditEntry",
    "socialvalue.AuditHead",
    "socialvalue.Report",
}


@pytest.mark.django_db
def test_a_superuser_reaches_no_bid_content_by_any_route(client, world):
    """Every route of the service (each object route with A's objects, as the owner would ask,
    by GET and by POST with the owner's form) and every admin page: no sealed bid's price,
    answers or attachment shows, and no organisation's data changes."""
    superuser = world.people["superuser"]
    urls = [
        (reverse(route, kwargs=case.target(world)), route, case)
        for route, n in CASE_IDS
        for case in [CASES[route][n]]
    ]
    urls += [(reverse(name), name, None) for name in PLAIN_ROUTES if name != "sign-out"]
    before = _snapshot()
    problems = []
    for url, _route, case in urls:
        data = _post_data(client, world, case, url) if case else {}
        _sign_in(client, superuser)
        for method in ("get", "post"):
            payload = {key: _fresh(value) for key, value in data.items()}
            response = client.post(url, payload) if method == "post" else client.get(url)
            if shown := [secret for secret in BID_SECRETS if secret in _body(response)]:
                problems.append(f"{method.upper()} {url} showed {shown}")
    changed = set(_changed(before, _snapshot())) - STAFF_MAY_CHANGE
    assert not changed, f"a superuser's requests changed {sorted(changed)}"
    _sign_in(client, superuser)
    for url in _admin_urls(world):
        if shown := [secret for secret in BID_SECRETS if secret in _body(client.get(url))]:
            problems.append(f"GET {url} showed {shown}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_superuser_cannot_make_themselves_a_bidder_through_the_admin(client, world):
    """The finding: the organisation's admin page had an editable members inline. Now it lists
    the members read-only, and a POST adding the superuser as a bidder changes nothing."""
    superuser, food_network = world.people["superuser"], world.objects["sealed_bid"].bidder
    _sign_in(client, superuser)
    url = reverse("admin:socialvalue_organisation_change", args=[food_network.pk])
    page = client.get(url)
    body = _body(page)
    assert page.status_code == 200 and food_network.name in body
    # Django renders a read-only inline's management form, but no field to fill in or add.
    assert 'name="memberships-0-user"' not in body and 'name="memberships-0-role"' not in body
    assert 'name="memberships-MAX_NUM_FORMS" value="0"' in body
    assert "Bidder" in body  # the members are listed, read-only
    before = _snapshot()
    response = client.post(
        url,
        {
            "name": food_network.name,
            "slug": food_network.slug,
            "kind": food_network.kind,
            "bidder_type": food_network.bidder_type,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": str(superuser.pk),
            "memberships-0-role": Role.BIDDER,
            "memberships-0-organisation": str(food_network.pk),
        },
    )
    assert response.status_code == 403
    assert not _changed(before, _snapshot())
    assert not Membership.objects.filter(user=superuser).exists()
    # Memberships have no admin pages of their own.
    for path in ("/admin/socialvalue/membership/", "/admin/socialvalue/membership/add/"):
        assert client.post(path, {}).status_code == 404
    bid_url = reverse("bid-detail", args=[world.objects["sealed_bid"].pk])
    assert client.get(bid_url).status_code in (403, 404)
