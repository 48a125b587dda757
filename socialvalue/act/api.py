"""JSON API for the Social Value Act check: POST /api/act/assess/ (included from api_urls).

The same inputs as `manage.py assess_act` (its option names, snake_case) and the same output.
No sign-in is needed: the check uses only public law and the figures the caller sends, and
reveals nothing held about any organisation. Anonymous callers are throttled per client address
(DRF's throttle, counting in the shared cache; the address is read as NUM_PROXIES says).
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from socialvalue.act.engine import (
    AUTHORITY_TYPES,
    CONTRACT_KINDS,
    CONTRACT_TYPES,
    MAIN_PURPOSES,
    MIXED_WITH,
    NATIONS,
    SERVICE_CATEGORIES,
    VAT_BASES,
    ActInputError,
)
from socialvalue.act.interface import inputs_from_external
from socialvalue.act.services import run_check
from socialvalue.core.api import FIELD_ERRORS, RulePermission
from socialvalue.kernel import limits


class ActCheckThrottle(AnonRateThrottle):
    """Generous for a person or a script, low enough to stop someone hammering the service."""

    scope = "act_check"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class LimitedDecimalField(serializers.DecimalField):
    """A decimal input within one of the service's limits (socialvalue.kernel.limits), read as the
    forms read it (a string or a JSON number; '£' and commas allowed) and refused with the
    same messages. The schema shows the limit's range and decimal places."""

    def __init__(self, limit: limits.Limit, *, what: str, **kwargs) -> None:
        self.limit, self.what = limit, what
        super().__init__(
            max_digits=limit.max_digits,
            decimal_places=limit.places,
            min_value=limit.minimum,
            max_value=limit.maximum,
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float | Decimal):
            raise serializers.ValidationError(f"Enter {self.what} as a number.")
        try:
            value = self.limit.read(str(data), what=self.what)
        except limits.LimitError as error:
            raise serializers.ValidationError(error.message) from None
        if value is None:
            self.fail("invalid")
        return value


class ActInputsSerializer(serializers.Serializer):
    """The inputs, named as the assess_act options. Amounts may be strings or numbers."""

    authority_type = serializers.ChoiceField(choices=AUTHORITY_TYPES)
    nation = serializers.ChoiceField(choices=NATIONS)
    contract_type = serializers.ChoiceField(choices=CONTRACT_TYPES)
    service_category = serializers.ChoiceField(choices=SERVICE_CATEGORIES, required=False)
    value = LimitedDecimalField(
        limits.MONEY,
        what="a value",
        help_text="Estimated total value over the whole term, in pounds.",
    )
    vat = serializers.ChoiceField(
        choices=VAT_BASES, default="inclusive", help_text="Whether value includes VAT."
    )
    vat_rate = LimitedDecimalField(
        limits.PERCENT,
        what="a VAT rate",
        required=False,
        allow_null=True,
        help_text="Percent; default: the standard VAT rate in the dated rules data.",
    )
    services_value = LimitedDecimalField(
        limits.MONEY,
        what="a services value",
        required=False,
        allow_null=True,
        help_text="Mixed contracts only: the part of value that is services.",
    )
    framework = serializers.BooleanField(default=False)
    call_off = serializers.BooleanField(default=False)
    date = serializers.DateField(
        required=False, help_text="When the procurement starts (default: today)."
    )
    devolved_functions = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="Wales only; omit or null to infer from the authority type where clear.",
    )
    central_government_authority = serializers.BooleanField(required=False, allow_null=True)
    urgent = serializers.BooleanField(default=False)
    dps = serializers.BooleanField(
        default=False, help_text="A contract under a dynamic purchasing system or dynamic market."
    )
    psr = serializers.BooleanField(
        default=False, help_text="Health care arranged under the NHS Provider Selection Regime."
    )
    mixed_with = serializers.ChoiceField(
        choices=MIXED_WITH, required=False, help_text="Mixed contracts: goods (default) or works."
    )
    main_purpose = serializers.ChoiceField(
        choices=MAIN_PURPOSES,
        required=False,
        allow_null=True,
        help_text="Required when mixed_with is works.",
    )
    contract_kind = serializers.ChoiceField(choices=CONTRACT_KINDS, default="public")


class ActSourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    confirmed = serializers.BooleanField()
    quote = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True)


class ActRegimeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ActAnswerSerializer(serializers.Serializer):
    """The answer as the API gives it: the engine's JSON form (`Assessment.to_dict()`, which the
    assess_act command prints and a recorded check keeps), field by field, in its order."""

    applies = serializers.BooleanField(
        allow_null=True, help_text="True, False, or null when it depends (see missing)."
    )
    regime = ActRegimeSerializer(allow_null=True)
    threshold = serializers.CharField(
        allow_null=True, help_text="Pounds, 2 decimal places (ROUND_HALF_UP)."
    )
    threshold_includes_vat = serializers.BooleanField(allow_null=True)
    value_compared = serializers.CharField(
        allow_null=True, help_text="The value on the threshold's VAT basis, 2 places."
    )
    reasons = serializers.ListField(child=serializers.CharField())
    encouraged = serializers.BooleanField(
        help_text="Guidance encourages considering social value though the Act does not require it."
    )
    source = ActSourceSerializer(allow_null=True)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Inputs the answer depends on."
    )
    schedule_id = serializers.CharField(allow_null=True)
    rule_sources = ActSourceSerializer(many=True)


class ActAssessView(APIView):
    """Does the Public Services (Social Value) Act 2012 apply?"""

    authentication_classes: list = []
    permission_classes = [RulePermission]
    permission = "socialvalue.run_act_check"
    throttle_classes = [ActCheckThrottle]

    @extend_schema(
        operation_id="act_assess",
        summary="Does the Social Value Act apply?",
        description=(
            "Runs the same rules as `manage.py assess_act` over dated threshold data and returns "
            "the answer with its reasons and sources. No sign-in needed; throttled per client "
            "address. Errors are a JSON object keyed by the input at fault."
        ),
        request=ActInputsSerializer,
        responses={200: ActAnswerSerializer, 400: FIELD_ERRORS},
        examples=[
            OpenApiExample(
                "Light touch social care, England",
                request_only=True,
                value={
                    "authority_type": "local_authority",
                    "nation": "england",
                    "contract_type": "services",
                    "service_category": "light_touch",
                    "value": "300000",
                    "vat": "exclusive",
                    "date": "2026-09-01",
                },
            )
        ],
        tags=["Social Value Act"],
    )
    def post(self, request: Request) -> Response:
        serializer = ActInputsSerializer(data=request.data)
        if isinstance(request.data, dict):
            unknown = sorted(set(request.data) - set(serializer.fields))
            if unknown:
                return Response(
                    {unknown[0]: ["is not an input of the Social Value Act check."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        given = {k: v for k, v in serializer.validated_data.items() if v is not None}
        try:
            inputs = inputs_from_external(given, today=timezone.localdate())
        except ActInputError as error:
            return Response({error.field: [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ActAnswerSerializer(run_check(inputs).to_dict()).data)


urlpatterns = [path("assess/", ActAssessView.as_view(), name="api-act-assess")]
