"""The emails bidders get about answers and amendments: letters sent through
socialvalue.core.notify (registered when this module is imported)."""

from __future__ import annotations

from socialvalue.core import notify
from socialvalue.models import Membership, Role
from tenders.models import Bid, BidReceipt, Clarification, Interest, Tender, TenderAmendment


def _interested_bidder_emails(tender: Tender, exclude_organisation_id: int | None) -> list[str]:
    """Bidders of every organisation with a bid, a question or its interest registered on the
    tender (but one)."""
    organisations = set(
        Bid.objects.unscoped(reason="who to email: the organisations with a bid")
        .filter(tender=tender)
        .values_list("bidder_id", flat=True)
    )
    organisations |= set(
        Clarification.objects.filter(tender=tender).values_list("bidder_id", flat=True)
    )
    organisations |= set(Interest.objects.filter(tender=tender).values_list("bidder_id", flat=True))
    organisations.discard(exclude_organisation_id)
    return _bidder_emails(organisations)


def _bidder_emails(organisation_ids) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=organisation_ids, role=Role.BIDDER, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


@notify.letter("tenders.clarification_notify", label="Email bidders an answer")
def _notify_clarification(job) -> list[notify.Email]:
    """Email the asker their answer and, when published, every other interested bidder."""
    clarification = Clarification.objects.select_related("tender").get(
        pk=job.params["clarification_id"]
    )
    tender = clarification.tender
    context = {"clarification": clarification, "tender": tender}
    emails = notify.compose(
        _bidder_emails([clarification.bidder_id]),
        subject=f"Your question about {tender.title} has been answered",
        template="tenders/email/clarification_to_asker.txt",
        context=context,
    )
    if clarification.is_published:
        emails += notify.compose(
            _interested_bidder_emails(tender, clarification.bidder_id),
            subject=f"New clarification published for {tender.title}",
            template="tenders/email/clarification_published.txt",
            context=context,
        )
    return emails


@notify.letter("tenders.amendment_notify", label="Email bidders an amendment")
def _notify_amendment(job) -> list[notify.Email]:
    """Email every bidder with a bid, a question or interest in the tender about its amendment."""
    amendment = (
        TenderAmendment.objects.select_related("tender")
        .prefetch_related("documents")
        .get(pk=job.params["amendment_id"])
    )
    tender = amendment.tender
    return notify.compose(
        _interested_bidder_emails(tender, None),
        subject=f"{tender.title} has been amended",
        template="tenders/email/amendment.txt",
        context={"amendment": amendment, "tender": tender},
    )


@notify.letter("tenders.receipt_notify", label="Email a bid's receipt")
def _notify_receipt(job) -> list[notify.Email]:
    """Email the bidding organisation's bidders the receipt of a submission or withdrawal: its
    number, server time and digest, never the bid's contents (email is not sealed)."""
    receipt = (
        BidReceipt.objects.unscoped(reason="the receipt's own email, composed by the service")
        .select_related("bid__tender__authority", "bid__lot", "bid__bidder")
        .get(pk=job.params["receipt_id"])
    )
    bid = receipt.bid
    return notify.compose(
        _bidder_emails([bid.bidder_id]),
        subject=f"Receipt {receipt.number}: your bid for {bid.tender.title}",
        template="tenders/email/receipt.txt",
        context={
            "receipt": receipt,
            "bid": bid,
            "tender": bid.tender,
            "receipt_url": job.params.get("receipt_url", ""),
        },
    )
