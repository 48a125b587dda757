"""Amending an open tender: deadlines extended (never into the past, never earlier once bids
exist), documents added, a reason given; audited, bidders with a bid or a question emailed, and
the history shown on the tender page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import AuditEntry, Role
from tenders import services
from tenders.models import Tender, TenderAmendment, TenderDocument
from tests.factories import BidderOrganisationFactory, person_with_role
from tests.tenders.factories import draft_bid

pytestmark = pytest.mark.django_db

REASON = "Bidders asked for more time after the site visit was moved."


def _pdf(name="addendum.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 addendum")


def _deadline_fields(prefix: str, moment) -> dict:
    local = timezone.localtime(moment)
    return {
        f"{prefix}_date_0": str(local.day),
        f"{prefix}_date_1": str(local.month),
        f"{prefix}_date_2": str(local.year),
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def _post(tender, *, submission=None, clarification=None, reason=REASON, **extra) -> dict:
    data = {"reason": reason, **extra}
    data.update(_deadline_fields("submission_deadline", submission or tender.submission_deadline))
    data.update(
        _deadline_fields("clarification_deadline", clarification or tender.clarification_deadline)
    )
    return data


def test_officer_extends_the_deadline_with_a_reason_and_it_is_audited(
    open_tender, procurement_officer
):
    old = open_tender.submission_deadline
    later = old + timedelta(days=7)
    amendment = services.tender_amend(
        actor=procurement_officer, tender=open_tender, reason=REASON, submission_deadline=later
    )
    open_tender.refresh_from_db()
    assert open_tender.submission_deadline == later
    assert amendment.old_submission_deadline == old and amendment.new_submission_deadline == later
    assert not amendment.clarification_deadline_changed
    entry = AuditEntry.objects.get(action="tender.amended")
    assert entry.actor == procurement_officer and entry.data["reason"] == REASON


def test_bidders_with_a_bid_or_a_question_are_emailed_and_nobody_else(
    open_tender,
    procurement_officer,
    bidder,
    bidder_org,
    other_bidder,
    other_bidder_org,
    django_capture_on_commit_callbacks,
):
    draft_bid(bidder, bidder_org, open_tender)
    services.clarification_ask(
        actor=other_bidder, tender=open_tender, bidder=other_bidder_org, question="Site visit?"
    )
    bystander = person_with_role(Role.BIDDER, BidderOrganisationFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason=REASON,
            submission_deadline=open_tender.submission_deadline + timedelta(days=3),
            documents=[("Site visit notes", _pdf())],
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([bidder.email, other_bidder.email])
    assert bystander.email not in recipients
    body = mail.outbox[0].body
    assert REASON in body and "The deadline for bids is now" in body
    assert "Site visit notes" in body
    # One email per bidder: nobody sees who else is bidding.
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_a_document_added_by_an_amendment_is_published_with_the_tender(
    client_for, open_tender, procurement_officer, bidder
):
    services.tender_amend(
        actor=procurement_officer,
        tender=open_tender,
        reason="The pricing schedule was missing a line.",
        documents=[("Revised pricing schedule", _pdf("pricing.pdf"))],
    )
    document = TenderDocument.objects.get()
    assert document.amendment is not None and document.tender == open_tender
    page = client_for(bidder).get(open_tender.get_absolute_url()).content.decode()
    assert "Revised pricing schedule" in page
    assert "The pricing schedule was missing a line." in page
    download = client_for(bidder).get(reverse("tender-document", args=[document.pk]))
    assert download.status_code == 200


def test_a_deadline_can_never_move_into_the_past(open_tender, procurement_officer):
    with pytest.raises(ValidationError) as refused:
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason=REASON,
            submission_deadline=timezone.now() - timedelta(minutes=1),
        )
    assert "must be in the future" in refused.value.message_dict["submission_deadline"][0]
    assert not TenderAmendment.objects.exists()


def test_once_bids_exist_a_deadline_cannot_be_shortened_and_the_reason_is_given(
    open_tender, procurement_officer, bidder, bidder_org
):
    draft_bid(bidder, bidder_org, open_tender)
    original = open_tender.submission_deadline
    with pytest.raises(ValidationError) as refused:
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason=REASON,
            submission_deadline=original - timedelta(days=1),
        )
    message = refused.value.message_dict["submission_deadline"][0]
    assert "cannot be earlier than" in message and "planned to the current deadline" in message
    open_tender.refresh_from_db()
    assert open_tender.submission_deadline == original


def test_once_bids_exist_questions_cannot_close_earlier_either(
    open_tender, procurement_officer, bidder, bidder_org
):
    draft_bid(bidder, bidder_org, open_tender)
    with pytest.raises(ValidationError) as refused:
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason=REASON,
            clarification_deadline=open_tender.clarification_deadline - timedelta(hours=1),
        )
    assert "cannot be earlier than" in refused.value.message_dict["clarification_deadline"][0]


def test_without_bids_a_deadline_may_be_brought_forward_but_questions_close_first(
    open_tender, procurement_officer
):
    earlier = open_tender.submission_deadline - timedelta(days=1)
    services.tender_amend(
        actor=procurement_officer, tender=open_tender, reason=REASON, submission_deadline=earlier
    )
    with pytest.raises(ValidationError) as refused:
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason=REASON,
            clarification_deadline=earlier + timedelta(hours=1),
        )
    assert "before the deadline for bids" in refused.value.message_dict["clarification_deadline"][0]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Say why the tender is being amended"),
        ({}, "submission_deadline", "Change a deadline or add a document"),
    ],
)
def test_an_amendment_needs_a_reason_and_a_change(
    open_tender, procurement_officer, kwargs, field, message
):
    with pytest.raises(ValidationError) as refused:
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            **{"reason": REASON, **kwargs},
        )
    assert message in refused.value.message_dict[field][0]


def test_a_closed_tender_cannot_be_amended(open_tender, procurement_officer):
    after = open_tender.submission_deadline + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="deadline for bids has passed"):
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason=REASON,
            submission_deadline=after + timedelta(days=7),
            now=after,
        )


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.EVALUATOR, Role.ORG_ADMIN])
def test_only_a_procurement_officer_amends(open_tender, authority, role):
    with pytest.raises(PermissionDenied):
        services.tender_amend(
            actor=person_with_role(role, authority),
            tender=open_tender,
            reason=REASON,
            submission_deadline=open_tender.submission_deadline + timedelta(days=1),
        )


# --------------------------------------------------------------------------- the page


def test_the_page_extends_the_deadline_and_the_history_shows_it(
    client_for, open_tender, procurement_officer, bidder
):
    client = client_for(procurement_officer)
    later = open_tender.submission_deadline + timedelta(days=7)
    response = client.post(
        reverse("tender-amend", args=[open_tender.pk]), _post(open_tender, submission=later)
    )
    assert response.status_code == 302
    open_tender.refresh_from_db()
    assert open_tender.submission_deadline == later.replace(second=0, microsecond=0)
    own_page = client.get(open_tender.get_absolute_url()).content.decode()
    assert procurement_officer.full_name in own_page  # the authority sees who amended it
    page = client_for(bidder).get(open_tender.get_absolute_url()).content.decode()
    assert 'id="amendments"' in page and REASON in page
    assert "Deadline for bids moved from" in page
    assert procurement_officer.full_name not in page  # bidders are not told which officer


def test_a_refused_shortening_is_shown_by_the_field_with_what_was_typed_kept(
    client_for, open_tender, procurement_officer, bidder, bidder_org
):
    draft_bid(bidder, bidder_org, open_tender)
    earlier = open_tender.submission_deadline - timedelta(days=1)
    response = client_for(procurement_officer).post(
        reverse("tender-amend", args=[open_tender.pk]), _post(open_tender, submission=earlier)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bids have already been started" in page
    assert f'name="submission_deadline_date_0" value="{timezone.localtime(earlier).day}"' in page
    assert REASON in page
    assert not TenderAmendment.objects.exists()


def test_a_document_without_a_title_is_refused_by_the_field(
    client_for, open_tender, procurement_officer
):
    page = client_for(procurement_officer).post(
        reverse("tender-amend", args=[open_tender.pk]),
        _post(open_tender, document_file=_pdf()),
    )
    assert "Enter the document&#x27;s title." in page.content.decode()
    assert not TenderDocument.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.EVALUATOR, Role.BIDDER])
def test_the_amend_page_is_for_procurement_officers(client_for, open_tender, authority, role):
    user = person_with_role(role, authority if role != Role.BIDDER else None)
    response = client_for(user).get(reverse("tender-amend", args=[open_tender.pk]))
    assert response.status_code == 403


def test_the_amend_page_asks_a_signed_out_visitor_to_sign_in(client, open_tender):
    response = client.get(reverse("tender-amend", args=[open_tender.pk]))
    assert "/account/sign-in/" in response["Location"]


def test_a_draft_or_closed_tender_offers_no_amendment(
    client_for, procurement_officer, authority, open_tender
):
    Tender.objects.filter(pk=open_tender.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1),
        clarification_deadline=timezone.now() - timedelta(days=1),
    )
    client = client_for(procurement_officer)
    assert "Amend the tender" not in client.get(open_tender.get_absolute_url()).content.decode()
    response = client.get(reverse("tender-amend", args=[open_tender.pk]))
    assert response.status_code == 302 and response["Location"] == open_tender.get_absolute_url()
