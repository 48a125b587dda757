"""Bids: drafting, commitments valued at the proxy in force, attachments, submission receipts,
the deadline checked on the server, withdrawal and resubmission."""

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from measurement.models import Measure, ProxyValue
from socialvalue.models import AuditEntry
from tenders import services
from tenders.models import Bid, BidStatus
from tests.tenders.factories import draft_bid, questions

pytestmark = pytest.mark.django_db


def _measure_with_proxy(value="25.00", valid_from=date(2020, 1, 1)) -> Measure:
    measure = Measure.objects.create(
        code="TST-01", theme="economic", outcome="Test outcome", name="Test hours", unit="hour"
    )
    ProxyValue.objects.create(
        measure=measure,
        value=Decimal(value),
        valid_from=valid_from,
        source_title="Test source",
        source_url="https://example.org/source",
    )
    return measure


def test_a_submission_gets_a_receipt_with_server_time_and_digest(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    now = timezone.now()
    receipt = services.bid_submit(actor=bidder, bid=bid, now=now)
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED and bid.submitted_at == now
    assert receipt.at == now and len(receipt.digest) == 64 and receipt.digest == bid.digest
    canonical = json.dumps(
        services.bid_contents(bid), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == receipt.digest
    entry = AuditEntry.objects.get(action="bid.submitted")
    assert entry.data["digest"] == receipt.digest
    assert "Answer to" not in json.dumps(entry.data)


def test_one_second_late_is_refused_and_the_draft_is_kept(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender, price=Decimal("1234.56"))
    late = open_tender.submission_deadline + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="deadline for bids was"):
        services.bid_submit(actor=bidder, bid=bid, now=late)
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT and bid.price == Decimal("1234.56")
    assert bid.answers.count() == len(questions(open_tender))
    assert not bid.receipts.exists()


def test_one_second_early_is_accepted(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    early = open_tender.submission_deadline - timedelta(seconds=1)
    services.bid_submit(actor=bidder, bid=bid, now=early)
    assert (
        Bid.objects.unscoped(reason="the test reads what was stored").get(pk=bid.pk).status
        == BidStatus.SUBMITTED
    )


def test_at_the_deadline_itself_bids_are_closed(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    with pytest.raises(ValidationError):
        services.bid_submit(actor=bidder, bid=bid, now=open_tender.submission_deadline)


def test_the_late_page_says_why_and_keeps_the_draft(
    client_for, open_tender, bidder, bidder_org, monkeypatch
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    client = client_for(bidder)
    late = open_tender.submission_deadline + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    response = client.post(reverse("bid-submit", args=[bid.pk]))
    assert response.status_code == 400
    assert "Your draft has been kept" in response.content.decode()
    assert (
        Bid.objects.unscoped(reason="the test reads what was stored").get(pk=bid.pk).status
        == BidStatus.DRAFT
    )


def test_withdraw_and_resubmit_before_the_deadline(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    first = services.bid_submit(actor=bidder, bid=bid)
    with pytest.raises(ValidationError, match="Withdraw"):
        services.bid_save(actor=bidder, bid=bid, price=Decimal("900"))
    services.bid_withdraw(actor=bidder, bid=bid)
    assert (
        Bid.objects.unscoped(reason="the test reads what was stored").get(pk=bid.pk).status
        == BidStatus.WITHDRAWN
    )
    services.bid_save(
        actor=bidder,
        bid=bid,
        price=Decimal("900"),
        answers={q.pk: "Better answer" for q in questions(open_tender)},
    )
    second = services.bid_submit(actor=bidder, bid=bid)
    assert second.digest != first.digest
    assert [r.kind for r in bid.receipts.order_by("pk")] == ["submitted", "withdrawn", "submitted"]


def test_withdrawal_after_the_deadline_is_refused(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    services.bid_submit(actor=bidder, bid=bid)
    with pytest.raises(ValidationError):
        services.bid_withdraw(
            actor=bidder, bid=bid, now=open_tender.submission_deadline + timedelta(seconds=1)
        )
    assert (
        Bid.objects.unscoped(reason="the test reads what was stored").get(pk=bid.pk).status
        == BidStatus.SUBMITTED
    )


def test_a_negative_price_is_refused_by_the_field(open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    with pytest.raises(ValidationError) as refused:
        services.bid_save(actor=bidder, bid=bid, price=Decimal("-1"))
    assert "cannot be negative" in refused.value.message_dict["price"][0]
    assert Bid.objects.unscoped(reason="the test reads what was stored").get(
        pk=bid.pk
    ).price == Decimal("1000")


def test_the_bid_page_shows_a_negative_price_error_and_keeps_the_input(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    data = {"price": "-50", **{f"answer_{q.pk}": "Kept text" for q in questions(open_tender)}}
    page = client_for(bidder).post(reverse("bid-edit", args=[bid.pk]), data).content.decode()
    assert "A price cannot be negative" in page
    assert 'value="-50"' in page and "Kept text" in page
    assert Bid.objects.unscoped(reason="the test reads what was stored").get(
        pk=bid.pk
    ).price == Decimal("1000")


def test_submission_needs_a_price_and_every_answer(open_tender, bidder, bidder_org):
    bid = services.bid_start(actor=bidder, lot=open_tender.lots.get(), bidder=bidder_org)
    with pytest.raises(ValidationError) as refused:
        services.bid_submit(actor=bidder, bid=bid)
    fields = refused.value.message_dict
    assert "price" in fields
    assert {f"answer_{q.pk}" for q in questions(open_tender)} <= set(fields)


def test_a_bidder_cannot_touch_another_organisations_bid(
    open_tender, bidder, bidder_org, other_bidder
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    with pytest.raises(PermissionDenied):
        services.bid_save(actor=other_bidder, bid=bid, price=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.bid_submit(actor=other_bidder, bid=bid)


def test_a_commitment_keeps_the_proxy_version_it_was_valued_at(open_tender, bidder, bidder_org):
    measure = _measure_with_proxy("25.00")
    bid = draft_bid(bidder, bidder_org, open_tender)
    commitment = services.commitment_add(
        actor=bidder, bid=bid, measure=measure, quantity=Decimal("10"), timing="Year one"
    )
    assert commitment.monetised_value == Decimal("250.00")
    services.bid_submit(actor=bidder, bid=bid)
    old_version = commitment.proxy_value_id
    ProxyValue.objects.create(
        measure=measure,
        value=Decimal("40.00"),
        valid_from=timezone.localdate(),
        source_title="New source",
        source_url="https://example.org/new",
    )
    commitment.refresh_from_db()
    assert commitment.proxy_value_id == old_version
    assert commitment.monetised_value == Decimal("250.00")


def test_the_commitment_preview_shows_the_value_before_adding(
    client_for, open_tender, bidder, bidder_org
):
    measure = _measure_with_proxy("12.50")
    bid = draft_bid(bidder, bidder_org, open_tender)
    page = client_for(bidder).post(
        reverse("bid-commitment-add", args=[bid.pk]),
        {
            "criterion": _social_value_question(open_tender).pk,
            "measure": measure.pk,
            "quantity": "4",
            "timing": "Year one",
            "preview": "1",
        },
    )
    assert "£50.00" in page.content.decode()
    assert not bid.commitments.exists()


def test_a_zero_quantity_commitment_is_refused(client_for, open_tender, bidder, bidder_org):
    measure = _measure_with_proxy()
    bid = draft_bid(bidder, bidder_org, open_tender)
    page = client_for(bidder).post(
        reverse("bid-commitment-add", args=[bid.pk]),
        {
            "criterion": _social_value_question(open_tender).pk,
            "measure": measure.pk,
            "quantity": "0",
            "timing": "Year one",
        },
    )
    assert "Enter a quantity greater than zero" in page.content.decode()
    assert not bid.commitments.exists()


PDF = b"%PDF-1.4\n" + b"x" * 100


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("plan.exe", b"MZ\x90\x00", "The file must be a"),
        ("plan.pdf", b"not really a pdf", "not a real PDF"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_disallowed_files_are_refused_by_the_field(
    open_tender, bidder, bidder_org, name, body, message
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(actor=bidder, bid=bid, upload=SimpleUploadedFile(name, body))
    assert message in refused.value.message_dict["file"][0]
    assert not bid.attachments.exists()


def test_an_oversized_file_is_refused(settings, open_tender, bidder, bidder_org):
    settings.TENDERS_ATTACHMENT_MAX_BYTES = 50
    bid = draft_bid(bidder, bidder_org, open_tender)
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(actor=bidder, bid=bid, upload=SimpleUploadedFile("big.pdf", PDF))
    assert "must be smaller than" in refused.value.message_dict["file"][0]


def test_the_attachment_page_shows_the_refusal(client_for, open_tender, bidder, bidder_org):
    bid = draft_bid(bidder, bidder_org, open_tender)
    page = client_for(bidder).post(
        reverse("bid-attachment-add", args=[bid.pk]),
        {"file": SimpleUploadedFile("notes.exe", b"MZ")},
    )
    assert "The file must be a" in page.content.decode()


def test_an_attachment_is_stored_with_its_digest_and_served_to_its_owner(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    attachment = services.attachment_add(
        actor=bidder, bid=bid, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "plan" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    response = client_for(bidder).get(reverse("bid-attachment", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    services.bid_submit(actor=bidder, bid=bid)
    assert any(a["sha256"] == attachment.sha256 for a in services.bid_contents(bid)["attachments"])


def test_a_bidder_starts_a_bid_through_the_pages(client_for, open_tender, bidder, bidder_org):
    client = client_for(bidder)
    lot = open_tender.lots.get()
    response = client.post(reverse("bid-start", args=[lot.pk]))
    bid = Bid.objects.unscoped(reason="the test reads what was stored").get(
        lot=lot, bidder=bidder_org
    )
    assert response["Location"] == reverse("bid-edit", args=[bid.pk])


def _social_value_question(tender):
    return next(q for q in questions(tender) if q.kind == "social_value")
