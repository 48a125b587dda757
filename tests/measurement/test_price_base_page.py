"""The contract's delivery page names the deflator series it uprates with: its release, date,
reference year, where forecasts start, and that its figures are not yet confirmed."""

import pytest
from django.urls import reverse

from measurement.delivery import services
from tests.delivery.factories import contract_world

pytestmark = pytest.mark.django_db


def test_the_price_base_names_the_release_and_marks_the_figures_unconfirmed(
    procurement_officer, authority, client
):
    world = contract_world(procurement_officer, authority)
    services.schedule_create(actor=procurement_officer, contract=world.contract)
    client.force_login(world.officer)
    page = client.get(reverse("delivery-contract", args=[world.contract.pk])).content.decode()
    assert (
        "HM Treasury GDP deflators at market prices (March 2026, Quarterly National Accounts)"
        in page
    )
    assert "published 31 March 2026 (2024-25 = 100; from 2025-26 on, forecasts)" in page
    assert (
        'href="https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp"'
        in page
    )
    assert 'id="deflator-unconfirmed"' in page
    assert "read in a copy of the release, not the release itself" in page
