"""A small Compact world: an authority in a local Compact kept by a Compact group, with a
keeper (the group's admin), a member from a voluntary organisation, and a commissioner."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from compact import services
from socialvalue.models import Role
from tests.factories import (
    BidderOrganisationFactory,
    CompactGroupFactory,
    MembershipFactory,
    person_with_role,
)


@pytest.fixture
def group(db):
    return CompactGroupFactory()


@pytest.fixture
def keeper(group):
    user = person_with_role(Role.ORG_ADMIN, group)
    MembershipFactory(user=user, organisation=group, role=Role.COMPACT_MEMBER)
    return user


@pytest.fixture
def voluntary(db):
    return BidderOrganisationFactory()


@pytest.fixture
def member(group, voluntary):
    """A voluntary organisation's bidder who sits on the Compact group."""
    user = person_with_role(Role.BIDDER, voluntary)
    MembershipFactory(user=user, organisation=group, role=Role.COMPACT_MEMBER)
    return user


@pytest.fixture
def local_compact(keeper, group, authority):
    return services.local_compact_create(
        actor=keeper,
        group=group,
        title="Testshire Compact",
        area="Testshire",
        agreed_on=date(2012, 1, 1),
        review_on=timezone.localdate() + timedelta(days=100),
        authorities=[authority],
    )


def dates(name: str, day) -> dict:
    """The three boxes of a GOV.UK date input, as a browser posts them."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
