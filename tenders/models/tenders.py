"""Tenders and what the authority publishes with them: lots, award criteria, amendments,
documents, clarifications and its own local minimum weighting.

A tender belongs to a contracting authority and may point at the planned contract whose Social
Value Act check it carries. Every tender has at least one lot; each lot has its own criteria tree
(rows with parent links, scored by tenders.scoring) and its own bids (tenders.models.bids).
Status changes are made only by tenders.services.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders import scoring
from tenders.models.files import StoredFile


class TenderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for bids")
    CLOSED = "closed", _("Closed")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    AWARDED = "awarded", _("Awarded")
    IN_DELIVERY = "in_delivery", _("In delivery")
    ENDED = "ended", _("Ended")


class TieBreak(models.TextChoices):
    """The published rule for bids with equal totals: score kinds compared in order (the higher
    wins), then the lower price. The engine's `tie_break` is the part before price."""

    QUALITY_THEN_SOCIAL_VALUE = (
        "quality,social_value",
        _("Highest quality score, then highest social value score, then lowest price"),
    )
    SOCIAL_VALUE_THEN_QUALITY = (
        "social_value,quality",
        _("Highest social value score, then highest quality score, then lowest price"),
    )
    PRICE = "price", _("Lowest price")


class Regime(models.TextChoices):
    """The procurement rules the award follows (tenders.award_rules holds each one's dated data)."""

    PROCUREMENT_ACT_2023 = "pa2023", _("Procurement Act 2023")
    PCR_2015 = "pcr2015", _("Public Contracts Regulations 2015")
    PSR = "psr2023", _("Provider Selection Regime (health care services)")


class ContractType(models.TextChoices):
    # The same codes as the Social Value Act engine (socialvalue.act.engine.CONTRACT_TYPES).
    SERVICES = "services", _("Services")
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    MIXED = "mixed", _("Mixed (services with goods or works)")


