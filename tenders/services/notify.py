"""Background jobs that email bidders about answers and amendments (registered with
socialvalue.core.jobs when this module is imported)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from socialvalue.core import jobs
from tenders.models import Bid, Clarification, Tender, TenderAmendment


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
    from socialvalue.models import Membership, Role

    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=organisation_ids, role=Role.BIDDER, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _send_each(emails: Iterable[str], *, subject: str, template: str, context: dict) -> int:
    """One email per address (bidders never see each other's addresses); returns the count."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    message = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    sent = 0
    for email in emails:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[email])
        sent += 1
    return sent


@jobs.register("tenders.clarification_notify", label="Email bidders an answer")
def _notify_clarification(job) -> dict:
    """Email the asker their answer and, when published, every other interested bidder."""
    clarification = Clarification.objects.select_related("tender").get(
        pk=job.params["clarification_id"]
    )
    tender = clarification.tender
    context = {"clarification": clarification, "tender": tender}
    sent = _send_each(
        _bidder_emails([clarification.bidder_id]),
        subject=f"Your question about {tender.title} has been answered",
        template="tenders/email/clarification_to_asker.txt",
        context=context,
    )
    if clarification.is_published:
        sent += _send_each(
            _interested_bidder_emails(tender, clarification.bidder_id),
            subject=f"New clarification published for {tender.title}",
            template="tenders/email/clarification_published.txt",
            context=context,
        )
    return {"emails": sent}


@jobs.register("tenders.amendment_notify", label="Email bidders an amendment")
def _notify_amendment(job) -> dict:
    """Email every bidder with a bid or a question on the tender about its amendment."""
    amendment = (
        TenderAmendment.objects.select_related("tender")
        .prefetch_related("documents")
        .get(pk=job.params["amendment_id"])
    )
    tender = amendment.tender
    sent = _send_each(
        _interested_bidder_emails(tender, None),
        subject=f"{tender.title} has been amended",
        template="tenders/email/amendment.txt",
        context={"amendment": amendment, "tender": tender},
    )
    return {"emails": sent}
