"""Read-only queries over tenders and bids, each carrying its permission filter.

Every page, API endpoint and report reads tenders and bids through these functions; none
filters by hand. Bids and their parts are reached only through the bid selectors below, which
ask the sealed managers of tenders.models.sealed for the permission rule.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet

from measurement.models import Measure
from socialvalue.core.permissions import organisations_with_role
from socialvalue.models import Organisation
from tenders.models import (
    AbnormallyLowFile,
    AbnormallyLowQuery,
    AwardDecision,
    AwardNotice,
    Bid,
    BidAttachment,
    BidderNotice,
    BidStatus,
    Clarification,
    Commitment,
    Contract,
    ContractCommitment,
    Criterion,
    Lot,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
)
from tenders.permissions import AUTHORITY_VIEW_ROLES, bidder_organisations, works_at_authority

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


def opportunities(*, user) -> QuerySet[Tender]:
    """Published (and later) tenders for bidders, soonest deadline first, with their lots; the
    opportunities page and API narrow them with tenders.filters.OpportunityFilter."""
    return (
        tenders_visible_to(user=user)
        .exclude(status=TenderStatus.DRAFT)
        .annotate(lot_count=Count("lots", distinct=True))
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
        .order_by("submission_deadline", "pk")
    )


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
        .select_related(
            "planned_contract", "bids_opened_by", "published_by", "bids_opening_requested_by"
        )
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
    return Bid.objects.readable_by(user=user, tender=tender, now=now).select_related(
        "bidder", "lot", "tender"
    )


def readable_bid(*, user, pk: int) -> Bid | None:
    """One bid whose contents this user may read, with its tender, lot and bidder; None when it
    is sealed to them, another organisation's or missing alike."""
    tender = Tender.objects.filter(bids__pk=pk).first()
    if tender is None:
        return None
    return bids_readable_by(user=user, tender=tender).filter(pk=pk).first()


def _readable_part(model, related_name: str, *, user, pk: int):
    # The tender first, since the sealed rule is asked per tender.
    tender = Tender.objects.filter(**{f"bids__{related_name}__pk": pk}).first()
    if tender is None:
        return None
    return (
        model.objects.readable_by(user=user, tender=tender)
        .select_related("bid", "bid__tender")
        .filter(pk=pk)
        .first()
    )


def readable_commitment(*, user, pk: int) -> Commitment | None:
    """One commitment of a bid this user may read, with its bid; None otherwise."""
    return _readable_part(Commitment, "commitments", user=user, pk=pk)


def readable_attachment(*, user, pk: int) -> BidAttachment | None:
    """One attachment of a bid this user may read, with its bid; None otherwise."""
    return _readable_part(BidAttachment, "attachments", user=user, pk=pk)


def submitted_bid_count(*, tender: Tender) -> int:
    """How many bids are in: the only thing the authority learns before the deadline."""
    return (
        Bid.objects.unscoped(reason="how many bids are in is known to the authority")
        .filter(tender=tender, status=BidStatus.SUBMITTED)
        .count()
    )


def own_bids(*, user) -> QuerySet[Bid]:
    """Bids of the organisations where the user is a bidder, newest first."""
    return (
        Bid.objects.own(user=user)
        .select_related("tender", "lot", "bidder", "tender__authority")
        .order_by("-updated_at")
    )


def bid_with_contents(*, user, bid: Bid) -> Bid:
    """A bid this user may read with its answers, commitments, attachments and receipts."""
    return (
        bids_readable_by(user=user, tender=bid.tender)
        .filter(pk=bid.pk)
        .select_related("tender__authority")
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


def measures_for_criterion(criterion: Criterion | None) -> QuerySet[Measure]:
    """Measures a bidder may commit to under a question: those it names, else all in use."""
    if criterion is not None and criterion.measures.exists():
        return criterion.measures.filter(is_active=True).order_by("code")
    return Measure.objects.filter(is_active=True).order_by("code")


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


# --------------------------------------------------------------------------- the award


def readable_abnormally_low_query(*, user, pk: int) -> AbnormallyLowQuery | None:
    """One abnormally low price query on a bid this user may read (the bidder's own, or any
    opened bid for the authority), with its bid, bidder and files; None otherwise."""
    query = _readable_part(AbnormallyLowQuery, "abnormally_low_queries", user=user, pk=pk)
    if query is None:
        return None
    return (
        AbnormallyLowQuery.objects.readable_by(user=user, tender=query.bid.tender)
        .select_related("bid__bidder", "bid__lot", "bid__tender__authority", "requested_by")
        .prefetch_related("files")
        .get(pk=pk)
    )


def readable_explanation_file(*, user, pk: int) -> AbnormallyLowFile | None:
    """One file of an explanation of a bid this user may read; None otherwise."""
    return _readable_part(AbnormallyLowFile, "explanation_files", user=user, pk=pk)


def award_letters(*, user, bid: Bid) -> QuerySet[BidderNotice]:
    """The award letters of a bid this user may read, the standing one first."""
    return (
        BidderNotice.objects.readable_by(user=user, tender=bid.tender)
        .filter(bid=bid)
        .select_related("notice")
        .order_by(F("notice__withdrawn_at").asc(nulls_first=True), "-created_at")
    )


def lot_award_state(*, tender: Tender) -> list[dict]:
    """Each lot of the tender with its current award decision and contract (three queries)."""
    lots = list(tender.lots.order_by("number"))
    decisions = {
        d.lot_id: d
        for d in AwardDecision.objects.filter(
            lot__tender=tender, set_aside_at__isnull=True
        ).select_related("bid__bidder", "decided_by")
    }
    contracts = {c.lot_id: c for c in Contract.objects.filter(tender=tender)}
    return [
        {"lot": lot, "decision": decisions.get(lot.pk), "contract": contracts.get(lot.pk)}
        for lot in lots
    ]


def standing_award_notice(*, tender: Tender) -> AwardNotice | None:
    return (
        AwardNotice.objects.filter(tender=tender, withdrawn_at__isnull=True)
        .select_related("issued_by", "standstill_ended_by")
        .first()
    )


def contract_for_page(*, pk: int) -> Contract | None:
    """A contract with its tender, lot, supplier and commitments (the page asks view_contract)."""
    return (
        Contract.objects.select_related("tender__authority", "lot", "supplier", "entered_by")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=ContractCommitment.objects.select_related(
                    "measure", "criterion", "proxy_value"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
