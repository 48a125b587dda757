"""Issuing the award: each bidder's letter (an assessment summary under the Procurement Act 2023,
an award decision letter under PCR 2015, a notice of the decision under the Provider Selection
Regime), the record kept (PCR 2015 reg. 84), the standstill from the regime's dated rule
(tenders.award_rules), challenges during standstill, and ending the standstill.

A letter holds the bidder's own scores and reasons per criterion beside the winner's, never
another bidder's. Bid statuses read Successful or Unsuccessful from the moment it is issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core import audit, notify
from socialvalue.models import User
from tenders import award_rules, ranking, scoring
from tenders.models import (
    AbnormallyLowQuery,
    AwardDecision,
    AwardNotice,
    AwardOutcome,
    Bid,
    BidOutcome,
    BidStatus,
    Challenge,
    Lot,
    QueryStatus,
    Tender,
    TenderStatus,
)
from tenders.services.base import _lock, _require

OFFICER_ONLY = "Only a procurement officer of this authority can issue and manage the award."


def _shown(value: str | None) -> str | None:
    return None if value is None else str(scoring.presented(Decimal(value)))


def _letter(
    *,
    tender: Tender,
    lot: Lot,
    bid: Bid,
    decision: AwardDecision,
    reasons: dict[int, dict[int, str]],
    out_reason: str,
) -> dict:
    """One bidder's summary: its own figures per criterion beside the winner's, and the reasons.

    Read from the ranking kept with the decision (what the award was decided on)."""
    bids = {b["bid_id"]: b for b in decision.ranking.get("bids", [])}
    own = bids.get(str(bid.pk))
    winner_bid = decision.bid if decision.outcome == AwardOutcome.AWARD else None
    winner = bids.get(str(winner_bid.pk)) if winner_bid else None
    rows = []
    advantages = []
    source = own or winner
    for row in source["breakdown"] if source else []:
        key = row["key"]
        own_row = next((r for r in own["breakdown"] if r["key"] == key), None) if own else None
        win_row = (
            next((r for r in winner["breakdown"] if r["key"] == key), None) if winner else None
        )
        own_score = own_row and own_row["weighted_score"]
        win_score = win_row and win_row["weighted_score"]
        ahead = (
            winner_bid is not None
            and winner_bid.pk != bid.pk
            and own_score is not None
            and win_score is not None
            and Decimal(win_score) > Decimal(own_score)
        )
        if ahead and row["is_leaf"]:
            advantages.append(row["name"])
        rows.append(
            {
                "name": row["name"],
                "kind": row["kind"],
                "depth": row["depth"],
                "is_leaf": row["is_leaf"],
                "weight": _shown(row["effective_weight"]),
                "own_mark": own_row and own_row["mark"] and _shown(own_row["mark"]),
                "own_score": _shown(own_score),
                "own_reason": reasons.get(bid.pk, {}).get(int(key), "") if key.isdigit() else "",
                "winner_mark": win_row and win_row["mark"] and _shown(win_row["mark"]),
                "winner_score": _shown(win_score),
                "winner_reason": (
                    reasons.get(winner_bid.pk, {}).get(int(key), "")
                    if winner_bid and key.isdigit()
                    else ""
                ),
                "max_mark": row["max_mark"] and _shown(row["max_mark"]),
            }
        )
    return {
        "lot": str(lot),
        "tender": tender.title,
        "outcome": (
            BidOutcome.SUCCESSFUL
            if winner_bid and winner_bid.pk == bid.pk
            else BidOutcome.UNSUCCESSFUL
        ),
        "no_award_reason": decision.reason if decision.outcome == AwardOutcome.NO_AWARD else "",
        "winner_name": winner_bid.bidder.name if winner_bid else "",
        "winner_total": _shown(winner["total"]) if winner else None,
        "winner_price": winner and winner["price"],
        "own_total": _shown(own["total"]) if own else None,
        "own_rank": own["rank"] if own else None,
        "own_price": str(bid.price) if bid.price is not None else None,
        "own_exclusions": [x["message"] for x in own["exclusions"]] if own else [],
        "out_of_running": out_reason,
        "criteria": rows,
        "relative_advantages": advantages,
    }


@dataclass(frozen=True)
class Standstill:
    """The regime's rules as applied to one award: the letter each bidder gets, when the
    standstill ends (with the rule and sources) and what the record must hold."""

    letter_kind: str
    letter_name: str
    ends_at: datetime
    rule: dict

    def to_dict(self) -> dict:
        return self.rule


def standstill_for(*, tender: Tender, issued_at: datetime, electronic: bool) -> Standstill:
    """The regime's letter and standstill for an award issued at `issued_at`
    (tenders.award_rules: dated data with sources, bank holidays bundled)."""
    regime = award_rules.regime(tender.regime)
    end = award_rules.standstill_ends(
        tender.regime, timezone.localtime(issued_at), electronic=electronic
    )
    letter = next(
        step
        for step in regime.steps
        if step.recipients in (award_rules.EACH_ASSESSED_SUPPLIER, award_rules.EACH_BIDDER)
    )
    rule = {
        "regime": regime.name,
        "description": end.rule,
        "started_on": end.started_on.isoformat(),
        "last_day": end.last_day.isoformat(),
        "ends_at": end.ends_at.isoformat(),
        "skipped": [[day.isoformat(), reason] for day, reason in end.skipped],
        "sources": [source.to_dict() for source in end.sources],
        "steps": [
            {
                "key": step.key,
                "name": step.name,
                "recipients": step.recipients,
                "content": list(step.content),
                "confirmed": step.confirmed,
                "note": step.note or "",
            }
            for step in regime.steps
        ],
        "record": [
            {"name": item.name, "content": list(item.content), "keep_for": item.keep_for or ""}
            for item in regime.record
        ],
        "unconfirmed": list(regime.unconfirmed),
    }
    return Standstill(letter.key, letter.name, end.ends_at, rule)


@transaction.atomic
def award_issue(
    *,
    actor: User,
    tender: Tender,
    sent_electronically: bool = True,
    now: datetime | None = None,
) -> AwardNotice:
    """Issue the award once every lot has its decision: a letter for every assessed bidder, the
    record of the procurement, the standstill, emails; bid outcomes and the tender's status
    (Awarded) change in the same transaction."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(actor, "tenders.manage_tender", tender, OFFICER_ONLY)
    if tender.status_on(now) != TenderStatus.UNDER_EVALUATION:
        raise ValidationError("The award is issued from a tender under evaluation.")
    lots = list(tender.lots.order_by("number"))
    decisions = {
        d.lot_id: d
        for d in AwardDecision.objects.filter(
            lot__tender=tender, set_aside_at__isnull=True
        ).select_related("bid__bidder")
    }
    missing = [str(lot) for lot in lots if lot.pk not in decisions]
    if missing:
        raise ValidationError(
            "Record the award decision for every lot first: " + "; ".join(missing) + "."
        )
    standstill = standstill_for(tender=tender, issued_at=now, electronic=sent_electronically)
    notice = AwardNotice.objects.create(
        tender=tender,
        regime=tender.regime,
        issued_by=actor,
        issued_at=now,
        sent_electronically=sent_electronically,
        standstill_ends_at=standstill.ends_at,
        standstill_rule=standstill.to_dict(),
    )
    record_lots = []
    letters = 0
    for lot in lots:
        decision = decisions[lot.pk]
        marks = ranking.lot_marks(lot)
        bids = list(
            Bid.objects.unscoped(reason="every assessed bidder of the lot gets its letter")
            .filter(lot=lot, status=BidStatus.SUBMITTED)
            .select_related("bidder")
            .order_by("pk")
        )
        rejected = {
            q.bid_id: q
            for q in AbnormallyLowQuery.objects.unscoped(
                reason="the reasons a bid was rejected"
            ).filter(bid__lot=lot, status=QueryStatus.REJECTED)
        }
        fallen = dict(
            AwardDecision.objects.filter(lot=lot, set_aside_at__isnull=False, bid__isnull=False)
            .values_list("bid_id", "set_aside_reason")
            .order_by("set_aside_at")
        )
        tenderers = []
        for bid in bids:
            out_reason = ""
            if bid.pk in rejected:
                out_reason = f"Rejected as abnormally low: {rejected[bid.pk].decision_reason}"
            elif bid.pk in fallen:
                out_reason = f"Chosen, then fell away: {fallen[bid.pk]}"
            summary = _letter(
                tender=tender,
                lot=lot,
                bid=bid,
                decision=decision,
                reasons=marks.reasons,
                out_reason=out_reason,
            )
            summary["letter_name"] = standstill.letter_name
            bid.award_letters.create(
                notice=notice,
                kind=standstill.letter_kind,
                successful=summary["outcome"] == BidOutcome.SUCCESSFUL,
                summary=summary,
                created_at=now,
            )
            bid.outcome = summary["outcome"]
            bid.save(update_fields=["outcome"])
            letters += 1
            tenderers.append(
                {
                    "bidder": bid.bidder.name,
                    "price": str(bid.price) if bid.price is not None else None,
                    "total": summary["own_total"],
                    "rank": summary["own_rank"],
                    "excluded": summary["own_exclusions"],
                    "out_of_running": out_reason,
                    "outcome": summary["outcome"],
                }
            )
        record_lots.append(
            {
                "lot": str(lot),
                "decision": decision.outcome,
                "winner": decision.bid.bidder.name if decision.bid else None,
                "winning_price": str(decision.bid.price) if decision.bid else None,
                "reason": decision.reason,
                "decided_at": decision.decided_at.isoformat(),
                "tenderers": tenderers,
                "abnormally_low_rejections": [
                    {"bid": q.bid_id, "reason": q.decision_reason, "breaches_law": q.breaches_law}
                    for q in rejected.values()
                ],
            }
        )
    notice.record = {
        "title": tender.title,
        "reference": tender.reference,
        "authority": tender.authority.name,
        "estimated_value": str(tender.estimated_value),
        "regime": tender.get_regime_display(),
        "issued_at": now.isoformat(),
        "standstill": standstill.to_dict(),
        "lots": record_lots,
        "kept_because": (
            "; ".join(
                f"{item['name']}, kept {item['keep_for']}" for item in standstill.rule["record"]
            )
            or "The record of how the award was decided."
        ),
    }
    notice.save(update_fields=["record"])
    tender.status = TenderStatus.AWARDED
    tender.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="tender.awarded",
        obj=tender,
        organisation=tender.authority,
        data={
            "notice": notice.pk,
            "letters": letters,
            "standstill_ends_at": notice.standstill_ends_at,
            "regime": tender.regime,
        },
    )
    notify.send(
        kind="tenders.award_letters",
        params={"notice_id": notice.pk},
        requested_by=actor,
        organisation=tender.authority,
    )
    return notice


