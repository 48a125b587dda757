"""Local social value definitions, their priorities and the measures each priority uses."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from socialvalue.core.models import Organisation, OrganisationKind, User
from socialvalue.kernel import vocabularies


class DefinitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class LocalDefinition(models.Model):
    """One version of what social value means locally, and the priorities that follow from it.

    Owned by an authority, or by a Compact group acting for several authorities; `authorities`
    lists whom it applies to. Lifecycle: draft -> in review -> adopted -> superseded (see
    socialvalue.definitions). At most one adopted version per authority at a time; every
    version is kept. A new version starts as a copy of the one it `replaces`.
    """

    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_definitions",
        limit_choices_to={"kind__in": [OrganisationKind.AUTHORITY, OrganisationKind.COMPACT_GROUP]},
    )
    authorities = models.ManyToManyField(
        Organisation,
        related_name="local_definitions",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
        verbose_name=_("authorities it applies to"),
    )
    review_group = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="definitions_to_review",
        limit_choices_to={"kind": OrganisationKind.COMPACT_GROUP},
        verbose_name=_("Compact group that reviews it"),
    )
    title = models.CharField(_("title"), max_length=250)
    statement = models.TextField(
        _("what social value means here"),
        help_text=_("A short statement, in plain words, of what social value means locally."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DefinitionStatus, default=DefinitionStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("version it replaces"),
    )
    effective_from = models.DateField(_("in effect from"), null=True, blank=True)
    effective_to = models.DateField(_("in effect until"), null=True, blank=True)
    review_on = models.DateField(
        _("review date"),
        null=True,
        blank=True,
        help_text=_(
            "When the definition is next reviewed; it is flagged once the date is reached."
        ),
    )
    voluntary_sector_role = models.TextField(
        _("the role of voluntary organisations in achieving it"), blank=True
    )

    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    superseded_by_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["owner__name", "-version", "-created_at"]
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("definition-detail", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        # Lets the permission layer treat a definition like its owner.
        return self.owner_id

    @property
    def is_editable(self) -> bool:
        return self.status == DefinitionStatus.DRAFT

    def review_due(self, on_date) -> bool:
        """Whether the review date has come (superseded versions are not reviewed)."""
        return (
            self.review_on is not None
            and self.review_on <= on_date
            and self.status != DefinitionStatus.SUPERSEDED
        )

    def clean(self) -> None:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The end date must be on or after the start date.")}
            )


class Priority(models.Model):
    """A local priority: under a theme, an outcome sought, with the measures chosen for it."""

    definition = models.ForeignKey(
        LocalDefinition, on_delete=models.CASCADE, related_name="priorities"
    )
    theme = models.CharField(
        _("theme"),
        max_length=20,
        choices=vocabularies.choices(vocabularies.THEMES),
    )
    outcome = models.CharField(_("outcome sought"), max_length=250)
    description = models.TextField(_("why it matters here"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["definition_id", "order", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.outcome

    @property
    def organisation_id(self) -> int:
        return self.definition.owner_id


class PriorityMeasure(models.Model):
    """A catalogue measure chosen for a priority, with an optional local target."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey(
        "measurement.Measure", on_delete=models.PROTECT, related_name="priority_links"
    )
    target_quantity = models.DecimalField(
        _("target quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_text = models.CharField(_("target in words"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["priority_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "measure"], name="measure_once_per_priority"
            ),
            models.CheckConstraint(
                name="priority_target_positive_or_empty",
                condition=models.Q(target_quantity__isnull=True) | models.Q(target_quantity__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority} - {self.measure_id}"


class AuthorityAdoption(models.Model):
    """One commissioning body's own adoption of a joint definition (each records its own: a
    Compact group cannot adopt for an authority). When every authority a version applies to
    has adopted it, the version is adopted (socialvalue.definitions.services)."""

    definition = models.ForeignKey(
        LocalDefinition, on_delete=models.CASCADE, related_name="authority_adoptions"
    )
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
    )
    decided_on = models.DateField(_("date of the decision"))
    reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "authority"], name="one_adoption_per_authority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} adopted {self.definition}"

    @property
    def organisation_id(self) -> int:
        return self.authority_id
