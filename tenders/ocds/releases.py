"""Each stage of a published tender as an OCDS 1.1 release, and release packages.

A tender gives one release when it is published (tag `tender`), one for each amendment
(`tenderAmendment`: the deadlines and documents as amended) and, once bidding has closed, one
with how many bids each lot received (`tenderUpdate`, `bids.statistics`). Once the award is
issued: `award` (each lot's award, pending during standstill, with the UK extension's
`standstillPeriod` and `assessmentSummariesDateSent`, and `bids.details`: who bid for which lot
and whether the bid stayed valid, with no price of an unsuccessful bid unless the regime
publishes them), `awardUpdate` when the standstill ended (the awards active),
`awardCancellation` if the award was withdrawn, `contract` for each contract entered (value,
period, date signed, and the winning social value commitments in the service's extension), and
`implementation` for each reporting period the buyer finished verifying (delivery accepted per
commitment) and each performance failure, from the sources registered in `sources.py`. Each
release is the state of the process at its date, so a reader can replay it. Only what is
published appears: never a draft, never a bid's contents, no bid count before the deadline.

Award criteria follow the award criteria breakdown extension: each lot's marked questions and
price in `awardCriteria.criteria[]`, each with its share of the total score as a number
(`numbers[]`, `weight: percentageExact`; the shares of a lot add up to 100), its pass mark as a
`minimumScore` threshold, and the groups above it in its name. The service's own extension
(`extension/`) adds the lot's social value weighting and, on each social value criterion, the
local priority it serves and the measures bidders may commit to.

The builders read the objects `tenders.selectors.ocds_tenders` loads and make no queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from socialvalue.kernel import numbers
from socialvalue.models import BidderType
from tenders import award_rules, scoring
from tenders import criteria as criteria_layout
from tenders.models import (
    AwardOutcome,
    ContractType,
    Lot,
    Tender,
    TenderAmendment,
    TenderStatus,
)
from tenders.ocds.schemas import PERFORMANCE_FAILURES_EXTENSION, STANDARD_EXTENSIONS
from tenders.ocds.sources import AwardParts

OCDS_VERSION = "1.1"
CURRENCY = "GBP"
UK = ZoneInfo("Europe/London")  # a contract date with no time starts at midnight in the UK
SHARE_PLACES = Decimal("0.001")  # a criterion's share of the score: three places, half up

# tenderStatus codelist: the process is under way until awarded, then complete.
_TENDER_STATUS = {
    TenderStatus.PUBLISHED: "active",
    TenderStatus.CLOSED: "active",
    TenderStatus.UNDER_EVALUATION: "active",
    TenderStatus.AWARDED: "complete",
    TenderStatus.IN_DELIVERY: "complete",
    TenderStatus.ENDED: "complete",
}

# procurementCategory codelist (closed): mixed contracts here are services with goods or works.
_CATEGORY = {
    ContractType.SERVICES: "services",
    ContractType.GOODS: "goods",
    ContractType.WORKS: "works",
    ContractType.MIXED: "services",
}


def ocid(tender: Tender) -> str:
    """The tender's Open Contracting ID: the publisher's prefix (`OCDS_OCID_PREFIX`, registered
    with the Open Contracting Partnership) and the tender's id, which never changes."""
    return f"{settings.OCDS_OCID_PREFIX}-{tender.pk}"


def moment(value: datetime) -> str:
    """A date-time as OCDS writes it: ISO 8601 in UTC with a Z."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(value: date) -> str:
    return moment(datetime.combine(value, time.min, tzinfo=UK))


def _day_end(value: date) -> str:
    """The last second of a UK day: the end of a period that runs to the end of that day."""
    return moment(datetime.combine(value, time(23, 59, 59), tzinfo=UK))


def number(value: Decimal) -> int | float:
    """A JSON number: whole numbers as integers, others as the nearest float."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _money(value: Decimal) -> dict[str, Any]:
    return {"amount": number(value), "currency": CURRENCY}


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without the empty fields: OCDS asks publishers to omit what they do not know."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


# --------------------------------------------------------------------------- stages


