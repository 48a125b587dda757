"""Signing in by email, registering a bidder, invitations and password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from socialvalue.models import Invitation, Membership, Organisation, Role, User
from tests.factories import PASSWORD, AuthorityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_reaches_the_dashboard(client):
    user = person_with_role(Role.COMMISSIONER, email="Commissioner@Example.org")
    response = client.post(
        reverse("sign-in"),
        {"username": "commissioner@example.org", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.context["user"] == user
    assert "As commissioner" in response.content.decode()


def test_wrong_password_shows_an_error_summary_and_keeps_the_email(client):
    UserFactory(email="someone@example.org")
    response = client.post(
        reverse("sign-in"), {"username": "someone@example.org", "password": "wrong"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter a correct email address and password" in page
    assert 'value="someone@example.org"' in page


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_bidder_registers_organisation_and_becomes_its_admin(client):
    response = client.post(
        reverse("register"),
        {
            "organisation_name": "Hillside Advice Centre",
            "bidder_type": "voluntary",
            "charity_number": "1234567",
            "full_name": "New Bidder",
            "email": "new@hillside.example",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Hillside Advice Centre")
    user = User.objects.get(email="new@hillside.example")
    assert set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    ) == {
        Role.ORG_ADMIN,
        Role.BIDDER,
    }


def test_registration_with_a_charity_number_for_a_business_is_refused_and_keeps_input(client):
    response = client.post(
        reverse("register"),
        {
            "organisation_name": "Brightworks Ltd",
            "bidder_type": "sme",
            "charity_number": "1234567",
            "full_name": "New Bidder",
            "email": "new@brightworks.example",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Only a voluntary organisation or charity has a charity number." in page
    assert 'value="Brightworks Ltd"' in page
    assert not Organisation.objects.filter(name="Brightworks Ltd").exists()


def test_registration_with_an_existing_email_makes_nothing_and_emails_the_owner(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("register"),
        {
            "organisation_name": "Another Trust",
            "bidder_type": "voluntary",
            "full_name": "Someone",
            "email": "taken@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("register-check-email")
    assert not Organisation.objects.filter(name="Another Trust").exists()
    assert [message.to for message in mail.outbox] == [["taken@example.org"]]
    assert "Someone tried to register" in mail.outbox[0].subject


def test_authority_admin_invites_staff_who_accept_and_gain_the_role(
    client, client_for, django_capture_on_commit_callbacks
):
    authority = AuthorityFactory()
    admin = person_with_role(Role.ORG_ADMIN, authority)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            authority.get_absolute_url(),
            {"email": "officer@example.org", "role": Role.PROCUREMENT_OFFICER},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/invitations/accept/\S+/)", mail.outbox[0].body).group(1)

    client.logout()
    response = client.post(
        link,
        {
            "full_name": "New Officer",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    officer = User.objects.get(email="officer@example.org")
    assert Membership.objects.filter(
        user=officer, organisation=authority, role=Role.PROCUREMENT_OFFICER
    ).exists()
    assert Invitation.objects.get(email="officer@example.org").accepted_by == officer
    # The link works once.
    assert client.get(link).status_code == 404


def test_invitation_for_a_role_the_organisation_cannot_have_is_refused(client_for):
    authority = AuthorityFactory()
    admin = person_with_role(Role.ORG_ADMIN, authority)
    response = client_for(admin).post(
        authority.get_absolute_url(), {"email": "x@example.org", "role": Role.BIDDER}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert len(mail.outbox) == 1
    path = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(
        1
    )
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("sign-in"),
        {"username": "forgetful@example.org", "password": "another-long-passphrase"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_the_last_admin_cannot_be_removed(client_for):
    authority = AuthorityFactory()
    admin = person_with_role(Role.ORG_ADMIN, authority)
    membership = Membership.objects.get(user=admin, role=Role.ORG_ADMIN)
    response = client_for(admin).post(reverse("member-remove", args=[authority.slug, admin.pk]))
    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
