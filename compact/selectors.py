"""Read-only queries of the Compact's part of the service, each carrying its access rule.
Definitions are read through socialvalue.definitions.selectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from compact import checks
from compact.models import (
    Consultation,
    ConsultationResponse,
    DecommissioningAssessment,
    DecommissioningComment,
    GroupMember,
    JointStrategy,
    LocalCompact,
    ReviewComment,
    Signatory,
)
from compact.permissions import AUTHORITY_ROLES
from socialvalue.core.models import Organisation, Role
from socialvalue.core.permissions import can, roles_by_organisation
from socialvalue.definitions import selectors as definition_selectors


@cache
def national_compact() -> checks.NationalCompact:
    """The national Compact as dated data (read once per process)."""
    return checks.load()


def compact_rules(*, on_date: date) -> checks.CompactRules:
    return national_compact().rules_on(on_date)


def today() -> date:
    return timezone.localdate()


# --- local Compacts ------------------------------------------------------------------------


def local_compacts() -> QuerySet[LocalCompact]:
    """Every local Compact (public), with its group and signatory counts."""
    return (
        LocalCompact.objects.select_related("group")
        .annotate(
            signed=Count("signatories", filter=Q(signatories__signed_on__isnull=False)),
            not_signed=Count("signatories", filter=Q(signatories__signed_on__isnull=True)),
        )
        .order_by("title")
    )


def local_compact_page(slug: str) -> LocalCompact | None:
    """One local Compact with its authorities, signatories, commitments and members."""
    return (
        LocalCompact.objects.filter(slug=slug)
        .select_related("group")
        .prefetch_related(
            "authorities",
            Prefetch("signatories", queryset=Signatory.objects.select_related("organisation")),
            "commitments",
            Prefetch("members", queryset=GroupMember.objects.select_related("organisation")),
            Prefetch("strategies", queryset=JointStrategy.objects.select_related("definition")),
        )
        .first()
    )


def compact_for_authority(authority: Organisation) -> LocalCompact | None:
    """The local Compact whose area includes this authority (the first by title)."""
    return LocalCompact.objects.filter(authorities=authority).order_by("title").first()


def compacts_of(*, organisations) -> list[LocalCompact]:
    """Local Compacts kept by these groups or covering these authorities (for dashboards)."""
    ids = [o.pk for o in organisations]
    return list(
        LocalCompact.objects.filter(Q(group__in=ids) | Q(authorities__in=ids))
        .select_related("group")
        .prefetch_related("authorities")
        .distinct()
        .order_by("title")
    )


# --- reviews -------------------------------------------------------------------------------


def review_threads(definition) -> dict:
    """The review's comments as threads: {priority id or None: [top-level comments]}, each with
    `.thread_replies`; two queries."""
    comments = list(
        ReviewComment.objects.filter(definition=definition)
        .select_related("author", "organisation", "resolved_by")
        .order_by("created_at", "pk")
    )
    by_parent: dict[int, list] = {}
    for comment in comments:
        if comment.parent_id:
            by_parent.setdefault(comment.parent_id, []).append(comment)
    threads: dict = {}
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = by_parent.get(comment.pk, [])
            threads.setdefault(comment.priority_id, []).append(comment)
    return threads


def group_view_of(definition):
    """The reviewing group's latest recorded view of a definition, or None."""
    return definition.group_views.select_related("recorded_by", "group").first()


def reviews_for(*, groups) -> list:
    """Definitions in review for these groups, each with its comment count and open threads."""
    definitions = list(definition_selectors.definitions_in_review_for(groups=groups))
    counts = dict(
        ReviewComment.objects.filter(definition__in=definitions)
        .values_list("definition")
        .annotate(n=Count("pk"))
    )
    for definition in definitions:
        definition.comment_count = counts.get(definition.pk, 0)
    return definitions


# --- consultations -------------------------------------------------------------------------


def public_consultations(*, on_date: date | None = None, state: str = "open"):
    """Consultations the public may see: open ones (opened and not yet closed), or closed ones.
    Newest first, with their authority."""
    on_date = on_date or today()
    qs = Consultation.objects.select_related("authority").filter(starts_on__lte=on_date)
    if state == "closed":
        return qs.filter(ends_on__lt=on_date).order_by("-ends_on", "-pk")
    return qs.filter(ends_on__gte=on_date).order_by("ends_on", "pk")


def consultation_page(pk: int) -> Consultation | None:
    return (
        Consultation.objects.filter(pk=pk)
        .select_related("authority", "compact", "planned_contract")
        .prefetch_related("documents")
        .first()
    )


def consultation_visible(user, consultation: Consultation) -> bool:
    """Public once open; before that, only its authority's people (the rule the page and its
    report share: compact.view_consultation)."""
    return can(user, "compact.view_consultation", consultation)


def consultations_run_by(*, user) -> QuerySet[Consultation]:
    """Consultations of the authorities where the user is a commissioner or admin."""
    ids = [o for o, held in roles_by_organisation(user).items() if held & AUTHORITY_ROLES]
    return (
        Consultation.objects.filter(authority__in=ids)
        .select_related("authority")
        .annotate(response_count=Count("responses"))
        .order_by("-starts_on", "-pk")
    )


def responses_to(consultation: Consultation) -> QuerySet[ConsultationResponse]:
    """Every response to a consultation (the caller has checked the user runs it)."""
    return (
        ConsultationResponse.objects.filter(consultation=consultation)
        .select_related("organisation", "submitted_by")
        .prefetch_related("attachments")
        .order_by("submitted_at", "pk")
    )