@dataclass(frozen=True)
class Stage:
    """One release: its tag, date and id, and how much of the tender's history it includes."""

    tag: str
    date: datetime
    release_id: str
    amendments: tuple[TenderAmendment, ...]
    bids_closed: bool = False
    after_award: bool = False


def stages(tender: Tender, *, now: datetime, parts: AwardParts | None = None) -> list[Stage]:
    """The tender's releases in date order (no release before it was published)."""
    found = _tender_stages(tender, now=now)
    if parts is not None:
        found += _award_stages(tender, parts, now=now)
    order = {tag: index for index, tag in enumerate(("tender", "tenderAmendment", "tenderUpdate"))}
    return sorted(found, key=lambda stage: (stage.date, order.get(stage.tag, 9)))


def _award_stages(tender: Tender, parts: AwardParts, *, now: datetime) -> list[Stage]:
    """The award's releases: issued, standstill ended, withdrawn; each contract entered; each
    verified period and performance failure of a contract (none dated after `now`)."""
    code = ocid(tender)
    amendments = tuple(sorted(tender.amendments.all(), key=lambda item: (item.made_at, item.pk)))

    def stage(tag: str, when: datetime, suffix: str) -> Stage:
        return Stage(tag, when, f"{code}-{suffix}", amendments, True, True)

    found = []
    for notice in parts.notices.get(tender.pk, ()):
        found.append(stage("award", notice.issued_at, f"award-{notice.pk}"))
        if notice.standstill_ended_at is not None:
            found.append(
                stage(
                    "awardUpdate",
                    notice.standstill_ended_at,
                    f"award-{notice.pk}-standstill-ended",
                )
            )
        if notice.withdrawn_at is not None:
            found.append(
                stage("awardCancellation", notice.withdrawn_at, f"award-{notice.pk}-withdrawn")
            )
    implementation = parts.implementation
    for contract in parts.contracts.get(tender.pk, ()):
        found.append(stage("contract", contract.entered_at, f"contract-{contract.pk}"))
        for period in implementation.periods.get(contract.pk, ()):
            found.append(
                stage(
                    "implementation",
                    period.verified_at,
                    f"contract-{contract.pk}-period-{period.number}",
                )
            )
        for failure in implementation.failures.get(contract.pk, ()):
            found.append(
                stage(
                    "implementation",
                    failure.released_at,
                    f"contract-{contract.pk}-failure-{failure.id}",
                )
            )
    return [item for item in found if item.date <= now]


def _tender_stages(tender: Tender, *, now: datetime) -> list[Stage]:
    code = ocid(tender)
    amendments = sorted(tender.amendments.all(), key=lambda item: (item.made_at, item.pk))
    found = [Stage("tender", tender.published_at, f"{code}-tender", ())]
    for index, amendment in enumerate(amendments):
        found.append(
            Stage(
                "tenderAmendment",
                amendment.made_at,
                f"{code}-amendment-{amendment.pk}",
                tuple(amendments[: index + 1]),
            )
        )
    if tender.deadline_passed(now):
        found.append(
            Stage(
                "tenderUpdate",
                tender.submission_deadline,
                f"{code}-bids-closed",
                tuple(amendments),
                bids_closed=True,
            )
        )
    return found


# --------------------------------------------------------------------------- release parts


def _party_id(organisation) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-org-{organisation.pk}"


def _identifier(organisation) -> dict[str, str] | None:
    # org-id.guide schemes: Companies House and the Charity Commission for England and Wales.
    if organisation.company_number:
        return {"scheme": "GB-COH", "id": organisation.company_number}
    if organisation.charity_number:
        return {"scheme": "GB-CHC", "id": organisation.charity_number}
    return None


def _buyer(tender: Tender) -> dict[str, Any]:
    authority = tender.authority
    return _compact(
        {
            "id": _party_id(authority),
            "name": authority.name,
            "identifier": _identifier(authority),
            "address": {"countryName": "United Kingdom"},
            "roles": ["buyer", "procuringEntity"],
        }
    )


