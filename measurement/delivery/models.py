"""The contract's social value schedule, the supplier's returns and their verification.

Every change is made by ``measurement.delivery.services``; reads with access rules are in
``measurement.delivery.selectors``.
"""

import functools

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from measurement.delivery import schedule
from tenders.models import Contract, ContractCommitment
from tenders.models.files import StoredFile

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class DeliverySchedule(models.Model):
    """How a contract's social value is monitored: the reporting frequency and evidence of
    its proportionality band, and the net assumptions the authority sets for the contract
    (the same for every bid and every commitment)."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="delivery_schedule"
    )
    band_key = models.CharField(_("value band"), max_length=20)
    band_label = models.CharField(_("value band"), max_length=100)
    reporting = models.CharField(_("reporting frequency"), max_length=20)
    max_measures = models.PositiveSmallIntegerField(_("most measures the band suggests"))
    evidence = models.CharField(_("evidence level"), max_length=20)
    deadweight = models.DecimalField(
        _("deadweight (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    attribution = models.DecimalField(
        _("attribution (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    displacement = models.DecimalField(
        _("displacement (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    drop_off = models.DecimalField(
        _("drop-off (% a year)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    duration_years = models.PositiveSmallIntegerField(
        _("years an outcome lasts"), default=1, validators=[MinValueValidator(1)]
    )
    include_unconfirmed = models.BooleanField(
        _("include values whose source is unconfirmed in the totals"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Schedule of {self.contract}"

    @property
    def organisation_id(self) -> int:
        return self.contract.tender.authority_id


class ReportingPeriod(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    due_on = models.DateField(_("return due"))
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="one_period_number"),
            models.CheckConstraint(
                name="period_ends_after_it_starts",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Period {self.number} ({self.starts_on} to {self.ends_on})"

    @property
    def organisation_id(self) -> int:
        return self.contract.tender.authority_id


class PeriodTarget(models.Model):
    """What a commitment should have delivered in one period."""

    commitment = models.ForeignKey(
        ContractCommitment, on_delete=models.CASCADE, related_name="period_targets"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="targets")
    quantity = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["period__number", "commitment_id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "period"], name="one_target_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} in period {self.period.number}"


class TargetChange(models.Model):
    """An agreed change to a target, with its reason: targets never change silently."""

    target = models.ForeignKey(PeriodTarget, on_delete=models.CASCADE, related_name="changes")
    previous_quantity = models.DecimalField(max_digits=14, decimal_places=2)
    new_quantity = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason for the change"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.previous_quantity} to {self.new_quantity}"


def _evidence_path(instance, filename: str) -> str:
    return f"delivery/evidence/{instance.supplier_id}/{filename}"


class EvidenceItem(StoredFile):
    """A file in the supplier's evidence library, reusable across returns and contracts."""

    supplier = models.ForeignKey(
        "socialvalue.Organisation", on_delete=models.PROTECT, related_name="evidence_items"
    )
    description = models.CharField(_("what the file shows"), max_length=500)
    file = models.FileField(upload_to=_evidence_path, max_length=300)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.description

    @property
    def organisation_id(self) -> int:
        return self.supplier_id


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class DeliveryReturn(models.Model):
    """The supplier's return for one reporting period."""

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.CASCADE, related_name="delivery_return"
    )
    status = models.CharField(max_length=20, choices=ReturnStatus, default=ReturnStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["period__number"]

    def __str__(self) -> str:
        return f"Return for {self.period}"

    @property
    def organisation_id(self) -> int:
        return self.period.contract.tender.authority_id


class LineStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    ACCEPTED = "accepted", _("Accepted")
    QUERIED = "queried", _("Queried")
    ANSWERED = "answered", _("Answered, awaiting verification")
    REJECTED = "rejected", _("Rejected")


class ReturnLine(models.Model):
    """The quantity delivered against one commitment in one return, with its evidence."""

    delivery_return = models.ForeignKey(
        DeliveryReturn, on_delete=models.CASCADE, related_name="lines"
    )
    commitment = models.ForeignKey(
        ContractCommitment, on_delete=models.PROTECT, related_name="return_lines"
    )
    quantity = models.DecimalField(
        _("quantity delivered"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    variance_note = models.TextField(_("note on any difference from the target"), blank=True)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="return_lines")
    status = models.CharField(max_length=20, choices=LineStatus, default=LineStatus.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    query_count = models.PositiveSmallIntegerField(default=0)
    # Chosen when the return is sent (schedule.sample_lines): verify in depth with evidence.
    sample_check = models.BooleanField(_("chosen for an in-depth check"), default=False)

    class Meta:
        ordering = ["delivery_return_id", "commitment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_return", "commitment"], name="one_line_per_commitment"
            ),
            models.CheckConstraint(
                name="delivered_quantity_not_negative", condition=models.Q(quantity__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.commitment_id}"

    @property
    def organisation_id(self) -> int:
        return self.delivery_return.period.contract.tender.authority_id


class LineQuery(models.Model):
    """The authority's question about a line and the supplier's answer."""

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="queries")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return self.question[:80]


class RemedyOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class Remedy(models.Model):
    """What the authority and supplier agreed to bring delivery at risk back on track (for the
    whole contract, or one commitment), by when, and later how it turned out."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="remedies")
    commitment = models.ForeignKey(
        ContractCommitment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remedies",
        verbose_name=_("commitment"),
    )
    agreed = models.TextField(_("what was agreed"))
    due_on = models.DateField(_("to be done by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=RemedyOutcome, default=RemedyOutcome.OPEN)
    outcome_note = models.TextField(_("what happened"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name_plural = "remedies"

    def __str__(self) -> str:
        return self.agreed[:80]

    @property
    def organisation_id(self) -> int:
        return self.contract.tender.authority_id


class PerformanceFailure(models.Model):
    """A performance failure as the UK OCDS extension's PerformanceFailure object has it
    (tenders/ocds/standard/release-schema.json): requirement, description, decision date,
    penalty date, penalty type from the closed penaltyType codelist (data/delivery.json) or
    entered as text, penalty value, partial termination, and the supplier responsible."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="performance_failures"
    )
    commitment = models.ForeignKey(
        ContractCommitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="performance_failures",
        verbose_name=_("commitment"),
    )
    requirement = models.TextField(_("requirement not carried out"))
    description = models.TextField(_("description of the failure"))
    decision_date = models.DateField(_("date of the decision"))
    penalty_date = models.DateField(_("date of the penalty"), null=True, blank=True)
    penalty_type = models.CharField(_("penalty type"), max_length=20, blank=True)
    penalty_type_entered = models.CharField(
        _("penalty type, in your words"), max_length=500, blank=True
    )
    penalty_amount = models.DecimalField(
        _("penalty value (£)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    penalty_currency = models.CharField(max_length=3, default="GBP", editable=False)
    partial_termination = models.TextField(_("partial termination"), blank=True)
    supplier = models.ForeignKey(
        "socialvalue.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="penalty_value_not_negative",
                condition=models.Q(penalty_amount__isnull=True) | models.Q(penalty_amount__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def penalty_type_title(self) -> str:
        """The code's title in the UK extension's penaltyType codelist ('' when none)."""
        return _penalty_titles().get(self.penalty_type, self.penalty_type)

    @property
    def organisation_id(self) -> int:
        return self.contract.tender.authority_id


@functools.cache
def _penalty_titles() -> dict[str, str]:
    return {p.code: p.title for p in schedule.load_penalty_types()[0]}


class DeliveryPublication(models.Model):
    """An authority's choice to publish its delivered (verified) social value on a public page.
    Changed only by ``services.publication_set``, which writes the audit trail."""

    authority = models.OneToOneField(
        "socialvalue.Organisation", on_delete=models.CASCADE, related_name="delivery_publication"
    )
    published = models.BooleanField(_("published"), default=False)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        state = "published" if self.published else "not published"
        return f"Delivered social value of {self.authority_id}: {state}"

    @property
    def organisation_id(self) -> int:
        return self.authority_id
