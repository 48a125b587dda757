"""Deciding the award of each lot: resolving a tie under the published rule, asking a bidder to
explain an abnormally low price and deciding on the explanation, the award decision itself
(refused before moderation is complete, with a query undecided, with a tie unresolved, on a lot
without bids) and choosing the next-ranked bid when the winner falls away.

Every decision reads the lot's ranking from tenders.ranking, the same the officer's page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit, notify
from socialvalue.models import User
from tenders import ranking, scoring
from tenders.models import (
    AbnormallyLowFile,
    AbnormallyLowQuery,
    AwardDecision,
    AwardOutcome,
    Bid,
    Contract,
    Lot,
    QueryStatus,
    TenderStatus,
    TieResolution,
)
from tenders.services.base import _lock, _require
from tenders.services.notices import award_withdraw
from tenders.services.uploads import _check_upload, _store_file

OFFICER_ONLY = "Only a procurement officer of this authority can decide the award."


def _locked_lot(actor: User, lot: Lot, now: datetime) -> Lot:
    """The lot with its tender locked, checked to be under evaluation and the actor's to decide."""
    tender = _lock(lot.tender)
    _require(actor, "tenders.manage_tender", tender, OFFICER_ONLY)
    status = tender.status_on(now)
    if status != TenderStatus.UNDER_EVALUATION:
        raise ValidationError(
            f"This tender is {TenderStatus(status).label.lower()}: the award is decided while it "
            "is under evaluation, after the bids are opened."
        )
    lot = Lot.objects.select_related("tender__authority").get(pk=lot.pk)
    lot.tender = tender
    return lot


def _not_awarded_yet(lot: Lot) -> None:
    if AwardDecision.objects.filter(lot=lot, set_aside_at__isnull=True).exists():
        raise ValidationError(
            "The award of this lot is already decided; if the winner has fallen away, choose "
            "the next-ranked bid with the reason."
        )


def _snapshot(lot_ranking: ranking.LotRanking) -> dict:
    return scoring.to_json(lot_ranking.result) if lot_ranking.result else {}


