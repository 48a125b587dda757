"""Every email goes through one path (socialvalue.core.notify): a background job composes it,
sends a batch over one connection, keeps no secret link in its row, and can be run again."""

import re

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.urls import reverse

from socialvalue.core import jobs, notify, services
from socialvalue.models import Invitation, Job, JobStatus, Role
from tests.factories import AuthorityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


class CountingBackend(EmailBackend):
    """The test backend, counting the connections opened."""

    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.opened += 1


class RefusingBackend(EmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server refused the connection.")


@override_settings(EMAIL_BACKEND="tests.core.test_notify.CountingBackend")
def test_a_batch_of_emails_goes_over_one_connection_one_address_each():
    CountingBackend.opened = 0
    emails = notify.compose(
        ["a@example.org", "b@example.org", "c@example.org"],
        subject="A notice",
        template="tenders/email/amendment.txt",
        context={"amendment": None, "tender": None},
    )
    assert notify.deliver(emails) == 3
    assert CountingBackend.opened == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"], ["c@example.org"]]


def _invite(admin, accept_url_for=lambda token: f"https://service.example/accept/{token}/"):
    return services.member_invite(
        actor=admin,
        organisation=admin.memberships.get().organisation,
        email="new-officer@example.org",
        role=Role.PROCUREMENT_OFFICER,
        accept_url_for=accept_url_for,
    )


def test_an_invitation_is_queued_with_its_email_and_the_job_holds_no_token(
    django_capture_on_commit_callbacks,
):
    admin = person_with_role(Role.ORG_ADMIN, AuthorityFactory())
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(admin)
    job = Job.objects.get(kind="core.invitation")
    assert job.status == JobStatus.SUCCEEDED and job.result == {"emails": 1}
    token = re.search(r"https://service.example/accept/(\S+)/", mail.outbox[0].body).group(1)
    assert token not in str(job.params)
    assert Invitation.find_open(token) == invitation


def test_an_invitation_whose_email_fails_is_kept_with_a_failed_job_that_sends_it_when_retried(
    django_capture_on_commit_callbacks,
):
    admin = person_with_role(Role.ORG_ADMIN, AuthorityFactory())
    with (
        override_settings(EMAIL_BACKEND="tests.core.test_notify.RefusingBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation = _invite(admin)
    job = Job.objects.get(kind="core.invitation")
    assert job.status == JobStatus.FAILED and "refused" in job.error
    assert Invitation.objects.open().filter(pk=invitation.pk).exists()
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        jobs.retry(job=job, user=admin)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    token = re.search(r"/accept/(\S+)/", mail.outbox[0].body).group(1)
    assert Invitation.find_open(token) == invitation


def test_an_invitation_withdrawn_before_its_job_runs_is_not_emailed(
    django_capture_on_commit_callbacks,
):
    admin = person_with_role(Role.ORG_ADMIN, AuthorityFactory())
    invitation = _invite(admin)  # the job is queued; the transaction has not committed
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=invitation.created_at)
    jobs.run(Job.objects.get(kind="core.invitation").pk)
    assert not mail.outbox


def test_a_password_reset_is_queued_and_the_job_holds_no_token(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    job = Job.objects.get(kind="core.password_reset")
    assert job.status == JobStatus.SUCCEEDED
    link = re.search(r"/account/password-reset/(\S+)/(\S+)/", mail.outbox[0].body)
    assert link.group(2) not in str(job.params)
    assert mail.outbox[0].subject == "Reset your password for testserver"


def test_a_password_reset_for_an_unknown_address_queues_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not Job.objects.filter(kind="core.password_reset").exists()
    assert not mail.outbox


def test_an_unregistered_kind_of_email_is_refused():
    with pytest.raises(jobs.UnknownJobKind):
        notify.send(kind="no.such.letter")
