"""Read-only queries of the evaluation: panels, declarations, marks and moderated marks, each
carrying its rule (who sees which marks), and the two answers the award needs:
`moderated_marks(lot)` (what feeds the ranking) and `lot_evaluation_state(lot)` (whether the
lot's evaluation is complete, and if not why).

The marks rule: an evaluator's draft is theirs alone; a submitted mark is seen by the
procurement officers of the authority, and by another evaluator of the same bid and criterion
once that evaluator has submitted their own mark there. Nobody sees anything of a bid whose
bidder they declared a conflict with. Bid contents are read through the sealed managers only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from socialvalue.core.permissions import organisations_with_role
from socialvalue.models import Organisation, User
from tenders import panel
from tenders.models import (
    Bid,
    BidStatus,
    ConflictDeclaration,
    Criterion,
    CriterionKind,
    EvaluationSettings,
    Evaluator,
    Lot,
    Mark,
    ModeratedMark,
    Tender,
)
from tenders.permissions import EVALUATION_STATUSES, PANEL_ROLES, is_officer_of

# --------------------------------------------------------------------------- the lot's scale


def _leaves_in_tree_order(lot: Lot) -> list[Criterion]:
    """The lot's lowest-level criteria as the tree lists them (each group's in its order)."""
    rows = list(Criterion.objects.filter(lot=lot))
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    found: list[Criterion] = []

    def walk(parent_id: int | None) -> None:
        for row in sorted(children.get(parent_id, []), key=lambda r: (r.order, r.pk)):
            if children.get(row.pk):
                walk(row.pk)
            else:
                found.append(row)

    walk(None)
    return found


def markable_criteria(lot: Lot) -> list[Criterion]:
    """The lot's criteria a panel marks: lowest-level quality and social value questions with
    a published scale, in the tree's order."""
    return [
        row
        for row in _leaves_in_tree_order(lot)
        if row.kind != CriterionKind.PRICE and row.max_mark is not None
    ]


def assignable_criteria(lot: Lot) -> list[Criterion]:
    """The criteria an evaluator may be given: the marked questions and the lot's price row
    (which lets them see the prices; no one marks it)."""
    return [
        row
        for row in _leaves_in_tree_order(lot)
        if row.kind == CriterionKind.PRICE or row.max_mark is not None
    ]


def allowed_marks(criterion: Criterion) -> list[Decimal]:
    """The marks the published scale describes (empty: any mark from 0 to the highest)."""
    return [Decimal(str(item["mark"])) for item in criterion.descriptors or [] if "mark" in item]


# --------------------------------------------------------------------------- settings


def spread_flag_percent(tender: Tender) -> tuple[Decimal, str]:
    """The share of the scale above which a spread is flagged for this tender, and its basis:
    the tender's own setting, else the service default in force when the bids were opened."""
    settings_row = EvaluationSettings.objects.filter(tender=tender).first()
    if settings_row is not None:
        return settings_row.spread_flag_percent, settings_row.spread_flag_basis
    return default_spread(tender)


def default_spread(tender: Tender) -> tuple[Decimal, str]:
    """The dated service default for this tender (tenders/data/moderation.json)."""
    moment = tender.bids_opened_at or tender.submission_deadline or tender.created_at
    rule = panel.spread_rule_on(moment.date())
    return rule.percent, f"Service default in force from {rule.starts:%-d %B %Y}"


# --------------------------------------------------------------------------- panels


def people_who_may_evaluate(tender: Tender) -> QuerySet[User]:
    """People of the tender's authority who may be appointed to its panels."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=tender.authority_id,
            memberships__role__in=PANEL_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def lot_panel(lot: Lot) -> list[Evaluator]:
    """A lot's evaluators with their people, criteria and declarations (four queries)."""
    return list(
        Evaluator.objects.filter(lot=lot)
        .select_related("user")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")),
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.select_related("bidder", "mitigated_by"),
            ),
        )
    )


def appointments(*, user, tender: Tender) -> list[Evaluator]:
    """The user's own appointments on this tender's lots, with their lots and criteria."""
    return list(
        Evaluator.objects.filter(user_id=user.pk, lot__tender=tender)
        .select_related("lot")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")))
        .order_by("lot__number")
    )


def appointment_for(*, user, pk: int) -> Evaluator | None:
    """One appointment the user may see (their own, or any on their authority's tenders when a
    procurement officer); None otherwise."""
    evaluator = (
        Evaluator.objects.select_related("lot", "lot__tender", "lot__tender__authority", "user")
        .filter(pk=pk)
        .first()
    )
    if evaluator is None:
        return None
    if evaluator.user_id == user.pk or is_officer_of(user, evaluator.lot.tender):
        return evaluator
    return None


