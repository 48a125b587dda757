"""Every page carries an enforced Content-Security-Policy; nothing shown to a signed-in person is
kept by a cache, while public pages and static assets stay cacheable."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socialvalue.models import Role
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_the_policy_is_enforced_and_allows_only_this_services_own_files(client):
    response = client.get(reverse("home"))
    assert "Content-Security-Policy-Report-Only" not in response
    policy = _directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_one_inline_script_carries_this_responses_nonce(client):
    first, second = client.get(reverse("home")), client.get(reverse("home"))
    nonces = []
    for response in (first, second):
        (nonce,) = [
            value.removeprefix("'nonce-").removesuffix("'")
            for value in _directives(response)["script-src"]
            if value.startswith("'nonce-")
        ]
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
        assert inline == [f' nonce="{nonce}"'], inline
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "a nonce is never reused"


def test_no_template_has_an_inline_style_or_event_handler(settings):
    from pathlib import Path

    folder = Path(settings.BASE_DIR) / "templates"
    offending = [
        f"{path.relative_to(folder)}: {match.group(0)}"
        for path in folder.rglob("*.html")
        for match in re.finditer(r"\s(style|on[a-z]+)=|<style", path.read_text())
    ]
    assert not offending, offending


def test_a_page_for_a_signed_in_person_is_not_stored(client):
    client.force_login(person_with_role(Role.COMMISSIONER))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_a_bid_attachment_download_is_not_stored(client, tmp_path, settings):
    from tenders import services
    from tests.tenders.factories import build_tender, draft_bid

    settings.MEDIA_ROOT = tmp_path
    authority_officer = person_with_role(Role.PROCUREMENT_OFFICER)
    bidder = person_with_role(Role.BIDDER)
    organisation = bidder.memberships.get().organisation
    tender = build_tender(authority_officer, authority_officer.memberships.get().organisation)
    bid = draft_bid(bidder, organisation, tender)
    attachment = services.attachment_add(
        actor=bidder,
        bid=bid,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf"),
    )
    client.force_login(bidder)
    response = client.get(reverse("bid-attachment", args=[attachment.pk]))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_public_pages_and_static_files_stay_cacheable(client, settings):
    for url in (reverse("home"), reverse("api-opportunities")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), url
    # WhiteNoise answers static files before the rule for signed-in people ever runs.
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "socialvalue.core.private_responses.PrivateResponsesMiddleware"
    )


def test_the_invitation_page_is_not_stored_though_signed_out(client):
    """It shows the invitee's email address to whoever holds the link."""
    from socialvalue.core import services

    admin = person_with_role(Role.ORG_ADMIN)
    tokens = []
    services.member_invite(
        actor=admin,
        organisation=admin.memberships.get().organisation,
        email="new-person@example.org",
        role=Role.EVALUATOR,
        accept_url_for=lambda token: tokens.append(token) or token,
    )
    response = client.get(reverse("invitation-accept", args=[tokens[0]]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
