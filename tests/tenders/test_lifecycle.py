"""The tender lifecycle: draft, published, closed at the deadline, opened, evaluated, awarded,
in delivery, ended; each step by the right person only, and refused out of order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialvalue.models import AuditEntry, Role
from tenders import services
from tenders.models import Tender, TenderStatus
from tests.factories import person_with_role
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db


def test_officer_publishes_a_complete_draft(procurement_officer, authority):
    tender = build_tender(procurement_officer, authority, publish=False)
    assert tender.status == TenderStatus.DRAFT
    services.tender_publish(actor=procurement_officer, tender=tender)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.PUBLISHED
    assert tender.published_by == procurement_officer
    assert tender.minimum_weighting_percent == Decimal("10")
    entry = AuditEntry.objects.get(action="tender.published")
    assert entry.actor == procurement_officer and entry.data["minimum_weighting"] == "10"


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.EVALUATOR, Role.ORG_ADMIN])
def test_only_a_procurement_officer_publishes(procurement_officer, authority, role):
    tender = build_tender(procurement_officer, authority, publish=False)
    with pytest.raises(PermissionDenied):
        services.tender_publish(actor=person_with_role(role, authority), tender=tender)
    assert Tender.objects.get(pk=tender.pk).status == TenderStatus.DRAFT


def test_an_officer_of_another_authority_cannot_publish(procurement_officer, authority):
    tender = build_tender(procurement_officer, authority, publish=False)
    stranger = person_with_role(Role.PROCUREMENT_OFFICER)
    with pytest.raises(PermissionDenied):
        services.tender_publish(actor=stranger, tender=tender)


def test_a_deadline_in_the_past_is_refused_by_the_field(procurement_officer, authority):
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.tender_create(
            actor=procurement_officer,
            authority=authority,
            title="Late",
            description="x",
            contract_type="services",
            estimated_value=Decimal("1000"),
            clarification_deadline=now - timedelta(days=2),
            submission_deadline=now - timedelta(days=1),
        )
    assert "submission_deadline" in refused.value.message_dict
    assert not Tender.objects.exists()


def test_questions_must_close_before_bids(procurement_officer, authority):
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.tender_create(
            actor=procurement_officer,
            authority=authority,
            title="Muddled dates",
            description="x",
            contract_type="services",
            estimated_value=Decimal("1000"),
            clarification_deadline=now + timedelta(days=9),
            submission_deadline=now + timedelta(days=8),
        )
    assert "clarification_deadline" in refused.value.message_dict


def test_publishing_after_the_deadline_has_passed_is_refused(procurement_officer, authority):
    start = timezone.now() - timedelta(days=10)
    tender = build_tender(procurement_officer, authority, now=start, publish=False)
    with pytest.raises(ValidationError) as refused:
        services.tender_publish(actor=procurement_officer, tender=tender)
    assert "submission_deadline" in refused.value.message_dict


def test_social_value_below_the_minimum_needs_a_recorded_reason(procurement_officer, authority):
    tender = build_tender(
        procurement_officer, authority, publish=False, social_value_weight=Decimal("5")
    )
    with pytest.raises(ValidationError) as refused:
        services.tender_publish(actor=procurement_officer, tender=tender)
    assert "below the minimum of 10%" in refused.value.message_dict["low_social_value_reason"][0]
    services.tender_record_reasons(
        actor=procurement_officer,
        tender=tender,
        low_social_value_reason="A small, specialist contract where quality matters most.",
        untied_question_reason=tender.untied_question_reason,
    )
    services.tender_publish(actor=procurement_officer, tender=tender)
    assert Tender.objects.get(pk=tender.pk).status == TenderStatus.PUBLISHED


def test_a_social_value_question_without_a_priority_needs_a_reason(procurement_officer, authority):
    tender = build_tender(procurement_officer, authority, publish=False, untied_reason="")
    with pytest.raises(ValidationError) as refused:
        services.tender_publish(actor=procurement_officer, tender=tender)
    assert "Local employment" in refused.value.message_dict["untied_question_reason"][0]


def test_an_authority_local_minimum_raises_the_bar(procurement_officer, authority):
    services.local_minimum_record(
        actor=procurement_officer,
        authority=authority,
        title="Council social value policy",
        percent=Decimal("20"),
        starts=timezone.localdate() - timedelta(days=30),
    )
    tender = build_tender(procurement_officer, authority, publish=False)
    with pytest.raises(ValidationError) as refused:
        services.tender_publish(actor=procurement_officer, tender=tender)
    assert "minimum of 20" in refused.value.message_dict["low_social_value_reason"][0]


def test_a_tender_past_its_deadline_is_closed_before_anyone_records_it(open_tender):
    after = open_tender.submission_deadline + timedelta(seconds=1)
    assert open_tender.status == TenderStatus.PUBLISHED
    assert open_tender.status_on(after) == TenderStatus.CLOSED
    assert not open_tender.is_open_for_bids(after)
    assert open_tender.status_on(open_tender.submission_deadline) == TenderStatus.CLOSED
    before = open_tender.submission_deadline - timedelta(seconds=1)
    assert open_tender.status_on(before) == TenderStatus.PUBLISHED


def test_closure_is_recorded_once_by_the_periodic_job(open_tender):
    after = open_tender.submission_deadline + timedelta(minutes=1)
    assert services.close_due_tenders(now=after) == [open_tender.pk]
    assert services.close_due_tenders(now=after) == []
    open_tender.refresh_from_db()
    assert open_tender.status == TenderStatus.CLOSED and open_tender.closed_at == after
    assert AuditEntry.objects.filter(action="tender.closed").count() == 1


def test_bids_cannot_be_opened_before_the_deadline(open_tender, procurement_officer):
    with pytest.raises(ValidationError, match="sealed until the deadline"):
        services.open_bids(actor=procurement_officer, tender=open_tender)
    assert Tender.objects.get(pk=open_tender.pk).bids_opened_at is None


def test_opening_bids_records_who_and_when_and_starts_the_evaluation(
    open_tender, procurement_officer
):
    after = open_tender.submission_deadline + timedelta(minutes=5)
    services.open_bids(actor=procurement_officer, tender=open_tender, now=after)
    open_tender.refresh_from_db()
    assert open_tender.status == TenderStatus.UNDER_EVALUATION
    assert open_tender.closed_at == after
    assert open_tender.bids_opened_at == after
    assert open_tender.bids_opened_by == procurement_officer
    entry = AuditEntry.objects.get(action="tender.bids_opened")
    assert entry.actor == procurement_officer
    with pytest.raises(ValidationError, match="already opened"):
        services.open_bids(actor=procurement_officer, tender=open_tender, now=after)


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.COMMISSIONER, Role.ORG_ADMIN])
def test_only_a_procurement_officer_opens_bids(open_tender, authority, role):
    after = open_tender.submission_deadline + timedelta(minutes=5)
    with pytest.raises(PermissionDenied):
        services.open_bids(actor=person_with_role(role, authority), tender=open_tender, now=after)


def test_no_status_button_awards_a_tender(open_tender, procurement_officer):
    """Awarded is reached only by issuing the award decided on every lot (tests/tenders/
    test_award.py): after opening, no move is offered, and delivery cannot start."""
    after = open_tender.submission_deadline + timedelta(minutes=5)
    assert services.next_transition(open_tender, after) is None  # closed, bids still sealed
    services.open_bids(actor=procurement_officer, tender=open_tender, now=after)
    tender = Tender.objects.get(pk=open_tender.pk)
    assert services.next_transition(tender, after) is None
    assert set(services.TRANSITIONS) == {"start_delivery", "end"}


@pytest.mark.parametrize("step", [services.tender_start_delivery, services.tender_end])
def test_a_step_out_of_order_is_refused(open_tender, procurement_officer, step):
    after = open_tender.submission_deadline + timedelta(minutes=5)
    services.open_bids(actor=procurement_officer, tender=open_tender, now=after)
    with pytest.raises(ValidationError, match="must be"):
        step(actor=procurement_officer, tender=open_tender, now=after)


def test_a_published_tender_can_no_longer_be_edited(open_tender, procurement_officer):
    with pytest.raises(PermissionDenied):
        services.tender_update(actor=procurement_officer, tender=open_tender, title="Changed")


def test_the_close_command_and_task_record_due_closures(procurement_officer, authority, capsys):
    from django.core.management import call_command

    from tenders.tasks import close_due_tenders

    start = timezone.now() - timedelta(days=10)
    tender = build_tender(procurement_officer, authority, now=start, deadline_in=timedelta(days=2))
    call_command("close_tenders")
    assert "Closed 1 tender." in capsys.readouterr().out
    assert Tender.objects.get(pk=tender.pk).status == TenderStatus.CLOSED
    close_due_tenders()
    assert AuditEntry.objects.filter(action="tender.closed").count() == 1