def open_appointments(*, user, limit: int) -> list[Evaluator]:
    """The user's appointments on tenders still being evaluated, newest first (one query), for
    the dashboard."""
    authorities = organisations_with_role(user, *PANEL_ROLES)
    return list(
        Evaluator.objects.filter(
            user_id=user.pk,
            lot__tender__authority_id__in=authorities,
            lot__tender__status__in=EVALUATION_STATUSES,
        )
        .select_related("lot", "lot__tender")
        .order_by("-appointed_at")[:limit]
    )


def lot_bidders(lot: Lot) -> list[Organisation]:
    """Organisations with a submitted bid on the lot: whom a panel member declares about. Their
    names only, never their bids' contents."""
    bidder_ids = (
        Bid.objects.unscoped(reason="a conflict declaration names the bidders, not their bids")
        .filter(lot=lot, status=BidStatus.SUBMITTED)
        .values("bidder_id")
    )
    return list(Organisation.objects.filter(pk__in=bidder_ids).order_by("name"))


def conflicted_bidders(evaluator: Evaluator) -> set[int]:
    """Bidders this evaluator declared a conflict with."""
    return set(evaluator.declarations.filter(has_conflict=True).values_list("bidder_id", flat=True))


def declaration_for(*, user, pk: int) -> ConflictDeclaration | None:
    """One declaration, for a procurement officer of its tender's authority."""
    declaration = (
        ConflictDeclaration.objects.select_related(
            "evaluator__lot__tender__authority", "evaluator__user", "bidder"
        )
        .filter(pk=pk)
        .first()
    )
    if declaration is None or not is_officer_of(user, declaration.evaluator.lot.tender):
        return None
    return declaration


# --------------------------------------------------------------------------- marking


def bids_to_mark(*, evaluator: Evaluator) -> QuerySet[Bid]:
    """The submitted bids of the evaluator's lot that they may read (declared, not conflicted),
    by bidder name. The sealed rule applies through the manager."""
    return (
        Bid.objects.readable_by(user=evaluator.user, tender=evaluator.lot.tender)
        .filter(lot_id=evaluator.lot_id, status=BidStatus.SUBMITTED)
        .select_related("bidder")
        .order_by("bidder__name", "pk")
    )


def own_marks(
    *, evaluator: Evaluator, bids: list[Bid] | None = None
) -> dict[tuple[int, int], Mark]:
    """The evaluator's marks (drafts and submitted) by (bid id, criterion id)."""
    rows = Mark.objects.filter(evaluator=evaluator)
    if bids is not None:
        rows = rows.filter(bid__in=[bid.pk for bid in bids])
    return {(row.bid_id, row.criterion_id): row for row in rows}


def others_marks(*, evaluator: Evaluator, bid: Bid) -> dict[int, list[Mark]]:
    """Other evaluators' submitted marks on this bid, by criterion, for the criteria on which
    this evaluator has submitted their own (one query each)."""
    submitted_here = set(
        Mark.objects.filter(evaluator=evaluator, bid=bid, submitted_at__isnull=False).values_list(
            "criterion_id", flat=True
        )
    )
    found: dict[int, list[Mark]] = defaultdict(list)
    if not submitted_here:
        return found
    set_aside = ConflictDeclaration.objects.filter(
        evaluator__lot_id=bid.lot_id, bidder_id=bid.bidder_id, has_conflict=True
    ).values("evaluator_id")
    for row in (
        Mark.objects.filter(bid=bid, criterion_id__in=submitted_here, submitted_at__isnull=False)
        .exclude(evaluator=evaluator)
        .exclude(evaluator_id__in=set_aside)
        .select_related("evaluator__user")
        .order_by("criterion_id", "evaluator__user__full_name")
    ):
        found[row.criterion_id].append(row)
    return found


