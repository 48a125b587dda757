"""Navigation by role and refusals: each role sees its own links and is refused others' pages."""

import pytest
from django.urls import reverse

from socialvalue.models import Job, Role
from tests.factories import (
    AuthorityFactory,
    BidderOrganisationFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = [role.value for role in Role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_dashboard_shows_a_section_for_the_role_held(client_for, role):
    user = person_with_role(role)
    page = client_for(user).get(reverse("dashboard")).content.decode()
    assert f"As {Role(role).label.lower()}" in page
    for other in set(ALL_ROLES) - {role}:
        assert f"As {Role(other).label.lower()}" not in page


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_service_staff_see_the_status_link_and_page(client_for, role):
    client = client_for(person_with_role(role))
    assert "Service status" not in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("status")).status_code == 403


def test_service_staff_see_the_status_page(client_for):
    staff = UserFactory(is_staff=True)
    client = client_for(staff)
    assert "Service status" in client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("status")).content.decode()
    for check in ("Database", "Message broker", "Queue length", "Background workers"):
        assert check in page


@pytest.mark.parametrize("role", ALL_ROLES)
def test_nobody_sees_an_organisation_they_do_not_belong_to(client_for, role):
    user = person_with_role(role)
    for stranger in (AuthorityFactory(), BidderOrganisationFactory()):
        # Not found rather than refused: the answer confirms nothing about the organisation.
        assert client_for(user).get(stranger.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.ORG_ADMIN])
def test_only_an_organisation_admin_can_invite(client_for, role):
    authority = AuthorityFactory()
    user = person_with_role(role, authority if role != Role.BIDDER else None)
    organisation = user.memberships.get().organisation
    client = client_for(user)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Invite someone" not in page
    client.post(organisation.get_absolute_url(), {"email": "x@example.org", "role": role})
    assert not organisation.invitations.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_nobody_but_staff_adds_an_authority(client_for, role):
    assert client_for(person_with_role(role)).get(reverse("authority-add")).status_code == 403


def test_a_person_cannot_see_another_persons_job(client_for):
    owner, other = UserFactory(is_staff=True), person_with_role(Role.COMMISSIONER)
    job = Job.objects.create(kind="audit.verify", requested_by=owner)
    assert client_for(other).get(reverse("job", args=[job.pk])).status_code == 404


def test_a_person_in_two_organisations_sees_both_on_the_dashboard(client_for):
    council, charity = AuthorityFactory(), BidderOrganisationFactory()
    user = person_with_role(Role.COMMISSIONER, council)
    from tests.factories import MembershipFactory

    MembershipFactory(user=user, organisation=charity, role=Role.BIDDER)
    page = client_for(user).get(reverse("dashboard")).content.decode()
    assert council.name in page and charity.name in page


def test_dashboard_queries_stay_constant_as_organisations_grow(
    client_for, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    user = person_with_role(Role.ORG_ADMIN)
    for _ in range(12):
        MembershipFactory(user=user, organisation=AuthorityFactory(), role=Role.ORG_ADMIN)
        MembershipFactory(user=user, organisation=BidderOrganisationFactory(), role=Role.BIDDER)
    client = client_for(user)
    # The core's queries plus one per feature panel shown (bidder: opportunities and bids).
    with django_assert_max_num_queries(10):
        assert client.get(reverse("dashboard")).status_code == 200


def test_signed_out_visitors_see_sign_in_register_and_market_statements(client):
    page = client.get(reverse("home")).content.decode()
    for label in ("Sign in", "Register to bid", "Market statements"):
        assert f">{label}</a>" in page
    assert "Sign out" not in page and ">Dashboard</a>" not in page


def test_signed_in_people_do_not_see_the_sign_in_links(client_for):
    page = (
        client_for(person_with_role(Role.COMMISSIONER)).get(reverse("dashboard")).content.decode()
    )
    assert ">Sign in</a>" not in page and ">Register to bid</a>" not in page
    assert "Sign out" in page