@transaction.atomic
def tie_resolve(
    *, actor: User, lot: Lot, rank: int, chosen_bid: Bid, explanation: str, now=None
) -> TieResolution:
    """Record how bids still level after the published tie-break at `rank` were separated, and
    which of them goes first. Refused when those bids are not level there."""
    now = now or timezone.now()
    lot = _locked_lot(actor, lot, now)
    _not_awarded_yet(lot)
    if not explanation.strip():
        raise ValidationError(
            {"explanation": "Say how the tie was resolved under the published rule."}
        )
    tie = ranking.rank_lot(lot=lot).tie_at(rank)
    if tie is None:
        raise ValidationError("No bids are level at that rank now; the ranking may have changed.")
    if chosen_bid.pk not in tie.bid_ids:
        raise ValidationError({"chosen_bid": "Choose one of the bids that are level."})
    resolution = TieResolution.objects.create(
        lot=lot,
        rank=rank,
        tied_bid_ids=tie.bid_ids,
        chosen_bid=chosen_bid,
        explanation=explanation.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    audit.record(
        actor=actor,
        action="award.tie_resolved",
        obj=lot,
        organisation=lot.tender.authority,
        data={
            "rank": rank,
            "tied_bids": tie.bid_ids,
            "chosen_bid": chosen_bid.pk,
            "explanation": resolution.explanation,
        },
    )
    return resolution


@transaction.atomic
def abnormally_low_request(
    *, actor: User, bid: Bid, request: str, now: datetime | None = None
) -> AbnormallyLowQuery:
    """Ask the bidder to explain a price the screen flags (PCR 2015 reg. 69(1); Procurement Act
    2023 s.19(4)). The bidder is emailed; the lot cannot be awarded until it is decided."""
    now = now or timezone.now()
    lot = _locked_lot(actor, bid.lot, now)
    _not_awarded_yet(lot)
    if not request.strip():
        raise ValidationError({"request": "Say what the bidder should explain about the price."})
    row = next((r for r in ranking.rank_lot(lot=lot).rows if r.bid.pk == bid.pk), None)
    if row is None or not row.flagged:
        raise ValidationError(
            "Only a price the screen flags as possibly abnormally low is queried here."
        )
    if row.query is not None:
        raise ValidationError("This bidder has already been asked to explain the price.")
    check = row.result.abnormally_low
    query = row.bid.abnormally_low_queries.create(
        price=check.price,
        mean_of_others=scoring.presented(check.mean_of_others),
        percent_below_mean=scoring.presented(check.percent_below_mean),
        threshold_percent=check.threshold_percent,
        request=request.strip(),
        requested_by=actor,
        requested_at=now,
    )
    audit.record(
        actor=actor,
        action="award.abnormally_low_requested",
        obj=query,
        organisation=lot.tender.authority,
        data={"bid": bid.pk, "percent_below_mean": query.percent_below_mean},
    )
    notify.send(
        kind="tenders.abnormally_low_request",
        params={"query_id": query.pk},
        requested_by=actor,
        organisation=lot.tender.authority,
    )
    return query


@transaction.atomic
def abnormally_low_respond(
    *,
    actor: User,
    query: AbnormallyLowQuery,
    response: str,
    files: Iterable[UploadedFile] = (),
    now: datetime | None = None,
) -> AbnormallyLowQuery:
    """The bidder's explanation, with files; it may be sent again (replacing the text and
    adding files) until the officer decides."""
    now = now or timezone.now()
    query = (
        AbnormallyLowQuery.objects.unscoped(reason="the bidder answers its own query")
        .select_for_update()
        .select_related("bid__tender")
        .get(pk=query.pk)
    )
    _require(
        actor,
        "tenders.change_bid",
        query.bid,
        "Only the bidder's own people can explain its price.",
    )
    if not query.is_undecided:
        raise ValidationError("The authority has already decided on this explanation.")
    if not response.strip():
        raise ValidationError({"response": "Explain how the price was reached."})
    files = list(files)
    checked = [_check_upload(upload) for upload in files]
    query.response = response.strip()
    query.responded_by = actor
    query.responded_at = now
    query.status = QueryStatus.ANSWERED
    query.save()
    stored = [
        _store_file(
            AbnormallyLowFile(bid=query.bid, query=query),
            actor=actor,
            upload=upload,
            stem="explanation",
            checked=result,
        )
        for upload, result in zip(files, checked, strict=True)
    ]
    audit.record(
        actor=actor,
        action="award.abnormally_low_answered",
        obj=query,
        organisation=query.bid.bidder,
        data={"files": [f.sha256 for f in stored]},
    )
    return query


@transaction.atomic
def abnormally_low_decide(
    *,
    actor: User,
    query: AbnormallyLowQuery,
    accept: bool,
    reason: str,
    breaches_law: bool = False,
    now: datetime | None = None,
) -> AbnormallyLowQuery:
    """Accept the explanation (the bid stays in the running) or reject the bid, with the reason.

    Rejection is allowed only where the explanation does not account for the low price, so it
    needs the bidder's answer first; where the low price comes from breaching environmental,
    social or labour law the bid must be rejected (PCR 2015 reg. 69(4)-(5); Procurement Act 2023
    s.19(3)(c)-(5))."""
    now = now or timezone.now()
    query = (
        AbnormallyLowQuery.objects.unscoped(reason="the officer decides a query of its tender")
        .select_related("bid__lot__tender", "bid__bidder")
        .get(pk=query.pk)
    )
    lot = _locked_lot(actor, query.bid.lot, now)
    query = (
        AbnormallyLowQuery.objects.unscoped(reason="locked for the decision")
        .select_for_update()
        .select_related("bid__bidder")
        .get(pk=query.pk)
    )
    if not query.is_undecided:
        raise ValidationError("This query has already been decided.")
    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the reason for the decision: the bidder is told it."
    if breaches_law and accept:
        errors["decision"] = (
            "A price that comes from breaching environmental, social or labour law must be "
            "rejected."
        )
    if not accept and query.status != QueryStatus.ANSWERED:
        errors["decision"] = (
            "A bid can be rejected as abnormally low only after the bidder has explained the "
            "price and the explanation does not account for it."
        )
    if errors:
        raise ValidationError(errors)
    query.status = QueryStatus.ACCEPTED if accept else QueryStatus.REJECTED
    query.decision_reason = reason.strip()
    query.breaches_law = breaches_law
    query.decided_by = actor
    query.decided_at = now
    query.save()
    audit.record(
        actor=actor,
        action="award.abnormally_low_accepted" if accept else "award.abnormally_low_rejected",
        obj=query,
        organisation=lot.tender.authority,
        data={"bid": query.bid_id, "reason": query.decision_reason, "breaches_law": breaches_law},
    )
    return query


@transaction.atomic
def award_decide(
    *,
    actor: User,
    lot: Lot,
    outcome: str,
    reason: str = "",
    now: datetime | None = None,
) -> AwardDecision:
    """Record the award decision for a lot: to the bid ranked first (or chosen where bids tied
    at the top), or no award with the reason. An award is refused on a lot without bids, before
    the evaluation is complete, with an abnormally low price query undecided or a flag not yet
    queried, and with a tie unresolved at the top."""
    now = now or timezone.now()
    lot = _locked_lot(actor, lot, now)
    _not_awarded_yet(lot)
    lot_ranking = ranking.rank_lot(lot=lot)
    if outcome == AwardOutcome.NO_AWARD:
        if not reason.strip():
            raise ValidationError({"reason": "Say why this lot is not awarded: bidders read it."})
        if lot_ranking.submitted_count and not lot_ranking.marks.complete:
            raise ValidationError(
                list(lot_ranking.marks.incomplete_reasons)
                or "The evaluation of this lot is not complete: every mark must be moderated."
            )
        bid = None
    elif outcome == AwardOutcome.AWARD:
        refusals = lot_ranking.award_refusals()
        if refusals:
            raise ValidationError(refusals)
        bid = lot_ranking.leader
    else:
        raise ValidationError({"outcome": "Choose whether to award this lot."})
    decision = AwardDecision.objects.create(
        lot=lot,
        outcome=outcome,
        bid=bid,
        reason=reason.strip(),
        ranking=_snapshot(lot_ranking),
        decided_by=actor,
        decided_at=now,
    )
    audit.record(
        actor=actor,
        action="award.decided",
        obj=lot,
        organisation=lot.tender.authority,
        data={"outcome": outcome, "bid": bid.pk if bid else None, "reason": decision.reason},
    )
    return decision


@transaction.atomic
def award_replace(
    *, actor: User, lot: Lot, reason: str, now: datetime | None = None
) -> AwardDecision:
    """The chosen bidder has fallen away (withdrew, failed due diligence): set the decision
    aside with the reason and award the lot to the next-ranked bid in the running, under the
    same refusals as the first award. Before the contract is entered; after the award was
    issued, the award is withdrawn and issued again (tenders.services.notices)."""
    now = now or timezone.now()
    tender = _lock(lot.tender)
    _require(actor, "tenders.manage_tender", tender, OFFICER_ONLY)
    current = (
        AwardDecision.objects.select_for_update()
        .filter(lot=lot, set_aside_at__isnull=True, outcome=AwardOutcome.AWARD)
        .first()
    )
    if current is None:
        raise ValidationError("This lot has no winner to replace.")
    if Contract.objects.filter(lot=lot).exists():
        raise ValidationError("The contract for this lot has been entered into.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the chosen bidder has fallen away."})
    if tender.status != TenderStatus.UNDER_EVALUATION:
        award_withdraw(actor=actor, tender=tender, reason=reason, now=now)
    current.set_aside_at = now
    current.set_aside_reason = reason.strip()
    current.save(update_fields=["set_aside_at", "set_aside_reason"])
    audit.record(
        actor=actor,
        action="award.set_aside",
        obj=lot,
        organisation=tender.authority,
        data={"bid": current.bid_id, "reason": current.set_aside_reason},
    )
    return award_decide(
        actor=actor,
        lot=lot,
        outcome=AwardOutcome.AWARD,
        reason=f"Next-ranked after the first choice fell away: {reason.strip()}",
        now=now,
    )
