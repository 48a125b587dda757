"""Registering a bidder: the same answer for a known email, confirmation by link, rate limits."""

import re
import smtplib

import pytest
from django.core import mail, signing
from django.test import TestCase
from django.urls import reverse

from socialvalue.models import Invitation, Organisation, Role, User
from tests.factories import (
    AuthorityFactory,
    BidderOrganisationFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-unusual-passphrase"


def register(client, *, address="198.51.100.20", **fields):
    data = {
        "organisation_name": "Hillside Advice Centre",
        "bidder_type": "voluntary",
        "charity_number": "",
        "company_number": "",
        "full_name": "New Bidder",
        "email": "new@hillside.example",
        "password1": PASSPHRASE,
        "password2": PASSPHRASE,
        **fields,
    }
    return client.post(reverse("register"), data, REMOTE_ADDR=address)


def sign_in(client, email, password=PASSPHRASE):
    return client.post(reverse("sign-in"), {"username": email, "password": password})


def without_nonce(page: str) -> str:
    """The page less its Content-Security-Policy nonce, which differs on every response."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', page)


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


# Enumeration -----------------------------------------------------------------------------------


def test_a_taken_and_a_new_email_get_the_same_answer(client):
    UserFactory(email="taken@example.org")
    taken = register(client, email="taken@example.org", organisation_name="First Trust")
    taken_page = without_nonce(
        client.get(taken["Location"]).content.decode().replace("taken@example.org", "X")
    )
    new = register(client, email="fresh@example.org", organisation_name="Second Trust")
    new_page = without_nonce(
        client.get(new["Location"]).content.decode().replace("fresh@example.org", "X")
    )
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert taken_page == new_page
    assert "Check your email" in new_page
    # Each address got one email: the owner a warning, the newcomer a confirmation link.
    assert [m.to for m in mail.outbox] == [["taken@example.org"], ["fresh@example.org"]]


def test_the_owner_of_a_taken_email_is_told_and_given_sign_in_and_reset_links(client):
    owner = UserFactory(email="taken@example.org")
    register(client, email="Taken@Example.org")
    message = mail.outbox[0]
    assert "Someone tried to register with your email address" in message.subject
    assert "/account/sign-in/" in message.body and "/account/password-reset/" in message.body
    assert "nothing was changed" in message.body
    assert not Organisation.objects.filter(name="Hillside Advice Centre").exists()
    assert User.objects.filter(email__iexact="taken@example.org").get() == owner


def test_registering_again_before_confirming_sends_a_fresh_confirmation_link(client):
    register(client)
    register(client, organisation_name="Hillside Advice Centre Two")
    assert len(mail.outbox) == 2
    assert "Confirm your email address" in mail.outbox[1].subject
    assert Organisation.objects.filter(name__startswith="Hillside").count() == 1


# Confirmation ----------------------------------------------------------------------------------


def test_a_new_account_cannot_sign_in_until_its_email_is_confirmed(client):
    response = register(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@hillside.example")
    assert user.email_confirmed_at is None
    assert Organisation.objects.get(name="Hillside Advice Centre").memberships.count() == 2

    page = sign_in(client, "new@hillside.example").content.decode()
    assert "Confirm your email address first" in page
    assert "Send me a new link" in page
    assert "_auth_user_id" not in client.session

    confirm = client.get(link_in(mail.outbox[0]), follow=True)
    assert "is confirmed. Sign in to start." in confirm.content.decode()
    response = sign_in(client, "new@hillside.example")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_new_link_can_be_asked_for_from_the_sign_in_page(client):
    register(client)
    sign_in(client, "new@hillside.example")
    response = client.post(reverse("email-confirmation-resend"), follow=True)
    assert "We have sent a new link to new@hillside.example" in response.content.decode()
    assert len(mail.outbox) == 2
    client.get(link_in(mail.outbox[1]))
    assert User.objects.get(email="new@hillside.example").email_confirmed


def test_new_links_are_limited_per_account(client, settings):
    settings.CONFIRMATION_RESEND_RATE_PER_ACCOUNT = "2/h"
    register(client)
    sign_in(client, "new@hillside.example")
    for _ in range(2):
        client.post(reverse("email-confirmation-resend"))
    response = client.post(reverse("email-confirmation-resend"), follow=True)
    assert "Several new links have been sent already" in response.content.decode()
    assert len(mail.outbox) == 3  # the first link and two new ones


def test_the_resend_button_does_nothing_without_a_pending_sign_in(client):
    response = client.post(reverse("email-confirmation-resend"))
    assert response.status_code == 302 and not mail.outbox


def test_an_expired_or_altered_link_is_refused_with_what_to_do(client, settings):
    register(client)
    path = link_in(mail.outbox[0])
    altered = client.get(path[:-3] + "xyz/")
    assert altered.status_code == 400
    assert "This link is not right" in altered.content.decode()

    settings.EMAIL_CONFIRMATION_VALID_HOURS = 0
    expired = client.get(path)
    assert expired.status_code == 400
    assert "This link has expired" in expired.content.decode()
    assert not User.objects.get(email="new@hillside.example").email_confirmed


def test_a_link_for_another_address_does_not_confirm(client):
    register(client)
    user = User.objects.get(email="new@hillside.example")
    token = signing.dumps(
        {"user": user.pk, "email": "other@example.org"},
        salt="socialvalue.email-confirmation",
        compress=True,
    )
    assert client.get(reverse("email-confirm", args=[token])).status_code == 400
    assert not User.objects.get(pk=user.pk).email_confirmed


def test_a_registration_whose_email_cannot_be_sent_saves_nothing(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("mail server down")

    monkeypatch.setattr("socialvalue.core.notify.send_mail", refuse)
    response = register(client)
    assert response.status_code == 200
    assert "The email could not be sent just now, so nothing was saved" in response.content.decode()
    assert not User.objects.filter(email="new@hillside.example").exists()
    assert not Organisation.objects.filter(name="Hillside Advice Centre").exists()


# Rate limit ------------------------------------------------------------------------------------


def test_registrations_are_limited_per_address(client, settings):
    settings.REGISTRATION_RATE_PER_ADDRESS = "3/h"
    for n in range(3):
        assert (
            register(client, email=f"p{n}@x.example", organisation_name=f"Trust {n}").status_code
            == 302
        )
    response = register(client, email="p9@x.example", organisation_name="Trust 9")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many registrations have been made from your connection recently" in page
    assert "Try again in" in page
    assert 'value="Trust 9"' in page  # typed values kept
    assert not User.objects.filter(email="p9@x.example").exists()
    # Another address is not held back.
    other = register(
        client, email="p9@x.example", organisation_name="Trust 9", address="192.0.2.50"
    )
    assert other.status_code == 302


def test_a_form_with_mistakes_does_not_use_up_the_limit(client, settings):
    settings.REGISTRATION_RATE_PER_ADDRESS = "1/h"
    for _ in range(3):
        register(client, password2="different")
    assert register(client).status_code == 302


# Names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "organisation_name",
            "Hillside\u200b Advice",
            "contains an invisible or control character",
        ),
        ("organisation_name", "Hillside\nAdvice", "must be on one line"),
        ("organisation_name", "Hillside\r\nAdvice", "must be on one line"),
        (
            "organisation_name",
            "Hillsidе Advice",
            "mixes letters from different alphabets (Cyrillic and Latin)",
        ),
        ("full_name", "New\u200dBidder", "contains an invisible or control character"),
        ("full_name", "New\nBidder", "must be on one line"),
        ("full_name", "New\u202eBidder", "contains an invisible or control character"),
    ],
)
def test_names_with_hidden_characters_line_breaks_or_mixed_alphabets_are_refused_by_the_field(
    client, field, typed, message
):
    response = register(client, **{field: typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    # Next to the field, not only in the summary at the top.
    assert re.search(
        rf'id="id_{field}_1_error" class="govuk-error-message">.*?{re.escape(message)}', page, re.S
    )
    assert not User.objects.filter(email="new@hillside.example").exists()


def test_names_are_stored_in_their_ordinary_form(client):
    register(client, organisation_name="Ｈｉｌｌｓｉｄｅ   Advice", full_name="Ｎｅｗ  Bidder")
    assert Organisation.objects.filter(name="Hillside Advice").exists()
    assert User.objects.get(email="new@hillside.example").full_name == "New Bidder"


def test_a_name_in_one_other_alphabet_is_accepted(client):
    register(client, organisation_name="Українська громада")
    assert Organisation.objects.filter(name="Українська громада").exists()


def test_a_bidder_cannot_take_the_name_of_an_authority(client):
    AuthorityFactory(name="Northfield Borough Council")
    for name in (
        "Northfield Borough Council",
        "NORTHFIELD  borough council.",
        "Northfield Borough Counсil",
    ):
        page = register(client, organisation_name=name).content.decode()
        assert (
            "is the name of a contracting authority on this service" in page
            or "mixes letters from different alphabets" in page
        ), name
    assert Organisation.objects.filter(kind="bidder").count() == 0


def test_a_whole_word_of_look_alike_letters_counts_as_the_same_name(client):
    AuthorityFactory(name="HOPE")
    page = register(client, organisation_name="НОРЕ").content.decode()  # all Cyrillic
    assert "is the name of a contracting authority" in page


def test_a_bidder_with_an_existing_bidders_name_needs_a_number_to_tell_them_apart(client):
    BidderOrganisationFactory(name="Hillside Advice Centre", charity_number="1234567")
    page = register(client).content.decode()
    assert "is already registered. If yours is a different organisation" in page
    page = register(client, charity_number="1234567").content.decode()
    assert "already registered with that number" in page
    assert register(client, bidder_type="sme", company_number="sc123456").status_code == 302
    second = Organisation.objects.get(company_number="SC123456")
    assert second.name == "Hillside Advice Centre"


def test_staff_cannot_add_an_authority_with_a_name_already_on_the_service(client_for):
    staff = UserFactory(is_staff=True, is_superuser=True)
    AuthorityFactory(name="Northfield Borough Council")
    response = client_for(staff).post(
        reverse("authority-add"),
        {
            "name": "Northfield  Borough Council",
            "authority_type": "local_authority",
            "nation": "england",
            "admin_email": "admin@northfield.example",
        },
    )
    assert "is already on the service" in response.content.decode()
    assert Organisation.objects.filter(kind="authority").count() == 1


def test_staff_cannot_add_an_authority_whose_name_has_a_line_break(client_for):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client_for(staff).post(
        reverse("authority-add"),
        {
            "name": "Northfield\r\nBorough Council",
            "authority_type": "local_authority",
            "nation": "england",
            "admin_email": "admin@northfield.example",
        },
    )
    assert response.status_code == 200
    assert "Authority name must be on one line" in response.content.decode()
    assert not Organisation.objects.filter(kind="authority").exists()


def test_every_edit_of_an_organisation_refuses_a_line_break_in_its_name():
    from django.core.exceptions import ValidationError

    organisation = AuthorityFactory()
    organisation.name = "Northfield\nCouncil"
    with pytest.raises(ValidationError, match="must be on one line"):
        organisation.full_clean()


# Invitations -----------------------------------------------------------------------------------


def test_an_invitation_from_an_organisation_with_a_line_break_in_its_name_is_sent(client_for):
    # A name stored before names were checked.
    authority = AuthorityFactory()
    Organisation.objects.filter(pk=authority.pk).update(name="Northfield\nCouncil")
    authority.refresh_from_db()
    admin = person_with_role(Role.ORG_ADMIN, authority)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email goes from a queued job
        response = client_for(admin).post(
            authority.get_absolute_url(), {"email": "officer@example.org", "role": Role.EVALUATOR}
        )
    assert response.status_code == 302
    assert mail.outbox[0].subject.startswith("You are invited to join Northfield Council on")
    assert Invitation.objects.filter(email="officer@example.org").exists()


def test_an_accepted_invitation_gives_a_confirmed_account(client, client_for):
    authority = AuthorityFactory()
    admin = person_with_role(Role.ORG_ADMIN, authority)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email goes from a queued job
        client_for(admin).post(
            authority.get_absolute_url(), {"email": "officer@example.org", "role": Role.EVALUATOR}
        )
    client.logout()
    client.post(
        link_in(mail.outbox[0]),
        {"full_name": "New Officer", "password1": PASSPHRASE, "password2": PASSPHRASE},
    )
    assert User.objects.get(email="officer@example.org").email_confirmed
    client.logout()
    assert sign_in(client, "officer@example.org").status_code == 302
