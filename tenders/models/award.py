"""The award side of a tender: how a tie was resolved, abnormally low price queries, the award
decision per lot, the award notice with its standstill, what each bidder is told, and
challenges. State changes go through tenders.services.award; reads through tenders.selectors.

The query and its files hang off a bid, so they are sealed like the bid (tenders.models.sealed).
"""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenders.models.bids import Bid
from tenders.models.files import StoredFile
from tenders.models.sealed import BidPartManager
from tenders.models.tenders import Lot, Regime, Tender


class TieResolution(models.Model):
    """How the officer resolved bids still level after the published tie-break, at one rank.

    It holds while the same bids stay level at that rank (`tied_bid_ids`, sorted): a change of
    marks that breaks or changes the tie makes it stale, and the ranking asks again.
    """

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="tie_resolutions")
    rank = models.PositiveIntegerField()
    tied_bid_ids = models.JSONField(default=list)
    chosen_bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(_("how the tie was resolved under the published rule"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["lot_id", "rank", "-recorded_at"]

    def __str__(self) -> str:
        return f"Tie at rank {self.rank} on lot {self.lot_id}"

    @property
    def organisation_id(self) -> int:
        return self.lot.tender.authority_id


class QueryStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the bidder's explanation")
    ANSWERED = "answered", _("Explanation received")
    ACCEPTED = "accepted", _("Explanation accepted")
    REJECTED = "rejected", _("Bid rejected as abnormally low")


class AbnormallyLowQuery(models.Model):
    """A request to a bidder to explain a price the screen flagged, its answer and the
    officer's decision (PCR 2015 reg. 69; Procurement Act 2023 s.19(3)(c)-(5)). Open until
    decided; while open, the lot cannot be awarded."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="abnormally_low_queries")
    status = models.CharField(max_length=20, choices=QueryStatus, default=QueryStatus.OPEN)
    price = models.DecimalField(max_digits=14, decimal_places=2)
    mean_of_others = models.DecimalField(max_digits=16, decimal_places=2)
    percent_below_mean = models.DecimalField(max_digits=7, decimal_places=2)
    threshold_percent = models.DecimalField(max_digits=6, decimal_places=2)
    request = models.TextField(_("what the bidder is asked to explain"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    response = models.TextField(_("your explanation of the price"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    breaches_law = models.BooleanField(
        _("the low price comes from breaching environmental, social or labour law"),
        default=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = BidPartManager()

    class Meta:
        ordering = ["bid_id", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid"],
                condition=models.Q(status__in=["open", "answered"]),
                name="one_undecided_abnormally_low_query_per_bid",
            )
        ]

    def __str__(self) -> str:
        return f"Abnormally low price query {self.pk} on bid {self.bid_id}"

    @property
    def organisation_id(self) -> int:
        return self.bid.bidder_id

    @property
    def is_undecided(self) -> bool:
        return self.status in (QueryStatus.OPEN, QueryStatus.ANSWERED)


def _query_file_path(instance: "AbnormallyLowFile", filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return (
        f"bids/{instance.bid.tender_id}/{instance.bid_id}/explanations/{uuid.uuid4().hex}{suffix}"
    )


class AbnormallyLowFile(StoredFile):
    """A file the bidder attaches to its explanation, stored like a bid's attachments."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="explanation_files")
    query = models.ForeignKey(AbnormallyLowQuery, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_query_file_path, max_length=300)

    objects = BidPartManager()

    class Meta:
        ordering = ["query_id", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class AwardOutcome(models.TextChoices):
    AWARD = "award", _("Award to a bidder")
    NO_AWARD = "no_award", _("Do not award this lot")


class AwardDecision(models.Model):
    """The award decision for one lot: the winning bid, or no award with the reason. The ranking
    it was made on is kept as the engine wrote it. A decision is replaced (not edited) when the
    winner falls away: the old one keeps why it was set aside."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="award_decisions")
    outcome = models.CharField(max_length=20, choices=AwardOutcome)
    bid = models.ForeignKey(
        Bid, on_delete=models.PROTECT, null=True, blank=True, related_name="award_decisions"
    )
    reason = models.TextField(_("reason"), blank=True)
    ranking = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    set_aside_at = models.DateTimeField(null=True, blank=True)
    set_aside_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["lot_id", "-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot"],
                condition=models.Q(set_aside_at__isnull=True),
                name="one_current_award_decision_per_lot",
            ),
            models.CheckConstraint(
                name="award_names_a_bid_and_no_award_does_not",
                condition=(
                    models.Q(outcome="award", bid__isnull=False)
                    | models.Q(outcome="no_award", bid__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Award decision {self.pk} on lot {self.lot_id}"

    @property
    def organisation_id(self) -> int:
        return self.lot.tender.authority_id

    @property
    def is_current(self) -> bool:
        return self.set_aside_at is None


class AwardNotice(models.Model):
    """The award issued for a tender under its regime: when bidders were told, the standstill
    the regime's dated rule gives (with the rule as applied), the record kept (PCR 2015 reg. 84),
    and how the standstill ended. One stands at a time; a withdrawn one stays as history."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="award_notices")
    regime = models.CharField(max_length=20, choices=Regime)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()
    sent_electronically = models.BooleanField(default=True)
    standstill_ends_at = models.DateTimeField(null=True, blank=True)
    standstill_rule = models.JSONField(default=dict, blank=True)
    record = models.JSONField(default=dict, blank=True)
    standstill_ended_at = models.DateTimeField(null=True, blank=True)
    standstill_ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Withdrawn when a winner falls away after the award was issued: a new award is issued.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_award_notice_per_tender",
            )
        ]

    def __str__(self) -> str:
        return f"Award notice for {self.tender_id}"

    @property
    def standstill_last_day(self):
        """The last day of standstill (it ends at midnight at the end of it), as the rule said."""
        last = (self.standstill_rule or {}).get("last_day")
        return date.fromisoformat(last) if last else None

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id


class BidderNotice(models.Model):
    """What one bidder is told of the award: its outcome and its assessment summary (Procurement
    Act 2023 s.50) or award decision letter (PCR 2015 reg. 86): its own scores and reasons per
    criterion beside the winner's, never another bidder's."""

    notice = models.ForeignKey(AwardNotice, on_delete=models.CASCADE, related_name="letters")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="award_letters")
    kind = models.CharField(max_length=40)
    successful = models.BooleanField()
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    objects = BidPartManager()

    class Meta:
        ordering = ["notice_id", "bid_id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "bid"], name="one_letter_per_bid_per_notice")
        ]

    def __str__(self) -> str:
        return f"Award letter for bid {self.bid_id}"

    @property
    def organisation_id(self) -> int:
        return self.bid.bidder_id


class Challenge(models.Model):
    """A challenge to the award received during standstill: while unresolved, the contract
    cannot be entered into."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="challenges")
    received_at = models.DateTimeField(_("when it was received"))
    summary = models.TextField(_("what is challenged"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "-received_at"]

    def __str__(self) -> str:
        return f"Challenge {self.pk} to {self.tender_id}"

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
