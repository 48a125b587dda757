"""Each stage of a published tender as an OCDS 1.1 release, and release packages.

A tender gives one release when it is published (tag `tender`), one for each amendment
(`tenderAmendment`: the deadlines and documents as amended) and, once bidding has closed, one
with how many bids each lot received (`tenderUpdate`, `bids.statistics`). Each release is the
state of the tender at its date, so a reader can replay the process. Only what the tender
publishes appears: never a draft, never a bid's contents, no bid count before the deadline.

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
from tenders import criteria as criteria_layout
from tenders import scoring
from tenders.models import ContractType, Lot, Tender, TenderAmendment, TenderStatus
from tenders.ocds.schemas import STANDARD_EXTENSIONS

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


def stages(tender: Tender, *, now: datetime) -> list[Stage]:
    """The tender's releases in date order (no release before it was published)."""
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


def release(tender: Tender, stage: Stage, *, bid_counts: dict[tuple[int, int], int]) -> dict:
    """The tender as it stood at this stage."""
    status = "active" if stage.tag != "tenderUpdate" else _TENDER_STATUS[tender.status]
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
                    "endDate": tender.contract_end and _day(tender.contract_end),
                }
            )
            or None,
            "documents": _documents(tender, stage.amendments),
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
    return data


def releases(
    tenders: Iterable[Tender],
    *,
    bid_counts: dict[tuple[int, int], int],
    now: datetime,
    since: datetime | None = None,
) -> list[dict]:
    """Every release of these tenders dated `since` or later, tender by tender, in date order."""
    found = []
    for tender in tenders:
        for stage in stages(tender, now=now):
            if since is None or stage.date >= since:
                found.append(release(tender, stage, bid_counts=bid_counts))
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
        "extensions": [*STANDARD_EXTENSIONS, extension_url],
        "releases": releases_,
    }
    if settings.OCDS_LICENSE_URL:
        data["license"] = settings.OCDS_LICENSE_URL
    return data


def newest(releases_: list[dict], *, default: datetime) -> datetime:
    """The latest release date (the package's publishedDate), or `default` with none."""
    dates = [datetime.fromisoformat(item["date"].replace("Z", "+00:00")) for item in releases_]
    return max(dates, default=default)
