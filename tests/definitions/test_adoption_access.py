"""Adopting a definition puts it in force for each authority it applies to, superseding that
authority's own: only someone who may author definitions at each of those authorities may do it.
A Compact group (whose members may be bidders) names authorities freely on a draft, but cannot
replace an authority's published priorities on its own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from measurement.models import Measure
from socialvalue.definitions import selectors, services
from socialvalue.models import DefinitionStatus, LocalDefinition, Role
from tests.factories import CompactGroupFactory, MembershipFactory, person_with_role

pytestmark = pytest.mark.django_db


def _in_review(author, owner, *, authorities, title):
    definition = services.definition_create(
        actor=author, owner=owner, title=title, statement="Shared aims.", authorities=authorities
    )
    priority = services.priority_add(
        actor=author, definition=definition, theme="economic", outcome="Local jobs"
    )
    services.priority_set_measures(
        actor=author, priority=priority, measures=list(Measure.objects.filter(code="ECO-01"))
    )
    return services.definition_submit(actor=author, definition=definition)


@pytest.fixture
def councils_own(commissioner, authority):
    own = _in_review(commissioner, authority, authorities=None, title="The council's own")
    return services.definition_adopt(actor=commissioner, definition=own)


@pytest.mark.parametrize("role", [Role.COMPACT_MEMBER, Role.ORG_ADMIN])
def test_a_compact_group_cannot_adopt_a_definition_for_an_authority_it_has_no_say_in(
    client_for, authority, councils_own, role
):
    group = CompactGroupFactory()
    outsider = person_with_role(role, group)
    joint = _in_review(outsider, group, authorities=[authority], title="Imposed priorities")

    with pytest.raises(PermissionDenied):
        services.definition_adopt(actor=outsider, definition=joint)
    response = client_for(outsider).post(reverse("definition-adopt", args=[joint.pk]), {})

    assert response.status_code == 403
    assert LocalDefinition.objects.get(pk=joint.pk).status == DefinitionStatus.IN_REVIEW
    assert selectors.adopted_definition_for(authority=authority) == councils_own
    statement = client_for(outsider).get(
        reverse("definition-market-statement", args=[authority.slug])
    )
    assert "Imposed priorities" not in statement.content.decode()


def test_an_author_at_the_group_and_at_every_authority_adopts_the_joint_definition(
    authority, councils_own
):
    group = CompactGroupFactory()
    chair = person_with_role(Role.ORG_ADMIN, group)
    MembershipFactory(user=chair, organisation=authority, role=Role.COMMISSIONER)
    joint = _in_review(chair, group, authorities=[authority], title="Agreed together")

    services.definition_adopt(actor=chair, definition=joint)

    assert selectors.adopted_definition_for(authority=authority).pk == joint.pk
    assert LocalDefinition.objects.get(pk=councils_own.pk).status == DefinitionStatus.SUPERSEDED


def test_the_adopt_button_is_offered_only_to_those_who_may_adopt(client_for, authority):
    group = CompactGroupFactory()
    member = person_with_role(Role.COMPACT_MEMBER, group)
    joint = _in_review(member, group, authorities=[authority], title="Waiting for the council")
    page = client_for(member).get(joint.get_absolute_url()).content.decode()
    assert reverse("definition-adopt", args=[joint.pk]) not in page
    assert reverse("definition-return", args=[joint.pk]) in page
