"""Bids and what hangs off them: answers, commitments, attachments and receipts.

A bid's contents are sealed until the deadline: who may read them is decided only by
tenders.permissions, and they are read only through tenders.selectors.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tenders.models.files import StoredFile
from tenders.models.sealed import BidManager, BidPartManager
from tenders.models.tenders import Criterion, Lot, Tender


class BidStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BidOutcome(models.TextChoices):
    """What the award decided for a submitted bid; blank until the award is issued."""

    NONE = "", _("Not decided")
    SUCCESSFUL = "successful", _("Successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")


class Bid(models.Model):
    """One bidder's bid for one lot. Editable while not submitted and before the deadline.

    Its contents (price, answers, commitments, attachments) are sealed until the deadline:
    read them only through tenders.selectors; the managers of tenders.models.sealed refuse any
    other query.
    """

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(
        "socialvalue.Organisation",
        on_delete=models.PROTECT,
        related_name="bids",
        limit_choices_to={"kind": "bidder"},
    )
    status = models.CharField(max_length=20, choices=BidStatus, default=BidStatus.DRAFT)
    price = models.DecimalField(
        _("total price (pounds, excluding VAT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    price_breakdown = models.TextField(_("price breakdown"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    # Set when the award is issued; `status` stays submitted so the sealed rule keeps reading it.
    outcome = models.CharField(
        max_length=20, choices=BidOutcome, default=BidOutcome.NONE, blank=True, editable=False
    )

    objects = BidManager()

    class Meta:
        ordering = ["tender_id", "lot_id", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "bidder"], name="one_bid_per_bidder_per_lot"),
            models.CheckConstraint(
                name="bid_price_not_negative",
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"Bid {self.pk} for {self.lot}"

    def get_absolute_url(self) -> str:
        return reverse("bid-detail", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        # The bidder owns the bid; the authority reaches it only through the sealed rule.
        return self.bidder_id

    @property
    def is_submitted(self) -> bool:
        return self.status == BidStatus.SUBMITTED

    @property
    def shown_status(self) -> str:
        """The status people read: the award's outcome once issued, else the bid's status."""
        return self.outcome or self.status

    @property
    def shown_status_label(self) -> str:
        if self.outcome:
            return BidOutcome(self.outcome).label
        return BidStatus(self.status).label


class BidAnswer(models.Model):
    """A bid's answer to one quality or social value question."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)

    objects = BidPartManager()

    class Meta:
        ordering = ["bid_id", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.criterion_id} in bid {self.bid_id}"


class Commitment(models.Model):
    """A social value commitment in a bid: a quantity of a measure, delivered when stated.

    The proxy value in force is stored with it (the version row and its amount), so a later
    change to the catalogue never changes what the bid offered.
    """

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="commitments")
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("social value question it answers"),
    )
    measure = models.ForeignKey(
        "measurement.Measure", on_delete=models.PROTECT, related_name="commitments"
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    timing = models.CharField(_("when it will be delivered"), max_length=250)
    proxy_value = models.ForeignKey(
        "measurement.ProxyValue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    proxy_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    monetised_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BidPartManager()

    class Meta:
        ordering = ["bid_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="commitment_quantity_positive", condition=models.Q(quantity__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.measure_id}"


def _attachment_path(instance: "BidAttachment", filename: str) -> str:
    # A random name: the bidder's file name is kept on the row, never trusted as a path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"bids/{instance.bid.tender_id}/{instance.bid_id}/{uuid.uuid4().hex}{suffix}"


class BidAttachment(StoredFile):
    """A file attached to a bid, stored through the storage API outside the web root."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=300)

    objects = BidPartManager()

    class Meta:
        ordering = ["bid_id", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReceiptKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BidReceipt(models.Model):
    """The record of one submission or withdrawal: server time and a SHA-256 of the contents."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(max_length=20, choices=ReceiptKind)
    at = models.DateTimeField()
    digest = models.CharField(max_length=64, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = BidPartManager()

    class Meta:
        ordering = ["bid_id", "at", "pk"]

    def __str__(self) -> str:
        return f"Receipt {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A receipt is never changed.")
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"R{self.pk:06d}" if self.pk else ""
