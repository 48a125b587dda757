"""JSON API of contracts and their delivery (included from socialvalue/api_urls.py under /api/).

GET /api/contracts/ lists every contract entered, with its parties, value, dates and social
value commitments; GET /api/contracts/<id>/ adds the verified delivery: accepted quantities
only, valued gross and net by `selectors.contract_figures`, exactly as the contract's delivery
page shows them. Both are public (no sign-in), throttled per address, with ETags.
GET /api/delivery/returns/ needs an API token: the returns of the token's organisation (as the
supplier) and the sent returns on its contracts (as the authority), nobody else's. Here rather
than in tenders.api because tenders may not import delivery (the layers in pyproject.toml).
"""

from __future__ import annotations

from django.urls import path
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination

from measurement.delivery import selectors, totals
from measurement.delivery.filters import ContractFilter, ReturnFilter
from measurement.delivery.models import LineStatus, ReturnStatus
from measurement.valuation import KINDS
from socialvalue.core.api import (
    FIELD_ERRORS,
    ID_IN_PATH,
    ApiTokenAuthentication,
    ConditionalGetMixin,
    DetailSerializer,
    RulePermission,
)
from socialvalue.kernel import numbers
from tenders.api.serializers import (
    PlainNumberField,
    PoundsField,
    PublicOrganisationSerializer,
    UTCDateTimeField,
)
from tenders.api.views import FormlessFilterBackend, OpenDataThrottle, OwnDataThrottle
from tenders.models import Contract

# --------------------------------------------------------------------------- serializers


class MeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    theme = serializers.CharField()


class ProxyVersionSerializer(serializers.Serializer):
    """The dated version of the measure's proxy value the commitment was offered at, with its
    source. `source_confirmed` is false where the figure was not seen in the primary source."""

    id = serializers.IntegerField()
    value = serializers.SerializerMethodField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    proxy_year = serializers.CharField()
    price_base = serializers.CharField()
    source_title = serializers.CharField()
    source_url = serializers.CharField()
    source_confirmed = serializers.BooleanField()

    @extend_schema_field(
        PlainNumberField(allow_null=True, help_text="Pounds per unit; null if not monetised.")
    )
    def get_value(self, proxy) -> str | None:
        return None if proxy.value is None else numbers.plain(proxy.value)


class CommitmentSerializer(serializers.Serializer):
    """A social value commitment of the contract, carried over from the winning bid."""

    id = serializers.IntegerField()
    measure = MeasureSerializer()
    quantity = PlainNumberField(help_text="In the measure's unit.")
    timing = serializers.CharField(help_text="When it will be delivered, as the supplier wrote.")
    proxy = ProxyVersionSerializer(source="proxy_value", allow_null=True)
    proxy_amount = PlainNumberField(
        allow_null=True, help_text="Pounds per unit the commitment was offered at."
    )


