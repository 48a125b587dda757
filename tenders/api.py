"""Read-only JSON API for published opportunities (included from socialvalue/api_urls.py).

GET /api/opportunities/ lists published tenders with the filters of the opportunities page;
GET /api/tenders/<id>/ gives one tender's lots, award criteria, weights, dates and price method.
Only what a tender publishes: never a draft, never anything about bids (not even how many).
No sign-in: the same answer for everyone, read through tenders.selectors; throttled per address.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from socialvalue.kernel import numbers
from socialvalue.kernel.money import pounds
from tenders import criteria as criteria_layout
from tenders import scoring, selectors
from tenders.models import Tender, TenderStatus


class OpportunitiesThrottle(AnonRateThrottle):
    """Generous for a person or a script, low enough to stop someone hammering the service."""

    scope = "opportunities"
    rate = "120/minute"


class OpportunityPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class OpportunityFilters(serializers.Serializer):
    """The opportunities page's filters, as query parameters."""

    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Words in the title, description or reference."
    )
    authority = serializers.IntegerField(
        required=False, min_value=1, help_text="The buying authority's id."
    )
    value = serializers.ChoiceField(
        choices=(), required=False, allow_blank=True, help_text="A contract value band's key."
    )
    closing = serializers.ChoiceField(
        choices=sorted(selectors.CLOSING_WINDOWS, key=int),
        required=False,
        allow_blank=True,
        help_text="Closing within this many days.",
    )
    lot = serializers.CharField(
        required=False, allow_blank=True, help_text="Words in a lot's title or description."
    )
    closed = serializers.BooleanField(
        required=False, default=False, help_text="Include tenders whose deadline has passed."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [band.key for band in selectors.value_bands()]


def _money(value: Decimal | None) -> str | None:
    """Pounds to the penny (socialvalue.kernel.money.pounds, ROUND_HALF_UP) as a JSON string."""
    return None if value is None else str(pounds(value))


def _number(value: Decimal | None) -> str | None:
    return None if value is None else numbers.plain(value)


def _status(tender: Tender) -> dict:
    current = tender.status_on()
    return {"code": current, "label": TenderStatus(current).label}


def _summary(tender: Tender, request: Request) -> dict:
    return {
        "id": tender.pk,
        "reference": tender.reference,
        "title": tender.title,
        "authority": {"id": tender.authority_id, "name": tender.authority.name},
        "contract_type": tender.contract_type,
        "estimated_value": _money(tender.estimated_value),
        "status": _status(tender),
        "clarification_deadline": tender.clarification_deadline,
        "submission_deadline": tender.submission_deadline,
        "lots": [{"number": lot.number, "title": lot.title} for lot in tender.lots.all()],
        "url": request.build_absolute_uri(reverse("api-tender-detail", args=[tender.pk])),
        "page": request.build_absolute_uri(tender.get_absolute_url()),
    }


def _criterion(row: criteria_layout.TreeRow) -> dict:
    criterion = row.criterion
    marked = row.is_leaf and criterion.kind != scoring.PRICE
    return {
        "id": criterion.pk,
        "parent": criterion.parent_id,
        "kind": criterion.kind,
        "name": criterion.name,
        "question": criterion.question if marked else "",
        "weight": _number(criterion.weight),
        "share_of_total": _number(row.share),
        "max_mark": _number(criterion.max_mark) if marked else None,
        "pass_mark": _number(criterion.pass_mark) if marked else None,
        "descriptors": list(criterion.descriptors or []) if marked else [],
        "word_limit": criterion.word_limit if marked else None,
        "priority": (
            {"theme": criterion.priority.theme, "outcome": criterion.priority.outcome}
            if criterion.priority_id
            else None
        ),
        "measures": sorted(m.code for m in criterion.measures.all()),
    }


def _detail(tender: Tender, request: Request) -> dict:
    method = scoring.PRICE_METHODS.get(tender.price_method)
    lots = []
    for lot in tender.lots.all():
        report = criteria_layout.report(list(lot.criteria.all()))
        lots.append(
            {
                "number": lot.number,
                "title": lot.title,
                "description": lot.description,
                "estimated_value": _money(lot.estimated_value),
                "social_value_share": _number(report.social_value_share),
                "criteria": [_criterion(row) for row in report.rows],
            }
        )
    return {
        **_summary(tender, request),
        "description": tender.description,
        "market_statement_url": tender.market_statement_url,
        "published_at": tender.published_at,
        "evaluation_date": tender.evaluation_date,
        "award_date": tender.award_date,
        "contract_start": tender.contract_start,
        "contract_end": tender.contract_end,
        "price_method": {
            "code": tender.price_method,
            "label": method.label if method else tender.price_method,
            "description": method.description if method else "",
            "params": tender.price_method_params or {},
        },
        "price_breakdown_required": tender.price_breakdown_required,
        "lots": lots,
        "documents": [
            {
                "title": document.title,
                "name": document.original_name,
                "size": document.size,
                "sha256": document.sha256,
            }
            for document in tender.documents.all()
        ],
        "amendments": [
            {
                "made_at": amendment.made_at,
                "reason": amendment.reason,
                "submission_deadline": amendment.new_submission_deadline,
                "previous_submission_deadline": amendment.old_submission_deadline,
                "clarification_deadline": amendment.new_clarification_deadline,
                "previous_clarification_deadline": amendment.old_clarification_deadline,
                "documents": [document.title for document in amendment.documents.all()],
            }
            for amendment in tender.amendments.all()
        ],
    }


# Schema descriptions of the answers (the views build plain dicts, read through the selectors).
_STATUS = inline_serializer(
    "TenderStatus", {"code": serializers.CharField(), "label": serializers.CharField()}
)
_SUMMARY_FIELDS = {
    "id": serializers.IntegerField(),
    "reference": serializers.CharField(),
    "title": serializers.CharField(),
    "authority": inline_serializer(
        "TenderAuthority", {"id": serializers.IntegerField(), "name": serializers.CharField()}
    ),
    "contract_type": serializers.CharField(),
    "estimated_value": serializers.CharField(help_text="Pounds excluding VAT, 2 decimal places."),
    "status": _STATUS,
    "clarification_deadline": serializers.DateTimeField(allow_null=True),
    "submission_deadline": serializers.DateTimeField(allow_null=True),
    "url": serializers.URLField(help_text="This tender in the API."),
    "page": serializers.URLField(help_text="This tender's page for people (sign-in needed)."),
}
SUMMARY = inline_serializer(
    "OpportunitySummary",
    {
        **_SUMMARY_FIELDS,
        "lots": serializers.ListField(
            child=inline_serializer(
                "OpportunityLot",
                {"number": serializers.IntegerField(), "title": serializers.CharField()},
            )
        ),
    },
)
CRITERION = inline_serializer(
    "AwardCriterion",
    {
        "id": serializers.IntegerField(),
        "parent": serializers.IntegerField(allow_null=True),
        "kind": serializers.ChoiceField(
            choices=[scoring.PRICE, scoring.QUALITY, scoring.SOCIAL_VALUE]
        ),
        "name": serializers.CharField(),
        "question": serializers.CharField(),
        "weight": serializers.CharField(help_text="Percent of the level above."),
        "share_of_total": serializers.CharField(help_text="Percent of the total score."),
        "max_mark": serializers.CharField(allow_null=True),
        "pass_mark": serializers.CharField(allow_null=True),
        "descriptors": serializers.ListField(child=serializers.DictField()),
        "word_limit": serializers.IntegerField(allow_null=True),
        "priority": inline_serializer(
            "CriterionPriority",
            {"theme": serializers.CharField(), "outcome": serializers.CharField()},
            allow_null=True,
        ),
        "measures": serializers.ListField(child=serializers.CharField()),
    },
)
DETAIL = inline_serializer(
    "TenderDetail",
    {
        **_SUMMARY_FIELDS,
        "description": serializers.CharField(),
        "market_statement_url": serializers.CharField(),
        "published_at": serializers.DateTimeField(allow_null=True),
        "evaluation_date": serializers.DateField(allow_null=True),
        "award_date": serializers.DateField(allow_null=True),
        "contract_start": serializers.DateField(allow_null=True),
        "contract_end": serializers.DateField(allow_null=True),
        "price_method": inline_serializer(
            "PriceMethod",
            {
                "code": serializers.CharField(),
                "label": serializers.CharField(),
                "description": serializers.CharField(),
                "params": serializers.DictField(),
            },
        ),
        "price_breakdown_required": serializers.BooleanField(),
        "lots": serializers.ListField(
            child=inline_serializer(
                "TenderLot",
                {
                    "number": serializers.IntegerField(),
                    "title": serializers.CharField(),
                    "description": serializers.CharField(),
                    "estimated_value": serializers.CharField(allow_null=True),
                    "social_value_share": serializers.CharField(),
                    "criteria": serializers.ListField(child=CRITERION),
                },
            )
        ),
        "documents": serializers.ListField(child=serializers.DictField()),
        "amendments": serializers.ListField(child=serializers.DictField()),
    },
)
ERRORS = inline_serializer(
    "OpportunityFilterErrors", {"field_name": serializers.ListField(child=serializers.CharField())}
)
NOT_FOUND = inline_serializer("TenderNotFound", {"detail": serializers.CharField()})


class PublicReadView(APIView):
    """Public, read-only: no sign-in (so no answer differs by who asks), throttled."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [OpportunitiesThrottle]


class OpportunityListView(PublicReadView):
    @extend_schema(
        operation_id="opportunities_list",
        summary="Published opportunities",
        description=(
            "Tenders open for bids, soonest deadline first, with the filters of the "
            "opportunities page (`closed=true` adds those past their deadline). Paginated."
        ),
        parameters=[OpportunityFilters],
        responses={
            200: inline_serializer(
                "OpportunityPage",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": serializers.ListField(child=SUMMARY),
                },
            ),
            400: ERRORS,
        },
        tags=["Opportunities"],
    )
    def get(self, request: Request) -> Response:
        filters = OpportunityFilters(data=request.query_params)
        if not filters.is_valid():
            return Response(filters.errors, status=status.HTTP_400_BAD_REQUEST)
        data = filters.validated_data
        tenders = selectors.opportunities(
            user=AnonymousUser(),
            query=data.get("q", ""),
            authority_id=data.get("authority"),
            value_band=data.get("value", ""),
            closing_within_days=int(data["closing"]) if data.get("closing") else None,
            lot_query=data.get("lot", ""),
            include_closed=data["closed"],
        )
        paginator = OpportunityPagination()
        page = paginator.paginate_queryset(tenders, request, view=self)
        return paginator.get_paginated_response([_summary(t, request) for t in page])


class TenderDetailView(PublicReadView):
    @extend_schema(
        operation_id="tender_detail",
        summary="A published tender",
        description=(
            "A published tender's lots, award criteria with weights and share of the total "
            "score, marking scales, dates, price scoring method, documents and amendments. "
            "Drafts are not found; nothing about bids is ever included."
        ),
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: DETAIL, 404: NOT_FOUND},
        tags=["Opportunities"],
    )
    def get(self, request: Request, pk: int) -> Response:
        tender = selectors.public_tender(pk=pk)
        if tender is None:
            return Response({"detail": "No published tender has this id."}, status=404)
        return Response(_detail(tender, request))


urlpatterns = [
    path("opportunities/", OpportunityListView.as_view(), name="api-opportunities"),
    path("tenders/<int:pk>/", TenderDetailView.as_view(), name="api-tender-detail"),
]
