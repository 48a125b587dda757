"""Limits on sign-in, password reset, registration and confirmation emails.

Sign-in lockouts are django-axes' (settings AXES_*, counted in the database); the others are
django-ratelimit's fixed windows, counted in the shared cache. Each figure is a setting read from
the environment (socialvalue/settings.py states the defaults).
"""

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db.models import Max
from django.dispatch import receiver
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from socialvalue.core.client_address import client_address

logger = logging.getLogger("socialvalue.security")


def sign_in_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in attempt is counted against: the email as the sign-in form reads it,
    so 'Name@Example.org ' and 'name@example.org' share one count."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "")
    return str(typed).strip().lower()


def sign_in_locked_until(request: HttpRequest, credentials: dict | None) -> datetime | None:
    """When the lockout on this account and address ends (None when no failure is on record)."""
    last_failure = AccessAttempt.objects.filter(
        username=sign_in_username(request, credentials), ip_address=client_address(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off(request)
    if last_failure is None or cool_off is None:
        return None
    return last_failure + cool_off


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    logger.warning("Sign-in locked for %s from %s after repeated failures", username, ip_address)


@dataclass(frozen=True)
class Refusal:
    """A limit was reached: how long until it lifts."""

    seconds_left: int

    @property
    def wait_text(self) -> str:
        return wait_text(self.seconds_left)


def wait_text(seconds: float) -> str:
    """'1 minute', '25 minutes', '2 hours': rounded up, so the person never comes back too soon."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hours"


def by_address(group: str, request: HttpRequest) -> str:
    return client_address(request)


def counted(
    request: HttpRequest, *, group: str, rate: str, key: Callable[[str, HttpRequest], str]
) -> Refusal | None:
    """Count one attempt at `group` under `key`; a Refusal once `rate` ("3/h") is used up."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage and usage["should_limit"]:
        logger.warning("Rate limit %s reached from %s", group, client_address(request))
        return Refusal(seconds_left=usage["time_left"])
    return None
