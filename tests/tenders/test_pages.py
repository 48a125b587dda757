"""Tender pages: who may open each, what bad input shows, the opportunities list and its
filters, query budgets as data grows, dashboard panels, navigation and the demo."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Role
from tenders.evaluation_selectors import lot_evaluation_state
from tenders.models import Bid, ConflictDeclaration, Tender, TenderStatus
from tests.factories import AuthorityFactory, person_with_role
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db


def _tender_form(**overrides):
    later = timezone.localtime() + timedelta(days=20)
    data = {
        "title": "Library outreach",
        "description": "Reading sessions for children.",
        "contract_type": "services",
        "estimated_value": "120,000",
        "price_method": "lowest_price_ratio",
        "clarification_deadline_date_0": str((later - timedelta(days=5)).day),
        "clarification_deadline_date_1": str((later - timedelta(days=5)).month),
        "clarification_deadline_date_2": str((later - timedelta(days=5)).year),
        "clarification_deadline_time": "12:00",
        "submission_deadline_date_0": str(later.day),
        "submission_deadline_date_1": str(later.month),
        "submission_deadline_date_2": str(later.year),
        "submission_deadline_time": "12:00",
    }
    data.update(overrides)
    return data


def test_an_officer_creates_a_tender_through_the_page(client_for, procurement_officer):
    response = client_for(procurement_officer).post(reverse("tender-create"), _tender_form())
    tender = Tender.objects.get()
    assert response["Location"] == tender.get_absolute_url()
    assert tender.estimated_value == Decimal("120000") and tender.lots.count() == 1
    assert tender.status == TenderStatus.DRAFT


def test_a_past_deadline_is_shown_by_the_field_and_the_input_kept(client_for, procurement_officer):
    past = timezone.localdate() - timedelta(days=3)
    data = _tender_form(
        submission_deadline_date_0=str(past.day),
        submission_deadline_date_1=str(past.month),
        submission_deadline_date_2=str(past.year),
        clarification_deadline_date_0="",
        clarification_deadline_date_1="",
        clarification_deadline_date_2="",
        clarification_deadline_time="",
    )
    page = client_for(procurement_officer).post(reverse("tender-create"), data).content.decode()
    assert "The deadline for bids must be in the future" in page
    assert 'value="Library outreach"' in page
    assert not Tender.objects.exists()


def test_a_negative_value_is_refused(client_for, procurement_officer):
    page = client_for(procurement_officer).post(
        reverse("tender-create"), _tender_form(estimated_value="-5")
    )
    assert "cannot be negative" in page.content.decode()
    assert not Tender.objects.exists()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.BIDDER, Role.COMPACT_MEMBER, Role.ORG_ADMIN])
def test_only_commissioners_and_officers_create_tenders(client_for, role):
    assert client_for(person_with_role(role)).get(reverse("tender-create")).status_code == 403


def test_a_draft_is_invisible_outside_its_authority(
    client_for, procurement_officer, authority, bidder
):
    draft = build_tender(procurement_officer, authority, publish=False)
    assert client_for(bidder).get(draft.get_absolute_url()).status_code == 404
    outsider = person_with_role(Role.PROCUREMENT_OFFICER, AuthorityFactory())
    assert client_for(outsider).get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "route",
    ["tender-edit", "tender-publish", "tender-lot-add", "tender-document-add"],
)
def test_bidders_cannot_reach_the_authority_pages(client_for, open_tender, bidder, route):
    assert client_for(bidder).get(reverse(route, args=[open_tender.pk])).status_code == 403


@pytest.mark.parametrize("name", ["tender-list", "tender-create", "bid-list", "tender-alerts"])
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_publish_page_lists_what_to_fix(client_for, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False, untied_reason="")
    page = client_for(procurement_officer).get(reverse("tender-publish", args=[draft.pk]))
    assert "not tied to a local priority" in page.content.decode()


def test_publishing_through_the_page_with_a_reason(client_for, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False, untied_reason="")
    response = client_for(procurement_officer).post(
        reverse("tender-publish", args=[draft.pk]),
        {"untied_question_reason": "No local definition adopted yet.", "confirm": "on"},
    )
    assert response.status_code == 302
    assert Tender.objects.get(pk=draft.pk).status == TenderStatus.PUBLISHED


def test_publishing_needs_the_officer_to_confirm(client_for, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False)
    response = client_for(procurement_officer).post(reverse("tender-publish", args=[draft.pk]))
    assert response.status_code == 200
    assert "Confirm that you have checked the tender and want to publish it." in (
        response.content.decode()
    )
    assert Tender.objects.get(pk=draft.pk).status == TenderStatus.DRAFT


def test_opportunities_list_open_tenders_and_filter(
    client_for, procurement_officer, authority, bidder
):
    build_tender(procurement_officer, authority, title="Small grounds job", value=Decimal("20000"))
    build_tender(
        procurement_officer, authority, title="Large care contract", value=Decimal("3000000")
    )
    build_tender(procurement_officer, authority, title="Unpublished thing", publish=False)
    client = client_for(bidder)
    page = client.get(reverse("tender-opportunities")).content.decode()
    assert "Small grounds job" in page and "Large care contract" in page
    assert "Unpublished thing" not in page
    page = client.get(reverse("tender-opportunities"), {"q": "care"}).content.decode()
    assert "Large care contract" in page and "Small grounds job" not in page
    other = AuthorityFactory()
    build_tender(person_with_role(Role.PROCUREMENT_OFFICER, other), other, title="Elsewhere")
    page = client.get(reverse("tender-opportunities"), {"authority": other.pk}).content.decode()
    assert "Elsewhere" in page and "Large care contract" not in page
    page = client.get(reverse("tender-opportunities"), {"value": "small"}).content.decode()
    assert "Small grounds job" in page and "Large care contract" not in page


def test_a_closed_tender_leaves_the_default_opportunities_list(
    client_for, procurement_officer, authority, bidder
):
    start = timezone.now() - timedelta(days=10)
    build_tender(
        procurement_officer, authority, now=start, deadline_in=timedelta(days=2), title="Gone"
    )
    client = client_for(bidder)
    assert "Gone" not in client.get(reverse("tender-opportunities")).content.decode()
    assert "Gone" in client.get(reverse("tender-opportunities"), {"closed": "on"}).content.decode()


def test_opportunities_query_count_stays_flat(
    client_for, procurement_officer, authority, bidder, django_assert_max_num_queries
):
    client = client_for(bidder)
    for count in (1, 8):
        while Tender.objects.count() < count:
            build_tender(procurement_officer, authority, title=f"Tender {Tender.objects.count()}")
        with django_assert_max_num_queries(12):
            assert client.get(reverse("tender-opportunities")).status_code == 200


def test_tender_page_query_count_stays_flat_as_criteria_grow(
    client_for, procurement_officer, authority, bidder, django_assert_max_num_queries
):
    from tenders import services

    tender = build_tender(procurement_officer, authority, publish=False)
    lot = tender.lots.get()
    quality = lot.criteria.get(parent=None, kind="quality")
    for number in range(10):
        services.criterion_add(
            actor=procurement_officer,
            lot=lot,
            parent=quality,
            name=f"Q{number}",
            weight=Decimal("10"),
        )
        services.lot_add(actor=procurement_officer, tender=tender, title=f"Lot {number}")
    client = client_for(procurement_officer)
    with django_assert_max_num_queries(30):
        assert client.get(tender.get_absolute_url()).status_code == 200


def test_publish_page_query_count_stays_flat_as_lots_grow(
    client_for, procurement_officer, authority
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenders import services

    tender = build_tender(procurement_officer, authority, publish=False)
    client = client_for(procurement_officer)
    url = reverse("tender-publish", args=[tender.pk])
    counts = []
    for lots in (1, 6):
        while tender.lots.count() < lots:
            services.lot_add(actor=procurement_officer, tender=tender, title=f"Lot {lots}")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_dashboard_panels_show_real_tenders_and_bids(
    client_for, open_tender, procurement_officer, bidder, bidder_org
):
    from tests.tenders.factories import draft_bid

    draft_bid(bidder, bidder_org, open_tender)
    officer_page = client_for(procurement_officer).get(reverse("dashboard")).content.decode()
    assert open_tender.title in officer_page and "Create a tender" in officer_page
    bidder_page = client_for(bidder).get(reverse("dashboard")).content.decode()
    assert bidder_page.count(open_tender.title) >= 2  # in opportunities and in the bids panel


@pytest.mark.parametrize(
    "role, link, shown",
    [
        (Role.BIDDER, "Opportunities", True),
        (Role.PROCUREMENT_OFFICER, "Tenders", True),
        (Role.COMMISSIONER, "Tenders", True),
        (Role.BIDDER, ">Tenders<", False),
        (Role.PROCUREMENT_OFFICER, "Opportunities", False),
    ],
)
def test_navigation_links_by_role(client_for, role, link, shown):
    page = client_for(person_with_role(role)).get(reverse("dashboard")).content.decode()
    assert (link in page) is shown


def _header_links(page: str) -> list[str]:
    return re.findall(r'class="govuk-service-navigation__link"[^>]*>([^<]+)</a>', page)


@pytest.mark.parametrize(
    "role, shown",
    [
        (Role.EVALUATOR, True),
        (Role.ORG_ADMIN, True),
        (Role.PROCUREMENT_OFFICER, True),
        (Role.COMMISSIONER, True),
        (Role.BIDDER, False),
        (Role.COMPACT_MEMBER, False),
    ],
)
def test_the_tenders_header_link_shows_to_those_who_may_open_the_tender_list(
    client_for, role, shown
):
    page = client_for(person_with_role(role)).get(reverse("dashboard")).content.decode()
    assert ("Tenders" in _header_links(page)) is shown


def test_an_evaluator_follows_the_header_link_to_their_authoritys_tenders_but_not_sealed_bids(
    client_for, procurement_officer, evaluator, authority, bidder, bidder_org
):
    from tests.tenders.factories import draft_bid

    tender = build_tender(procurement_officer, authority, title="Parks and open spaces")
    bid = draft_bid(bidder, bidder_org, tender, price=Decimal("98765.43"), text="Sealed plan")
    client = client_for(evaluator)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("tender-list")}"' in dashboard
    listing = client.get(reverse("tender-list")).content.decode()
    assert "Parks and open spaces" in listing and "Create a tender" not in listing
    assert "98,765.43" not in listing and "Sealed plan" not in listing
    assert client.get(reverse("bid-detail", args=[bid.pk])).status_code in (403, 404)


def test_the_demo_seeds_open_closed_evaluating_and_awarded_tenders_twice_safely(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    open_tender = Tender.objects.get(title__startswith="Community meals")
    closed = Tender.objects.get(title__startswith="Youth activities")
    assert open_tender.status_on() == TenderStatus.PUBLISHED
    assert closed.status_on() == TenderStatus.CLOSED
    bids = Bid.objects.unscoped(reason="the test reads what was stored").filter(tender=closed)
    assert bids.count() == 3 and all(b.submitted_at < closed.submission_deadline for b in bids)
    assert closed.bids_opened_at is None
    # And one under evaluation (tenders/evaluation_demo.py), with one flagged spread to moderate.
    evaluating = Tender.objects.get(title__startswith="Community transport")
    assert evaluating.status == TenderStatus.UNDER_EVALUATION
    state = lot_evaluation_state(evaluating.lots.get())
    assert state.reasons == ("1 consensus mark still to be moderated.",)
    assert (
        ConflictDeclaration.objects.filter(evaluator__lot__tender=evaluating, has_conflict=True)
        .exclude(mitigation="")
        .count()
        == 1
    )
    awarded = Tender.objects.get(title__startswith="Community gardening")
    assert awarded.status == TenderStatus.AWARDED
    contract = awarded.contracts.get()
    assert contract.commitments.count() >= 1
    winner = Bid.objects.unscoped(reason="the test reads what was stored").get(
        tender=awarded, outcome="successful"
    )
    assert contract.bid == winner and contract.value == winner.price
    assert Tender.objects.count() == 4  # open, closed, under evaluation, awarded


@pytest.mark.parametrize(
    ("title", "value", "service_category"),
    [
        ("Community meals", "450000", "light_touch"),
        ("Youth activities", "320000", "standard"),
        ("Community gardening", "280000", "standard"),
    ],
)
def test_each_demo_tender_shows_the_act_check_of_its_own_planned_contract(
    client_for, title, value, service_category
):
    call_command("seed_demo")
    call_command("seed_demo")
    tender = Tender.objects.get(title__startswith=title)
    planned = tender.planned_contract
    assert planned.title == tender.title
    check = planned.assessments.get()
    assert check.applies is True
    assert Decimal(check.inputs["value"]) == tender.estimated_value == Decimal(value)
    assert check.inputs["vat_basis"] == "exclusive"
    assert check.inputs["service_category"] == service_category
    assert check.inputs["start_date"] == timezone.localdate(tender.published_at).isoformat()
    officer = tender.authority.memberships.get(role=Role.PROCUREMENT_OFFICER).user
    page = client_for(officer).get(reverse("tender-detail", args=[tender.pk])).content.decode()
    assert f">{tender.title}</a>, recorded" in page
    assert "<strong>the Act applies</strong>" in page
    assert "grounds maintenance" not in page


def test_tender_documents_follow_the_tender_visibility(
    client_for, procurement_officer, authority, bidder
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenders import services

    draft = build_tender(procurement_officer, authority, publish=False)
    document = services.document_add(
        actor=procurement_officer,
        tender=draft,
        title="Specification",
        upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec"),
    )
    url = reverse("tender-document", args=[document.pk])
    assert client_for(bidder).get(url).status_code == 404
    services.tender_publish(actor=procurement_officer, tender=draft)
    response = client_for(bidder).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 spec"
