"""What the opportunities API answers, declared once: these serializers write each answer and the
OpenAPI schema is read from them. Only what a tender publishes appears; nothing about bids."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socialvalue.kernel import numbers
from socialvalue.kernel.money import pounds
from socialvalue.models import Organisation
from tenders import criteria as criteria_layout
from tenders import scoring
from tenders.models import (
    Bid,
    Clarification,
    CriterionKind,
    Lot,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
)


class PoundsField(serializers.DecimalField):
    """Pounds to the penny (socialvalue.kernel.money.pounds, ROUND_HALF_UP) as a string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Pounds excluding VAT, 2 decimal places.")
        super().__init__(max_digits=None, decimal_places=2, read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return str(pounds(value))


class PlainNumberField(serializers.DecimalField):
    """A number as people write it, as a string: 40.000 is "40", 12.50 is "12.5"."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return numbers.plain(value)


class UTCDateTimeField(serializers.DateTimeField):
    """A moment in UTC ("...Z"), as the API has always given it, whatever the service's zone."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=UTC, **kwargs)


class PublishedSerializer(serializers.ModelSerializer):
    """Read-only model fields, moments in UTC."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


class TenderStatusSerializer(serializers.Serializer):
    """The status in force (`Tender.status_on`: a published tender past its deadline is closed)."""

    code = serializers.ChoiceField(choices=TenderStatus.choices, source="*")
    label = serializers.SerializerMethodField()

    def get_label(self, code: str) -> str:
        return str(TenderStatus(code).label)


class TenderAuthoritySerializer(PublishedSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class OpportunityLotSerializer(PublishedSerializer):
    class Meta:
        model = Lot
        fields = ["number", "title"]


class OpportunitySummarySerializer(PublishedSerializer):
    """A published tender as the opportunities list gives it."""

    authority = TenderAuthoritySerializer()
    estimated_value = PoundsField()
    status = TenderStatusSerializer(source="status_on")
    lots = OpportunityLotSerializer(many=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api-tender-detail", help_text="This tender in the API."
    )
    page = serializers.SerializerMethodField(
        help_text="This tender's page for people (sign-in needed)."
    )

    class Meta:
        model = Tender
        fields = [
            "id",
            "reference",
            "title",
            "authority",
            "contract_type",
            "estimated_value",
            "status",
            "clarification_deadline",
            "submission_deadline",
            "lots",
            "url",
            "page",
        ]

    def get_page(self, tender: Tender) -> str:
        return self.context["request"].build_absolute_uri(tender.get_absolute_url())


class CriterionPrioritySerializer(serializers.Serializer):
    theme = serializers.CharField()
    outcome = serializers.CharField()


class MarkDescriptorSerializer(serializers.Serializer):
    """What a mark means, as the authority wrote it."""

    mark = serializers.CharField()
    text = serializers.CharField()


# What only a marked question (a lowest-level quality or social value row) has; others give these.
_UNMARKED = {"question": "", "max_mark": None, "pass_mark": None, "word_limit": None}


class AwardCriterionSerializer(serializers.Serializer):
    """One row of a lot's award criteria tree (tenders.criteria.TreeRow), with its weight and its
    share of the total score. Marking details are given for questions only."""

    id = serializers.IntegerField(source="criterion.pk")
    parent = serializers.IntegerField(source="criterion.parent_id", allow_null=True)
    kind = serializers.ChoiceField(source="criterion.kind", choices=CriterionKind.choices)
    name = serializers.CharField(source="criterion.name")
    question = serializers.CharField(source="criterion.question")
    weight = PlainNumberField(source="criterion.weight", help_text="Percent of the level above.")
    share_of_total = PlainNumberField(source="share", help_text="Percent of the total score.")
    max_mark = PlainNumberField(source="criterion.max_mark", allow_null=True)
    pass_mark = PlainNumberField(source="criterion.pass_mark", allow_null=True)
    descriptors = serializers.SerializerMethodField()
    word_limit = serializers.IntegerField(source="criterion.word_limit", allow_null=True)
    priority = CriterionPrioritySerializer(source="criterion.priority", allow_null=True)
    measures = serializers.SerializerMethodField()

    @staticmethod
    def is_marked(row: criteria_layout.TreeRow) -> bool:
        return row.is_leaf and row.criterion.kind != scoring.PRICE

    def to_representation(self, row: criteria_layout.TreeRow) -> dict:
        data = super().to_representation(row)
        if not self.is_marked(row):
            data.update(_UNMARKED)
        return data

    @extend_schema_field(MarkDescriptorSerializer(many=True))
    def get_descriptors(self, row: criteria_layout.TreeRow) -> list[dict[str, str]]:
        """The words for each mark, lowest first: [{"mark": "0", "text": "No response"}, ...]."""
        return list(row.criterion.descriptors or []) if self.is_marked(row) else []

    def get_measures(self, row: criteria_layout.TreeRow) -> list[str]:
        """Codes of the measures bidders may commit to under the question."""
        return sorted(measure.code for measure in row.criterion.measures.all())


class TenderLotSerializer(PublishedSerializer):
    """A lot with its award criteria tree and the share of the score given to social value."""

    estimated_value = PoundsField(allow_null=True)
    social_value_share = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = [
            "number",
            "title",
            "description",
            "estimated_value",
            "social_value_share",
            "criteria",
        ]

    def _report(self, lot: Lot) -> criteria_layout.TreeReport:
        # Both fields read one report per lot, made once from the prefetched criteria.
        reports = self.context.setdefault("criteria_reports", {})
        if lot.pk not in reports:
            reports[lot.pk] = criteria_layout.report(list(lot.criteria.all()))
        return reports[lot.pk]

    def get_social_value_share(self, lot: Lot) -> str:
        """Percent of the total score, as people write it ("10", "12.5")."""
        return PlainNumberField().to_representation(self._report(lot).social_value_share)

    @extend_schema_field(AwardCriterionSerializer(many=True))
    def get_criteria(self, lot: Lot) -> list[dict]:
        rows = self._report(lot).rows
        return AwardCriterionSerializer(rows, many=True, context=self.context).data


class PriceMethodSerializer(serializers.Serializer):
    """How prices are scored: one of tenders.scoring.PRICE_METHODS and the tender's parameters."""

    code = serializers.CharField(source="price_method")
    label = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    params = serializers.SerializerMethodField()

    def get_label(self, tender: Tender) -> str:
        return tender.price_method_label

    def get_description(self, tender: Tender) -> str:
        method = scoring.PRICE_METHODS.get(tender.price_method)
        return method.description if method else ""

    def get_params(self, tender: Tender) -> dict[str, Any]:
        return tender.price_method_params or {}


class TenderDocumentSerializer(PublishedSerializer):
    name = serializers.CharField(source="original_name")

    class Meta:
        model = TenderDocument
        fields = ["title", "name", "size", "sha256"]


class TenderAmendmentSerializer(PublishedSerializer):
    submission_deadline = UTCDateTimeField(source="new_submission_deadline")
    previous_submission_deadline = UTCDateTimeField(source="old_submission_deadline")
    clarification_deadline = UTCDateTimeField(source="new_clarification_deadline", allow_null=True)
    previous_clarification_deadline = UTCDateTimeField(
        source="old_clarification_deadline", allow_null=True
    )
    documents = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="title", help_text="Titles of the documents added."
    )

    class Meta:
        model = TenderAmendment
        fields = [
            "made_at",
            "reason",
            "submission_deadline",
            "previous_submission_deadline",
            "clarification_deadline",
            "previous_clarification_deadline",
            "documents",
        ]


