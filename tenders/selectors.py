"""Read-only queries over tenders and bids, each carrying its permission filter.

Every page, API endpoint and report reads tenders and bids through these functions; none
filters by hand. Bids and their parts are reached only through the bid selectors below, which
ask the sealed managers of tenders.models.sealed for the permission rule.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from measurement.models import Measure
from socialvalue.core.permissions import organisations_with_role
from socialvalue.core.public_cache import shared_cache_is_fast
from socialvalue.models import Organisation
from tenders import award_rules
from tenders import criteria as criteria_layout
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
    Interest,
    Lot,
    SavedSearch,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
)
from tenders.ocds import sources as ocds_sources
from tenders.permissions import (
    AUTHORITY_VIEW_ROLES,
    BUILDER_ROLES,
    bidder_organisations,
    works_at_authority,
)

# --------------------------------------------------------------------------- tenders


def tenders_visible_to(*, user) -> QuerySet[Tender]:
    """Tenders this user may see: all of their authorities' tenders, and every published one."""
    authorities = organisations_with_role(user, *AUTHORITY_VIEW_ROLES)
    return Tender.objects.filter(
        Q(authority_id__in=authorities) | ~Q(status=TenderStatus.DRAFT)
    ).select_related("authority")


# The columns a list of tenders shows: the wide text columns (description, reasons, price
# guidance) stay in the database. The list pages and the API summary read no others.
TENDER_LIST_COLUMNS = (
    "authority__name",
    "authority__slug",
    "reference",
    "title",
    "contract_type",
    "estimated_value",
    "status",
    "submission_deadline",
    "clarification_deadline",
    "published_at",
    "created_at",
)


def may_copy_from(*, user, tender: Tender) -> bool:
    """Whether this user builds tenders at `tender`'s authority (so may copy from it)."""
    return tender.authority_id in organisations_with_role(user, *BUILDER_ROLES)


def copy_sources(*, user, lot: Lot) -> QuerySet[Lot]:
    """Lots whose criteria this user may copy into `lot`: the other lots of their authority's
    tenders, newest tender first."""
    return (
        Lot.objects.filter(tender__authority_id=lot.tender.authority_id)
        .filter(tender__authority_id__in=organisations_with_role(user, *BUILDER_ROLES))
        .exclude(pk=lot.pk)
        .select_related("tender")
        .annotate(criteria_count=Count("criteria"))
        .order_by("-tender__created_at", "tender_id", "number")
    )


def authority_tenders(*, user) -> QuerySet[Tender]:
    """The tenders of the authorities where the user works, newest first (the index on
    authority and creation serves the page); `with_list_counts` adds a page's counts."""
    authorities = organisations_with_role(user, *AUTHORITY_VIEW_ROLES)
    return (
        Tender.objects.filter(authority_id__in=authorities)
        .select_related("authority")
        .only(*TENDER_LIST_COLUMNS)
        .order_by("-created_at", "-pk")
    )


def with_list_counts(tenders) -> list[Tender]:
    """One page of tenders with `lot_count` and `submitted_bids` set: one query counting the
    page's own rows' lots and bids (a subquery each), never a count over every tender's bids."""
    rows = list(tenders)

    def count_of(queryset) -> Subquery:
        counted = queryset.filter(tender=OuterRef("pk")).order_by().values("tender")
        return Subquery(counted.annotate(n=Count("pk")).values("n"))

    counts = {
        pk: (lots or 0, bids or 0)
        for pk, lots, bids in Tender.objects.filter(pk__in=[t.pk for t in rows])
        .order_by()
        .values_list(
            "pk",
            count_of(Lot.objects.all()),
            count_of(
                Bid.objects.unscoped(
                    reason="how many bids are in is known to the authority"
                ).filter(status=BidStatus.SUBMITTED)
            ),
        )
    }
    for tender in rows:
        tender.lot_count, tender.submitted_bids = counts.get(tender.pk, (0, 0))
    return rows


