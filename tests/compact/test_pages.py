"""The Compact's pages: refusals next to the field with typed values kept, what the public
sees, pagination and query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compact import services
from compact.models import Consultation, DecommissioningAssessment
from tests.compact.conftest import dates
from tests.compact.test_services import IMPACTS, consultation, decommission

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_short_consultation_without_a_reason_is_refused_by_the_field_and_kept(
    client_for, commissioner, authority
):
    client = client_for(commissioner)
    data = {
        "authority": authority.pk,
        "title": "Typed title 7Z",
        "subject": "policy",
        "description": "Typed description.",
        "audience": "Typed audience.",
        **dates("starts_on", TODAY()),
        **dates("ends_on", TODAY() + timedelta(weeks=10)),
    }
    response = client.post(reverse("compact-consultation-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert 'id="shorter_reason-error"' in body or "shorter than the Compact" in body
    assert 'value="Typed title 7Z"' in body
    assert not Consultation.objects.exists()
    data["shorter_reason"] = "Budget deadline."
    response = client.post(reverse("compact-consultation-create"), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Budget deadline." in page and "Why it is shorter than 12 weeks" in page


def test_dates_in_the_wrong_order_are_refused_by_the_closing_date(
    client_for, commissioner, authority
):
    data = {
        "authority": authority.pk,
        "title": "Backwards",
        "subject": "policy",
        "description": "D.",
        "audience": "A.",
        **dates("starts_on", TODAY()),
        **dates("ends_on", TODAY() - timedelta(days=3)),
    }
    response = client_for(commissioner).post(reverse("compact-consultation-create"), data)
    assert "The closing date must be after the opening date." in response.content.decode()


def test_a_decommissioning_without_the_three_impacts_is_refused_field_by_field(
    client_for, commissioner, authority
):
    data = {
        "authority": authority.pk,
        "service": "Lunch club grant",
        "change": "end",
        **{k: v for k, v in IMPACTS.items() if not k.endswith("_impact")},
        **dates("notice_given_on", TODAY()),
        **dates("ends_on", TODAY() + timedelta(days=60)),
    }
    response = client_for(commissioner).post(reverse("compact-decommissioning-create"), data)
    body = response.content.decode()
    for message in (
        "Assess the impact on beneficiaries.",
        "Assess the social impact.",
        "explain why",
    ):
        assert message in body
    assert 'value="Lunch club grant"' in body
    assert not DecommissioningAssessment.objects.exists()


def test_the_public_reads_open_consultations_and_published_summaries_but_not_responses(
    client, commissioner, authority, member, voluntary
):
    opened = consultation(commissioner, authority, starts=TODAY() - timedelta(days=30))
    services.consultation_respond(
        actor=member, consultation=opened, organisation=voluntary, body="PRIVATE-RESPONSE-Q1"
    )
    future = consultation(commissioner, authority, starts=TODAY() + timedelta(days=5))
    assert client.get(reverse("compact-consultation", args=[future.pk])).status_code == 404
    page = client.get(reverse("compact-consultation", args=[opened.pk])).content.decode()
    assert "PRIVATE-RESPONSE-Q1" not in page
    url = reverse("compact-consultation-responses", args=[opened.pk])
    assert client.get(url).status_code == 302  # sign in first
    opened.ends_on = TODAY() - timedelta(days=1)
    opened.save()
    page = client.get(reverse("compact-consultation", args=[opened.pk])).content.decode()
    assert "no response has been published yet" in page
    services.consultation_publish_response(
        actor=commissioner, consultation=opened, summary="One response.", you_said_we_did="Kept."
    )
    page = client.get(reverse("compact-consultation", args=[opened.pk])).content.decode()
    assert "One response." in page and "PRIVATE-RESPONSE-Q1" not in page


def test_the_local_compact_shows_signatories_and_who_has_not_signed(
    client, keeper, local_compact, authority
):
    services.signatory_add(
        actor=keeper,
        compact=local_compact,
        organisation=authority,
        sector="public",
        signed_on=TODAY() - timedelta(days=400),
    )
    services.signatory_add(
        actor=keeper,
        compact=local_compact,
        name="Testshire Care Board",
        sector="public",
        note="No duty to sign.",
    )
    page = client.get(local_compact.get_absolute_url()).content.decode()
    assert authority.name in page and "Testshire Care Board" in page and "Not signed" in page
    index = client.get(reverse("compact-index")).content.decode()
    assert "12-week formal written consultations" in index and "Not confirmed" in index


def test_the_consultation_list_is_paginated_in_constant_queries(
    client, commissioner, authority, django_assert_max_num_queries
):
    for number in range(25):
        consultation(commissioner, authority, starts=TODAY() - timedelta(days=number))
    with django_assert_max_num_queries(6):
        first = client.get(reverse("compact-consultations"))
    assert "Page 1 of 2" in first.content.decode()
    assert (
        "Page 2 of 2" in client.get(reverse("compact-consultations") + "?page=2").content.decode()
    )


def test_the_health_page_and_panels_keep_a_query_budget(
    client_for, commissioner, authority, keeper, local_compact, django_assert_max_num_queries
):
    for number in range(6):
        consultation(
            commissioner,
            authority,
            weeks=8,
            reason="Budget.",
            starts=TODAY() - timedelta(days=70 + number),
        )
        decommission(commissioner, authority, notice_days=40, reason="Lease.")
    url = reverse("compact-health", args=[local_compact.slug])
    client = client_for(keeper)
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "Closed without a published response" in page
    with django_assert_max_num_queries(30):
        assert client.get(reverse("dashboard")).status_code == 200
    client = client_for(commissioner)
    with django_assert_max_num_queries(40):
        dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Compact health" in dashboard


def test_the_decommissioning_list_is_paginated_in_constant_queries(
    client_for, commissioner, authority, django_assert_max_num_queries
):
    for _ in range(23):
        decommission(commissioner, authority)
    client = client_for(commissioner)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("compact-decommissioning-list")).content.decode()
    assert "Page 1 of 2" in page


def test_the_review_page_keeps_a_query_budget_as_comments_grow(
    client_for,
    group,
    local_compact,
    member,
    commissioner,
    authority,
    django_assert_max_num_queries,
):
    from socialvalue.definitions import services as definition_services

    definition = definition_services.definition_create(
        actor=commissioner, owner=authority, title="Ours", statement="Ours.", review_group=group
    )
    priorities = [
        definition_services.priority_add(
            actor=commissioner, definition=definition, theme="social", outcome=f"P{n}"
        )
        for n in range(4)
    ]
    definition = definition_services.definition_submit(actor=commissioner, definition=definition)
    for priority in priorities:
        top = services.review_comment(
            actor=member, definition=definition, priority=priority, body="Why?"
        )
        services.review_comment(actor=commissioner, definition=definition, parent=top, body="So.")
    client = client_for(member)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("compact-review", args=[definition.pk])).content.decode()
    assert page.count("So.") == 4