class TenderDetailSerializer(OpportunitySummarySerializer):
    """Everything a tender publishes: lots with award criteria and weights, dates, the price
    scoring method, documents and amendments."""

    lots = TenderLotSerializer(many=True)
    price_method = PriceMethodSerializer(source="*")
    documents = TenderDocumentSerializer(many=True)
    amendments = TenderAmendmentSerializer(many=True)

    class Meta(OpportunitySummarySerializer.Meta):
        fields = [
            *OpportunitySummarySerializer.Meta.fields,
            "description",
            "market_statement_url",
            "published_at",
            "evaluation_date",
            "award_date",
            "contract_start",
            "contract_end",
            "price_method",
            "price_breakdown_required",
            "documents",
            "amendments",
        ]


class PublishedClarificationSerializer(PublishedSerializer):
    """A question and its answer as published to every bidder; who asked is never given."""

    question = serializers.CharField(source="published_question")

    class Meta:
        model = Clarification
        fields = ["id", "question", "answer", "published_at"]


# --------------------------------------------------------------------------- an organisation's own


class OwnCommitmentSerializer(serializers.Serializer):
    """A social value commitment in the organisation's own bid."""

    measure = serializers.CharField(source="measure.code")
    unit = serializers.CharField(source="measure.unit")
    quantity = PlainNumberField()
    timing = serializers.CharField()
    question = serializers.IntegerField(source="criterion_id", allow_null=True)


class OwnBidSerializer(PublishedSerializer):
    """One of the organisation's own bids (read with its API token)."""

    tender = serializers.IntegerField(source="tender_id")
    tender_title = serializers.CharField(source="tender.title")
    lot = serializers.IntegerField(source="lot.number", help_text="The lot's number.")
    status = serializers.ChoiceField(choices=["draft", "submitted", "withdrawn"])
    price = PoundsField(allow_null=True)
    commitments = OwnCommitmentSerializer(many=True)

    class Meta:
        model = Bid
        fields = [
            "id",
            "tender",
            "tender_title",
            "lot",
            "status",
            "price",
            "submitted_at",
            "updated_at",
            "commitments",
        ]


# --------------------------------------------------------------------------- awards


class OrganisationIdentifierSerializer(serializers.Serializer):
    """An org-id.guide identifier: Companies House (GB-COH) or the Charity Commission for
    England and Wales (GB-CHC)."""

    scheme = serializers.ChoiceField(choices=["GB-COH", "GB-CHC"])
    id = serializers.CharField()