def opportunities(*, user) -> QuerySet[Tender]:
    """Published (and later) tenders for bidders, soonest deadline first, with their lots'
    numbers and titles (the page counts them from the prefetch); the opportunities page and API
    narrow them with tenders.filters.OpportunityFilter."""
    return (
        tenders_visible_to(user=user)
        .exclude(status=TenderStatus.DRAFT)
        .only(*TENDER_LIST_COLUMNS, "description")
        .prefetch_related(
            Prefetch(
                "lots",
                queryset=Lot.objects.only("pk", "tender_id", "number", "title").order_by("number"),
            )
        )
        .order_by("submission_deadline", "pk")
    )


def authorities_with_published_tenders() -> QuerySet[Organisation]:
    """Authorities bidders may filter opportunities by: those with a tender open or closed
    (EXISTS per authority, not a join over every tender with DISTINCT)."""
    listed = Tender.objects.filter(
        authority=OuterRef("pk"), status__in=[TenderStatus.PUBLISHED, TenderStatus.CLOSED]
    )
    return Organisation.objects.filter(Exists(listed), kind="authority").order_by("name")


OPPORTUNITY_AUTHORITIES_KEY = "tenders:opportunity-authorities"
OPPORTUNITY_AUTHORITIES_SECONDS = 300  # a tender leaving "closed" drops out within this


def opportunity_authority_choices() -> list[tuple[int, str]]:
    """(id, name) of `authorities_with_published_tenders`, from the shared cache: the list
    changes when a tender is published (which forgets it) and rarely otherwise. Read directly
    when the cache is the database (a cache read would cost as much)."""

    def read() -> list[tuple[int, str]]:
        return list(authorities_with_published_tenders().values_list("pk", "name"))

    if not shared_cache_is_fast():
        return read()
    return cache.get_or_set(OPPORTUNITY_AUTHORITIES_KEY, read, OPPORTUNITY_AUTHORITIES_SECONDS)


def forget_published_lists() -> None:
    """Drop what is cached about published tenders (called when one is published)."""
    cache.delete(OPPORTUNITY_AUTHORITIES_KEY)


