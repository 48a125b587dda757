"""Every email the service sends goes through ``send``: it queues a background job
(socialvalue.core.jobs), and the job composes the emails and sends them over one connection.

A feature registers a *letter* for each kind of email: a function from the job to the emails
to send (``compose`` writes one per address from a template). The letter runs in the job, not
when the email is asked for, so the job row holds only ids and plain values: a link carrying
a secret (an invitation, a password reset) is made as the email goes, never stored. A failed
send is recorded on the job, which a person can run again from the service status page.

``send_now`` is for the one case where the person must be told at once that no email went: a
registration, whose account is not kept without its confirmation email.
"""

import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, EmailMessage, get_connection, send_mail
from django.template.loader import render_to_string

from socialvalue.core import jobs
from socialvalue.core.models import Job

logger = logging.getLogger(__name__)

NOT_SENT = "The email could not be sent just now, so nothing was saved. Try again in a few minutes."


def one_line(text: str) -> str:
    """Text fit for an email header: any line breaks or runs of spaces become one space."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Email:
    """One email to one address."""

    to: str
    subject: str
    body: str


Letter = Callable[[Job], Iterable[Email]]
_LETTERS: dict[str, Letter] = {}


def letter(kind: str, *, label: str) -> Callable[[Letter], Letter]:
    """Decorator: ``@notify.letter("tenders.amendment_notify", label="Email bidders an
    amendment")`` makes a function the composer of that kind of email; the label names its
    job on the pages."""

    def decorator(compose_emails: Letter) -> Letter:
        _LETTERS[kind] = compose_emails

        @jobs.register(kind, label=label)
        def _send_letter(job: Job) -> dict:
            return {"emails": deliver(compose_emails(job))}

        return compose_emails

    return decorator


def send(*, kind: str, params: dict | None = None, requested_by=None, organisation=None) -> Job:
    """Queue the emails of a registered letter. The job is sent to a worker once the
    surrounding transaction commits, so nothing goes out for a change that is rolled back,
    and the change is never saved without its email queued."""
    if kind not in _LETTERS:
        raise jobs.UnknownJobKind(kind)
    return jobs.enqueue(
        kind=kind, params=params or {}, requested_by=requested_by, organisation=organisation
    )


def compose(addresses: Iterable[str], *, subject: str, template: str, context: dict) -> list[Email]:
    """The same email to each address, one email each, so no recipient sees another's address.
    The template is rendered once, with the service's name."""
    body = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    return [Email(to=address, subject=one_line(subject), body=body) for address in addresses]


def deliver(emails: Iterable[Email]) -> int:
    """Send emails over one connection to the mail server; returns how many were sent."""
    messages = [EmailMessage(subject=e.subject, body=e.body, to=[e.to]) for e in emails]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def send_now(*, subject: str, template: str, context: dict, to: str) -> None:
    """Send one plain-text email at once; ValidationError when it cannot be sent.

    Call it inside the service's transaction, after the writes: the error rolls them back, so no
    account is left saved without its email."""
    try:
        send_mail(
            subject=one_line(subject),
            message=render_to_string(template, {"service_name": settings.SERVICE_NAME, **context}),
            from_email=None,
            recipient_list=[to],
        )
    except (BadHeaderError, smtplib.SMTPException, OSError):
        logger.exception("Could not send %s", template)
        raise ValidationError(NOT_SENT, code="email_not_sent") from None
