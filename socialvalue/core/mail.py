"""Emails the core sends while a change is being made, so a failed send undoes the change."""

import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

NOT_SENT = "The email could not be sent just now, so nothing was saved. Try again in a few minutes."


def one_line(text: str) -> str:
    """Text fit for an email header: any line breaks or runs of spaces become one space."""
    return " ".join(str(text).split())


def send_now(*, subject: str, template: str, context: dict, to: str) -> None:
    """Send a plain-text email at once; ValidationError when it cannot be sent.

    Call it inside the service's transaction, after the writes: the error rolls them back, so no
    invitation or account is left saved without its email."""
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
