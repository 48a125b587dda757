"""Confirming a self-registered person's email address with a signed, time-limited link.

The link carries the account and the address it was sent to, signed with the secret key; it works
for EMAIL_CONFIRMATION_VALID_HOURS and only for that address. Until it is followed the account
cannot sign in (the sign-in page offers a new link instead), so an address nobody proved to own
never holds a session.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.core.models import User
from socialvalue.core.notify import send_now

_SALT = "socialvalue.email-confirmation"


def confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=_SALT, compress=True)


def send_confirmation(*, user: User, absolute_url: Callable[[str], str]) -> None:
    """Email the person a fresh link that confirms their address (raises if it cannot be sent)."""
    link = absolute_url(reverse("email-confirm", args=[confirmation_token(user)]))
    send_now(
        subject=f"Confirm your email address for {settings.SERVICE_NAME}",
        template="socialvalue/email/confirm_email.txt",
        context={
            "user": user,
            "confirm_url": link,
            "valid_hours": settings.EMAIL_CONFIRMATION_VALID_HOURS,
        },
        to=user.email,
    )


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Mark the address in a confirmation link as confirmed; following it twice is harmless."""
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=settings.EMAIL_CONFIRMATION_VALID_HOURS * 3600
        )
    except signing.SignatureExpired:
        raise ValidationError(
            "This link has expired. Sign in with your email address and password to get a new one.",
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            "This link is not right. Copy the whole link from the email into your browser.",
            code="invalid",
        ) from None
    user = (
        User.objects.select_for_update()
        .filter(pk=data.get("user"), email=data.get("email"))
        .first()
    )
    if user is None:
        raise ValidationError(
            "This link is for an account or an address that no longer exists.", code="invalid"
        )
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        audit.record(actor=user, action="account.email_confirmed", obj=user)
    return user


@transaction.atomic
def confirmation_resend(*, user: User, absolute_url: Callable[[str], str]) -> None:
    """Send a new confirmation link to a person who has not yet confirmed their address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is not None:
        return
    send_confirmation(user=user, absolute_url=absolute_url)
    audit.record(actor=user, action="account.confirmation_resent", obj=user)
