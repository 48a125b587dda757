"""JSON API of market statements: each authority's adopted local definition of social value,
with its priorities and the measures chosen for them (included from api_urls at
/api/market-statements/). Public, as the market statement page is: no sign-in, throttled per
address, with ETags. Only adopted definitions; never a draft or one in review."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import AnonRateThrottle

from socialvalue.core.api import ConditionalGetMixin, DetailSerializer, RulePermission
from socialvalue.core.models import Organisation
from socialvalue.definitions import selectors
from socialvalue.definitions.models import LocalDefinition, Priority, PriorityMeasure
from socialvalue.kernel import numbers


class OpenDataThrottle(AnonRateThrottle):
    scope = "open_data"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class PriorityMeasureSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="measure.code")
    name = serializers.CharField(source="measure.name")
    unit = serializers.CharField(source="measure.unit")
    target_quantity = serializers.SerializerMethodField()

    class Meta:
        model = PriorityMeasure
        fields = ["code", "name", "unit", "target_quantity", "target_text"]

    def get_target_quantity(self, link: PriorityMeasure) -> str | None:
        """The local target, as people write it ("12.5"), or null."""
        return None if link.target_quantity is None else numbers.plain(link.target_quantity)


class PrioritySerializer(serializers.ModelSerializer):
    measures = PriorityMeasureSerializer(many=True)

    class Meta:
        model = Priority
        fields = ["id", "theme", "outcome", "description", "measures"]


class AdoptedDefinitionSerializer(serializers.ModelSerializer):
    priorities = PrioritySerializer(many=True)

    class Meta:
        model = LocalDefinition
        fields = [
            "id",
            "title",
            "statement",
            "version",
            "effective_from",
            "review_on",
            "voluntary_sector_role",
            "priorities",
        ]


class MarketStatementSerializer(serializers.Serializer):
    authority = serializers.SerializerMethodField()
    definition = AdoptedDefinitionSerializer()

    def get_authority(self, statement: dict) -> dict:
        authority = statement["authority"]
        return {"id": authority.pk, "slug": authority.slug, "name": authority.name}


class AuthoritySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-market-statement", lookup_field="slug", help_text="Its market statement."
    )

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "url"]


class AuthorityPagination(CursorPagination):
    ordering = ("name", "pk")
    page_size = 50


class PublicView(ConditionalGetMixin):
    authentication_classes: list = []
    permission_classes = [RulePermission]
    permission = "socialvalue.read_market_statements"
    throttle_classes = [OpenDataThrottle]


@extend_schema(tags=["Market statements"])
class MarketStatementListView(PublicView, ListAPIView):
    serializer_class = AuthoritySerializer
    pagination_class = AuthorityPagination

    def get_queryset(self):
        return selectors.authorities_with_adopted_definitions()

    @extend_schema(
        operation_id="market_statements",
        summary="Authorities with a market statement",
        description="Authorities that have adopted a local definition of social value.",
        responses={200: AuthoritySerializer(many=True), 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["Market statements"])
class MarketStatementView(PublicView, RetrieveAPIView):
    serializer_class = MarketStatementSerializer

    def get_object(self):
        authority = Organisation.objects.filter(slug=self.kwargs["slug"], kind="authority").first()
        definition = authority and selectors.adopted_definition_for(authority=authority)
        if not definition:
            raise NotFound("No authority with an adopted definition has this slug.")
        return {"authority": authority, "definition": definition}

    @extend_schema(
        operation_id="market_statement",
        summary="An authority's market statement",
        description=(
            "The local definition of social value the authority has adopted: its statement, "
            "priorities by theme and the measures chosen for each, with local targets."
        ),
        parameters=[
            # What the URL's slug converter accepts: anything else is not a route at all.
            OpenApiParameter(
                "slug",
                {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                OpenApiParameter.PATH,
                description="The authority's slug (from the list).",
            )
        ],
        responses={200: MarketStatementSerializer, 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("", MarketStatementListView.as_view(), name="api-market-statements"),
    path("<slug:slug>/", MarketStatementView.as_view(), name="api-market-statement"),
]
