"""Sign-in lockout per account and address, and which address a request is counted against."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory, TestCase
from django.urls import reverse

from socialvalue.core.client_address import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "guarded@example.org"
HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.9"


@pytest.fixture
def person():
    return UserFactory(email=EMAIL)


def sign_in(client, password, *, address=HOME, email=EMAIL, **headers):
    return client.post(
        reverse("sign-in"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_25_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, person):
    answers = [sign_in(client, f"wrong-{n}").status_code for n in range(25)]
    assert answers[:9] == [200] * 9  # the form again, with its error
    assert set(answers[9:]) == {429}  # locked from the 10th failure (SIGN_IN_FAILURE_LIMIT)

    response = sign_in(client, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "You cannot sign in for now" in page
    assert "locked for 15 minutes" in page
    assert "Reset your password" in page
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_email_does_not_escape_the_lock(client, person):
    for n in range(10):
        sign_in(client, f"wrong-{n}", email=EMAIL.upper() if n % 2 else EMAIL)
    assert sign_in(client, PASSWORD, email=" Guarded@Example.ORG").status_code == 429


def test_the_lock_is_on_the_pair_of_account_and_address(client, person):
    for n in range(10):
        sign_in(client, f"wrong-{n}")
    assert sign_in(client, PASSWORD).status_code == 429
    # The same person from another connection is not locked out by a guesser at HOME.
    response = sign_in(client, PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_made_up_forwarded_address_does_not_escape_the_lock(client, person):
    for n in range(10):
        sign_in(client, f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_after_the_cool_off_the_right_password_works(client, person):
    for n in range(10):
        sign_in(client, f"wrong-{n}")
    assert sign_in(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_trying_again_while_locked_does_not_move_the_end_of_the_lock(client, person):
    for n in range(10):
        sign_in(client, f"wrong-{n}")
    locked_at = AccessAttempt.objects.get().attempt_time
    sign_in(client, "wrong-again")
    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_the_lockout_is_logged(client, person, caplog):
    with caplog.at_level(logging.WARNING, logger="socialvalue.security"):
        for n in range(10):
            sign_in(client, f"wrong-{n}")
    assert f"Sign-in locked for {EMAIL} from {HOME}" in caplog.text


def test_the_limit_and_cool_off_come_from_settings(client, person, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=40)
    for n in range(3):
        sign_in(client, f"wrong-{n}")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429 and "locked for 40 minutes" in response.content.decode()


def test_choosing_a_new_password_by_the_emailed_link_lifts_the_lock(client, person):
    for n in range(10):
        sign_in(client, f"wrong-{n}")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email goes from a queued job
        client.post(reverse("password_reset"), {"email": EMAIL}, REMOTE_ADDR=HOME)
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/account/password-reset/" in line
    ).removeprefix("http://testserver")
    form_page = client.get(link.strip(), follow=True).redirect_chain[-1][0]
    client.post(
        form_page,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    response = sign_in(client, "a-new-long-passphrase")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "192.0.2.1", "192.0.2.1"),  # the proxy's own entry
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # a client-written entry to its left is ignored
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
        (3, "192.0.2.1", "192.0.2.1"),  # a shorter chain than configured: its first entry
        (1, "not-an-address", "10.0.0.2"),  # garbage counts against the proxy, never as text
        (1, None, "10.0.0.2"),
    ],
)
def test_the_client_address_trusts_forwarded_headers_only_through_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.NUM_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)
    assert client_address(request) == expected


def test_behind_one_proxy_the_lock_follows_the_forwarded_client(client, person, settings):
    settings.NUM_PROXIES = 1
    proxy = "10.0.0.2"
    for n in range(10):
        sign_in(client, f"wrong-{n}", address=proxy, HTTP_X_FORWARDED_FOR=HOME)
    assert sign_in(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=HOME).status_code == 429
    response = sign_in(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 302
