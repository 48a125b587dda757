"""Fixtures for tender tests: an authority's officer, bidders, and tenders open or closed."""

import pytest

from socialvalue.models import Role
from tests.factories import BidderOrganisationFactory, person_with_role
from tests.tenders.factories import build_tender


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def open_tender(procurement_officer, authority):
    return build_tender(procurement_officer, authority)


@pytest.fixture
def other_bidder_org(db):
    return BidderOrganisationFactory()


@pytest.fixture
def other_bidder(other_bidder_org):
    return person_with_role(Role.BIDDER, other_bidder_org)
