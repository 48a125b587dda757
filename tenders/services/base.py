"""Helpers every service shares: the permission check, the locked tender row and how a
moment is written in messages."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from socialvalue.core.permissions import can
from socialvalue.kernel.dates import long_moment
from socialvalue.models import User
from tenders.models import Tender


def _require(actor: User, permission: str, obj, message: str) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied(message)


def moment_text(moment: datetime) -> str:
    """A moment as the service's messages say it, UK time: '5 March 2026 at 17:00'."""
    return long_moment(timezone.localtime(moment))


def _lock(tender: Tender) -> Tender:
    return Tender.objects.select_for_update().select_related("authority").get(pk=tender.pk)


def _editable_tender(actor: User, tender: Tender) -> Tender:
    tender = _lock(tender)
    _require(
        actor,
        "tenders.change_tender",
        tender,
        "Only a draft tender's lots and criteria can be changed, by its authority.",
    )
    return tender
