"""API tokens: made, revoked and checked here (services and selectors of `ApiToken`).

A key is "svk_" and 43 random URL-safe characters (256 bits), shown once when made; only its
SHA-256 is stored, which is enough for a key of that strength (no slow hash is needed to stop
guessing). A key works while it is not revoked, its person is active and still belongs to its
organisation.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from socialvalue.core.audit import record
from socialvalue.core.models import ApiToken, Membership, Organisation, User
from socialvalue.core.permissions import can, require

KEY_START = "svk_"
# How often a key's "last used" time is written: enough to tell a used key from a forgotten one
# without a database write on every call.
LAST_USED_EVERY = timedelta(minutes=5)


def api_token_create(*, actor: User, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """Make a token for the actor in one of their organisations; returns it and its key, which
    is never stored and cannot be shown again."""
    if not can(actor, "socialvalue.create_api_token", organisation):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token."})
    key = KEY_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            organisation=organisation,
            name=name,
            prefix=key[:12],
            key_digest=ApiToken.digest(key),
        )
        record(
            actor=actor,
            action="api_token.created",
            obj=token,
            organisation=organisation,
            data={"name": name, "prefix": token.prefix},
        )
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """Stop the token working from now on."""
    require(actor, "socialvalue.revoke_api_token", token)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError("This token was already revoked.")
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="api_token.revoked",
            obj=token,
            organisation=token.organisation,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, with their organisations."""
    return ApiToken.objects.filter(user=user).select_related("organisation")


def token_for_key(key: str, *, now: datetime | None = None) -> ApiToken | None:
    """The working token this key belongs to, or None (unknown, revoked, its person inactive or
    no longer in its organisation). Notes when it was used, at most every few minutes."""
    if not key.startswith(KEY_START) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.filter(key_digest=ApiToken.digest(key), revoked_at=None)
        .select_related("user", "organisation")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not Membership.objects.filter(user=token.user, organisation=token.organisation).exists():
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
