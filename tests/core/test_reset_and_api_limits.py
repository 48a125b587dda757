"""Password reset rate limits, and API throttles that forwarded headers cannot dodge."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Too many password reset emails have been asked for recently"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def ask_reset(client, email, address="198.51.100.30"):
    # The email goes from a background job queued on commit (socialvalue.core.notify).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_emails_are_limited_per_email_address_with_the_same_words_for_any_address(
    client, settings
):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/h"
    UserFactory(email="known@example.org")
    pages = {}
    for email in ("known@example.org", "unknown@example.org"):
        answers = [ask_reset(client, email, address=f"192.0.2.{n}").status_code for n in range(3)]
        assert answers == [302, 302, 302]
        refused = ask_reset(client, email, address="192.0.2.99")
        assert refused.status_code == 429
        # The wait differs by a few minutes: each address's hourly window starts at its own time.
        page = refused.content.decode().replace(email, "X")
        page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)
        page = re.sub(r'nonce="[^"]*"', "", page)  # a fresh Content-Security-Policy nonce each time
        pages[email] = re.sub(r"\d+ minutes?", "N minutes", page)
    assert REFUSED in pages["known@example.org"]
    assert "try again in" in pages["known@example.org"]
    # Nothing on the page tells an address with an account from one without.
    assert pages["known@example.org"] == pages["unknown@example.org"]
    assert len(mail.outbox) == 3


def test_reset_requests_are_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "4/h"
    for n in range(4):
        assert ask_reset(client, f"person{n}@example.org").status_code == 302
    response = ask_reset(client, "another@example.org")
    assert response.status_code == 429 and REFUSED in response.content.decode()
    assert ask_reset(client, "another@example.org", address="203.0.113.4").status_code == 302


def test_300_api_requests_each_with_a_new_forwarded_address_are_throttled(client):
    answers = [
        client.get(
            "/api/opportunities/",
            REMOTE_ADDR="198.51.100.40",
            HTTP_X_FORWARDED_FOR=f"10.1.{n // 250}.{n % 250}",
        ).status_code
        for n in range(300)
    ]
    assert answers.count(200) == 120  # OpportunitiesThrottle: 120 a minute per client
    assert answers.count(429) == 180


def test_behind_a_configured_proxy_api_clients_are_told_apart(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    answers = {
        client.get(
            "/api/opportunities/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(130)
    }
    assert answers == {200}
