"""Local Compacts, their signatories and groups, the group's reviews of definitions, joint
strategies, consultations and decommissioning assessments.

The national Compact itself is dated data (compact/data/compact.json, read by compact.checks),
not rows. Definitions, planned contracts and tenders belong to other apps: they are named by
string and read through those apps' selectors.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialvalue.core.models import Organisation, OrganisationKind, User
from tenders.models.files import StoredFile


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public body")
    VOLUNTARY = "voluntary", _("Voluntary and community sector")


class LocalCompact(models.Model):
    """An area's Compact: the agreement between its public bodies and voluntary organisations,
    kept by a Compact group. `authorities` are the commissioning bodies in its area."""

    group = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="local_compact",
        limit_choices_to={"kind": OrganisationKind.COMPACT_GROUP},
    )
    authorities = models.ManyToManyField(
        Organisation,
        related_name="local_compacts",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
        verbose_name=_("authorities in its area"),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(max_length=220, unique=True)
    area = models.CharField(_("area"), max_length=250)
    summary = models.TextField(_("what the Compact is for"), blank=True)
    agreed_on = models.DateField(_("agreed on"))
    review_on = models.DateField(_("next review"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("compact-local", args=[self.slug])

    @property
    def organisation_id(self) -> int:
        return self.group_id

    @property
    def review_due(self) -> bool:
        return self.review_on <= timezone.localdate()


class Signatory(models.Model):
    """A body that has signed the local Compact, or has been invited to and has not yet.

    A body on the service is named by `organisation`; one that is not (a health board, a police
    and crime commissioner) by `name`. `signed_on` empty: not signed (shown as such)."""

    compact = models.ForeignKey(LocalCompact, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["sector", "name", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name


class LocalCommitment(models.Model):
    """A commitment the area's Compact adds or makes local (for example, social value in all
    procurement including lower-value contracts), optionally under a national commitment."""

    compact = models.ForeignKey(LocalCompact, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(_("commitment"))
    national_key = models.CharField(
        _("national commitment it builds on"), max_length=40, blank=True
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["compact_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class GroupRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class GroupMember(models.Model):
    """An organisation sitting on the Compact group, from either sector, with its role."""

    compact = models.ForeignKey(LocalCompact, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    role = models.CharField(_("role"), max_length=20, choices=GroupRole, default=GroupRole.MEMBER)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "organisation"], name="compact_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


# --- reviews of definitions ---------------------------------------------------------------


class ReviewComment(models.Model):
    """A comment in a Compact group's review of a definition in review: on the definition as a
    whole or on one priority; a reply has a `parent`. The definition's author replies and marks
    a thread resolved, saying how."""

    definition = models.ForeignKey(
        "socialvalue.LocalDefinition", on_delete=models.CASCADE, related_name="review_comments"
    )
    priority = models.ForeignKey(
        "socialvalue.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]


class GroupPosition(models.TextChoices):
    SUPPORT = "support", _("Support")
    SUPPORT_WITH_CHANGES = "support_with_changes", _("Support with changes")
    OBJECT = "object", _("Object")


class GroupView(models.Model):
    """The Compact group's recorded view of a definition in review, with its reasons. A later
    view replaces an earlier one as the group's view; every one is kept."""

    definition = models.ForeignKey(
        "socialvalue.LocalDefinition", on_delete=models.CASCADE, related_name="group_views"
    )
    group = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("the group's view"), max_length=30, choices=GroupPosition)
    reasons = models.TextField(_("reasons"))
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        get_latest_by = "recorded_at"

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.definition_id}"


# --- joint strategy ------------------------------------------------------------------------


class JointStrategy(models.Model):
    """The area's joint social value strategy: the definition and how it is embedded (policy,
    charter, lead officer), reviewed on a schedule."""

    compact = models.ForeignKey(LocalCompact, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(_("title"), max_length=250)
    definition = models.ForeignKey(
        "socialvalue.LocalDefinition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local definition"),
    )
    policy = models.TextField(_("how it is embedded in policy"))
    charter = models.TextField(_("charter or pledge"), blank=True)
    lead_officer = models.CharField(_("lead officer"), max_length=200)
    review_every_months = models.PositiveSmallIntegerField(_("reviewed every (months)"))
    next_review_on = models.DateField(_("next review"))
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_review_on", "pk"]
        verbose_name_plural = "joint strategies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("compact-strategy", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        return self.compact.group_id

    @property
    def review_due(self) -> bool:
        return self.next_review_on <= timezone.localdate()


