"""Core records: people, organisations and their roles, invitations, the audit trail, background jobs."""

import hashlib
import re
import secrets
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from socialvalue.core.names import validate_organisation_name, validate_person_name
from socialvalue.kernel import vocabularies


class UserManager(BaseUserManager):
    """People sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        # Accounts made by staff, invitations and the demo have a proven (or trusted) address;
        # self-registration passes email_confirmed_at=None and confirms by emailed link.
        extra.setdefault("email_confirmed_at", timezone.now())
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by email. What they may do comes from their memberships."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, validators=[validate_person_name])
    is_staff = models.BooleanField(
        _("service staff"),
        default=False,
        help_text=_("Runs the service itself: sees the worker status page and the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        _("email address confirmed"),
        null=True,
        blank=True,
        help_text=_("Empty until a self-registered person follows the link emailed to them."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm: str, obj=None) -> bool:
        """The project's own rules answer alone, superuser or not (socialvalue.core.permissions).

        Django lets an active superuser pass every check; for a permission registered with
        `rules` that would let service staff act for any organisation or read sealed bids, so
        the rule decides. Django's other permissions (the admin's model permissions) keep
        Django's answer.
        """
        # Deferred: socialvalue.core.permissions imports these models (a real cycle).
        from socialvalue.core import permissions

        if permissions.is_rule(perm):
            return self.is_active and permissions.can(self, perm, obj)
        return super().has_perm(perm, obj)

    async def ahas_perm(self, perm: str, obj=None) -> bool:
        # Deferred: the same cycle as has_perm's (permissions imports these models).
        from socialvalue.core import permissions

        if permissions.is_rule(perm):
            return await sync_to_async(self.has_perm)(perm, obj)
        return await super().ahas_perm(perm, obj)


class OrganisationKind(models.TextChoices):
    AUTHORITY = "authority", _("Contracting authority")
    BIDDER = "bidder", _("Bidder")
    COMPACT_GROUP = "compact_group", _("Compact group")


# The word list lives in the kernel, shared with the Social Value Act engine and the assess_act
# command: AuthorityType.LOCAL_AUTHORITY and the rest are made from it.
AuthorityType = models.TextChoices(
    "AuthorityType", vocabularies.enum_members(vocabularies.AUTHORITY_TYPES), module=__name__
)


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")


class BidderType(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary organisation or charity")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    SME = "sme", _("Small or medium enterprise")
    LARGE = "large", _("Large business")


# Companies House numbers: 8 characters, two letters (SC, NI, OC...) or digits, then six digits.
COMPANY_NUMBER = re.compile(r"[A-Z0-9]{2}\d{6}")


class Organisation(models.Model):
    """A contracting authority, a bidder, or a Compact group of public and voluntary bodies."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_organisation_name])
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(_("sort of organisation"), max_length=20, choices=OrganisationKind)
    authority_type = models.CharField(
        _("type of authority"), max_length=30, choices=AuthorityType, blank=True
    )
    nation = models.CharField(_("nation"), max_length=10, choices=Nation, blank=True)
    bidder_type = models.CharField(
        _("type of organisation"), max_length=30, choices=BidderType, blank=True
    )
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True)
    company_number = models.CharField(
        _("Companies House number"),
        max_length=8,
        blank=True,
        help_text=_("Tells apart two organisations with the same name."),
    )
    area_description = models.TextField(
        _("area served"),
        blank=True,
        help_text=_("The relevant area for the Social Value Act: where the authority works."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="authority_has_type_and_nation",
                condition=~models.Q(kind="authority")
                | (~models.Q(authority_type="") & ~models.Q(nation="")),
            ),
            models.CheckConstraint(
                name="bidder_has_type",
                condition=~models.Q(kind="bidder") | ~models.Q(bidder_type=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisation", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.kind == OrganisationKind.AUTHORITY:
            if not self.authority_type:
                errors["authority_type"] = _("Choose the type of authority.")
            if not self.nation:
                errors["nation"] = _("Choose whether the authority is in England or Wales.")
        if self.kind == OrganisationKind.BIDDER and not self.bidder_type:
            errors["bidder_type"] = _("Choose the type of organisation.")
        if self.charity_number and self.bidder_type != BidderType.VOLUNTARY:
            errors["charity_number"] = _(
                "Only a voluntary organisation or charity has a charity number."
            )
        if self.company_number and not COMPANY_NUMBER.fullmatch(self.company_number):
            errors["company_number"] = _(
                "Enter a Companies House number of 8 characters, like 01234567 or SC123456."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_authority(self) -> bool:
        return self.kind == OrganisationKind.AUTHORITY

    @property
    def is_bidder(self) -> bool:
        return self.kind == OrganisationKind.BIDDER


def unique_slug(name: str) -> str:
    """A URL slug for an organisation name, numbered when another organisation has it."""
    base = slugify(name)[:200] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation admin")
    COMMISSIONER = "commissioner", _("Commissioner")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    EVALUATOR = "evaluator", _("Evaluator")
    BIDDER = "bidder", _("Bidder")
    COMPACT_MEMBER = "compact_member", _("Compact group member")


# Which roles make sense in which sort of organisation.
ROLES_BY_KIND = {
    OrganisationKind.AUTHORITY: {
        Role.ORG_ADMIN,
        Role.COMMISSIONER,
        Role.PROCUREMENT_OFFICER,
        Role.EVALUATOR,
        Role.COMPACT_MEMBER,
    },
    OrganisationKind.BIDDER: {Role.ORG_ADMIN, Role.BIDDER, Role.COMPACT_MEMBER},
    OrganisationKind.COMPACT_GROUP: {Role.ORG_ADMIN, Role.COMPACT_MEMBER},
}


class Membership(models.Model):
    """One role a person holds in one organisation; several rows give several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_role_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        organisation = getattr(self, "organisation", None)
        if organisation and self.role not in ROLES_BY_KIND[organisation.kind]:
            raise ValidationError(
                {
                    "role": _("A %(kind)s cannot have this role.")
                    % {"kind": organisation.get_kind_display().lower()}
                }
            )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An organisation admin's invitation for a person to join with a role.

    Only a digest of the token is stored, so a database reader cannot accept an invitation.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=30, choices=Role)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} at {self.organisation}"

    def issue_token(self) -> str:
        """Set a fresh token and expiry (not saved) and return the token for the email link."""
        token = secrets.token_urlsafe(32)
        self.token_digest = _token_digest(token)
        self.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
        return token

    @classmethod
    def find_open(cls, token: str) -> "Invitation | None":
        return (
            cls.objects.open()
            .select_related("organisation")
            .filter(token_digest=_token_digest(token))
            .first()
        )


class AuditEntry(models.Model):
    """One line of the append-only audit trail.

    Each entry's hash covers its own fields and the previous entry's hash, keyed with AUDIT_KEY, so
    editing or deleting any entry breaks the chain from there on (see socialvalue.core.audit).
    """

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    # The account's number stays after the account is deleted (no database constraint, nothing
    # cascades): the entry's hash covers it, and ids are never reused.
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Kept as text too, so the entry still says who acted after the account is gone.
    actor_label = models.CharField(max_length=254, editable=False)
    action = models.CharField(max_length=100, editable=False)
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    object_repr = models.CharField(max_length=300, blank=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    data = models.JSONField(default=dict, blank=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)
    # How entry_hash was made (socialvalue.core.audit.HASH_VERSION): 1 for entries written before
    # the keyed hash, which keep verifying as they were written.
    hash_version = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only and cannot be deleted.")


class AuditHead(models.Model):
    """A single row locked while appending, so concurrent writers extend the chain one at a time."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"Audit trail head at entry {self.last_sequence}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A piece of background work and its state: the source of truth, whatever the broker does."""

    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus, default=JobStatus.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}


class WorkerHeartbeat(models.Model):
    """The last time each worker process said it was alive; the status page reads these."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.hostname


class ApiToken(models.Model):
    """A person's key to the JSON API for one organisation's own data (its bids).

    Only the key's SHA-256 is kept: the key is shown once, when made, and cannot be shown again.
    A request made with it acts as its person with their roles in this organisation alone
    (`socialvalue.core.api.ApiTokenAuthentication`). Revoked keys stay, for the audit trail.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell your tokens apart."),
    )
    prefix = models.CharField(max_length=12, editable=False)  # the key's start, to recognise it
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def digest(key: str) -> str:
        return _token_digest(key)
