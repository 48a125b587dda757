"""The filters of the contracts and returns API, declared once (django-filter): the schema
describes them from here, and a refused value is answered 400 naming the parameter."""

from __future__ import annotations

import django_filters

from measurement.delivery.models import DeliveryReturn, ReturnStatus
from socialvalue.models import Organisation
from tenders.filters import DateRangeForm
from tenders.models import Contract

_ISO_DATE = {"invalid": "Enter a date in ISO 8601 format, like 2026-04-01."}


def _authorities(request):
    return Organisation.objects.filter(kind="authority")


def _suppliers(request):
    return Organisation.objects.filter(kind="bidder")


def _contracts(request):
    return Contract.objects.all()  # contracts are public: naming one reveals nothing


class ContractFilter(django_filters.FilterSet):
    """Buyer, supplier, and when the contract was signed."""

    buyer = django_filters.ModelChoiceFilter(
        label="Buyer",
        field_name="tender__authority",
        queryset=_authorities,
        error_messages={"invalid_choice": "Choose a buying authority by its id."},
        help_text="The buying authority's id.",
    )
    supplier = django_filters.ModelChoiceFilter(
        label="Supplier",
        queryset=_suppliers,
        error_messages={"invalid_choice": "Choose a supplier by its id."},
        help_text="The supplier's id.",
    )
    since = django_filters.DateFilter(
        label="Signed on or after",
        field_name="signed_on",
        lookup_expr="gte",
        error_messages=_ISO_DATE,
        help_text="Contracts signed on or after this day (ISO 8601, like 2026-04-01).",
    )
    until = django_filters.DateFilter(
        label="Signed on or before",
        field_name="signed_on",
        lookup_expr="lte",
        error_messages=_ISO_DATE,
        help_text="Contracts signed on or before this day (ISO 8601, like 2026-04-30).",
    )

    class Meta:
        model = Contract
        fields: list[str] = []
        form = DateRangeForm


class ReturnFilter(django_filters.FilterSet):
    """One contract's returns, sent or draft, and periods ending in a range."""

    contract = django_filters.ModelChoiceFilter(
        label="Contract",
        field_name="period__contract",
        queryset=_contracts,
        error_messages={"invalid_choice": "Choose a contract by its id."},
        help_text="Only this contract's returns (its id).",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=ReturnStatus.choices,
        error_messages={"invalid_choice": "Choose draft or submitted."},
        help_text="draft (the supplier's own, not yet sent) or submitted.",
    )
    since = django_filters.DateFilter(
        label="Period ending on or after",
        field_name="period__ends_on",
        lookup_expr="gte",
        error_messages=_ISO_DATE,
        help_text="Returns for periods ending on or after this day (ISO 8601).",
    )
    until = django_filters.DateFilter(
        label="Period ending on or before",
        field_name="period__ends_on",
        lookup_expr="lte",
        error_messages=_ISO_DATE,
        help_text="Returns for periods ending on or before this day (ISO 8601).",
    )

    class Meta:
        model = DeliveryReturn
        fields: list[str] = []
        form = DateRangeForm