def _with_published_parts(qs: QuerySet[Tender]) -> QuerySet[Tender]:
    """Load what a tender publishes (lots, criteria with priority and measures, documents,
    amendments) in a fixed number of queries."""
    return qs.prefetch_related(
        Prefetch(
            "lots",
            queryset=Lot.objects.order_by("number").prefetch_related(
                Prefetch(
                    "criteria",
                    queryset=Criterion.objects.select_related(
                        "priority", "priority__definition"
                    ).prefetch_related("measures"),
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
    """The questions bidders answer: the lot's lowest-level quality and social value criteria,
    in the tree's order (every quality question, then every social value one, as the groups
    stand), each with `share`: its share of the total score, as a percentage."""
    rows = lot_criteria(lot)
    questions = []
    for item in criteria_layout.report(rows).rows:
        if item.is_leaf and item.criterion.kind != "price":
            item.criterion.share = item.share
            questions.append(item.criterion)
    return questions


def questions_by_kind(questions: list[Criterion]) -> list[tuple[str, list[Criterion]]]:
    """Questions (from `lot_questions`) grouped by kind in the order they come: [(label, rows)]."""
    groups: list[tuple[str, list[Criterion]]] = []
    for row in questions:
        if not groups or groups[-1][1][0].kind != row.kind:
            groups.append((row.get_kind_display(), []))
        groups[-1][1].append(row)
    return groups


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


def published_clarifications(*, tender: Tender) -> QuerySet[Clarification]:
    """The questions and answers the authority published to all, oldest first: as published
    (`published_question`), never naming who asked."""
    return Clarification.objects.filter(tender=tender, published_at__isnull=False).order_by(
        "published_at", "pk"
    )


def questions_waiting_count():
    """An annotation for tenders: how many of its questions have no answer yet."""
    return Count(
        "clarifications", filter=Q(clarifications__answered_at__isnull=True), distinct=True
    )


def questions_waiting(*, tender: Tender) -> int:
    """How many bidders' questions on the tender wait for an answer (for its authority)."""
    return Clarification.objects.filter(tender=tender, answered_at__isnull=True).count()


# --------------------------------------------------------------------------- interest


def interests_in(*, tender: Tender) -> QuerySet[Interest]:
    """Who registered interest in the tender (for its authority: views check the rule)."""
    return (
        Interest.objects.filter(tender=tender)
        .select_related("bidder", "registered_by")
        .order_by("registered_at", "pk")
    )


def own_interests(*, user, tender: Tender) -> list[Interest]:
    """The interest registered in the tender by the organisations where the user is a bidder."""
    return list(
        Interest.objects.filter(tender=tender, bidder_id__in=bidder_organisations(user))
        .select_related("bidder")
        .order_by("bidder__name")
    )


# --------------------------------------------------------------------------- saved searches


def saved_searches_of(*, user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("name", "pk")


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


def submitted_bids_page(*, user, tender: Tender) -> QuerySet[Bid]:
    """The submitted bids of `tender` this user may read, as the bids table shows them: bidder
    name, lot number, price and receipt, without the tender row on every bid."""
    return (
        Bid.objects.readable_by(user=user, tender=tender)
        # The lot's tender too (always the same): the planner then joins the tender's few lots
        # instead of hashing every lot (measured at 15,500 lots: 58 ms to 12 ms).
        .filter(status=BidStatus.SUBMITTED, lot__tender=tender)
        .select_related("bidder", "lot")
        .only(
            "tender_id",
            "status",
            "price",
            "submitted_at",
            "digest",
            "bidder__name",
            "lot__number",
        )
        .order_by("lot__number", "bidder__name", "pk")
    )


def own_bids_on(*, user, tender: Tender) -> list[Bid]:
    """The bids of the user's own organisations on this tender (always theirs to read): the
    tender page asks for these alone, not every bid it could read."""
    return list(
        Bid.objects.own(user=user)
        .filter(tender=tender)
        .select_related("bidder")
        .order_by("lot_id", "pk")
    )


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
        .only(
            "status",
            "updated_at",
            "tender__title",
            "tender__submission_deadline",
            "tender__authority__name",
            "lot__number",
            "bidder__name",
        )
        .order_by("-updated_at", "-pk")
    )


def own_bids_with_commitments(*, user) -> QuerySet[Bid]:
    """`own_bids` with each bid's commitments and their measures, for the API."""
    return own_bids(user=user).prefetch_related("commitments__measure")


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
    """Measures a bidder may commit to under a question: those it names; else those chosen for
    the local priority it serves; else every measure in use."""
    active = Measure.objects.filter(is_active=True).order_by("code")
    if criterion is None:
        return active
    if criterion.measures.exists():
        return criterion.measures.filter(is_active=True).order_by("code")
    if criterion.priority_id is not None:
        linked = active.filter(priority_links__priority_id=criterion.priority_id).distinct()
        if linked.exists():
            return linked
    return active


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


# --------------------------------------------------------------------------- open data


def ocds_tenders() -> QuerySet[Tender]:
    """Tenders whose OCDS releases anyone may read (published or later, never a draft), oldest
    first, with what the releases need loaded in a fixed number of queries
    (tenders.filters.ReleaseFilter narrows them by date)."""
    qs = Tender.objects.exclude(status=TenderStatus.DRAFT).exclude(published_at=None)
    return _with_published_parts(qs).select_related("authority").order_by("pk")


def submitted_bid_counts(*, tenders: list[Tender]) -> dict[tuple[int, int], int]:
    """How many bids were submitted for each lot, keyed by (tender id, lot id): the figure OCDS
    publishes once bidding has closed. Counted for closed tenders only (the callers publish
    nothing about bids before the deadline); one query."""
    closed = [tender.pk for tender in tenders if tender.deadline_passed()]
    if not closed:
        return {}
    rows = (
        Bid.objects.unscoped(reason="how many bids each lot had is published once bidding closed")
        .filter(tender_id__in=closed, status=BidStatus.SUBMITTED)
        .values("tender_id", "lot_id")
        .annotate(count=Count("pk"))
    )
    return {(row["tender_id"], row["lot_id"]): row["count"] for row in rows}


def regimes_publishing_at_issue() -> list[str]:
    """The regimes whose award itself is published: one of their award steps goes to the public
    (a contract award notice under the Procurement Act 2023, s.50; a notice of intention under
    the Provider Selection Regime), read from tenders/data/award_regimes.json. Under the others
    (PCR 2015: letters to bidders only) the award becomes public with its contract."""
    return [
        key
        for key, regime in award_rules.load_regimes().items()
        if any(step.recipients == award_rules.PUBLIC for step in regime.steps)
    ]


def published_awards() -> QuerySet[AwardDecision]:
    """The current award decision of each lot of every tender whose award has been issued (a
    standing award notice, not withdrawn) and published: from the issue where the regime
    publishes the award (`regimes_publishing_at_issue`), otherwise once the lot's contract is
    entered. Each carries its notice (`lot.tender.standing_notices[0]`: issue date,
    standstill) and, once entered, its contract. The winning bid is read for its bidder and
    price only (the awarded value the award publishes); no other bid is read. A constant
    number of queries per page."""
    standing = AwardNotice.objects.filter(tender=OuterRef("lot__tender"), withdrawn_at__isnull=True)
    return (
        AwardDecision.objects.filter(set_aside_at__isnull=True)
        .annotate(
            awarded_at=Subquery(standing.values("issued_at")[:1]),
            awarded_under=Subquery(standing.values("regime")[:1]),
        )
        .filter(awarded_at__isnull=False)
        .filter(Q(awarded_under__in=regimes_publishing_at_issue()) | Q(contract__isnull=False))
        .select_related("lot__tender__authority", "bid__bidder", "contract")
        # Not loaded: the ranking (every bid's scores) and the winner's price breakdown.
        .defer("ranking", "bid__price_breakdown", "lot__tender__description", "lot__description")
        .prefetch_related(
            Prefetch(
                "lot__tender__award_notices",
                # Not its record: that holds every tenderer's price and scores.
                queryset=AwardNotice.objects.filter(withdrawn_at__isnull=True).defer("record"),
                to_attr="standing_notices",
            )
        )
    )


def ocds_award_parts(*, tenders: list[Tender]) -> ocds_sources.AwardParts:
    """What the award, contract and implementation releases of these tenders read: award
    notices, decisions (set aside ones too: an earlier release named them), the submitted bids
    and their bidders (published once the award is issued), rejections as abnormally low, the
    contracts with their commitments, and the delivery the registered sources verified. Loaded
    for the tenders with an award notice only, in a fixed number of queries however many."""
    notices: dict[int, list[AwardNotice]] = {}
    for notice in AwardNotice.objects.filter(tender__in=[t.pk for t in tenders]).order_by(
        "issued_at", "pk"
    ):
        notices.setdefault(notice.tender_id, []).append(notice)
    if not notices:
        return ocds_sources.AwardParts()
    awarded = list(notices)
    decisions: dict[int, list[AwardDecision]] = {}
    for decision in (
        AwardDecision.objects.filter(lot__tender_id__in=awarded)
        .select_related("lot", "bid__bidder")
        .order_by("decided_at", "pk")
    ):
        decisions.setdefault(decision.lot.tender_id, []).append(decision)
    bids: dict[int, list[Bid]] = {}
    for bid in (
        Bid.objects.unscoped(reason="who bid for each lot is published once the award is issued")
        .filter(tender_id__in=awarded, status=BidStatus.SUBMITTED)
        .select_related("bidder", "lot")
        .order_by("pk")
    ):
        bids.setdefault(bid.tender_id, []).append(bid)
    rejected = dict(
        AbnormallyLowQuery.objects.unscoped(
            reason="a bid rejected as abnormally low is published as disqualified"
        )
        .filter(bid__tender_id__in=awarded, status="rejected")
        .values_list("bid_id", "decided_at")
    )
    contracts: dict[int, list[Contract]] = {}
    for contract in (
        Contract.objects.filter(tender_id__in=awarded)
        .select_related("supplier", "lot")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=ContractCommitment.objects.select_related(
                    "measure", "proxy_value"
                ).order_by("pk"),
            )
        )
        .order_by("entered_at", "pk")
    ):
        contracts.setdefault(contract.tender_id, []).append(contract)
    return ocds_sources.AwardParts(
        notices=notices,
        decisions=decisions,
        bids=bids,
        rejected=rejected,
        contracts=contracts,
        implementation=ocds_sources.implementation_for(
            [contract.pk for found in contracts.values() for contract in found]
        ),
    )