def _criterion_name(criterion, by_id: dict[int, Any]) -> str:
    """The criterion with the groups above it: "Social value: Local jobs: Apprenticeships"."""
    names = [criterion.name]
    parent = by_id.get(criterion.parent_id)
    while parent is not None:
        names.append(parent.name)
        parent = by_id.get(parent.parent_id)
    return ": ".join(reversed(names))


def _social_value(criterion) -> dict[str, Any] | None:
    priority = criterion.priority
    measures = sorted(criterion.measures.all(), key=lambda measure: measure.code)
    found = _compact(
        {
            "priority": priority
            and _compact(
                {
                    "id": str(priority.pk),
                    "theme": priority.theme,
                    "outcome": _text(priority.outcome),
                    "definition": _text(priority.definition.title),
                }
            ),
            "measures": [
                _compact({"id": measure.code, "name": measure.name, "unit": _text(measure.unit)})
                for measure in measures
            ],
        }
    )
    return found or None


def _share(value: Decimal) -> int | float:
    return number(Decimal(value).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP))


def award_criteria(lot: Lot) -> tuple[dict[str, Any] | None, Decimal]:
    """The lot's `awardCriteria` and the share of its score given to social value."""
    rows = list(lot.criteria.all())
    if not rows:
        return None, Decimal(0)
    report = criteria_layout.report(rows)
    by_id = {row.pk: row for row in rows}
    criteria = []
    for item in report.rows:
        if not item.is_leaf:
            continue
        criterion = item.criterion
        numbers_ = [{"number": _share(item.share), "weight": "percentageExact"}]
        if criterion.pass_mark is not None and criterion.kind != scoring.PRICE:
            numbers_.append({"number": number(criterion.pass_mark), "threshold": "minimumScore"})
        criteria.append(
            _compact(
                {
                    "id": str(criterion.pk),
                    # awardCriterionType: social value is scored as quality.
                    "type": "price" if criterion.kind == scoring.PRICE else "quality",
                    "name": _criterion_name(criterion, by_id),
                    "description": _describe(criterion),
                    "numbers": numbers_,
                    "socialValue": criterion.kind == scoring.SOCIAL_VALUE
                    and _social_value(criterion)
                    or None,
                }
            )
        )
    groups = ", ".join(
        f"{row.criterion.name} {numbers.percent(row.share)}" for row in report.rows if not row.depth
    )
    found = _compact(
        {
            "description": f"Share of the total score: {groups}." if groups else None,
            "criteria": criteria,
        }
    )
    return found or None, report.social_value_share


def _describe(criterion) -> str | None:
    """The question and its marking scale, as bidders read them."""
    if criterion.kind == scoring.PRICE:
        return None
    parts = [_text(criterion.question)]
    if criterion.max_mark is not None:
        parts.append(f"Marked from 0 to {numbers.plain(criterion.max_mark)}.")
    for item in criterion.descriptors or []:
        parts.append(f"{item.get('mark')}: {item.get('text')}")
    if criterion.word_limit:
        parts.append(f"Word limit: {criterion.word_limit}.")
    return _text("\n".join(part for part in parts if part))


def _lot(tender: Tender, lot: Lot, *, status: str) -> dict[str, Any]:
    criteria, social_value_share = award_criteria(lot)
    weighting = _compact(
        {
            "weight": _share(social_value_share) if criteria else None,
            "minimumWeight": number(tender.minimum_weighting_percent)
            if tender.minimum_weighting_percent is not None
            else None,
            "minimumWeightBasis": _text(tender.minimum_weighting_basis),
            "belowMinimumRationale": _text(tender.low_social_value_reason),
        }
    )
    return _compact(
        {
            "id": str(lot.number),
            "title": _text(lot.title),
            "description": _text(lot.description),
            "status": status,
            "value": _money(lot.estimated_value) if lot.estimated_value is not None else None,
            "suitability": _suitability(lot),
            "awardCriteria": criteria,
            "socialValue": weighting or None,
        }
    )


def _period(start: datetime | None, end: datetime | None) -> dict[str, str] | None:
    return _compact({"startDate": start and moment(start), "endDate": end and moment(end)}) or None


