"""The emails bidders get about answers, amendments, price queries and the award: letters sent through
socialvalue.core.notify (registered when this module is imported)."""

from __future__ import annotations

from socialvalue.core import notify
from socialvalue.models import Membership, Role
from tenders.models import (
    AbnormallyLowQuery,
    Bid,
    BidderNotice,
    Clarification,
    Tender,
    TenderAmendment,
)


def _interested_bidder_emails(tender: Tender, exclude_organisation_id: int | None) -> list[str]:
    """Bidders of every organisation with a bid or a question on the tender (but one)."""
    organisations = set(
        Bid.objects.unscoped(reason="who to email: the organisations with a bid")
        .filter(tender=tender)
        .values_list("bidder_id", flat=True)
    )
    organisations |= set(
        Clarification.objects.filter(tender=tender).values_list("bidder_id", flat=True)
    )
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
    """Email every bidder with a bid or a question on the tender about its amendment."""
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


@notify.letter("tenders.abnormally_low_request", label="Ask a bidder to explain a low price")
def _notify_abnormally_low(job) -> list[notify.Email]:
    """Email the bidder's people that the authority asks them to explain their price."""
    query = (
        AbnormallyLowQuery.objects.unscoped(reason="the request is emailed to its own bidder")
        .select_related("bid__tender__authority", "bid__lot")
        .get(pk=job.params["query_id"])
    )
    return notify.compose(
        _bidder_emails([query.bid.bidder_id]),
        subject=f"Please explain your price for {query.bid.tender.title}",
        template="tenders/email/abnormally_low_request.txt",
        context={"query": query, "bid": query.bid, "tender": query.bid.tender},
    )


@notify.letter("tenders.award_letters", label="Tell bidders the outcome of a tender")
def _notify_award(job) -> list[notify.Email]:
    """Email each bidder its own outcome (never another's), pointing to its summary in the
    service, where it reads its scores and reasons beside the winner's."""
    letters = (
        BidderNotice.objects.unscoped(reason="each bidder is emailed its own letter")
        .filter(notice_id=job.params["notice_id"])
        .select_related("bid__tender__authority", "bid__lot", "bid__bidder", "notice")
        .order_by("bid_id")
    )
    emails: list[notify.Email] = []
    for letter in letters:
        tender = letter.bid.tender
        emails += notify.compose(
            _bidder_emails([letter.bid.bidder_id]),
            subject=f"Outcome of {tender.title}: {letter.bid.lot}",
            template="tenders/email/award_letter.txt",
            context={"letter": letter, "bid": letter.bid, "tender": tender},
        )
    return emails