def _fully_submitted(evaluator: Evaluator, criteria_count: int):
    """Ids of bids on which the evaluator has submitted a mark on each of their criteria."""
    return (
        Mark.objects.filter(evaluator=evaluator, submitted_at__isnull=False)
        .values("bid_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=criteria_count)
        .values("bid_id")
    )


@dataclass(frozen=True)
class MarkingProgress:
    bids: int
    submitted: int

    @property
    def remaining(self) -> int:
        return self.bids - self.submitted


def marking_progress(*, evaluator: Evaluator, criteria: list[Criterion]) -> MarkingProgress:
    """How many bids the evaluator marks and how many they have submitted (two queries)."""
    bids = bids_to_mark(evaluator=evaluator)
    if not criteria:
        return MarkingProgress(bids=bids.count(), submitted=0)
    return MarkingProgress(
        bids=bids.count(),
        submitted=bids.filter(pk__in=_fully_submitted(evaluator, len(criteria))).count(),
    )


def next_bid_to_mark(*, evaluator: Evaluator, after: Bid) -> Bid | None:
    """The first bid (by bidder name) the evaluator has still to submit, other than `after`."""
    count = evaluator.criteria.exclude(kind=CriterionKind.PRICE).count()
    return (
        bids_to_mark(evaluator=evaluator)
        .exclude(pk=after.pk)
        .exclude(pk__in=_fully_submitted(evaluator, count))
        .first()
    )


# --------------------------------------------------------------------------- moderation


@dataclass
class ModerationItem:
    """One bid and criterion on the moderation pages: the submitted individual marks, who has
    still to mark, the spread and whether it is flagged, and the consensus if recorded."""

    bid: Bid
    criterion: Criterion
    marks: list[Mark]
    awaiting: list[Evaluator]
    spread: Decimal
    spread_limit: Decimal
    flagged: bool
    consensus: ModeratedMark | None

    @property
    def ready(self) -> bool:
        """Every appointed evaluator without a conflict has submitted, and there is one."""
        return bool(self.marks) and not self.awaiting


def moderation_items(
    *, lot: Lot, bids: list[Bid], criteria: list[Criterion], percent: Decimal
) -> list[ModerationItem]:
    """What the moderation pages show for these bids (a page of them) on these criteria: three
    queries however many bids and criteria."""
    bid_ids = [bid.pk for bid in bids]
    panel_rows = list(
        Evaluator.objects.filter(lot=lot)
        .select_related("user")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.only("pk")),
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.filter(has_conflict=True).only(
                    "evaluator_id", "bidder_id"
                ),
                to_attr="conflicts",
            ),
        )
    )
    submitted: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for row in (
        Mark.objects.filter(bid_id__in=bid_ids, submitted_at__isnull=False)
        .select_related("evaluator__user")
        .order_by("evaluator__user__full_name", "pk")
    ):
        submitted[(row.bid_id, row.criterion_id)].append(row)
    consensus = {
        (row.bid_id, row.criterion_id): row
        for row in ModeratedMark.objects.filter(bid_id__in=bid_ids).prefetch_related("changes")
    }
    conflicts = {e.pk: {d.bidder_id for d in e.conflicts} for e in panel_rows}
    items = []
    for bid in bids:
        for criterion in criteria:
            # A mark given before its evaluator declared a conflict with the bidder is set aside.
            marks = [
                row
                for row in submitted.get((bid.pk, criterion.pk), [])
                if bid.bidder_id not in conflicts.get(row.evaluator_id, ())
            ]
            marked_by = {row.evaluator_id for row in marks}
            awaiting = [
                evaluator
                for evaluator in panel_rows
                if criterion.pk in {c.pk for c in evaluator.criteria.all()}
                and bid.bidder_id not in conflicts[evaluator.pk]
                and evaluator.pk not in marked_by
            ]
            values = [row.mark for row in marks if row.mark is not None]
            limit = panel.spread_limit(criterion.max_mark, percent)
            items.append(
                ModerationItem(
                    bid=bid,
                    criterion=criterion,
                    marks=marks,
                    awaiting=awaiting,
                    spread=panel.spread(values),
                    spread_limit=limit,
                    flagged=panel.spread_flagged(
                        values, max_mark=criterion.max_mark, percent=percent
                    ),
                    consensus=consensus.get((bid.pk, criterion.pk)),
                )
            )
    return items


def moderation_bids(*, user, lot: Lot) -> QuerySet[Bid]:
    """The lot's submitted bids the moderator may read, by bidder name (sealed rule applied)."""
    return (
        Bid.objects.readable_by(user=user, tender=lot.tender)
        .filter(lot=lot, status=BidStatus.SUBMITTED)
        .select_related("bidder")
        .order_by("bidder__name", "pk")
    )


def bid_to_moderate(*, user, pk: int) -> Bid | None:
    """One submitted bid a procurement officer of its authority may read, with its lot, tender
    and bidder; None for anyone else (or a conflicted officer)."""
    tender = Tender.objects.filter(bids__pk=pk).select_related("authority").first()
    if tender is None or not is_officer_of(user, tender):
        return None
    return (
        Bid.objects.readable_by(user=user, tender=tender)
        .filter(pk=pk, status=BidStatus.SUBMITTED)
        .select_related("lot", "lot__tender", "lot__tender__authority", "bidder", "tender")
        .first()
    )


