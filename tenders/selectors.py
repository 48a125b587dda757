"""Read-only queries over tenders and bids, each carrying its permission filter.

Every page, API endpoint and report reads tenders and bids through these functions; none
filters by hand. Bid contents are reached only through `bids_readable_by`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from measurement import proportionality
from measurement.models import Measure
from measurement.selectors import proxy_in_force
from measurement.valuation import gross_value
from socialvalue.core.permissions import organisations_with_role
from socialvalue.kernel.money import pounds
from socialvalue.models import Organisation
from tenders import criteria as criteria_layout
from tenders import policy
from tenders.models import (
    Bid,
    BidStatus,
    Clarification,
    Criterion,
    Lot,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
)
from tenders.permissions import (
    AUTHORITY_VIEW_ROLES,
    bidder_organisations,
    readable_bids_q,
    works_at_authority,
)

# --------------------------------------------------------------------------- tenders


def tenders_visible_to(*, user) -> QuerySet[Tender]:
    """Tenders this user may see: all of their authorities' tenders, and every published one."""
    authorities = organisations_with_role(user, *AUTHORITY_VIEW_ROLES)
    return Tender.objects.filter(
        Q(authority_id__in=authorities) | ~Q(status=TenderStatus.DRAFT)
    ).select_related("authority")