class Tender(models.Model):
    """A contract opportunity an authority publishes, and the state of its procurement.

    `status` is what was recorded. A published tender whose submission deadline has passed is
    closed for every rule whether or not the closure has been recorded yet: ask `status_on()`.
    """

    authority = models.ForeignKey(
        "socialvalue.Organisation",
        on_delete=models.PROTECT,
        related_name="tenders",
        limit_choices_to={"kind": "authority"},
    )
    planned_contract = models.ForeignKey(
        "socialvalue.PlannedContract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenders",
        verbose_name=_("planned contract (with its Social Value Act check)"),
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("what is being bought"))
    contract_type = models.CharField(_("type of contract"), max_length=20, choices=ContractType)
    estimated_value = models.DecimalField(
        _("estimated whole-life value (pounds, excluding VAT)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    market_statement_url = models.URLField(
        _("market statement web address"),
        blank=True,
        help_text=_("Where the authority publishes its social value market statement."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TenderStatus, default=TenderStatus.DRAFT
    )

    # Key dates. Deadlines are moments (date and time); the later stages are planned days.
    clarification_deadline = models.DateTimeField(_("deadline for questions"), null=True)
    submission_deadline = models.DateTimeField(_("deadline for bids"), null=True)
    evaluation_date = models.DateField(_("evaluation completed by"), null=True, blank=True)
    award_date = models.DateField(_("expected award date"), null=True, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)

    # Scoring method for price (one of tenders.scoring.PRICE_METHODS) and its parameters.
    price_method = models.CharField(
        _("price scoring method"), max_length=60, default="lowest_price_ratio"
    )
    price_method_params = models.JSONField(default=dict, blank=True)
    price_breakdown_required = models.BooleanField(_("ask for a price breakdown"), default=False)
    price_breakdown_guidance = models.TextField(
        _("what the price breakdown should show"), blank=True
    )
    tie_break = models.CharField(
        _("how equal total scores are separated"),
        max_length=60,
        choices=TieBreak,
        default=TieBreak.QUALITY_THEN_SOCIAL_VALUE,
        help_text=_("Published with the criteria: bidders read it on the tender page."),
    )
    regime = models.CharField(
        _("procurement rules"), max_length=20, choices=Regime, default=Regime.PROCUREMENT_ACT_2023
    )
    second_officer_opens_bids = models.BooleanField(
        _("a second procurement officer must confirm the opening of the bids"), default=False
    )
    # Who the authority says the contract suits (published in OCDS as tender.suitability).
    suitable_for_sme = models.BooleanField(
        _("suitable for small and medium-sized enterprises"), default=False
    )
    suitable_for_vcse = models.BooleanField(
        _("suitable for voluntary, community and social enterprises"), default=False
    )

    # Reasons the officer records to continue past a policy warning.
    low_social_value_reason = models.TextField(
        _("reason for a social value weighting below the minimum"), blank=True
    )
    untied_question_reason = models.TextField(
        _("reason for social value questions not tied to a local priority"), blank=True
    )
    # The policy minimum in force when the tender was published, kept as it was then.
    minimum_weighting_percent = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    minimum_weighting_basis = models.CharField(max_length=200, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    bids_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    bids_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # With `second_officer_opens_bids`: the first officer's request, confirmed by another.
    bids_opening_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    bids_opening_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "submission_deadline"]),
            # The authority's tender list: its tenders, newest first.
            models.Index(fields=["authority", "-created_at"], name="tender_authority_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tender-detail", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        # Lets the permission layer treat a tender like its authority.
        return self.authority_id

    def status_on(self, now: datetime | None = None) -> str:
        """The status in force: a published tender past its submission deadline is closed."""
        now = now or timezone.now()
        if (
            self.status == TenderStatus.PUBLISHED
            and self.submission_deadline is not None
            and now >= self.submission_deadline
        ):
            return TenderStatus.CLOSED
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_on()

    @property
    def current_status_label(self) -> str:
        return TenderStatus(self.status_on()).label

    def is_open_for_bids(self, now: datetime | None = None) -> bool:
        return self.status_on(now) == TenderStatus.PUBLISHED

    def is_open_for_questions(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_open_for_bids(now) and (
            self.clarification_deadline is None or now < self.clarification_deadline
        )

    def deadline_passed(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.submission_deadline is not None and now >= self.submission_deadline

    @property
    def is_draft(self) -> bool:
        return self.status == TenderStatus.DRAFT

    @property
    def price_method_label(self) -> str:
        method = scoring.PRICE_METHODS.get(self.price_method)
        return method.label if method else self.price_method


class Lot(models.Model):
    """A part of a tender bid for and awarded separately, with its own criteria and bids."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"), default=1)
    title = models.CharField(_("lot title"), max_length=250)
    description = models.TextField(_("what this lot covers"), blank=True)
    estimated_value = models.DecimalField(
        _("estimated value of this lot (pounds, excluding VAT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    suitable_for_sme = models.BooleanField(
        _("this lot is suitable for small and medium-sized enterprises"), default=False
    )
    suitable_for_vcse = models.BooleanField(
        _("this lot is suitable for voluntary, community and social enterprises"), default=False
    )

    class Meta:
        ordering = ["tender_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="lot_number_once_per_tender")
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id


class CriterionKind(models.TextChoices):
    PRICE = scoring.PRICE, _("Price")
    QUALITY = scoring.QUALITY, _("Quality")
    SOCIAL_VALUE = scoring.SOCIAL_VALUE, _("Social value")


class Criterion(models.Model):
    """One award criterion in a lot's tree. Top-level rows are the price, quality and social
    value groups; a row's weight is a percentage of its parent (siblings add up to 100).

    Lowest-level quality and social value rows are questions marked on a scale from 0 to
    `max_mark` (with a descriptor per mark) and may have a pass mark; the price row is scored by
    the tender's price method. A social value question names the local priority it serves and the
    measures bidders may commit to.
    """

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CriterionKind)
    name = models.CharField(_("name"), max_length=250)
    question = models.TextField(_("question for bidders"), blank=True)
    weight = models.DecimalField(
        _("weight (% of the level above)"),
        max_digits=7,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )
    order = models.PositiveIntegerField(default=0)
    max_mark = models.DecimalField(
        _("highest mark"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # [{"mark": "0", "text": "No response"}, ...] in mark order.
    descriptors = models.JSONField(default=list, blank=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    priority = models.ForeignKey(
        "socialvalue.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name=_("local priority it serves"),
    )
    measures = models.ManyToManyField(
        "measurement.Measure",
        blank=True,
        related_name="criteria",
        verbose_name=_("measures bidders may commit to"),
    )

    class Meta:
        ordering = ["lot_id", "order", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self) -> int:
        return self.lot.tender.authority_id

    @property
    def key(self) -> str:
        # The scoring engine names nodes by key; a row's key is its id, so errors map back to it.
        return str(self.pk)


class TenderAmendment(models.Model):
    """A change to a published tender before its deadline: new deadlines and/or documents, with
    the reason, as bidders are told of it. The old and new deadlines are kept side by side
    (equal when that deadline did not change), so the history reads without the audit trail."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="amendments")
    reason = models.TextField(_("reason for the amendment"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField()
    old_submission_deadline = models.DateTimeField()
    new_submission_deadline = models.DateTimeField()
    old_clarification_deadline = models.DateTimeField(null=True, blank=True)
    new_clarification_deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "made_at", "pk"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} to {self.tender_id}"

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id

    @property
    def submission_deadline_changed(self) -> bool:
        return self.old_submission_deadline != self.new_submission_deadline

    @property
    def clarification_deadline_changed(self) -> bool:
        return self.old_clarification_deadline != self.new_clarification_deadline


class TenderDocument(StoredFile):
    """A document published with the tender (specification, terms, pricing schedule...), either
    while it is drafted or later by an amendment."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    amendment = models.ForeignKey(
        TenderAmendment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(upload_to="tenders/documents/%Y/%m/", max_length=300)

    class Meta:
        ordering = ["tender_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id


class LocalMinimumWeighting(models.Model):
    """An authority's own dated minimum weighting for social value (% of the total score)."""

    authority = models.ForeignKey(
        "socialvalue.Organisation",
        on_delete=models.CASCADE,
        related_name="social_value_minimums",
        limit_choices_to={"kind": "authority"},
    )
    title = models.CharField(_("policy title"), max_length=250)
    percent = models.DecimalField(
        _("minimum social value weighting (% of the total score)"),
        max_digits=6,
        decimal_places=2,
    )
    starts = models.DateField(_("in force from"))
    ends = models.DateField(_("in force until"), null=True, blank=True)
    source_url = models.URLField(_("where the policy is published"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authority_id", "-starts"]

    def __str__(self) -> str:
        return f"{self.title}: {self.percent}% from {self.starts}"

    @property
    def organisation_id(self) -> int:
        return self.authority_id


class Clarification(models.Model):
    """A bidder's question about a tender and the authority's answer.

    Published, the answer goes to every bidder with `published_question` (the question as the
    officer reworded it, without anything that identifies the asker); the asker is never shown.
    """

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="clarifications")
    bidder = models.ForeignKey(
        "socialvalue.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question = models.TextField(_("your question"))
    asked_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published_question = models.TextField(_("question as published to all bidders"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "asked_at"]

    def __str__(self) -> str:
        return f"Question {self.pk} on {self.tender_id}"

    @property
    def organisation_id(self) -> int:
        return self.tender.authority_id

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Interest(models.Model):
    """A bidder's interest in a published tender: the authority sees who, and the bidder's
    people are emailed its clarifications and amendments as those with a bid or a question are."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="interests")
    bidder = models.ForeignKey(
        "socialvalue.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "bidder"},
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["tender_id", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "bidder"], name="interest_once_per_bidder")
        ]

    def __str__(self) -> str:
        return f"Interest of {self.bidder_id} in {self.tender_id}"

    @property
    def organisation_id(self) -> int:
        return self.bidder_id


class SavedSearch(models.Model):
    """A person's saved opportunity search (the filters of the opportunities page) and whether
    new tenders that match it are emailed to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name of the search"), max_length=120)
    # The opportunity filters' names and values as the page sends them (tenders.filters).
    query = models.JSONField(default=dict, blank=True)
    email_alerts = models.BooleanField(_("email me new tenders that match"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["user_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name
