"""Sealed bids by construction: every query of bids, or of what hangs off them (answers,
commitments, attachments, receipts), says how it is scoped, or is refused.

`Bid.objects` (and the same manager on each part of a bid) answers three ways only:
- `.readable_by(user=..., tender=...)`: the sealed rule of tenders.permissions applied; what
  tenders.selectors.bids_readable_by uses;
- `.own(user=...)` (bids only): the bids of the organisations where the user is a bidder, which
  are always theirs to read;
- `.unscoped(reason="...")`: every row, for services and the system, the reason saying why.
Any other query (`Bid.objects.filter(...)`, `tender.bids.all()`, `get_object_or_404(Bid, ...)`)
is refused. With settings.SEALED_BIDS_STRICT (the tests) it raises UnscopedBidQuery; otherwise
it logs an error and returns no rows, so a query that forgot the rule shows nothing rather than
another bidder's price. Modelled on django-scopes (pretix), whose scopes are one foreign key
each: the sealed rule depends on the person, the tender and the time, so it is asked here.

Django's own machinery goes round the guard: deletion cascades and protection checks,
refresh_from_db and forward relations (commitment.bid) use the base manager, a plain Manager;
a bid's own related managers (bid.commitments, and prefetching them) are allowed, since the bid
was itself read one of the three ways, and so are a sealed part's own (query.files). dumpdata
needs --all (the base manager), as for any model whose default manager filters; migrations see
plain managers.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)


class UnscopedBidQuery(Exception):
    """A query of sealed rows that neither applied the sealed rule nor named a reason."""


class SealedManager(models.Manager):
    """The default manager of the sealed models (see the module's docstring)."""

    def get_queryset(self) -> models.QuerySet:
        if self._reached_through_its_bid():
            return super().get_queryset()
        message = (
            f"{self.model.__name__} rows are sealed: read them through tenders.selectors "
            "(objects.readable_by or objects.own), or say why none of the rule applies with "
            "objects.unscoped(reason=...)."
        )
        if getattr(settings, "SEALED_BIDS_STRICT", False):
            raise UnscopedBidQuery(message)
        logger.error(message, stack_info=True)
        return super().get_queryset().none()

    def _reached_through_its_bid(self) -> bool:
        return False

    def _every_row(self) -> models.QuerySet:
        return super().get_queryset()

    def unscoped(self, *, reason: str) -> models.QuerySet:
        """Every row, for a service or the system; `reason` says why no rule applies."""
        if not reason or not reason.strip():
            raise ValueError("Say why this query of sealed rows needs no permission rule.")
        return self._every_row()

    def readable_by(self, *, user, tender, now: datetime | None = None) -> models.QuerySet:
        """The rows of `tender` whose contents this user may read now (the sealed rule)."""
        raise NotImplementedError


class BidManager(SealedManager):
    """Bids: no related manager is exempt (tender.bids, lot.bids and organisation.bids would
    list every bidder's bid)."""

    def readable_by(self, *, user, tender, now: datetime | None = None) -> models.QuerySet:
        # Deferred: tenders.permissions imports these models for the bid and tender statuses.
        from tenders.permissions import readable_bids_q

        return self._every_row().filter(tender=tender).filter(readable_bids_q(user, tender, now))

    def own(self, *, user) -> models.QuerySet:
        """The bids of the organisations where the user is a bidder, on every tender."""
        # Deferred: tenders.permissions imports these models for the bid and tender statuses.
        from tenders.permissions import bidder_organisations

        return self._every_row().filter(bidder_id__in=bidder_organisations(user))


class BidPartManager(SealedManager):
    """Rows that hang off a bid by their `bid` foreign key: open through that bid's related
    manager (bid.commitments), sealed everywhere else (Commitment.objects, measure.commitments)."""

    def _reached_through_its_bid(self) -> bool:
        # Related managers carry the row they hang from as `instance`: the bid, or another
        # sealed row of it (an explanation's files through its query), itself read by a rule.
        instance = getattr(self, "instance", None)
        if instance is None:
            return False
        return isinstance(instance, self.model._meta.get_field("bid").related_model) or (
            isinstance(type(instance)._default_manager, SealedManager)
        )

    def readable_by(self, *, user, tender, now: datetime | None = None) -> models.QuerySet:
        bids = self.model._meta.get_field("bid").related_model.objects.readable_by(
            user=user, tender=tender, now=now
        )
        return self._every_row().filter(bid__in=bids)