class StrategyReview(models.Model):
    """The record of one review of a joint strategy and the priorities alongside it."""

    strategy = models.ForeignKey(JointStrategy, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    findings = models.TextField(_("what the review found"))
    changes = models.TextField(_("changes to the strategy or local priorities"), blank=True)
    next_review_on = models.DateField(_("next review"))
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.strategy} on {self.reviewed_on}"


# --- consultations --------------------------------------------------------------------------


class ConsultationSubject(models.TextChoices):
    POLICY = "policy", _("A policy")
    SERVICE_DESIGN = "service_design", _("The design of a service")
    PROCUREMENT = "procurement", _("A procurement")


class Consultation(models.Model):
    """An authority's consultation: public from its start date, with the 12-week check, the
    responses organisations send, and the published summary ("you said, we did")."""

    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
    )
    compact = models.ForeignKey(
        LocalCompact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=250)
    subject = models.CharField(_("what it is about"), max_length=20, choices=ConsultationSubject)
    planned_contract = models.ForeignKey(
        "socialvalue.PlannedContract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("what is proposed"))
    audience = models.TextField(_("who is asked"))
    starts_on = models.DateField(_("opens"))
    ends_on = models.DateField(_("closes"))
    shorter_reason = models.TextField(_("why it is shorter than 12 weeks"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    response_summary = models.TextField(_("summary of responses"), blank=True)
    you_said_we_did = models.TextField(_("you said, we did"), blank=True)
    response_published_at = models.DateTimeField(null=True, blank=True)
    response_published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("compact-consultation", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        return self.authority_id

    def is_open(self, on_date=None) -> bool:
        today = on_date or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    @property
    def is_closed(self) -> bool:
        return self.ends_on < timezone.localdate()

    @property
    def response_published(self) -> bool:
        return self.response_published_at is not None

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError(
                {"ends_on": _("The closing date must be after the opening date.")}
            )


class ConsultationDocument(StoredFile):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="compact/consultations/")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class ConsultationResponse(models.Model):
    """An organisation's response: read by the authority and the organisation that sent it;
    only the authority's published summary is public."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("response"))
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"Response from {self.organisation} to {self.consultation}"


class ResponseAttachment(StoredFile):
    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="compact/responses/")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


# --- decommissioning ------------------------------------------------------------------------


class DecommissioningChange(models.TextChoices):
    REDUCE = "reduce", _("Reduce the service or its funding")
    END = "end", _("End the service or its funding")


class DecommissioningAssessment(models.Model):
    """What an authority assessed before reducing or ending a service or funding: advice sought,
    the impact on beneficiaries, service users and volunteers (with mitigation), the social,
    economic and environmental impact, and the notice given (three months at least, or a reason)."""

    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="decommissioning_assessments",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
    )
    compact = models.ForeignKey(
        LocalCompact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decommissioning_assessments",
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("affected provider"),
    )
    tender = models.ForeignKey(
        "tenders.Tender", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service = models.CharField(_("service or funding"), max_length=250)
    change = models.CharField(_("change"), max_length=10, choices=DecommissioningChange)
    advice_sought = models.TextField(_("advice sought from voluntary groups"))
    beneficiaries_impact = models.TextField(_("impact on beneficiaries"))
    beneficiaries_mitigation = models.TextField(_("mitigation for beneficiaries"))
    service_users_impact = models.TextField(_("impact on service users"))
    service_users_mitigation = models.TextField(_("mitigation for service users"))
    volunteers_impact = models.TextField(_("impact on volunteers"))
    volunteers_mitigation = models.TextField(_("mitigation for volunteers"))
    social_impact = models.TextField(_("social impact"))
    economic_impact = models.TextField(_("economic impact"))
    environmental_impact = models.TextField(_("environmental impact"))
    notice_given_on = models.DateField(_("notice given on"))
    ends_on = models.DateField(_("change takes effect on"))
    short_notice_reason = models.TextField(_("why notice is under three months"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-notice_given_on", "-pk"]

    def __str__(self) -> str:
        return self.service

    def get_absolute_url(self) -> str:
        return reverse("compact-decommissioning", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        return self.authority_id


class DecommissioningComment(models.Model):
    """A Compact group member's comment on a decommissioning assessment, or the authority's."""

    assessment = models.ForeignKey(
        DecommissioningAssessment, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]