def own_responses(*, user, consultation: Consultation) -> list[ConsultationResponse]:
    """The responses this user's organisations sent to a consultation."""
    ids = list(roles_by_organisation(user))
    return list(
        ConsultationResponse.objects.filter(consultation=consultation, organisation__in=ids)
        .select_related("organisation")
        .prefetch_related("attachments")
    )


def response_page(pk: int) -> ConsultationResponse | None:
    return (
        ConsultationResponse.objects.filter(pk=pk)
        .select_related("consultation__authority", "organisation", "submitted_by")
        .prefetch_related("attachments")
        .first()
    )


# --- decommissioning -----------------------------------------------------------------------


def decommissioning_visible_to(*, user) -> QuerySet[DecommissioningAssessment]:
    """Assessments the user may read: their authority's, their Compact group's, and those
    affecting their organisation as provider."""
    by_org = roles_by_organisation(user)
    authority_ids = [o for o, held in by_org.items() if held & AUTHORITY_ROLES]
    group_ids = [o for o, held in by_org.items() if Role.COMPACT_MEMBER in held]
    return (
        DecommissioningAssessment.objects.filter(
            Q(authority__in=authority_ids)
            | Q(compact__group__in=group_ids)
            | Q(provider__in=list(by_org))
        )
        .select_related("authority", "provider")
        .distinct()
        .order_by("-notice_given_on", "-pk")
    )


def decommissioning_page(pk: int) -> DecommissioningAssessment | None:
    return (
        DecommissioningAssessment.objects.filter(pk=pk)
        .select_related("authority", "provider", "compact", "tender")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=DecommissioningComment.objects.select_related("author", "organisation"),
            )
        )
        .first()
    )


# --- health --------------------------------------------------------------------------------


@dataclass
class Health:
    """Compact health for an area: what the Compact asks, and where practice falls short."""

    compact: LocalCompact
    on_date: date
    shorter_with_reason: list = field(default_factory=list)
    shorter_without_reason: list = field(default_factory=list)
    without_published_response: list = field(default_factory=list)
    open_consultations: list = field(default_factory=list)
    short_notice_with_reason: list = field(default_factory=list)
    short_notice_without_reason: list = field(default_factory=list)
    decommissioning_count: int = 0
    definitions_due: list = field(default_factory=list)
    strategies_due: list = field(default_factory=list)
    signed: list = field(default_factory=list)
    not_signed: list = field(default_factory=list)

    @property
    def short_notice_count(self) -> int:
        return len(self.short_notice_with_reason) + len(self.short_notice_without_reason)

    @property
    def concerns(self) -> int:
        return (
            len(self.shorter_without_reason)
            + len(self.without_published_response)
            + len(self.short_notice_without_reason)
            + len(self.definitions_due)
            + len(self.strategies_due)
            + (1 if self.compact.review_on <= self.on_date else 0)
        )


def health_of(compact: LocalCompact, *, on_date: date | None = None) -> Health:
    """Compact health of an area, in a fixed number of queries (the caller checked access)."""
    on_date = on_date or today()
    authorities = list(compact.authorities.all())
    health = Health(compact=compact, on_date=on_date)
    consultations = Consultation.objects.filter(
        Q(compact=compact) | Q(authority__in=authorities)
    ).select_related("authority")
    for consultation in consultations.distinct().order_by("-starts_on", "-pk"):
        rules = compact_rules(on_date=consultation.starts_on)
        length = checks.consultation_length(consultation.starts_on, consultation.ends_on, rules)
        consultation.length = length
        if length.shorter:
            target = (
                health.shorter_with_reason
                if consultation.shorter_reason
                else health.shorter_without_reason
            )
            target.append(consultation)
        if consultation.ends_on < on_date and not consultation.response_published_at:
            health.without_published_response.append(consultation)
        if consultation.starts_on <= on_date <= consultation.ends_on:
            health.open_consultations.append(consultation)
    assessments = list(
        DecommissioningAssessment.objects.filter(Q(compact=compact) | Q(authority__in=authorities))
        .select_related("authority", "provider")
        .distinct()
        .order_by("-notice_given_on", "-pk")
    )
    health.decommissioning_count = len(assessments)
    for assessment in assessments:
        rules = compact_rules(on_date=assessment.notice_given_on)
        notice = checks.notice_given(assessment.notice_given_on, assessment.ends_on, rules)
        assessment.notice = notice
        if notice.short:
            (
                health.short_notice_with_reason
                if assessment.short_notice_reason
                else health.short_notice_without_reason
            ).append(assessment)
    health.definitions_due = list(
        definition_selectors.definitions_due_for_review(authorities=authorities, on_date=on_date)
    )
    health.strategies_due = list(
        JointStrategy.objects.filter(compact=compact, next_review_on__lte=on_date).order_by(
            "next_review_on"
        )
    )
    for signatory in compact.signatories.select_related("organisation"):
        (health.signed if signatory.signed_on else health.not_signed).append(signatory)
    return health


def strategies_due_for_reminder(*, on_date: date, days_ahead: int) -> QuerySet[JointStrategy]:
    """Strategies whose review falls within ``days_ahead`` days (or has passed) and whose
    reminder for that review date has not gone."""
    horizon = on_date + timedelta(days=days_ahead)
    return (
        JointStrategy.objects.filter(next_review_on__lte=horizon)
        .exclude(reminded_for=F("next_review_on"))
        .select_related("compact__group")
    )


def strategy_page(pk: int) -> JointStrategy | None:
    """A joint strategy (public) with its Compact, definition and reviews."""
    return (
        JointStrategy.objects.filter(pk=pk)
        .select_related("compact__group", "definition")
        .prefetch_related("reviews__recorded_by", "compact__authorities")
        .first()
    )