def award_withdraw(
    *, actor: User, tender: Tender, reason: str, now: datetime | None = None
) -> AwardNotice:
    """Withdraw the issued award (a winner fell away before the contract): the tender goes back
    under evaluation and bid outcomes are cleared until the award is issued again. Called inside
    tenders.services.award.award_replace's transaction."""
    now = now or timezone.now()
    notice = AwardNotice.objects.select_for_update().get(tender=tender, withdrawn_at__isnull=True)
    notice.withdrawn_at = now
    notice.withdrawn_reason = reason.strip()
    notice.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    Bid.objects.unscoped(reason="the withdrawn award's outcomes are cleared").filter(
        tender=tender
    ).update(outcome=BidOutcome.NONE)
    tender.status = TenderStatus.UNDER_EVALUATION
    tender.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="tender.award_withdrawn",
        obj=tender,
        organisation=tender.authority,
        data={"notice": notice.pk, "reason": notice.withdrawn_reason},
    )
    return notice


def standing_notice(tender: Tender) -> AwardNotice | None:
    return AwardNotice.objects.filter(tender=tender, withdrawn_at__isnull=True).first()


@transaction.atomic
def challenge_record(
    *,
    actor: User,
    tender: Tender,
    summary: str,
    received_at: datetime,
    now: datetime | None = None,
) -> Challenge:
    """Record a challenge to the award: the contract cannot be entered while it is open."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(actor, "tenders.manage_tender", tender, OFFICER_ONLY)
    if standing_notice(tender) is None:
        raise ValidationError("A challenge to the award is recorded once the award is issued.")
    if not summary.strip():
        raise ValidationError({"summary": "Say what is challenged and by whom."})
    if received_at > now:
        raise ValidationError({"received_at": "The date received cannot be in the future."})
    challenge = Challenge.objects.create(
        tender=tender,
        summary=summary.strip(),
        received_at=received_at,
        recorded_by=actor,
        recorded_at=now,
    )
    audit.record(
        actor=actor,
        action="award.challenge_recorded",
        obj=challenge,
        organisation=tender.authority,
        data={"received_at": received_at, "summary": challenge.summary},
    )
    return challenge


@transaction.atomic
def challenge_resolve(
    *, actor: User, challenge: Challenge, resolution: str, now: datetime | None = None
) -> Challenge:
    """Record how a challenge ended (withdrawn, settled, decided by the court)."""
    now = now or timezone.now()
    tender = _lock(challenge.tender)
    _require(actor, "tenders.manage_tender", tender, OFFICER_ONLY)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not challenge.is_open:
        raise ValidationError("This challenge has already been resolved.")
    if not resolution.strip():
        raise ValidationError({"resolution": "Say how the challenge was resolved."})
    challenge.resolution = resolution.strip()
    challenge.resolved_by = actor
    challenge.resolved_at = now
    challenge.save()
    audit.record(
        actor=actor,
        action="award.challenge_resolved",
        obj=challenge,
        organisation=tender.authority,
        data={"resolution": challenge.resolution},
    )
    return challenge


@transaction.atomic
def standstill_end(*, actor: User, tender: Tender, now: datetime | None = None) -> AwardNotice:
    """Record the end of standstill: refused before the regime's end, or with a challenge open."""
    now = now or timezone.now()
    tender = _lock(tender)
    _require(actor, "tenders.manage_tender", tender, OFFICER_ONLY)
    notice = standing_notice(tender)
    if notice is None:
        raise ValidationError("The award has not been issued.")
    if notice.standstill_ended_at is not None:
        raise ValidationError("The standstill has already ended.")
    if notice.standstill_ends_at and now < notice.standstill_ends_at:
        raise ValidationError(
            f"The standstill runs to midnight at the end of {notice.standstill_last_day:%-d %B %Y}."
        )
    if tender.challenges.filter(resolved_at__isnull=True).exists():
        raise ValidationError(
            "A challenge to the award is open: the contract cannot be entered into until it is "
            "resolved."
        )
    notice.standstill_ended_at = now
    notice.standstill_ended_by = actor
    notice.save(update_fields=["standstill_ended_at", "standstill_ended_by"])
    audit.record(
        actor=actor,
        action="award.standstill_ended",
        obj=tender,
        organisation=tender.authority,
        data={"notice": notice.pk, "standstill_ends_at": notice.standstill_ends_at},
    )
    return notice
