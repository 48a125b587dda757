"""The filters of the contracts and returns API, declared once (django-filter): the schema
describes them from here, and a refused value is answered 400 naming the parameter."""

from __future__ import annotations

import django_filters

from measurement.delivery.models import DeliveryReturn, ReturnStatus
from socialvalue.models import Organisation
from tenders.filters import DateRangeForm, date_range
from tenders.models import Contract


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
    since, until = date_range("signed_on", label="Signed", described="Contracts signed")

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
    since, until = date_range(
        "period__ends_on", label="Period ending", described="Returns for periods ending"
    )

    class Meta:
        model = DeliveryReturn
        fields: list[str] = []
        form = DateRangeForm
