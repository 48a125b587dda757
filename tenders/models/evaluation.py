"""The evaluation of a tender's bids: the panel per lot, each evaluator's conflict declarations,
their independent marks, and the moderated (consensus) mark per bid and criterion.

Only moderated marks feed the ranking (tenders.evaluation_selectors.moderated_marks). Who may
see which of these rows is decided by tenders.permissions and read through
tenders.evaluation_selectors; every change is made by tenders.services.evaluation.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenders.models.bids import Bid
from tenders.models.tenders import Criterion, Lot, Tender


class EvaluationSettings(models.Model):
    """A tender's own evaluation settings: the share of a criterion's scale above which the
    spread of the panel's marks is flagged for a moderation note. Created from the dated default
    (tenders/data/moderation.json) when the evaluation is first set up; the officer may change it
    until the first mark is moderated."""

    tender = models.OneToOneField(
        Tender, on_delete=models.CASCADE, related_name="evaluation_settings"
    )
    spread_flag_percent = models.DecimalField(
        _("flag a spread of marks above (% of the scale)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    # Where the figure came from: the service default in force on a date, or the authority.
    spread_flag_basis = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "evaluation settings"

    def __str__(self) -> str:
        return f"Evaluation settings of {self.tender_id}"

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id


class Evaluator(models.Model):
    """A person of the authority appointed to a lot's panel, marking the criteria named in
    `criteria` (lowest-level quality and social value questions; the price criterion lets them
    see the bids' prices, which no one marks). `declared_at` is when they had declared, for
    every bidder on the lot, whether they have a conflict of interest: they read no bid before."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator_appointments"
    )
    criteria = models.ManyToManyField(
        Criterion, related_name="evaluators", verbose_name=_("criteria they evaluate")
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    appointed_at = models.DateTimeField()
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lot_id", "appointed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "user"], name="evaluator_once_per_lot")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on lot {self.lot_id}"

    @property
    def organisation_id(self) -> int:
        return self.lot.tender.authority_id

    @property
    def has_declared(self) -> bool:
        return self.declared_at is not None


class ConflictDeclaration(models.Model):
    """An evaluator's declaration, for one bidder on the lot, of whether they have a conflict of
    interest (Procurement Act 2023 ss.81-83; PCR 2015 reg. 24). A declared conflict removes them
    from that bidder's bid: they neither read nor mark it. The officer records the mitigation."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="declarations")
    bidder = models.ForeignKey(
        "socialvalue.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    details = models.TextField(_("the interest (personal, professional or financial)"), blank=True)
    declared_at = models.DateTimeField()
    mitigation = models.TextField(_("how the conflict is mitigated"), blank=True)
    mitigated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mitigated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluator_id", "bidder__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "bidder"], name="one_declaration_per_bidder"
            )
        ]

    def __str__(self) -> str:
        return f"Declaration of {self.evaluator_id} on {self.bidder_id}"

    @property
    def organisation_id(self) -> int:
        return self.evaluator.lot.tender.authority_id


class Mark(models.Model):
    """One evaluator's mark of one bid on one criterion, with its written justification. A
    draft (`submitted_at` empty) is the evaluator's alone; once submitted it is fixed, and the
    evaluator may then see the other evaluators' submitted marks on the same bid and criterion."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="marks")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    mark = models.DecimalField(_("mark"), max_digits=7, decimal_places=2, null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    saved_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bid_id", "criterion_id", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "bid", "criterion"], name="one_mark_per_evaluator"
            )
        ]
        indexes = [models.Index(fields=["bid", "criterion"])]

    def __str__(self) -> str:
        return f"Mark of {self.evaluator_id} on {self.bid_id}/{self.criterion_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ModeratedMark(models.Model):
    """The panel's consensus mark of one bid on one criterion, with its rationale: the only mark
    that feeds the ranking. `spread` and `flagged` keep what the individual marks were when it
    was moderated; a flagged spread needs a `moderation_note`. A later change needs a reason,
    kept in `changes` (and the audit trail)."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    mark = models.DecimalField(_("consensus mark"), max_digits=7, decimal_places=2)
    rationale = models.TextField(_("rationale"))
    spread = models.DecimalField(max_digits=7, decimal_places=2)
    spread_limit = models.DecimalField(max_digits=9, decimal_places=4)
    flagged = models.BooleanField(default=False)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moderated_at = models.DateTimeField()

    class Meta:
        ordering = ["bid_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_consensus_per_criterion")
        ]

    def __str__(self) -> str:
        return f"Consensus on {self.bid_id}/{self.criterion_id}"


class ModerationChange(models.Model):
    """A change to a moderated mark after moderation, with the reason (also in the audit)."""

    moderated_mark = models.ForeignKey(
        ModeratedMark, on_delete=models.CASCADE, related_name="changes"
    )
    old_mark = models.DecimalField(max_digits=7, decimal_places=2)
    new_mark = models.DecimalField(max_digits=7, decimal_places=2)
    old_rationale = models.TextField()
    reason = models.TextField(_("reason for the change"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["moderated_mark_id", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"Change {self.pk} to {self.moderated_mark_id}"
