"""The opportunities API's endpoints: public, read-only, throttled per address."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.cache import patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from socialvalue.core.api import (
    FIELD_ERRORS,
    ID_IN_PATH,
    ApiTokenAuthentication,
    ConditionalGetMixin,
    DetailSerializer,
    RulePermission,
)
from tenders import selectors
from tenders.api.serializers import (
    AwardSerializer,
    OpportunitySummarySerializer,
    OwnBidSerializer,
    PublishedClarificationSerializer,
    TenderDetailSerializer,
)
from tenders.filters import AwardFilter, OpportunityFilter


class OpportunitiesThrottle(AnonRateThrottle):
    """Generous for a person or a script, low enough to stop someone hammering the service."""

    scope = "opportunities"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class OpportunityPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class OpportunityFilterBackend(DjangoFilterBackend):
    """The opportunity filters, without a form on the browsable API's page: its list of
    authorities would name every authority on the service, which the API does not reveal."""

    def to_html(self, request, queryset, view):
        return None


class FormlessFilterBackend(DjangoFilterBackend):
    """Filters with no form on the browsable API's page: its lists of buyers and suppliers would
    name every organisation on the service, which the API does not reveal."""

    def to_html(self, request, queryset, view):
        return None


class PublicReadView:
    """Public, read-only: no sign-in (so no answer differs by who asks), throttled; the views
    add `ConditionalGetMixin` (ETag, If-None-Match)."""

    authentication_classes: list = []
    permission_classes = [RulePermission]
    throttle_classes = [OpportunitiesThrottle]


@extend_schema(tags=["Opportunities"])
class OpportunityListView(ConditionalGetMixin, PublicReadView, ListAPIView):
    permission = "tenders.list_published_tenders"
    serializer_class = OpportunitySummarySerializer
    pagination_class = OpportunityPagination
    filter_backends = [OpportunityFilterBackend]
    filterset_class = OpportunityFilter

    def get_queryset(self):
        return selectors.opportunities(user=AnonymousUser()).defer("description")

    @extend_schema(
        operation_id="opportunities_list",
        summary="Published opportunities",
        description=(
            "Tenders open for bids, soonest deadline first, with the filters of the "
            "opportunities page (`closed=true` adds those past their deadline). Paginated."
        ),
        responses={
            200: OpportunitySummarySerializer(many=True),
            400: FIELD_ERRORS,
            404: OpenApiResponse(DetailSerializer, description="No such page of results."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["Opportunities"])
class TenderDetailView(ConditionalGetMixin, PublicReadView, RetrieveAPIView):
    permission = "tenders.list_published_tenders"
    object_permission = "tenders.read_published_tender"
    not_found = "No published tender has this id."
    serializer_class = TenderDetailSerializer

    def get_object(self):
        tender = selectors.public_tender(pk=self.kwargs["pk"])
        if tender is None:
            raise NotFound(self.not_found)
        self.check_object_permissions(self.request, tender)
        return tender

    @extend_schema(
        operation_id="tender_detail",
        summary="A published tender",
        description=(
            "A published tender's lots, award criteria with weights and share of the total "
            "score, marking scales, dates, price scoring method, documents and amendments. "
            "Drafts are not found; nothing about bids is ever included."
        ),
        parameters=[ID_IN_PATH],
        responses={200: TenderDetailSerializer, 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ClarificationPagination(CursorPagination):
    ordering = ("published_at", "pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(tags=["Opportunities"])
class TenderClarificationListView(ConditionalGetMixin, PublicReadView, ListAPIView):
    """The clarifications a published tender's authority published to all bidders."""

    permission = "tenders.list_published_tenders"
    object_permission = "tenders.read_published_tender"
    not_found = "No published tender has this id."
    serializer_class = PublishedClarificationSerializer
    pagination_class = ClarificationPagination

    def get_queryset(self):
        tender = selectors.public_tender(pk=self.kwargs["pk"])
        if tender is None:
            raise NotFound(self.not_found)
        self.check_object_permissions(self.request, tender)
        return selectors.published_clarifications(tender=tender)

    @extend_schema(
        operation_id="tender_clarifications",
        summary="A published tender's clarifications",
        description=(
            "The questions and answers published to every bidder, oldest first, as the "
            "authority published them (never naming who asked). Paginated by cursor."
        ),
        parameters=[ID_IN_PATH],
        responses={
            200: PublishedClarificationSerializer(many=True),
            404: OpenApiResponse(DetailSerializer),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OwnDataThrottle(UserRateThrottle):
    """Per person, counted in the shared cache."""

    scope = "own_data"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class OwnBidPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(tags=["Your organisation"])
class OwnBidListView(ConditionalGetMixin, ListAPIView):
    """The bids of the organisation an API token belongs to (`Authorization: Bearer <key>`):
    its own bids only, read through the sealed managers' `own`; no other organisation's."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [RulePermission]
    permission = "tenders.read_own_bids"
    throttle_classes = [OwnDataThrottle]
    serializer_class = OwnBidSerializer
    pagination_class = OwnBidPagination

    def get_queryset(self):
        return selectors.own_bids_with_commitments(user=self.request.user)

    @extend_schema(
        operation_id="own_bids",
        summary="Your organisation's bids",
        description=(
            "The bids of the organisation your API token belongs to, newest first, with their "
            "price and social value commitments. Needs a token (made on the API tokens page of "
            "your account) held by a person with the bidder role there."
        ),
        responses={
            200: OwnBidSerializer(many=True),
            401: OpenApiResponse(DetailSerializer),
            403: OpenApiResponse(DetailSerializer),
            404: OpenApiResponse(DetailSerializer, description="The cursor is not one we gave."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])  # each token's answer is its own
        return response


class OpenDataThrottle(AnonRateThrottle):
    """Awards and contracts: per address, in the shared cache."""

    scope = "open_data"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class AwardPagination(CursorPagination):
    """Oldest first; the cursor survives awards issued while a client pages."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(tags=["Awards and contracts"])
class AwardListView(ConditionalGetMixin, ListAPIView):
    """Every issued award, lot by lot: public, read through tenders.selectors.published_awards."""

    authentication_classes: list = []
    permission_classes = [RulePermission]
    permission = "tenders.list_published_awards"
    throttle_classes = [OpenDataThrottle]
    serializer_class = AwardSerializer
    pagination_class = AwardPagination
    filter_backends = [FormlessFilterBackend]
    filterset_class = AwardFilter

    def get_queryset(self):
        return selectors.published_awards()

    @extend_schema(
        operation_id="awards",
        summary="Published awards",
        description=(
            "Each lot of every tender whose award has been issued: the winner (name and "
            "registered number), the awarded value (the winning price), when it was issued, "
            "the standstill and when each bidder's assessment summary was sent; a lot not "
            "awarded has status `unsuccessful` and no winner. Never another bidder's price or "
            "scores. Oldest first, paginated by cursor."
        ),
        responses={
            200: AwardSerializer(many=True),
            400: FIELD_ERRORS,
            404: OpenApiResponse(DetailSerializer, description="The cursor is not one we gave."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