def _deadlines(tender: Tender, amendments: Sequence[TenderAmendment]):
    """The (bids, questions) deadlines in force after these amendments: an amendment keeps the
    deadlines before it, so the first one holds those the tender was published with."""
    if amendments:
        last = amendments[-1]
        return last.new_submission_deadline, last.new_clarification_deadline
    every = sorted(tender.amendments.all(), key=lambda item: (item.made_at, item.pk))
    if every:
        return every[0].old_submission_deadline, every[0].old_clarification_deadline
    return tender.submission_deadline, tender.clarification_deadline


def _documents(tender: Tender, amendments: Sequence[TenderAmendment]) -> list[dict[str, Any]]:
    made = {amendment.pk: amendment for amendment in amendments}
    found = []
    for document in sorted(tender.documents.all(), key=lambda item: item.pk):
        if document.amendment_id is not None and document.amendment_id not in made:
            continue  # added by a later amendment
        published = (
            made[document.amendment_id].made_at if document.amendment_id else tender.published_at
        )
        found.append(
            _compact(
                {
                    "id": str(document.pk),
                    "documentType": "biddingDocuments",
                    "title": _text(document.title),
                    "datePublished": moment(published),
                    "format": _text(document.content_type),
                }
            )
        )
    return found


def _amendment(amendment: TenderAmendment) -> dict[str, Any]:
    changes = []
    if amendment.submission_deadline_changed:
        changes.append(
            f"Deadline for bids moved from {moment(amendment.old_submission_deadline)} "
            f"to {moment(amendment.new_submission_deadline)}."
        )
    if amendment.clarification_deadline_changed:
        old = amendment.old_clarification_deadline
        new = amendment.new_clarification_deadline
        changes.append(
            f"Deadline for questions moved from {old and moment(old)} to {new and moment(new)}."
        )
    added = [document.title for document in amendment.documents.all()]
    if added:
        changes.append(f"Documents added: {'; '.join(added)}.")
    return _compact(
        {
            "id": str(amendment.pk),
            "date": moment(amendment.made_at),
            "rationale": _text(amendment.reason),
            "description": " ".join(changes) or None,
        }
    )


def _bid_statistics(tender: Tender, counts: dict[tuple[int, int], int], when: datetime):
    lots = sorted(tender.lots.all(), key=lambda lot: lot.number)
    total = sum(counts.get((tender.pk, lot.pk), 0) for lot in lots)
    found = [{"id": "bids", "measure": "bids", "value": total, "date": moment(when)}]
    if len(lots) > 1:
        found += [
            {
                "id": f"bids-lot-{lot.number}",
                "measure": "bids",
                "value": counts.get((tender.pk, lot.pk), 0),
                "date": moment(when),
                "relatedLot": str(lot.number),
            }
            for lot in lots
        ]
    return found


def release(
    tender: Tender,
    stage: Stage,
    *,
    bid_counts: dict[tuple[int, int], int],
    parts: AwardParts | None = None,
) -> dict:
    """The tender as it stood at this stage."""
    if stage.after_award:
        # tenderStatus: the tender is complete once awarded, under way again if withdrawn.
        status = "active" if stage.tag == "awardCancellation" else "complete"
    elif stage.tag == "tenderUpdate":
        status = _TENDER_STATUS[tender.status]
    else:
        status = "active"
    submission_deadline, clarification_deadline = _deadlines(tender, stage.amendments)
    buyer = _buyer(tender)
    reference = {"id": buyer["id"], "name": buyer["name"]}
    tender_data = _compact(
        {
            "id": str(tender.pk),
            "title": _text(tender.title),
            "description": _text(tender.description),
            "status": status,
            "procuringEntity": reference,
            "value": _money(tender.estimated_value) if tender.estimated_value is not None else None,
            "mainProcurementCategory": _CATEGORY.get(tender.contract_type),
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": _period(tender.published_at, submission_deadline),
            "enquiryPeriod": _period(tender.published_at, clarification_deadline),
            "awardPeriod": _compact({"endDate": tender.award_date and _day(tender.award_date)})
            or None,
            "contractPeriod": _compact(
                {
                    "startDate": tender.contract_start and _day(tender.contract_start),
                    "endDate": tender.contract_end and _day_end(tender.contract_end),
                }
            )
            or None,
            "documents": _documents(tender, stage.amendments),
            "suitability": _suitability(tender),
            "lots": [
                _lot(tender, lot, status=status)
                for lot in sorted(tender.lots.all(), key=lambda lot: lot.number)
            ],
            "amendments": [_amendment(amendment) for amendment in stage.amendments],
        }
    )
    data = {
        "ocid": ocid(tender),
        "id": stage.release_id,
        "date": moment(stage.date),
        "tag": [stage.tag],
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer],
        "buyer": reference,
        "tender": tender_data,
    }
    if stage.bids_closed:
        data["bids"] = {"statistics": _bid_statistics(tender, bid_counts, stage.date)}
    if stage.after_award and parts is not None:
        _add_award(data, tender, stage, parts)
    return data


