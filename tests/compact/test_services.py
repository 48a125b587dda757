"""The Compact's services: the 12-week check, the three months' notice, who comments, the
group's view before adoption, each authority's own adoption, responses and their summary,
and the review reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compact import selectors, services
from compact.models import JointStrategy
from compact.reminders import KIND
from measurement.models import Measure
from socialvalue.core import jobs
from socialvalue.definitions import services as definition_services
from socialvalue.models import DefinitionStatus, Job, LocalDefinition, Role
from tests.factories import AuthorityFactory, person_with_role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def consultation(actor, authority, *, weeks=12, days=0, reason="", starts=None):
    starts = starts or TODAY()
    return services.consultation_create(
        actor=actor,
        authority=authority,
        title="Day services",
        subject="service_design",
        description="New day services.",
        audience="Everyone.",
        starts_on=starts,
        ends_on=starts + timedelta(weeks=weeks, days=days),
        shorter_reason=reason,
    )


IMPACTS = {
    "advice_sought": "The group.",
    "beneficiaries_impact": "Fewer sessions.",
    "beneficiaries_mitigation": "Moved.",
    "service_users_impact": "Travel.",
    "service_users_mitigation": "Transport.",
    "volunteers_impact": "Roles end.",
    "volunteers_mitigation": "New roles.",
    "social_impact": "Less contact.",
    "economic_impact": "Two posts.",
    "environmental_impact": "Longer journeys.",
}


def decommission(actor, authority, *, notice_days=120, reason="", **overrides):
    fields = {**IMPACTS, **overrides}
    return services.decommissioning_record(
        actor=actor,
        authority=authority,
        service="Youth club grant",
        change="end",
        notice_given_on=TODAY(),
        ends_on=TODAY() + timedelta(days=notice_days),
        short_notice_reason=reason,
        **fields,
    )


# --- consultations -----------------------------------------------------------------------------


def test_a_ten_week_consultation_needs_a_reason_which_is_kept(commissioner, authority):
    with pytest.raises(ValidationError) as refused:
        consultation(commissioner, authority, weeks=10)
    assert "shorter than the Compact's 12 weeks" in refused.value.message_dict["shorter_reason"][0]
    made = consultation(commissioner, authority, weeks=10, reason="Budget deadline.")
    assert made.shorter_reason == "Budget deadline."


def test_a_twelve_week_consultation_needs_no_reason_and_keeps_none(commissioner, authority):
    made = consultation(commissioner, authority, weeks=12, reason="Not needed.")
    assert made.shorter_reason == ""


def test_dates_in_the_wrong_order_are_refused_on_the_closing_date(commissioner, authority):
    with pytest.raises(ValidationError) as refused:
        consultation(commissioner, authority, weeks=-1)
    assert "ends_on" in refused.value.message_dict


def test_another_authoritys_people_cannot_open_a_consultation_for_it(authority):
    other = person_with_role(Role.COMMISSIONER, AuthorityFactory())
    with pytest.raises(PermissionDenied):
        consultation(other, authority)


def test_a_voluntary_organisation_responds_while_open_and_the_summary_is_published_after(
    commissioner, authority, member, voluntary
):
    made = consultation(
        commissioner, authority, weeks=10, reason="Budget.", starts=TODAY() - timedelta(days=7)
    )
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4 response", content_type="application/pdf")
    response = services.consultation_respond(
        actor=member, consultation=made, organisation=voluntary, body="We agree.", uploads=[upload]
    )
    assert response.attachments.count() == 1
    with pytest.raises(ValidationError):
        services.consultation_publish_response(
            actor=commissioner, consultation=made, summary="S", you_said_we_did="W"
        )
    made.ends_on = TODAY() - timedelta(days=1)
    made.save()
    published = services.consultation_publish_response(
        actor=commissioner, consultation=made, summary="Most agreed.", you_said_we_did="We did."
    )
    assert published.response_published


def test_nobody_responds_to_a_closed_consultation_or_for_another_organisation(
    commissioner, authority, member, voluntary, bidder_org
):
    made = consultation(commissioner, authority, starts=TODAY())
    with pytest.raises(ValidationError) as refused:
        services.consultation_respond(
            actor=member, consultation=made, organisation=bidder_org, body="For others."
        )
    assert "organisation" in refused.value.message_dict
    made.starts_on, made.ends_on = TODAY() - timedelta(days=100), TODAY() - timedelta(days=1)
    made.save()
    with pytest.raises(PermissionDenied):
        services.consultation_respond(
            actor=member, consultation=made, organisation=voluntary, body="Late."
        )


def test_a_response_is_read_by_the_authority_and_its_sender_only(
    commissioner, authority, member, voluntary, bidder
):
    from socialvalue.core.permissions import can

    made = consultation(commissioner, authority)
    response = services.consultation_respond(
        actor=member, consultation=made, organisation=voluntary, body="Private view."
    )
    assert can(commissioner, "compact.view_response", response)
    assert can(member, "compact.view_response", response)
    assert not can(bidder, "compact.view_response", response)


# --- decommissioning ---------------------------------------------------------------------------


def test_two_months_notice_is_refused_without_a_reason_and_accepted_with_one(
    commissioner, authority
):
    with pytest.raises(ValidationError) as refused:
        decommission(commissioner, authority, notice_days=61)
    assert (
        "under the Compact's minimum of 3 months"
        in refused.value.message_dict["short_notice_reason"][0]
    )
    made = decommission(commissioner, authority, notice_days=61, reason="Lease ends.")
    assert made.short_notice_reason == "Lease ends."


def test_an_assessment_without_the_three_impacts_is_refused_field_by_field(commissioner, authority):
    with pytest.raises(ValidationError) as refused:
        decommission(
            commissioner,
            authority,
            beneficiaries_impact="",
            service_users_impact=" ",
            volunteers_mitigation="",
        )
    assert set(refused.value.message_dict) == {
        "beneficiaries_impact",
        "service_users_impact",
        "volunteers_mitigation",
    }


def test_the_group_comments_and_the_provider_reads_but_an_outsider_does_not(
    commissioner, authority, local_compact, member, bidder
):
    from socialvalue.core.permissions import can

    made = decommission(commissioner, authority, provider=None)
    assert made.compact == local_compact
    services.decommissioning_comment(actor=member, assessment=made, body="Keep transport.")
    assert can(member, "compact.view_decommissioning", made)
    assert not can(bidder, "compact.view_decommissioning", made)
    with pytest.raises(PermissionDenied):
        services.decommissioning_comment(actor=bidder, assessment=made, body="Outsider.")
    provided = decommission(commissioner, authority)
    provided.provider_id = bidder.memberships.get().organisation_id
    provided.save()
    assert can(bidder, "compact.view_decommissioning", provided)


# --- reviews of definitions --------------------------------------------------------------------


@pytest.fixture
def joint(keeper, group, authority, local_compact):
    definition = definition_services.definition_create(
        actor=keeper, owner=group, title="Joint", statement="Together.", authorities=[authority]
    )
    priority = definition_services.priority_add(
        actor=keeper, definition=definition, theme="social", outcome="Stronger groups"
    )
    definition_services.priority_set_measures(
        actor=keeper, priority=priority, measures=list(Measure.objects.filter(code="SOC-01"))
    )
    return definition_services.definition_submit(actor=keeper, definition=definition)


def test_only_members_of_the_reviewing_group_comment_and_the_author_replies_and_resolves(
    group, local_compact, member, commissioner, authority, bidder
):
    definition = definition_services.definition_create(
        actor=commissioner, owner=authority, title="Ours", statement="Ours.", review_group=group
    )
    priority = definition_services.priority_add(
        actor=commissioner, definition=definition, theme="social", outcome="Stronger groups"
    )
    definition = definition_services.definition_submit(actor=commissioner, definition=definition)
    comment = services.review_comment(
        actor=member, definition=definition, priority=priority, body="Count volunteers."
    )
    assert comment.organisation_id == group.pk
    other_commissioner = person_with_role(Role.COMMISSIONER, AuthorityFactory())
    for outsider in (other_commissioner, bidder):
        with pytest.raises(PermissionDenied):
            services.review_comment(actor=outsider, definition=definition, body="Outside.")
    reply = services.review_comment(
        actor=commissioner, definition=definition, parent=comment, body="Done."
    )
    assert (reply.priority, reply.organisation_id) == (priority, authority.pk)
    with pytest.raises(PermissionDenied):
        services.review_comment_resolve(actor=member, comment=comment, resolution="Mine.")
    services.review_comment_resolve(actor=commissioner, comment=comment, resolution="Added.")
    threads = selectors.review_threads(definition)
    assert [c.thread_replies for c in threads[priority.pk]] == [[reply]]


def test_adoption_waits_for_the_groups_view_then_each_authority_adopts(
    joint, keeper, member, commissioner, authority
):
    with pytest.raises(ValidationError) as refused:
        definition_services.definition_adopt_for_authority(
            actor=commissioner, definition=joint, authority=authority, decided_on=TODAY()
        )
    assert "has not recorded its view" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        services.group_view_record(actor=member, definition=joint, position="support", reasons="x")
    services.group_view_record(
        actor=keeper, definition=joint, position="support_with_changes", reasons="Add volunteers."
    )
    definition_services.definition_adopt_for_authority(
        actor=commissioner, definition=joint, authority=authority, decided_on=TODAY()
    )
    joint = LocalDefinition.objects.get(pk=joint.pk)
    assert joint.status == DefinitionStatus.ADOPTED
    assert joint.authority_adoptions.get().authority == authority


def test_a_joint_definition_for_two_authorities_is_adopted_when_the_second_adopts(
    keeper, group, authority, local_compact, commissioner
):
    second = AuthorityFactory()
    second_commissioner = person_with_role(Role.COMMISSIONER, second)
    definition = definition_services.definition_create(
        actor=keeper, owner=group, title="Two", statement="Both.", authorities=[authority, second]
    )
    priority = definition_services.priority_add(
        actor=keeper, definition=definition, theme="social", outcome="Groups"
    )
    definition_services.priority_set_measures(
        actor=keeper, priority=priority, measures=list(Measure.objects.filter(code="SOC-01"))
    )
    definition = definition_services.definition_submit(actor=keeper, definition=definition)
    services.group_view_record(
        actor=keeper, definition=definition, position="support", reasons="Yes."
    )
    with pytest.raises(PermissionDenied):
        definition_services.definition_adopt_for_authority(
            actor=commissioner, definition=definition, authority=second, decided_on=TODAY()
        )
    definition_services.definition_adopt_for_authority(
        actor=commissioner, definition=definition, authority=authority, decided_on=TODAY()
    )
    assert LocalDefinition.objects.get(pk=definition.pk).status == DefinitionStatus.IN_REVIEW
    definition_services.definition_adopt_for_authority(
        actor=second_commissioner, definition=definition, authority=second, decided_on=TODAY()
    )
    assert LocalDefinition.objects.get(pk=definition.pk).status == DefinitionStatus.ADOPTED


def test_a_definition_past_its_review_date_is_flagged_on_the_health_page(
    joint, keeper, local_compact
):
    definition_services.definition_set_review(
        actor=keeper, definition=joint, review_on=TODAY() - timedelta(days=1)
    )
    health = selectors.health_of(local_compact)
    assert [d.pk for d in health.definitions_due] == [joint.pk]


# --- strategy and reminders --------------------------------------------------------------------


def test_a_strategy_review_is_reminded_once_and_recording_it_sets_the_next(
    keeper, local_compact, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    strategy = services.strategy_create(
        actor=keeper,
        compact=local_compact,
        title="Strategy",
        policy="Procurement strategy.",
        lead_officer="Head of Commissioning",
        review_every_months=12,
        next_review_on=TODAY() + timedelta(days=10),
    )
    for _ in range(2):
        job = jobs.enqueue(kind=KIND)
        jobs.run(job.pk)
    assert Job.objects.filter(kind="compact.strategy_review_reminder").count() == 1
    letter = Job.objects.get(kind="compact.strategy_review_reminder")
    jobs.run(letter.pk)
    assert [m.to for m in mail.outbox] == [[keeper.email]]
    services.strategy_review_record(
        actor=keeper, strategy=strategy, reviewed_on=TODAY(), findings="On track."
    )
    strategy = JointStrategy.objects.get(pk=strategy.pk)
    assert strategy.next_review_on > TODAY() + timedelta(days=300)
    assert strategy.reminded_for is None
