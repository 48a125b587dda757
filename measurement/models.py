"""The measures catalogue: measures and their dated, versioned proxy values."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from socialvalue.kernel import vocabularies

# Theme.ECONOMIC, Theme.SOCIAL and Theme.ENVIRONMENTAL, made from the kernel's one word list.
Theme = models.TextChoices("Theme", vocabularies.enum_members(vocabularies.THEMES), module=__name__)


class Measure(models.Model):
    """Something a supplier can commit to and report against, counted in a unit.

    The code is stable because bids, commitments and returns refer to it. A measure is never
    deleted once used; it is made inactive instead, so old records still show it.
    """

    code = models.CharField(_("code"), max_length=21, unique=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme)
    outcome = models.CharField(_("outcome"), max_length=200)
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=60)
    evidence_guidance = models.TextField(_("evidence guidance"), blank=True)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Inactive measures stay on old records but cannot be chosen for new ones."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        permissions = [
            ("import_catalogue", "Can import the measures catalogue and add proxy versions")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("measure-detail", args=[self.code])


class ProxyValue(models.Model):
    """One dated version of a measure's proxy value (pounds per unit) with its source.

    A version is in force from ``valid_from`` until the next version's date. Once a version
    exists it is never edited: a changed value is a new row with a later date, so whatever
    was judged with the old value can always be shown with it again. ``value`` is empty
    where no sound public source gives a figure (the measure is counted, not monetised).
    """

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="proxy_values")
    value = models.DecimalField(
        _("proxy value (pounds per unit)"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day this version is in force: the day before the next version starts, "
            "or empty while it is the latest."
        ),
    )
    proxy_year = models.CharField(_("year of the figure"), max_length=40, blank=True)
    price_base = models.CharField(_("price base"), max_length=200, blank=True)
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source web address"), max_length=500, blank=True)
    source_quote = models.TextField(_("quote from the source"), blank=True)
    source_confirmed = models.BooleanField(_("seen in the primary source"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure__code", "valid_from"]
        get_latest_by = "valid_from"
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "valid_from"], name="one_proxy_version_per_date"
            ),
            models.CheckConstraint(
                name="proxy_value_positive_or_empty",
                condition=models.Q(value__isnull=True) | models.Q(value__gt=0),
            ),
        ]

    def __str__(self) -> str:
        shown = "no value" if self.value is None else f"£{self.value}"
        return f"{self.measure_id and self.measure.code}: {shown} from {self.valid_from}"

    def save(self, *args, **kwargs):
        # A version, once written, is part of the record of what bids were judged with.
        if self.pk is not None:
            raise ValidationError(
                "A proxy value version cannot be changed; add a new version with a later date."
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.value is not None and self.value <= 0:
            errors["value"] = _("A proxy value must be more than zero, or left empty.")
        if self.value is not None and not (self.source_title and self.source_url):
            errors["source_url"] = _("A proxy value needs the title and web address of its source.")
        if errors:
            raise ValidationError(errors)

    def in_force_on(self, on_date) -> bool:
        """Whether this version is the one in force on ``on_date``."""
        return self.valid_from <= on_date and (
            self.valid_until is None or on_date <= self.valid_until
        )
