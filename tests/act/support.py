"""Helpers for the Social Value Act page, command and API tests (factories and form data)."""

import factory

from socialvalue.models import PlannedContract
from tests.factories import AuthorityFactory


class PlannedContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedContract

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Planned contract {n}")
    description = "Services for residents."


def check_form(**overrides) -> dict:
    """POST data for the check form: a council's £300,000 light touch contract starting 1 Sep 2026."""
    data = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "services",
        "service_category_services": "light_touch",
        "route_services": "contract",
        "value": "300000",
        "vat_basis": "exclusive",
        "vat_rate": "20",
        "start_date_0": "1",
        "start_date_1": "9",
        "start_date_2": "2026",
        "urgent": "no",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def engine_inputs(**overrides) -> dict:
    """The engine inputs check_form() describes."""
    data = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "services",
        "service_category": "light_touch",
        "value": "300000",
        "vat_basis": "exclusive",
        "vat_rate": "20",
        "start_date": "2026-09-01",
    }
    data.update(overrides)
    return data