# --------------------------------------------------------------------------- after the award


def _suitability(item) -> dict[str, bool] | None:
    """Suitability (suitability extension): said only where the tender or lot says it is
    suitable; silence is not a 'no'."""
    return (
        _compact(
            {
                "sme": True if item.suitable_for_sme else None,
                "vcse": True if item.suitable_for_vcse else None,
            }
        )
        or None
    )


# The organisation types that are voluntary, community or social enterprises (UK extension's
# `details.vcse`; the Procurement Regulations 2024, reg. 27 and 32, ask it of each supplier).
_VCSE = {BidderType.VOLUNTARY, BidderType.SOCIAL_ENTERPRISE}


def _party(organisation, roles: list[str]) -> dict[str, Any]:
    # Only what the organisation told the service: a VCSE says so by its type; an SME or a
    # large business did not say whether it is a VCSE, so nothing is published for it.
    details = {"vcse": True} if organisation.bidder_type in _VCSE else None
    return _compact(
        {
            "id": _party_id(organisation),
            "name": organisation.name,
            "identifier": _identifier(organisation),
            "roles": roles,
            "details": details,
        }
    )


def _reference(organisation) -> dict[str, str]:
    return {"id": _party_id(organisation), "name": organisation.name}


def _notice_at(notices, when: datetime):
    """The award notice in force at `when`: the latest issued by then."""
    issued = [notice for notice in notices if notice.issued_at <= when]
    return issued[-1] if issued else None


def _decisions_at(decisions, when: datetime) -> list:
    """Each lot's award decision as it stood at `when` (a decision set aside later still
    stood then)."""
    by_lot = {}
    for decision in decisions:
        if decision.decided_at <= when and (
            decision.set_aside_at is None or decision.set_aside_at > when
        ):
            by_lot[decision.lot_id] = decision
    return sorted(by_lot.values(), key=lambda decision: decision.lot.number)


def _award_status(decision, notice, when: datetime) -> str:
    """awardStatus (closed codelist): pending during standstill, active once it ended,
    cancelled once withdrawn, unsuccessful for a lot not awarded."""
    if decision.outcome != AwardOutcome.AWARD:
        return "unsuccessful"
    if notice.withdrawn_at is not None and notice.withdrawn_at <= when:
        return "cancelled"
    if notice.standstill_ended_at is not None and notice.standstill_ended_at <= when:
        return "active"
    return "pending"


def _sends_assessment_summaries(regime_key: str) -> bool:
    try:
        steps = award_rules.required_steps(regime_key)
    except KeyError:
        return False
    return any(step.key == "assessment_summary" for step in steps)


def _publishes_unsuccessful_prices(regime_key: str) -> bool:
    try:
        return award_rules.regime(regime_key).publication.unsuccessful_bid_prices
    except KeyError:
        return False


def _award(decision, notice, when: datetime) -> dict[str, Any]:
    bid = decision.bid
    summaries_sent = _sends_assessment_summaries(notice.regime)
    return _compact(
        {
            "id": f"award-{decision.pk}",
            "title": f"Lot {decision.lot.number}: {decision.lot.title}",
            "status": _award_status(decision, notice, when),
            "date": moment(decision.decided_at),
            "value": _money(bid.price) if bid is not None and bid.price is not None else None,
            "suppliers": [_reference(bid.bidder)] if bid is not None else [],
            "relatedLots": [str(decision.lot.number)],
            "relatedBids": [str(bid.pk)] if bid is not None else [],
            # UK extension: the standstill the regime's dated rule gave (tenders.award_rules);
            # the assessment summaries (Procurement Act 2023 s.50) go out as the award is issued.
            "standstillPeriod": _period(notice.issued_at, notice.standstill_ends_at),
            "assessmentSummariesDateSent": moment(notice.issued_at) if summaries_sent else None,
        }
    )


