"""The opportunities API's endpoints: public, read-only, throttled per address."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle

from socialvalue.core.api import (
    FIELD_ERRORS,
    ConditionalGetMixin,
    DetailSerializer,
    RulePermission,
)
from tenders import selectors
from tenders.api.serializers import OpportunitySummarySerializer, TenderDetailSerializer
from tenders.filters import OpportunityFilter


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
        return selectors.opportunities(user=AnonymousUser())

    @extend_schema(
        operation_id="opportunities_list",
        summary="Published opportunities",
        description=(
            "Tenders open for bids, soonest deadline first, with the filters of the "
            "opportunities page (`closed=true` adds those past their deadline). Paginated."
        ),
        responses={200: OpportunitySummarySerializer(many=True), 400: FIELD_ERRORS},
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
        responses={200: TenderDetailSerializer, 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
