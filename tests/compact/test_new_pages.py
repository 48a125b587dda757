"""Pages added to the Compact: recording a local Compact, changing a consultation before it
opens (with the audit trail), the Act check's link back to its consultation, and the report
buttons; each with its refusals and query budget."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compact import services
from compact.models import Consultation, LocalCompact
from socialvalue.models import AuditEntry, PlannedContract, Role
from tests.compact.conftest import dates
from tests.compact.test_services import consultation, decommission
from tests.factories import AuthorityFactory, CompactGroupFactory, person_with_role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _compact_data(group, authority, **overrides) -> dict:
    return {
        "group": group.pk,
        "title": "Testshire Compact",
        "area": "Testshire",
        "summary": "Working together.",
        **dates("agreed_on", date(2012, 1, 1)),
        **dates("review_on", TODAY() + timedelta(days=300)),
        "authorities": [authority.pk],
        **overrides,
    }


def test_a_groups_admin_records_its_local_compact_and_errors_show_by_the_field(
    client_for, keeper, group, authority, django_assert_max_num_queries
):
    client = client_for(keeper)
    assert reverse("compact-local-create") in client.get("/compact/").content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("compact-local-create"))
    assert page.status_code == 200
    data = _compact_data(group, authority, **dates("review_on", date(2011, 1, 1)))
    refused = client.post(reverse("compact-local-create"), data)
    body = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in body
    assert "The review date must be after the date the Compact was agreed." in body
    assert 'value="Testshire Compact"' in body
    assert not LocalCompact.objects.exists()
    data = _compact_data(group, authority)
    del data["authorities"]
    body = client.post(reverse("compact-local-create"), data).content.decode()
    assert "Choose the commissioning bodies in the Compact" in body
    response = client.post(reverse("compact-local-create"), _compact_data(group, authority))
    made = LocalCompact.objects.get()
    assert response["Location"] == made.get_absolute_url()
    assert made.group == group and list(made.authorities.all()) == [authority]
    assert AuditEntry.objects.filter(action="compact.created").count() == 1
    # One Compact per group: the page is no longer offered to this admin.
    assert client.get(reverse("compact-local-create")).status_code == 403


def test_only_a_compact_groups_admin_may_record_a_local_compact(
    client_for, commissioner, member, authority
):
    other_group = CompactGroupFactory()
    for person in (commissioner, member):
        client = client_for(person)
        assert client.get(reverse("compact-local-create")).status_code == 403
        response = client.post(
            reverse("compact-local-create"), _compact_data(other_group, authority)
        )
        assert response.status_code == 403
    assert not LocalCompact.objects.exists()


def test_a_title_that_is_another_compact_address_gets_its_own_slug(keeper, group, authority):
    made = services.local_compact_create(
        actor=keeper,
        group=group,
        title="Consultations",
        area="Testshire",
        agreed_on=date(2012, 1, 1),
        review_on=TODAY() + timedelta(days=10),
        authorities=[authority],
    )
    assert made.slug == "consultations-compact"


def _edit_data(item: Consultation, **overrides) -> dict:
    return {
        "authority": item.authority_id,
        "title": item.title,
        "subject": item.subject,
        "description": item.description,
        "audience": item.audience,
        **dates("starts_on", item.starts_on),
        **dates("ends_on", item.ends_on),
        "shorter_reason": item.shorter_reason,
        **overrides,
    }


def test_a_consultation_is_changed_before_it_opens_with_the_change_in_the_audit_trail(
    client_for, commissioner, authority, django_assert_max_num_queries
):
    item = consultation(commissioner, authority, starts=TODAY() + timedelta(days=5))
    client = client_for(commissioner)
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("compact-consultation-edit", args=[item.pk]) in page
    with django_assert_max_num_queries(12):
        form = client.get(reverse("compact-consultation-edit", args=[item.pk]))
    assert 'value="Day services"' in form.content.decode()
    # Ten weeks with no reason: refused by the field, typed values kept.
    short = _edit_data(
        item, title="Day services 2", **dates("ends_on", item.starts_on + timedelta(weeks=10))
    )
    body = client.post(reverse("compact-consultation-edit", args=[item.pk]), short).content
    assert b"shorter than the Compact" in body and b'value="Day services 2"' in body
    item.refresh_from_db()
    assert item.title == "Day services"
    short["shorter_reason"] = "The budget is set in February."
    response = client.post(reverse("compact-consultation-edit", args=[item.pk]), short)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Day services 2" and item.shorter_reason
    entry = AuditEntry.objects.get(action="compact.consultation_changed")
    assert entry.data["changed"]["title"] == ["Day services", "Day services 2"]
    assert entry.data["changed"]["ends_on"][1] == (item.starts_on + timedelta(weeks=10)).isoformat()


def test_an_open_consultation_stays_as_announced(client_for, commissioner, authority):
    item = consultation(commissioner, authority)  # opens today
    client = client_for(commissioner)
    assert (
        reverse("compact-consultation-edit", args=[item.pk])
        not in client.get(item.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("compact-consultation-edit", args=[item.pk]), _edit_data(item, title="Changed")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Day services"
    assert not AuditEntry.objects.filter(action="compact.consultation_changed").exists()
    with pytest.raises(Exception, match="has opened"):
        services.consultation_update(actor=commissioner, **{**_service_args(item), "title": "X"})


def _service_args(item):
    return {
        "consultation": item,
        "title": item.title,
        "subject": item.subject,
        "description": item.description,
        "audience": item.audience,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
    }


def test_another_authority_cannot_change_a_consultation(client_for, commissioner, authority):
    item = consultation(commissioner, authority, starts=TODAY() + timedelta(days=5))
    other = person_with_role(Role.COMMISSIONER, AuthorityFactory())
    response = client_for(other).post(
        reverse("compact-consultation-edit", args=[item.pk]), _edit_data(item, title="Taken")
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.title == "Day services"


def test_the_act_check_links_to_its_consultation(
    client_for, commissioner, authority, django_assert_max_num_queries
):
    contract = PlannedContract.objects.create(authority=authority, title="Meals at home")
    client = client_for(commissioner)
    page = client.get(reverse("act-contract", args=[contract.pk])).content.decode()
    assert "Consultation on this contract" not in page
    item = services.consultation_create(
        actor=commissioner,
        authority=authority,
        title="Meals at home: what matters",
        subject="procurement",
        description="D.",
        audience="A.",
        starts_on=TODAY() + timedelta(days=3),
        ends_on=TODAY() + timedelta(weeks=13),
        planned_contract=contract,
    )
    with django_assert_max_num_queries(12):
        page = client.get(reverse("act-contract", args=[contract.pk])).content.decode()
    assert "Consultation on this contract" in page
    assert f'href="{item.get_absolute_url()}"' in page and "not open yet" in page


def test_the_pages_offer_their_reports(client, client_for, commissioner, authority):
    item = consultation(commissioner, authority)
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("report-request", args=["compact-consultation", item.pk]) in page
    assert "Timeline against the Compact" in page
    assessment = decommission(commissioner, authority, notice_days=60, reason="Lease ends.")
    page = client_for(commissioner).get(assessment.get_absolute_url()).content.decode()
    assert reverse("report-request", args=["compact-decommissioning", assessment.pk]) in page
    assert "Checked against the Compact" in page and "with the reason recorded" in page


def test_the_consultation_and_assessment_pages_keep_a_query_budget(
    client, client_for, commissioner, authority, django_assert_max_num_queries
):
    item = consultation(
        commissioner, authority, starts=TODAY() - timedelta(weeks=13), weeks=12, days=1
    )
    assessment = decommission(commissioner, authority)
    signed_in = client_for(commissioner)
    for count in (1, 6):
        while assessment.comments.count() < count:
            services.decommissioning_comment(
                actor=commissioner, assessment=assessment, body="Noted."
            )
        with django_assert_max_num_queries(14):
            assert signed_in.get(assessment.get_absolute_url()).status_code == 200
        with django_assert_max_num_queries(14):
            assert signed_in.get(item.get_absolute_url()).status_code == 200
    signed_in.logout()
    with django_assert_max_num_queries(8):
        page = client.get(item.get_absolute_url()).content.decode()
    assert "0 responses received by the close." in page
