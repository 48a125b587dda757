"""Planned contracts and the Social Value Act checks recorded against them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from socialvalue.core.models import Organisation, OrganisationKind, User


class PlannedContract(models.Model):
    """A contract an authority plans to procure, before (and while) it becomes a tender.

    The Social Value Act check is recorded against it (ActAssessment); the tender, when built,
    points back here so the saved check travels with it.
    """

    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="planned_contracts",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
    )
    title = models.CharField(_("contract title"), max_length=250)
    description = models.TextField(_("what is being bought"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # The Act checks list: an authority's planned contracts, newest first.
        indexes = [
            models.Index(fields=["authority", "-created_at"], name="planned_authority_newest")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation_id(self) -> int:
        # Lets the permission layer treat a planned contract like its authority.
        return self.authority_id


class ActAssessment(models.Model):
    """One recorded Social Value Act check and the commissioner's consideration, frozen when saved.

    `inputs` and `result` keep exactly what the engine was given and answered (with the threshold
    schedule's id and source), so a later threshold change never rewrites this record.
    """

    planned_contract = models.ForeignKey(
        PlannedContract, on_delete=models.CASCADE, related_name="assessments"
    )
    inputs = models.JSONField()
    result = models.JSONField()
    applies = models.BooleanField(null=True)
    schedule_id = models.CharField(max_length=60, blank=True)
    # The consideration required by section 1(3) and 1(7) of the Act.
    wellbeing_improvement = models.TextField(
        _("how the procurement might improve economic, social and environmental well-being"),
        blank=True,
    )
    procurement_approach = models.TextField(
        _("how the procurement will be conducted to secure that improvement"), blank=True
    )
    relevant_priorities = models.JSONField(default=list, blank=True)
    will_consult = models.BooleanField(_("will you consult"), null=True)
    consultation_reason = models.TextField(_("why (or why not) consult"), blank=True)
    urgency_reason = models.TextField(_("reason the duty was disregarded as urgent"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        get_latest_by = "recorded_at"
        # A contract's latest check (the Act checks list asks it per row, in a subquery).
        indexes = [
            models.Index(
                fields=["planned_contract", "-recorded_at", "-id"], name="act_check_latest"
            )
        ]

    def __str__(self) -> str:
        return f"Act check for {self.planned_contract} ({self.recorded_at:%d %b %Y})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A recorded Act check is frozen; record a new one instead.")
        super().save(*args, **kwargs)

    @property
    def organisation_id(self) -> int:
        return self.planned_contract.authority_id
