"""Sealed bids by construction: a query of bids, or of their answers, commitments, attachments
and receipts, that skips the permission selector fails; the scoped and the named ways work, and
so does Django's own machinery."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.shortcuts import get_object_or_404

from measurement.models import Measure, ProxyValue
from tenders import selectors, services
from tenders.models import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidReceipt,
    Commitment,
)
from tenders.models.sealed import UnscopedBidQuery
from tests.tenders.factories import draft_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_bid(open_tender, bidder, bidder_org):
    """A draft bid with answers, a commitment and an attachment, then submitted (a receipt)."""
    bid = draft_bid(bidder, bidder_org, open_tender)
    measure = Measure.objects.create(
        code="SEAL-01", theme="economic", outcome="Test outcome", name="Test hours", unit="hour"
    )
    ProxyValue.objects.create(
        measure=measure,
        value=Decimal("10.00"),
        valid_from=date(2020, 1, 1),
        source_title="Test source",
        source_url="https://example.org/source",
    )
    services.commitment_add(
        actor=bidder, bid=bid, measure=measure, quantity=Decimal("3"), timing="Year one"
    )
    services.attachment_add(
        actor=bidder,
        bid=bid,
        upload=SimpleUploadedFile("method.pdf", b"%PDF-1.4 method", "application/pdf"),
    )
    services.bid_submit(actor=bidder, bid=bid)
    return bid


SKIPPING_QUERIES = {
    "Bid.objects.filter": lambda bid: list(Bid.objects.filter(tender=bid.tender_id)),
    "Bid.objects.all": lambda bid: Bid.objects.all().count(),
    "get_object_or_404(Bid)": lambda bid: get_object_or_404(Bid, pk=bid.pk),
    "tender.bids": lambda bid: list(bid.tender.bids.all()),
    "lot.bids": lambda bid: bid.lot.bids.exists(),
    "organisation.bids": lambda bid: list(bid.bidder.bids.all()),
    "Commitment.objects": lambda bid: list(Commitment.objects.filter(bid=bid)),
    "measure.commitments": lambda bid: list(Measure.objects.get(code="SEAL-01").commitments.all()),
    "BidAttachment.objects": lambda bid: BidAttachment.objects.get(bid=bid),
    "BidAnswer.objects": lambda bid: list(BidAnswer.objects.all()),
    "BidReceipt.objects": lambda bid: BidReceipt.objects.count(),
}


@pytest.mark.parametrize("query", SKIPPING_QUERIES, ids=list(SKIPPING_QUERIES))
def test_a_query_of_bids_that_skips_the_selector_fails_loudly(full_bid, query):
    with pytest.raises(UnscopedBidQuery, match="sealed"):
        SKIPPING_QUERIES[query](full_bid)


def test_outside_the_tests_a_skipping_query_logs_an_error_and_shows_nothing(
    full_bid, settings, caplog
):
    settings.SEALED_BIDS_STRICT = False
    with caplog.at_level(logging.ERROR, logger="tenders.models.sealed"):
        assert list(full_bid.tender.bids.all()) == []
        assert Commitment.objects.count() == 0
    assert [r.levelno for r in caplog.records] == [logging.ERROR, logging.ERROR]
    assert "Bid rows are sealed" in caplog.records[0].getMessage()


def test_the_selector_reads_bids_and_their_parts_as_the_sealed_rule_allows(
    full_bid, bidder, procurement_officer
):
    tender = full_bid.tender
    assert list(selectors.bids_readable_by(user=bidder, tender=tender)) == [full_bid]
    assert list(selectors.bids_readable_by(user=procurement_officer, tender=tender)) == []
    assert Commitment.objects.readable_by(user=bidder, tender=tender).count() == 1
    assert not Commitment.objects.readable_by(user=procurement_officer, tender=tender).exists()
    attachment = full_bid.attachments.get()
    assert selectors.readable_attachment(user=bidder, pk=attachment.pk) == attachment
    assert selectors.readable_attachment(user=procurement_officer, pk=attachment.pk) is None
    assert list(Bid.objects.own(user=bidder)) == [full_bid]
    assert not Bid.objects.own(user=procurement_officer).exists()


def test_a_bids_own_parts_are_read_through_it(full_bid, bidder):
    loaded = selectors.bid_with_contents(user=bidder, bid=full_bid)
    assert len(loaded.answers.all()) == len(full_bid.answers.all()) > 0
    assert [c.quantity for c in loaded.commitments.all()] == [Decimal("3.00")]
    assert [a.original_name for a in loaded.attachments.all()] == ["method.pdf"]
    assert [r.kind for r in loaded.receipts.all()] == ["submitted"]
    commitment = loaded.commitments.get()
    assert commitment.bid == full_bid  # a forward relation uses the base manager


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_query_that_goes_round_the_rule_must_say_why(reason):
    with pytest.raises(ValueError, match="Say why"):
        Bid.objects.unscoped(reason=reason)


def test_django_machinery_still_works_on_sealed_rows(full_bid):
    full_bid.refresh_from_db()
    assert full_bid.status == "submitted"
    dumped = serializers.serialize("json", [full_bid])
    assert f'"pk": {full_bid.pk}' in dumped
    call_command("dumpdata", "tenders.bid", "--all", "--output", "/dev/null")
    # A bid's answers, commitments and attachments go with it (receipts are kept: PROTECT).
    full_bid.receipts.all().delete()
    full_bid.delete()
    every = "the test reads what was stored"
    assert not Bid.objects.unscoped(reason=every).exists()
    assert not Commitment.objects.unscoped(reason=every).exists()
    assert not BidAnswer.objects.unscoped(reason=every).exists()
    assert not BidAttachment.objects.unscoped(reason=every).exists()