def _bid(bid, *, when: datetime, rejected_at, show_price: bool) -> dict[str, Any]:
    # bidStatus (closed codelist): a bid rejected as abnormally low is disqualified; every
    # other submitted bid was assessed, so valid.
    disqualified = rejected_at is not None and rejected_at <= when
    return _compact(
        {
            "id": str(bid.pk),
            "date": bid.submitted_at and moment(bid.submitted_at),
            "status": "disqualified" if disqualified else "valid",
            "tenderers": [_reference(bid.bidder)],
            "relatedLots": [str(bid.lot.number)],
            "value": _money(bid.price) if show_price and bid.price is not None else None,
        }
    )


def _proxy(commitment) -> dict[str, Any] | None:
    proxy = commitment.proxy_value
    if proxy is None:
        return None
    return _compact(
        {
            "value": _money(commitment.proxy_amount)
            if commitment.proxy_amount is not None
            else None,
            "version": str(proxy.pk),
            "validFrom": _day(proxy.valid_from),
            "source": _text(proxy.source_title),
            "sourceUrl": _text(proxy.source_url),
            "sourceConfirmed": proxy.source_confirmed,
        }
    )


def _commitment(commitment) -> dict[str, Any]:
    measure = commitment.measure
    return _compact(
        {
            "id": str(commitment.pk),
            "measure": _compact(
                {"id": measure.code, "name": measure.name, "unit": _text(measure.unit)}
            ),
            "quantity": number(commitment.quantity),
            "timing": _text(commitment.timing),
            "proxyValue": _proxy(commitment),
            "relatedCriterion": commitment.criterion_id and str(commitment.criterion_id),
        }
    )


def _delivery(period, line) -> dict[str, Any]:
    return _compact(
        {
            "id": f"{line.commitment_id}-period-{period.number}",
            "relatedCommitment": str(line.commitment_id),
            "period": {
                "startDate": _day(period.starts_on),
                "endDate": _day_end(period.ends_on),
            },
            "quantity": number(line.quantity),
            "verifiedDate": moment(line.verified_at),
        }
    )


def performance_failure(failure, supplier) -> dict[str, Any]:
    """A performance failure (from a registered source) as the UK extension's object."""
    return _compact(
        {
            "id": failure.id,
            "requirement": _text(failure.requirement),
            "description": _text(failure.description),
            "decisionDate": moment(failure.decided_at),
            "penaltyDate": failure.penalty_on and _day(failure.penalty_on),
            "penaltyType": failure.penalty_type or None,
            "penaltyTypeEntered": _text(failure.penalty_type_entered),
            "penaltyValue": _money(failure.penalty_value)
            if failure.penalty_value is not None
            else None,
            "partialTermination": _text(failure.partial_termination),
            "suppliers": [_reference(supplier)],
        }
    )


def _contract(contract, parts: AwardParts, when: datetime) -> dict[str, Any]:
    # contractStatus (closed codelist): signed and in force, or come to a close.
    ended = timezone_date(when) > contract.ends_on
    periods = [
        period
        for period in parts.implementation.periods.get(contract.pk, ())
        if period.verified_at <= when
    ]
    failures = [
        failure
        for failure in parts.implementation.failures.get(contract.pk, ())
        if failure.released_at <= when
    ]
    implementation = _compact(
        {
            "socialValueDelivery": [
                _delivery(period, line) for period in periods for line in period.lines
            ],
            "performanceFailures": [
                performance_failure(failure, contract.supplier) for failure in failures
            ],
        }
    )
    return _compact(
        {
            "id": f"contract-{contract.pk}",
            "awardID": f"award-{contract.award_decision_id}",
            "title": _text(contract.reference),
            "status": "terminated" if ended else "active",
            "value": _money(contract.value),
            "period": {
                "startDate": _day(contract.starts_on),
                "endDate": _day_end(contract.ends_on),
            },
            "dateSigned": _day(contract.signed_on),
            "relatedBids": [str(contract.bid_id)],
            "socialValueCommitments": [_commitment(item) for item in contract.commitments.all()],
            "implementation": implementation or None,
        }
    )


