"""Organisation admin: one row per person with all their roles, roles changed through an audited
service, and a person removed only after a confirmation page."""

import pytest
from django.urls import reverse

from socialvalue.core import services
from socialvalue.models import AuditEntry, Membership, Role
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def _roles(person, organisation) -> set[str]:
    return set(
        Membership.objects.filter(user=person, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def test_a_person_with_two_roles_is_one_row(client_for, org_admin, authority, commissioner):
    Membership.objects.create(user=commissioner, organisation=authority, role=Role.EVALUATOR)
    body = client_for(org_admin).get(authority.get_absolute_url()).content.decode()
    assert body.count(f">{commissioner.full_name}</th>") == 1
    assert "Commissioner, Evaluator" in body
    assert reverse("member-roles", args=[authority.slug, commissioner.pk]) in body
    assert reverse("member-remove", args=[authority.slug, commissioner.pk]) in body


def test_members_who_are_not_admins_see_no_change_links(client_for, authority, commissioner):
    body = client_for(commissioner).get(authority.get_absolute_url()).content.decode()
    assert reverse("member-roles", args=[authority.slug, commissioner.pk]) not in body


def test_an_admin_changes_a_persons_roles_and_it_is_audited(
    client_for, org_admin, authority, commissioner
):
    url = reverse("member-roles", args=[authority.slug, commissioner.pk])
    page = client_for(org_admin).get(url)
    assert page.status_code == 200
    assert page.context["form"]["roles"].value() == [Role.COMMISSIONER]
    response = client_for(org_admin).post(
        url, {"roles": [Role.EVALUATOR, Role.PROCUREMENT_OFFICER]}
    )
    assert response.status_code == 302
    assert _roles(commissioner, authority) == {Role.EVALUATOR, Role.PROCUREMENT_OFFICER}
    entry = AuditEntry.objects.filter(action="membership.roles_changed").get()
    assert entry.data == {
        "user": commissioner.email,
        "added": [Role.EVALUATOR, Role.PROCUREMENT_OFFICER],
        "removed": [Role.COMMISSIONER],
    }


def test_no_roles_and_foreign_roles_are_refused_next_to_the_field(
    client_for, org_admin, authority, commissioner
):
    url = reverse("member-roles", args=[authority.slug, commissioner.pk])
    empty = client_for(org_admin).post(url, {})
    assert "Choose at least one role, or remove them" in empty.content.decode()
    foreign = client_for(org_admin).post(url, {"roles": [Role.BIDDER]})
    assert foreign.status_code == 200 and "govuk-error-summary" in foreign.content.decode()
    assert _roles(commissioner, authority) == {Role.COMMISSIONER}


def test_the_last_admin_keeps_the_admin_role(client_for, org_admin, authority):
    url = reverse("member-roles", args=[authority.slug, org_admin.pk])
    response = client_for(org_admin).post(url, {"roles": [Role.COMMISSIONER]})
    assert "at least one admin" in response.content.decode()
    assert _roles(org_admin, authority) == {Role.ORG_ADMIN}


def test_removing_asks_first_then_removes_every_role(
    client_for, org_admin, authority, commissioner
):
    Membership.objects.create(user=commissioner, organisation=authority, role=Role.EVALUATOR)
    url = reverse("member-remove", args=[authority.slug, commissioner.pk])
    page = client_for(org_admin).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert f"Are you sure you want to remove {commissioner.full_name}?" in body
    assert "<li>Commissioner</li>" in body and "<li>Evaluator</li>" in body
    assert _roles(commissioner, authority) == {Role.COMMISSIONER, Role.EVALUATOR}
    response = client_for(org_admin).post(url)
    assert response.status_code == 302
    assert _roles(commissioner, authority) == set()
    entry = AuditEntry.objects.filter(action="membership.removed").get()
    assert entry.data == {"user": commissioner.email, "roles": ["commissioner", "evaluator"]}


def test_a_person_outside_the_organisation_is_not_found(client_for, org_admin, authority, bidder):
    url = reverse("member-roles", args=[authority.slug, bidder.pk])
    assert client_for(org_admin).get(url).status_code == 404


def test_another_admin_may_remove_an_admin(authority, org_admin):
    second = person_with_role(Role.ORG_ADMIN, authority)
    assert services.member_remove(actor=second, organisation=authority, user=org_admin) == {
        Role.ORG_ADMIN
    }