class ContractSerializer(serializers.Serializer):
    """A contract entered after an award: parties, value, dates and commitments."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    tender = serializers.IntegerField(source="tender_id")
    tender_title = serializers.CharField(source="tender.title")
    lot = serializers.IntegerField(source="lot.number", help_text="The lot's number.")
    award = serializers.IntegerField(
        source="award_decision_id", help_text="The award's id (GET /api/awards/)."
    )
    buyer = PublicOrganisationSerializer(source="tender.authority")
    supplier = PublicOrganisationSerializer()
    value = PoundsField()
    signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    commitments = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(
        view_name="api-contract-detail", help_text="This contract, with its delivery figures."
    )

    @extend_schema_field(CommitmentSerializer(many=True))
    def get_commitments(self, contract: Contract) -> list[dict]:
        return CommitmentSerializer(contract.commitments.all(), many=True).data


class DeliveredSideSerializer(serializers.Serializer):
    """Verified delivery to date (accepted quantities only), valued as the authority's totals
    page values it (measurement.delivery.totals.Side): welfare (the headline) and transfers
    kept apart, gross and net; values whose source is not yet confirmed left out (unless the
    contract's authority included them: then also counted in `included_*`)."""

    welfare_gross = PoundsField()
    welfare_net = PoundsField(help_text="The one figure to quote.")
    transfer_gross = PoundsField()
    transfer_net = PoundsField()
    left_out_gross = PoundsField(help_text="Unconfirmed values not counted above.")
    left_out_net = PoundsField()
    included_gross = PoundsField(help_text="Unconfirmed values counted above.")
    included_net = PoundsField()


class ContractListSerializer(ContractSerializer):
    """A contract in the list, with its verified delivery totals (the detail itemises them)."""

    delivered = serializers.SerializerMethodField()

    @extend_schema_field(DeliveredSideSerializer)
    def get_delivered(self, contract: Contract) -> dict:
        return DeliveredSideSerializer(self.context["delivered"][contract.pk]).data


class DeliveredCommitmentSerializer(serializers.Serializer):
    """A commitment's verified delivery (selectors.CommitmentFigures): accepted quantities
    only; values in the contract's price base, to the penny."""

    commitment = serializers.IntegerField(source="commitment.pk")
    measure = serializers.CharField(source="commitment.measure.code")
    committed = PlainNumberField()
    delivered = PlainNumberField(help_text="Accepted by the authority, to date.")
    committed_gross = PoundsField(allow_null=True)
    delivered_gross = PoundsField(allow_null=True)
    delivered_net = PoundsField(
        allow_null=True, help_text="Net of the contract's assumptions, discounted."
    )
    kind = serializers.ChoiceField(
        choices=KINDS, help_text="welfare (counted in the headline) or transfer (kept apart)."
    )
    confirmed = serializers.BooleanField(
        help_text="False where the proxy's source (or the deflator) is unconfirmed."
    )
    price_note = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    """Headline totals kept apart (measurement.valuation.Totals): welfare and transfers, gross
    and net; values from unconfirmed sources totalled apart."""

    welfare_gross = PoundsField()
    welfare_net = PoundsField(help_text="The one figure to quote.")
    transfer_gross = PoundsField()
    transfer_net = PoundsField()
    unconfirmed_gross = PoundsField()
    unconfirmed_net = PoundsField()
    unconfirmed_included = serializers.BooleanField()


class DeliverySerializer(serializers.Serializer):
    """The contract's verified delivery as its delivery page computes it."""

    price_base = serializers.CharField(help_text="The financial year whose prices values are in.")
    assumptions = serializers.ListField(child=serializers.CharField())
    totals = TotalsSerializer(allow_null=True)
    commitments = DeliveredCommitmentSerializer(many=True)


class ContractDetailSerializer(ContractSerializer):
    delivery = serializers.SerializerMethodField()

    @extend_schema_field(DeliverySerializer)
    def get_delivery(self, contract: Contract) -> dict:
        return DeliverySerializer(selectors.contract_figures(contract)).data


class EvidenceSerializer(serializers.Serializer):
    """A file's description and name; never the file."""

    description = serializers.CharField()
    name = serializers.CharField(source="original_name")


class ReturnLineSerializer(serializers.Serializer):
    commitment = serializers.IntegerField(source="commitment_id")
    measure = serializers.CharField(source="commitment.measure.code")
    unit = serializers.CharField(source="commitment.measure.unit")
    quantity = PlainNumberField()
    variance_note = serializers.CharField()
    status = serializers.ChoiceField(choices=LineStatus.choices, help_text="Its verification.")
    decided_at = UTCDateTimeField(allow_null=True)
    evidence = EvidenceSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    due_on = serializers.DateField()


class DeliveryReturnSerializer(serializers.Serializer):
    """A return for one reporting period, with its lines and their verification."""

    id = serializers.IntegerField()
    contract = serializers.IntegerField(source="period.contract_id")
    contract_reference = serializers.CharField(source="period.contract.reference")
    tender_title = serializers.CharField(source="period.contract.tender.title")
    supplier = serializers.CharField(source="period.contract.supplier.name")
    period = PeriodSerializer()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    submitted_at = UTCDateTimeField(allow_null=True)
    lines = ReturnLineSerializer(many=True)


# --------------------------------------------------------------------------- views


class ContractPagination(CursorPagination):
    """Oldest first; the cursor survives contracts entered while a client pages."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class PublicContractView(ConditionalGetMixin):
    authentication_classes: list = []
    permission_classes = [RulePermission]
    permission = "delivery.list_public_contracts"
    throttle_classes = [OpenDataThrottle]


@extend_schema(tags=["Awards and contracts"])
class ContractListView(PublicContractView, ListAPIView):
    serializer_class = ContractListSerializer
    pagination_class = ContractPagination
    filter_backends = [FormlessFilterBackend]
    filterset_class = ContractFilter

    def get_queryset(self):
        return selectors.public_contracts()

    def list(self, request, *args, **kwargs):
        """The page's contracts with their verified delivery, summed by the database for the
        whole page at once (totals.contract_rows: one query however many contracts)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = totals.contract_rows(page, delivered_only=True)
        context = {
            **self.get_serializer_context(),
            "delivered": {row.contract.pk: row.bucket.delivered for row in rows},
        }
        serializer = self.get_serializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="contracts",
        summary="Contracts",
        description=(
            "Every contract entered after an award: buyer, supplier, value, dates and the "
            "social value commitments (measure, unit, quantity, when, and the proxy value "
            "version with its source), and its verified delivery to date in `delivered` "
            "(accepted quantities valued gross and net; each commitment's at its `url`). "
            "Oldest first, paginated by cursor."
        ),
        responses={
            200: ContractListSerializer(many=True),
            400: FIELD_ERRORS,
            404: OpenApiResponse(DetailSerializer, description="The cursor is not one we gave."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["Awards and contracts"])
class ContractDetailView(PublicContractView, RetrieveAPIView):
    serializer_class = ContractDetailSerializer
    not_found = "No contract has this id."

    def get_object(self):
        contract = selectors.public_contract(pk=self.kwargs["pk"])
        if contract is None:
            raise NotFound(self.not_found)
        return contract

    @extend_schema(
        operation_id="contract",
        summary="A contract and its verified delivery",
        description=(
            "A contract with its commitments and its verified delivery: for each commitment "
            "the quantity accepted by the authority to date (reported quantities awaiting "
            "checks are not counted), valued gross and net in the price base of the year the "
            "contract was signed, with the assumptions used and the headline totals (welfare "
            "and transfers apart; values from unconfirmed sources totalled apart), as the "
            "contract's delivery page shows them."
        ),
        parameters=[ID_IN_PATH],
        responses={200: ContractDetailSerializer, 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReturnPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(tags=["Your organisation"])
class DeliveryReturnListView(ConditionalGetMixin, ListAPIView):
    """The returns an API token's organisation may read (`Authorization: Bearer <key>`)."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [RulePermission]
    permission = "delivery.read_returns"
    throttle_classes = [OwnDataThrottle]
    serializer_class = DeliveryReturnSerializer
    pagination_class = ReturnPagination
    filter_backends = [FormlessFilterBackend]
    filterset_class = ReturnFilter

    def get_queryset(self):
        return selectors.returns_readable_by(self.request.user)

    @extend_schema(
        operation_id="delivery_returns",
        summary="Your organisation's delivery returns",
        description=(
            "As a supplier, your organisation's returns (drafts included); as an authority, "
            "the sent returns on your contracts. Each with its period, its lines (quantity, "
            "variance note, verification status) and the names of the evidence files (never "
            "the files). Newest first, paginated by cursor. Needs a token made on the API "
            "tokens page of your account, for the organisation concerned."
        ),
        responses={
            200: DeliveryReturnSerializer(many=True),
            400: FIELD_ERRORS,
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


urlpatterns = [
    path("contracts/", ContractListView.as_view(), name="api-contracts"),
    path("contracts/<int:pk>/", ContractDetailView.as_view(), name="api-contract-detail"),
    path("delivery/returns/", DeliveryReturnListView.as_view(), name="api-delivery-returns"),
]