def authority_tenders(*, user) -> QuerySet[Tender]:
    """The tenders of the authorities where the user works, newest first, with bid counts."""
    authorities = organisations_with_role(user, *AUTHORITY_VIEW_ROLES)
    return (
        Tender.objects.filter(authority_id__in=authorities)
        .select_related("authority")
        .annotate(
            lot_count=Count("lots", distinct=True),
            submitted_bids=Count("bids", filter=Q(bids__status=BidStatus.SUBMITTED), distinct=True),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class ValueBand:
    key: str
    label: str
    from_value: Decimal
    below_value: Decimal | None


@lru_cache(maxsize=1)
def _proportionality_rules():
    return proportionality.load_rules()


def value_bands(on_date: date | None = None) -> list[ValueBand]:
    """The contract value bands bidders filter by: the proportionality bands in force."""
    on_date = on_date or timezone.localdate()
    in_force = [r for r in _proportionality_rules() if r.valid_from <= on_date]
    if not in_force:
        return []
    rule_set = max(in_force, key=lambda r: r.valid_from)
    return [ValueBand(b.key, b.label, b.from_value, b.below_value) for b in rule_set.bands]


CLOSING_WINDOWS = {"7": 7, "14": 14, "30": 30, "90": 90}


def opportunities(
    *,
    user,
    query: str = "",
    authority_id: int | None = None,
    value_band: str = "",
    closing_within_days: int | None = None,
    lot_query: str = "",
    include_closed: bool = False,
    now: datetime | None = None,
) -> QuerySet[Tender]:
    """Published tenders for bidders, soonest deadline first, with the filters of the list page."""
    now = now or timezone.now()
    qs = (
        tenders_visible_to(user=user)
        .exclude(status=TenderStatus.DRAFT)
        .annotate(lot_count=Count("lots", distinct=True))
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
    )
    if not include_closed:
        qs = qs.filter(status=TenderStatus.PUBLISHED, submission_deadline__gt=now)
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(reference__icontains=query)
        )
    if authority_id:
        qs = qs.filter(authority_id=authority_id)
    band = next((b for b in value_bands() if b.key == value_band), None)
    if band is not None:
        qs = qs.filter(estimated_value__gte=band.from_value)
        if band.below_value is not None:
            qs = qs.filter(estimated_value__lt=band.below_value)
    if closing_within_days:
        qs = qs.filter(submission_deadline__lte=now + timezone.timedelta(days=closing_within_days))
    if lot_query:
        qs = qs.filter(
            Q(lots__title__icontains=lot_query) | Q(lots__description__icontains=lot_query)
        ).distinct()
    return qs.order_by("submission_deadline", "pk")


def authorities_with_published_tenders() -> QuerySet[Organisation]:
    """Authorities bidders may filter opportunities by: those with a tender open or closed."""
    return (
        Organisation.objects.filter(
            kind="authority", tenders__status__in=[TenderStatus.PUBLISHED, TenderStatus.CLOSED]
        )
        .distinct()
        .order_by("name")
    )


def _with_published_parts(qs: QuerySet[Tender]) -> QuerySet[Tender]:
    """Load what a tender publishes (lots, criteria with priority and measures, documents,
    amendments) in a fixed number of queries."""
    return qs.prefetch_related(
        Prefetch(
            "lots",
            queryset=Lot.objects.order_by("number").prefetch_related(
                Prefetch(
                    "criteria",
                    queryset=Criterion.objects.select_related("priority").prefetch_related(
                        "measures"
                    ),
                )
            ),
        ),
        Prefetch("documents", queryset=TenderDocument.objects.select_related("amendment")),
        Prefetch(
            "amendments",
            queryset=TenderAmendment.objects.select_related("made_by")
            .prefetch_related("documents")
            .order_by("-made_at", "-pk"),
        ),
    )


def tender_for_page(*, user, pk: int) -> Tender | None:
    """One tender this user may see, with its authority, planned contract and published parts."""
    return (
        _with_published_parts(tenders_visible_to(user=user))
        .select_related("planned_contract", "bids_opened_by", "published_by")
        .filter(pk=pk)
        .first()
    )


def public_tender(*, pk: int) -> Tender | None:
    """A tender as anyone may read it: published (or later), never a draft, with its parts."""
    return (
        _with_published_parts(Tender.objects.exclude(status=TenderStatus.DRAFT))
        .select_related("authority")
        .filter(pk=pk)
        .first()
    )


def latest_act_assessment(tender: Tender):
    """The most recent Social Value Act check recorded for the tender's planned contract."""
    if tender.planned_contract_id is None:
        return None
    return tender.planned_contract.assessments.order_by("-recorded_at").first()


def _criteria_rows() -> QuerySet[Criterion]:
    return (
        Criterion.objects.select_related("priority")
        .prefetch_related("measures")
        .order_by("order", "pk")
    )


def lot_criteria(lot: Lot) -> list[Criterion]:
    """A lot's criteria rows with priority and measures, for the builder and the engine."""
    return list(_criteria_rows().filter(lot=lot))


def criteria_by_lot(lots: list[Lot]) -> dict[int, list[Criterion]]:
    """`lot_criteria` for several lots at once (two queries however many lots), by lot id."""
    found: dict[int, list[Criterion]] = {lot.pk: [] for lot in lots}
    for row in _criteria_rows().filter(lot__in=lots):
        found[row.lot_id].append(row)
    return found


def lot_questions(lot: Lot) -> list[Criterion]:
    """The questions bidders answer: the lot's lowest-level quality and social value criteria."""
    rows = lot_criteria(lot)
    parents = {row.parent_id for row in rows}
    return [row for row in rows if row.pk not in parents and row.kind != "price"]


def lot_has_price(lot: Lot) -> bool:
    """Whether the lot's criteria score a price (so a bid must state one)."""
    rows = lot_criteria(lot)
    parents = {row.parent_id for row in rows}
    return any(row.kind == "price" and row.pk not in parents for row in rows)


# --------------------------------------------------------------------------- policy


# The policy data names authority types a little differently from Organisation.authority_type.
_POLICY_AUTHORITY_TYPES = {
    "central_government": "central_government",
    "local_authority": "local_authority",
    "nhs": "nhs_body",
}


@lru_cache(maxsize=1)
def _policy():
    return policy.load_social_value_policy()


def above_threshold(*, tender: Tender) -> bool | None:
    """Whether the tender's latest recorded Act check put its value at or above the threshold
    (None when there is no check or it compared no value with a threshold)."""
    if tender.planned_contract_id is None:
        return None
    latest = tender.planned_contract.assessments.order_by("-recorded_at").first()
    result = latest.result if latest else {}
    if not result.get("threshold") or not result.get("value_compared"):
        return None
    return Decimal(result["value_compared"]) >= Decimal(result["threshold"])


def minimum_weighting(
    *, authority: Organisation, on_date: date, above: bool | None = None
) -> policy.MinimumWeighting:
    """The minimum social value weighting for this authority on a date: national policy (only
    at or above the threshold: ``above``), the authority's own dated minimum
    (LocalMinimumWeighting), or the service default."""
    local = [
        policy.LocalMinimum(percent=row.percent, starts=row.starts, ends=row.ends, title=row.title)
        for row in authority.social_value_minimums.all()
    ]
    return policy.minimum_social_value_weighting(
        on_date,
        _POLICY_AUTHORITY_TYPES.get(authority.authority_type, "other"),
        _policy().records,
        local,
        above_threshold=above,
    )


def proportionality_advice(*, value: Decimal, on_date: date | None = None):
    """What to ask of bidders for a contract of this value (measurement.proportionality)."""
    try:
        return proportionality.suggest(
            value, on_date or timezone.localdate(), _proportionality_rules()
        )
    except ValueError:
        return None


def deadline_problems(
    *, submission: datetime | None, clarification: datetime | None, now: datetime
) -> dict[str, str]:
    """What is wrong with a pair of deadlines (either may be unset): each must be in the
    future, and questions must close before bids. Keyed by the deadline at fault."""
    problems: dict[str, str] = {}
    if submission is not None and submission <= now:
        problems["submission_deadline"] = "The deadline for bids must be in the future."
    if clarification is not None:
        if submission is not None and clarification >= submission:
            problems["clarification_deadline"] = (
                "The deadline for questions must be before the deadline for bids."
            )
        elif clarification <= now:
            problems["clarification_deadline"] = "The deadline for questions must be in the future."
    return problems


@dataclass(frozen=True)
class LotReadiness:
    lot: Lot
    report: criteria_layout.TreeReport


@dataclass(frozen=True)
class Readiness:
    """What stands between a draft tender and publication: problems block, warnings need a reason."""

    problems: dict[str, list[str]]
    lots: tuple[LotReadiness, ...]
    minimum: policy.MinimumWeighting
    below_minimum: tuple[Lot, ...]
    untied: tuple[Criterion, ...]

    @property
    def is_ready(self) -> bool:
        return not self.problems


def readiness(*, tender: Tender, now: datetime | None = None) -> Readiness:
    """Check a tender for publication: dates, criteria trees, price method, policy warnings."""
    from tenders import scoring

    now = now or timezone.now()
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if tender.submission_deadline is None:
        add("submission_deadline", "Enter the deadline for bids.")
    if tender.clarification_deadline is None:
        add("clarification_deadline", "Enter the deadline for questions.")
    for field, message in deadline_problems(
        submission=tender.submission_deadline, clarification=tender.clarification_deadline, now=now
    ).items():
        add(field, message)

    lots = list(tender.lots.order_by("number"))
    if not lots:
        add("lots", "Add at least one lot.")
    lot_reports = []
    any_price = False
    rows_by_lot = criteria_by_lot(lots)
    for lot in lots:
        tree_report = criteria_layout.report(rows_by_lot[lot.pk])
        lot_reports.append(LotReadiness(lot, tree_report))
        if not tree_report.is_valid:
            add(
                "criteria",
                f"{lot}: the award criteria have {tree_report.problem_count} "
                f"problem{'s' if tree_report.problem_count != 1 else ''} to fix.",
            )
        any_price = any_price or any(
            row.criterion.kind == "price" and row.is_leaf for row in tree_report.rows
        )
    if any_price:
        for name, message in scoring.validate_price_method(
            tender.price_method,
            {k: Decimal(str(v)) for k, v in (tender.price_method_params or {}).items()},
        ).items():
            add("price_method", message if not name else f"{name}: {message}")

    on_date = timezone.localdate(tender.published_at or now)
    minimum = minimum_weighting(
        authority=tender.authority, on_date=on_date, above=above_threshold(tender=tender)
    )
    below = tuple(
        item.lot
        for item in lot_reports
        if minimum.percent is not None and item.report.social_value_share < minimum.percent
    )
    if below and not tender.low_social_value_reason.strip():
        add(
            "low_social_value_reason",
            f"Social value is weighted below the minimum of {minimum.percent}% in "
            + ", ".join(str(lot) for lot in below)
            + ". Raise the weighting or record why it is lower.",
        )
    untied = tuple(row for item in lot_reports for row in item.report.untied_questions)
    if untied and not tender.untied_question_reason.strip():
        add(
            "untied_question_reason",
            "Some social value questions are not tied to a local priority ("
            + ", ".join(row.name for row in untied)
            + "). Tie each to a priority or record why.",
        )
    return Readiness(problems, tuple(lot_reports), minimum, below, untied)


# --------------------------------------------------------------------------- clarifications


def clarifications_visible_to(*, user, tender: Tender) -> QuerySet[Clarification]:
    """The authority sees every question with its asker; a bidder sees its own organisation's
    questions and the answers published to all (which never name the asker)."""
    qs = Clarification.objects.filter(tender=tender).order_by("asked_at", "pk")
    if works_at_authority(user, tender):
        return qs.select_related("bidder", "asked_by", "answered_by")
    own = bidder_organisations(user)
    return qs.filter(Q(bidder_id__in=own) | Q(published_at__isnull=False))


# --------------------------------------------------------------------------- bids


def bids_readable_by(*, user, tender: Tender, now: datetime | None = None) -> QuerySet[Bid]:
    """Bids of this tender whose contents this user may read (the sealed rule; see
    tenders.permissions): their own organisation's always; all submitted bids for the
    authority's procurement officers and evaluators once the deadline has passed and the bids
    have been opened; nothing for anyone else."""
    return (
        Bid.objects.filter(tender=tender)
        .filter(readable_bids_q(user, tender, now))
        .select_related("bidder", "lot", "tender")
    )


def submitted_bid_count(*, tender: Tender) -> int:
    """How many bids are in: the only thing the authority learns before the deadline."""
    return Bid.objects.filter(tender=tender, status=BidStatus.SUBMITTED).count()


def own_bids(*, user) -> QuerySet[Bid]:
    """Bids of the organisations where the user is a bidder, newest first."""
    return (
        Bid.objects.filter(bidder_id__in=bidder_organisations(user))
        .select_related("tender", "lot", "bidder", "tender__authority")
        .order_by("-updated_at")
    )


def bid_with_contents(bid: Bid) -> Bid:
    """Load a readable bid's answers, commitments and attachments (caller checked the rule)."""
    return (
        Bid.objects.filter(pk=bid.pk)
        .select_related("tender", "lot", "bidder", "tender__authority")
        .prefetch_related(
            "answers__criterion",
            "commitments__measure",
            "commitments__proxy_value",
            "commitments__criterion",
            "attachments__criterion",
            "receipts",
        )
        .get()
    )


@dataclass(frozen=True)
class CommitmentPreview:
    measure: Measure
    quantity: Decimal
    proxy_value: object  # measurement.ProxyValue | None
    monetised_value: Decimal | None


def commitment_preview(*, measure: Measure, quantity: Decimal, on_date: date) -> CommitmentPreview:
    """The monetised value of a quantity of a measure at the proxy value in force on a date
    (gross value, rounded to pence with ROUND_HALF_UP). None when the measure has no value."""
    proxy = proxy_in_force(measure=measure, on_date=on_date)
    value = None
    if proxy is not None and proxy.value is not None:
        value = pounds(gross_value(quantity, proxy.value))
    return CommitmentPreview(measure, quantity, proxy, value)


def measures_for_criterion(criterion: Criterion | None) -> QuerySet[Measure]:
    """Measures a bidder may commit to under a question: those it names, else all in use."""
    if criterion is not None and criterion.measures.exists():
        return criterion.measures.filter(is_active=True).order_by("code")
    return Measure.objects.filter(is_active=True).order_by("code")
