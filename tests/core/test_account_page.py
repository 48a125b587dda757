"""Your account page, the header links to it, and the core forms' messages as a new user meets them."""

import pytest
from django import forms
from django.urls import reverse

from socialvalue.core import jobs
from socialvalue.core.forms import GDSFormMixin, required_message
from socialvalue.models import Job, Role
from tests.factories import (
    AuthorityFactory,
    CompactGroupFactory,
    MembershipFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def test_account_page_shows_name_email_and_each_organisation_with_its_roles(client_for):
    council = AuthorityFactory(name="Eastmoor Council")
    compact = CompactGroupFactory(name="Eastmoor Compact")
    person = person_with_role(Role.COMMISSIONER, council, full_name="Sam Commissioner")
    MembershipFactory(user=person, organisation=council, role=Role.EVALUATOR)
    MembershipFactory(user=person, organisation=compact, role=Role.COMPACT_MEMBER)

    html = page(client_for(person).get(reverse("account")))

    assert "Sam Commissioner" in html and person.email in html
    assert "Commissioner, Evaluator" in html  # one row per organisation, its roles together
    assert "Eastmoor Compact" in html and "Compact group member" in html
    assert f'href="{council.get_absolute_url()}"' in html
    assert f'href="{reverse("password_change")}"' in html


def test_account_page_without_organisations_says_how_to_join_one(client_for):
    html = page(client_for(UserFactory()).get(reverse("account")))
    assert "You do not belong to any organisation yet" in html
    assert "invite you" in html


def test_account_page_needs_signing_in(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_every_signed_in_page_links_to_your_account_and_signs_out_from_the_header(
    client_for, commissioner
):
    html = page(client_for(commissioner).get(reverse("dashboard")))
    header = html[html.index('<div class="govuk-header"') : html.index("</header>")]
    assert f'href="{reverse("account")}"' in header and ">Your account<" in header
    assert f'action="{reverse("sign-out")}"' in header and "Sign out" in header


def test_signed_out_visitors_get_no_account_link(client):
    html = page(client.get(reverse("home")))
    assert f'href="{reverse("account")}"' not in html


def test_password_change_links_back_to_the_account(client_for, commissioner):
    html = page(client_for(commissioner).get(reverse("password_change")))
    assert f'href="{reverse("account")}"' in html and "Back to your account" in html


def test_wrong_current_password_says_what_to_do(client_for, commissioner):
    response = client_for(commissioner).post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
    )
    assert "Your current password is not right. Type it again." in page(response)
    assert "<title>Error: Change your password" in page(response)


def test_empty_registration_names_what_to_enter_for_each_field(client):
    html = page(client.post(reverse("register"), {"organisation_name": ""}))
    for message in (
        "Enter your organisation&#x27;s name.",
        "Choose what sort of organisation it is.",
        "Enter your full name.",
        "Enter your email address.",
        "Enter a password.",
    ):
        assert message in html
    assert "This field is required" not in html


def test_a_short_password_is_named_even_when_the_second_box_differs(client):
    html = page(
        client.post(
            reverse("register"),
            {
                "organisation_name": "Hillside Care",
                "bidder_type": "sme",
                "full_name": "Alex Bidder",
                "email": "alex@hillside.example",
                "password1": "abc",
                "password2": "abd",
            },
        )
    )
    assert "Type the same password in both boxes" in html
    assert "at least 8 characters" in html


def test_empty_invitation_says_what_to_enter_and_each_role_is_explained(client_for, org_admin):
    organisation = org_admin.memberships.get().organisation
    html = page(client_for(org_admin).post(organisation.get_absolute_url(), {"email": ""}))
    assert "Enter the email address of the person to invite." in html
    assert "Choose the role they will have." in html
    assert "opens bids after the deadline" in html  # the procurement officer's hint


class _Form(GDSFormMixin, forms.Form):
    title = forms.CharField(label="Contract title")
    kind = forms.ChoiceField(label="Type of contract", choices=[("a", "A")])
    question = forms.ChoiceField(label="Is it urgent?", choices=[("y", "Yes")])
    told = forms.CharField(label="Title", error_messages={"required": "Enter a title, please."})


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "Enter contract title."),
        ("kind", "Choose type of contract."),
        ("question", "Answer the question 'Is it urgent?'"),
        ("told", "Enter a title, please."),
    ],
)
def test_a_field_left_empty_says_what_to_enter_not_only_that_it_is_required(field, message):
    form = _Form({})
    assert form.errors[field] == [message]


def test_required_message_drops_optional_from_the_label():
    assert required_message(forms.CharField(label="Area served (optional)")) == (
        "Enter area served."
    )


def test_job_page_names_the_job_in_words(client_for):
    staff = UserFactory(is_staff=True)
    job = Job.objects.create(kind="audit.verify", requested_by=staff)
    html = page(client_for(staff).get(reverse("job", args=[job.pk])))
    assert '<h1 class="govuk-heading-xl">Audit trail check</h1>' in html
    assert jobs.label_for("no.such.kind") == "no.such.kind"