class PublicOrganisationSerializer(serializers.Serializer):
    """An organisation as the open data names it: its id here, its name and, where the service
    knows one, its registered number."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    identifier = serializers.SerializerMethodField()

    @extend_schema_field(OrganisationIdentifierSerializer(allow_null=True))
    def get_identifier(self, organisation: Organisation) -> dict[str, str] | None:
        if organisation.company_number:
            return {"scheme": "GB-COH", "id": organisation.company_number}
        if organisation.charity_number:
            return {"scheme": "GB-CHC", "id": organisation.charity_number}
        return None


class StandstillSerializer(serializers.Serializer):
    """The standstill the regime's dated rule gave the award (tenders.award_rules)."""

    rule = serializers.CharField(help_text="The rule as applied, in words.")
    start_date = serializers.DateField(allow_null=True, help_text="Its first day.")
    end_date = serializers.DateField(
        allow_null=True, help_text="Its last day: it ends at midnight at the end of it."
    )
    ends_at = UTCDateTimeField(allow_null=True)
    ended_at = UTCDateTimeField(
        allow_null=True, help_text="When the authority recorded its end (null until then)."
    )


# OCDS award status codelist: pending (issued, standstill running), active (standstill over or
# contract entered), unsuccessful (the lot was not awarded).
AWARD_STATUSES = [
    ("pending", "Issued; standstill running"),
    ("active", "Standstill over"),
    ("unsuccessful", "Not awarded"),
]


class AwardSerializer(serializers.Serializer):
    """A lot's issued award, as published: the winner and the awarded value (its price), the
    date issued, the standstill and when each bidder's letter was sent. Never another bidder's
    price or scores."""

    id = serializers.IntegerField(source="pk")
    tender = serializers.IntegerField(source="lot.tender_id")
    tender_title = serializers.CharField(source="lot.tender.title")
    tender_reference = serializers.CharField(source="lot.tender.reference")
    lot = serializers.IntegerField(source="lot.number", help_text="The lot's number.")
    lot_title = serializers.CharField(source="lot.title")
    buyer = PublicOrganisationSerializer(source="lot.tender.authority")
    status = serializers.SerializerMethodField()
    winner = PublicOrganisationSerializer(source="bid.bidder", allow_null=True)
    value = serializers.SerializerMethodField()
    date = UTCDateTimeField(source="awarded_at", help_text="When the award was issued.")
    regime = serializers.SerializerMethodField()
    assessment_summaries_sent_at = serializers.SerializerMethodField()
    standstill = serializers.SerializerMethodField()
    contract = serializers.SerializerMethodField()

    @staticmethod
    def _notice(decision):
        return decision.lot.tender.standing_notices[0]

    @extend_schema_field(serializers.ChoiceField(choices=AWARD_STATUSES))
    def get_status(self, decision) -> str:
        if decision.bid_id is None:
            return "unsuccessful"
        contract = getattr(decision, "contract", None)
        if contract is not None or self._notice(decision).standstill_ended_at is not None:
            return "active"
        return "pending"

    @extend_schema_field(
        PoundsField(
            allow_null=True,
            help_text="The winning price, pounds "
            "excluding VAT to the penny; null when not awarded.",
        )
    )
    def get_value(self, decision) -> str | None:
        if decision.bid_id is None or decision.bid.price is None:
            return None
        return PoundsField().to_representation(decision.bid.price)

    def get_regime(self, decision) -> str:
        """The procurement rules the award followed."""
        return str(self._notice(decision).get_regime_display())

    @extend_schema_field(
        UTCDateTimeField(
            help_text="When each assessed bidder's letter was issued: the assessment summary "
            "(Procurement Act 2023 s.50), the award decision letter (PCR 2015 reg. 86) or the "
            "notice of the decision (Provider Selection Regime)."
        )
    )
    def get_assessment_summaries_sent_at(self, decision) -> str:
        """When each assessed bidder's letter was issued: the assessment summary (Procurement
        Act 2023 s.50), the award decision letter (PCR 2015 reg. 86) or the notice of the
        decision (Provider Selection Regime)."""
        return UTCDateTimeField().to_representation(self._notice(decision).issued_at)

    @extend_schema_field(StandstillSerializer)
    def get_standstill(self, decision) -> dict:
        notice = self._notice(decision)
        rule = notice.standstill_rule or {}
        started = rule.get("started_on")
        return StandstillSerializer(
            {
                "rule": rule.get("description", ""),
                "start_date": started and date.fromisoformat(started),
                "end_date": notice.standstill_last_day,
                "ends_at": notice.standstill_ends_at,
                "ended_at": notice.standstill_ended_at,
            }
        ).data

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="The contract's id, once entered.")
    )
    def get_contract(self, decision) -> int | None:
        contract = getattr(decision, "contract", None)
        return contract.pk if contract is not None else None
