"""JSON API of public consultations (included from api_urls at /api/consultations/): the
consultations open now, or those closed (`?state=closed`), as the consultations page lists them,
with the published response summary once there is one. Public: no sign-in, throttled per
address, with ETags. A consultation is public from its opening date; responses are never given."""

from __future__ import annotations

import django_filters
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle

from compact import selectors
from compact.models import Consultation
from socialvalue.core.api import FIELD_ERRORS, ConditionalGetMixin, DetailSerializer, RulePermission


class OpenDataThrottle(AnonRateThrottle):
    scope = "open_data"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class ConsultationFilter(django_filters.FilterSet):
    """Open now (the default) or closed: the consultations page's one choice."""

    state = django_filters.ChoiceFilter(
        choices=[("open", "Open now"), ("closed", "Closed")],
        method="in_state",
        empty_label=None,
        error_messages={"invalid_choice": "Choose open or closed."},
        help_text="open (the default): open now; closed: past their closing date.",
    )

    class Meta:
        model = Consultation
        fields: list[str] = []

    def in_state(self, queryset, name, value):
        return queryset  # chosen in the view, which asks the selector for that state


class ConsultationSerializer(serializers.ModelSerializer):
    authority = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text="Its page for people.")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "authority",
            "subject",
            "description",
            "audience",
            "starts_on",
            "ends_on",
            "shorter_reason",
            "response",
            "page",
        ]

    def get_authority(self, consultation: Consultation) -> dict:
        return {"id": consultation.authority_id, "name": consultation.authority.name}

    def get_response(self, consultation: Consultation) -> dict | None:
        """The published summary of responses ("you said, we did"), or null before it."""
        if consultation.response_published_at is None:
            return None
        return {
            "summary": consultation.response_summary,
            "you_said_we_did": consultation.you_said_we_did,
            "published_at": serializers.DateTimeField().to_representation(
                consultation.response_published_at
            ),
        }

    def get_page(self, consultation: Consultation) -> str:
        return self.context["request"].build_absolute_uri(consultation.get_absolute_url())


class ConsultationPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(tags=["Consultations"])
class ConsultationListView(ConditionalGetMixin, ListAPIView):
    authentication_classes: list = []
    permission_classes = [RulePermission]
    permission = "compact.list_public_consultations"
    throttle_classes = [OpenDataThrottle]
    serializer_class = ConsultationSerializer
    pagination_class = ConsultationPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ConsultationFilter

    def get_queryset(self):
        state = "closed" if self.request.query_params.get("state") == "closed" else "open"
        return selectors.public_consultations(state=state)

    @extend_schema(
        operation_id="consultations",
        summary="Public consultations",
        description=(
            "Consultations open now (soonest closing first) or, with `state=closed`, those "
            "closed (latest first), with the published summary of responses once there is one."
        ),
        responses={
            200: ConsultationSerializer(many=True),
            400: FIELD_ERRORS,
            404: OpenApiResponse(DetailSerializer, description="No such page of results."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [path("", ConsultationListView.as_view(), name="api-consultations")]