def next_bid_to_moderate(*, user, bid: Bid) -> Bid | None:
    """The bid after this one on the moderation list (by bidder name), for working through."""
    return (
        moderation_bids(user=user, lot=bid.lot)
        .filter(
            Q(bidder__name__gt=bid.bidder.name) | Q(bidder__name=bid.bidder.name, pk__gt=bid.pk)
        )
        .first()
    )


# --------------------------------------------------------------------------- what the award reads


def moderated_marks(lot: Lot) -> dict[int, dict[int, Decimal]]:
    """The consensus marks of the lot: {bid id: {criterion id: mark}}, moderated ones only (a
    bid or criterion not yet moderated is absent). What feeds the ranking."""
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for bid_id, criterion_id, mark in ModeratedMark.objects.filter(criterion__lot=lot).values_list(
        "bid_id", "criterion_id", "mark"
    ):
        found[bid_id][criterion_id] = mark
    return dict(found)


@dataclass(frozen=True)
class EvaluationState:
    """Whether a lot's evaluation is complete (every submitted bid has a moderated mark on every
    marked criterion), and if not, why, in the words shown to the officer."""

    complete: bool
    reasons: tuple[str, ...]

    def __bool__(self) -> bool:
        return self.complete


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def lot_evaluation_state(lot: Lot) -> EvaluationState:
    """Whether the lot's evaluation is complete and, if not, every reason why (a fixed number of
    queries however many bids). Complete means: submitted bids exist; every marked criterion has
    an evaluator; every evaluator has declared; every bid and criterion has an evaluator without
    a conflict, all of whom have submitted their mark; and the panel's mark is moderated."""
    reasons: list[str] = []
    criteria = markable_criteria(lot)
    bids = list(
        Bid.objects.unscoped(reason="whether the evaluation is complete counts bids, not contents")
        .filter(lot=lot, status=BidStatus.SUBMITTED)
        .values_list("pk", "bidder_id")
    )
    if not bids:
        return EvaluationState(False, ("There are no submitted bids on this lot.",))
    panel_rows = list(
        Evaluator.objects.filter(lot=lot)
        .select_related("user")
        .prefetch_related("criteria", "declarations")
    )
    if not panel_rows:
        reasons.append("No evaluators are appointed to this lot.")
    assigned = {c.pk for e in panel_rows for c in e.criteria.all()}
    missing = [c.name for c in criteria if c.pk not in assigned]
    if missing:
        reasons.append("No evaluator is appointed to mark: " + "; ".join(missing) + ".")
    undeclared = [e for e in panel_rows if e.declared_at is None]
    if undeclared:
        names = ", ".join(e.user.get_full_name() for e in undeclared)
        reasons.append(f"Conflicts of interest are still to be declared by: {names}.")
    submitted = set(
        Mark.objects.filter(evaluator__lot=lot, submitted_at__isnull=False).values_list(
            "evaluator_id", "bid_id", "criterion_id"
        )
    )
    moderated = set(
        ModeratedMark.objects.filter(criterion__lot=lot).values_list("bid_id", "criterion_id")
    )
    uncovered = awaiting = unmoderated = 0
    criterion_ids = {c.pk for c in criteria}
    markers = {
        e.pk: (
            {c.pk for c in e.criteria.all()} & criterion_ids,
            {d.bidder_id for d in e.declarations.all() if d.has_conflict},
        )
        for e in panel_rows
    }
    for bid_id, bidder_id in bids:
        for criterion in criteria:
            able = [
                pk
                for pk, (marks, conflicts) in markers.items()
                if criterion.pk in marks and bidder_id not in conflicts
            ]
            if criterion.pk in assigned and not able:
                uncovered += 1
            awaiting += sum(1 for pk in able if (pk, bid_id, criterion.pk) not in submitted)
            if (bid_id, criterion.pk) not in moderated:
                unmoderated += 1
    if uncovered:
        reasons.append(
            f"{_plural(uncovered, 'mark')} of a bid on a criterion cannot be given: every "
            "evaluator of that criterion declared a conflict with the bidder. Appoint another."
        )
    if awaiting:
        reasons.append(f"{_plural(awaiting, 'individual mark')} still to be submitted.")
    if unmoderated:
        reasons.append(f"{_plural(unmoderated, 'consensus mark')} still to be moderated.")
    return EvaluationState(not reasons, tuple(reasons))
