"""The contract entered into after the award: its value and dates, and the social value
commitments carried over from the winning bid, which delivery measurement will monitor."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenders.models.award import AwardDecision
from tenders.models.bids import Bid, Commitment
from tenders.models.tenders import Criterion, Lot, Tender


class Contract(models.Model):
    """The contract for one lot with its winning bidder, entered once standstill has ended with
    no challenge open."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="contracts")
    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="contract")
    award_decision = models.OneToOneField(
        AwardDecision, on_delete=models.PROTECT, related_name="contract"
    )
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="contract")
    supplier = models.ForeignKey(
        "socialvalue.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    reference = models.CharField(_("contract reference"), max_length=60, blank=True)
    value = models.DecimalField(
        _("contract value (pounds, excluding VAT)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    signed_on = models.DateField(_("date the contract was signed"))
    starts_on = models.DateField(_("contract start"))
    ends_on = models.DateField(_("contract end"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["-entered_at"]
        constraints = [
            models.CheckConstraint(
                name="contract_ends_after_it_starts",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"Contract {self.pk}"

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id


class ContractCommitment(models.Model):
    """A social value commitment of the contract, carried over from the winning bid with the
    proxy value it was offered at, so what is monitored is exactly what was promised."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="commitments")
    source = models.OneToOneField(
        Commitment, on_delete=models.PROTECT, related_name="contract_commitment"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure = models.ForeignKey(
        "measurement.Measure", on_delete=models.PROTECT, related_name="contract_commitments"
    )
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    timing = models.CharField(max_length=250)
    proxy_value = models.ForeignKey(
        "measurement.ProxyValue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_commitments",
    )
    proxy_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    monetised_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["contract_id", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.measure_id}"

    @property
    def organisation_id(self) -> int:
        return self.contract.tender.authority_id
