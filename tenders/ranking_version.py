"""The data version of a lot's ranking, so one run of the engine serves the ranking page, its
chart, the award's checks and the evaluation report until something it depends on changes.

A version is a token per tender kept in the default cache (the database in the embedded
setup, Redis in production: shared by every process). Saving or deleting any row the ranking
reads (the tender, its lots and criteria, bids and their commitments, the panel, its
declarations, individual and moderated marks, abnormally low price queries, award decisions and
tie resolutions), or changing a panel member's criteria, replaces the tender's token; renaming
an organisation or a person (their names are shown in the ranking) replaces a token shared by
every tender. A result is stored under the tokens current when it was read, with the tender's creation
time and scoring rules, the abnormally low screen in force and a digest of the engine's code, so a changed row, a new data file or
a new release of the engine always reads afresh.

The token is replaced twice: at once (so the writer's own transaction, and the tests that run
inside one, read afresh) and again once the transaction commits, because a reader in another
process may have read the old rows under the first new token before the commit. Each token is
new (never a counter), so two writers at once, or a token evicted from the cache, can never bring
back a stored result. Only writes through the ORM's `save` and `delete` (and the panel's
criteria) are seen: `QuerySet.update` and `bulk_create` send no signal, so code that writes a
ranking's rows in bulk calls `forget(tender_id=...)` itself (`tests/tenders/test_ranking_cache.py`
checks every input).
"""

from __future__ import annotations

import hashlib
import uuid
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache as default_cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from socialvalue.models import Organisation
from tenders.models import (
    AbnormallyLowQuery,
    AwardDecision,
    Bid,
    Commitment,
    ConflictDeclaration,
    Criterion,
    Evaluator,
    Lot,
    Mark,
    ModeratedMark,
    Tender,
    TieResolution,
)

# Cached results live a day at most: a ranking not asked for since is read afresh.
RESULT_SECONDS = 24 * 60 * 60
# A token lives longer than any result stored under it.
TOKEN_SECONDS = 2 * RESULT_SECONDS
EVERY_TENDER = "all"

_TENDERS_DIR = Path(__file__).resolve().parent


@cache
def code_digest() -> str:
    """A digest of the engine's and the ranking's source: a new release never serves a result
    the old code worked out."""
    digest = hashlib.sha256()
    files = sorted((_TENDERS_DIR / "scoring").glob("*.py")) + [
        _TENDERS_DIR / name
        for name in ("ranking.py", "criteria.py", "evaluation_selectors.py", "ranking_version.py")
    ]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _token_key(tender_id: int | str) -> str:
    return f"ranking-token:{tender_id}"


def current(*, tender_id: int) -> str | None:
    """The tender's data version now (its token and the one every tender shares), or None
    when the cache keeps nothing (a dummy cache): then nothing is stored either."""
    keys = [_token_key(tender_id), _token_key(EVERY_TENDER)]
    tokens = default_cache.get_many(keys)
    for key in keys:
        if key not in tokens:
            # add, not set: two readers at once agree on one token.
            default_cache.add(key, uuid.uuid4().hex, TOKEN_SECONDS)
    if len(tokens) < len(keys):
        tokens = default_cache.get_many(keys)
        if len(tokens) < len(keys):
            return None
    return f"{tokens[keys[0]]}.{tokens[keys[1]]}"


def result_key(*, lot_id: int, version: str, stamp: str) -> str:
    """Where a lot's result is stored: its data version, what the caller's tender row says
    (`stamp`) and the engine's code."""
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return f"ranking:{lot_id}:{version}:{digest}:{code_digest()}"


def forget(*, tender_id: int | str) -> None:
    """Replace the tender's token (EVERY_TENDER: the shared one) now, and again after the
    commit (registered once per transaction however many of its rows change; a rolled-back
    savepoint drops its callback, so the next change registers again)."""

    def replace() -> None:
        default_cache.set(_token_key(tender_id), uuid.uuid4().hex, TOKEN_SECONDS)

    replace()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        getattr(func, "ranking_tender", None) == tender_id
        for _sids, func, _robust in connection.run_on_commit
    ):
        replace.ranking_tender = tender_id
        transaction.on_commit(replace)


def _bid_tender(bid_id: int | None) -> int | None:
    if bid_id is None:
        return None
    return (
        Bid.objects.unscoped(reason="which tender's ranking a change to a bid's rows touches")
        .filter(pk=bid_id)
        .values_list("tender_id", flat=True)
        .first()
    )


def _lot_tender(lot_id: int | None) -> int | None:
    return Lot.objects.filter(pk=lot_id).values_list("tender_id", flat=True).first()


def _evaluator_tender(evaluator_id: int | None) -> int | None:
    return (
        Evaluator.objects.filter(pk=evaluator_id).values_list("lot__tender_id", flat=True).first()
    )


def _criterion_tender(criterion_id: int | None) -> int | None:
    return (
        Criterion.objects.filter(pk=criterion_id).values_list("lot__tender_id", flat=True).first()
    )


# How each row the ranking reads finds its tender (from ids already on the row).
TENDER_OF = {
    Tender: lambda row: row.pk,
    Lot: lambda row: row.tender_id,
    Bid: lambda row: row.tender_id,
    Criterion: lambda row: _lot_tender(row.lot_id),
    Commitment: lambda row: _bid_tender(row.bid_id),
    Evaluator: lambda row: _lot_tender(row.lot_id),
    ConflictDeclaration: lambda row: _evaluator_tender(row.evaluator_id),
    Mark: lambda row: _bid_tender(row.bid_id),
    ModeratedMark: lambda row: _bid_tender(row.bid_id),
    AbnormallyLowQuery: lambda row: _bid_tender(row.bid_id),
    AwardDecision: lambda row: _lot_tender(row.lot_id),
    TieResolution: lambda row: _lot_tender(row.lot_id),
}


def _row_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    tender_id = TENDER_OF[sender](instance)
    # A row of a deleted lot or bid: the lot's or the tender's own deletion forgets it.
    if tender_id is not None:
        forget(tender_id=tender_id)


def _name_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # Signing in saves the last sign-in time alone: nothing the ranking shows.
    if kwargs.get("raw") or (update_fields and set(update_fields) <= {"last_login"}):
        return
    forget(tender_id=EVERY_TENDER)


def _panel_criteria_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    # The evaluator, or (changed from the criterion's side) the criterion: both name the lot.
    tender_id = _lot_tender(instance.lot_id)
    if tender_id is not None:
        forget(tender_id=tender_id)


def connect() -> None:
    """Listen for changes to every row a ranking reads (from tenders/registrations.py)."""
    for model in TENDER_OF:
        uid = f"ranking-version-{model.__name__}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + "-delete")
    for model in (Organisation, get_user_model()):
        uid = f"ranking-version-names-{model.__name__}"
        post_save.connect(_name_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_name_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(
        _panel_criteria_changed,
        sender=Evaluator.criteria.through,
        dispatch_uid="ranking-version-panel-criteria",
    )