def timezone_date(when: datetime) -> date:
    """The UK day of a moment (a contract's days are UK days)."""
    return when.astimezone(UK).date()


def _add_award(data: dict, tender: Tender, stage: Stage, parts: AwardParts) -> None:
    """Add the awards, the bids, their parties and the contracts as they stood at this stage."""
    when = stage.date
    notice = _notice_at(parts.notices.get(tender.pk, ()), when)
    if notice is None:
        return
    # The awards the notice issued (a later withdrawal shows them cancelled, not gone).
    decisions = _decisions_at(parts.decisions.get(tender.pk, ()), notice.issued_at)
    awards = [_award(decision, notice, when) for decision in decisions]
    winners = {
        award["relatedBids"][0]
        for award in awards
        if award["status"] in ("pending", "active") and award.get("relatedBids")
    }
    show_prices = _publishes_unsuccessful_prices(notice.regime)
    bids = parts.bids.get(tender.pk, [])
    data["bids"]["details"] = [
        _bid(
            bid,
            when=when,
            rejected_at=parts.rejected.get(bid.pk),
            show_price=show_prices or str(bid.pk) in winners,
        )
        for bid in bids
    ]
    suppliers = {bid.bidder_id for bid in bids if str(bid.pk) in winners}
    bidders = {}
    for bid in bids:
        bidders.setdefault(bid.bidder_id, bid.bidder)
    data["parties"] += [
        _party(
            organisation,
            ["tenderer", "supplier"] if organisation.pk in suppliers else ["tenderer"],
        )
        for organisation in sorted(bidders.values(), key=lambda item: item.pk)
    ]
    if awards:
        data["awards"] = awards
    contracts = [
        _contract(contract, parts, when)
        for contract in parts.contracts.get(tender.pk, ())
        if contract.entered_at <= when
    ]
    if contracts:
        data["contracts"] = contracts


def releases(
    tenders: Iterable[Tender],
    *,
    bid_counts: dict[tuple[int, int], int],
    now: datetime,
    since: datetime | None = None,
    parts: AwardParts | None = None,
) -> list[dict]:
    """Every release of these tenders dated `since` or later, tender by tender, in date order.
    Without `parts` (tenders.selectors.ocds_award_parts) only the tender's own stages."""
    found = []
    for tender in tenders:
        for stage in stages(tender, now=now, parts=parts):
            if since is None or stage.date >= since:
                found.append(release(tender, stage, bid_counts=bid_counts, parts=parts))
    return found


def package(
    releases_: list[dict], *, uri: str, extension_url: str, published: datetime
) -> dict[str, Any]:
    """A release package: the releases with who publishes them and the extensions they use.
    `published` is the package's date (the newest release's, so that an unchanged package has
    the same bytes and the same ETag)."""
    data = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": moment(published),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME},
        "extensions": [*STANDARD_EXTENSIONS, *_more_extensions(releases_), extension_url],
        "releases": releases_,
    }
    if settings.OCDS_LICENSE_URL:
        data["license"] = settings.OCDS_LICENSE_URL
    return data


def _more_extensions(releases_: list[dict]) -> list[str]:
    """Extensions only some releases use: performance failures (the UK extension adds fields to
    the performance failures extension's object)."""
    for item in releases_:
        for contract in item.get("contracts", ()):
            if contract.get("implementation", {}).get("performanceFailures"):
                return [PERFORMANCE_FAILURES_EXTENSION]
    return []


def newest(releases_: list[dict], *, default: datetime) -> datetime:
    """The latest release date (the package's publishedDate), or `default` with none."""
    dates = [datetime.fromisoformat(item["date"].replace("Z", "+00:00")) for item in releases_]
    return max(dates, default=default)
