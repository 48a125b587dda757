"""The audit trail: one call to record what happened, one to check that nobody rewrote history.

Every service function that changes state calls `record` inside its transaction. Entries form a hash
chain: each entry's hash covers every field the history shows (the actor's account and email
included) and the previous entry's hash. Since hash version 2 the hash is an HMAC-SHA256 made with
AUDIT_KEY, which never enters the database, so someone who can write the audit table cannot
recompute the chain after an edit; entries written before (version 1, a plain SHA-256 without the
actor's account) keep verifying as they were written. The newest entry is also anchored outside
the table (socialvalue.core.audit_anchors), so removing the newest entries is caught too.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from celery import shared_task
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from socialvalue.core.audit_anchors import Anchor, newest_anchors, sign, write_anchor
from socialvalue.core.models import AuditEntry, AuditHead, Organisation, User
from socialvalue.kernel.dates import long_moment

GENESIS_HASH = "0" * 64
# 1: plain SHA-256 over the fields without the actor's account (entries written before keys).
# 2: HMAC-SHA256 with AUDIT_KEY over every field shown, the actor's account included.
HASH_VERSION = 2


def _payload(entry: AuditEntry) -> dict:
    payload = {
        "sequence": entry.sequence,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "organisation_id": entry.organisation_id,
        "data": entry.data,
        "previous_hash": entry.previous_hash,
    }
    if entry.hash_version >= 2:
        payload["actor_id"] = entry.actor_id
        payload["hash_version"] = entry.hash_version
    return payload


def entry_digest(entry: AuditEntry) -> str:
    """The hash an entry should carry, recomputed from its stored fields under its hash version."""
    if entry.hash_version == 1:
        canonical = json.dumps(_payload(entry), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
    return sign("entry", _payload(entry))


def _first_keyed_sequence() -> int | None:
    return (
        AuditEntry.objects.filter(hash_version__gte=2)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail (in the caller's transaction, or its own).

    `action` is a dotted verb such as "bid.submitted"; `data` holds the facts worth keeping
    (values are stored as JSON, so Decimals and dates become strings).
    """
    # Round-trip through JSON so the hash is computed over exactly what the database will return.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        head, _ = AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=head.pk)
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            created_at=timezone.now(),
            actor=actor if actor and actor.pk else None,
            actor_label=(actor.email if actor and actor.pk else "system"),
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            organisation=organisation,
            data=clean_data,
            previous_hash=head.last_hash,
            hash_version=HASH_VERSION,
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
        first_keyed = (
            entry.sequence == 1
            or AuditEntry.objects.filter(sequence=entry.sequence - 1, hash_version=1).exists()
        )
        if first_keyed or entry.sequence % settings.AUDIT_ANCHOR_EVERY == 0:
            keyed_from = entry.sequence if first_keyed else _first_keyed_sequence()
            reason = "first keyed entry" if first_keyed else f"every {settings.AUDIT_ANCHOR_EVERY}"
            # After the commit, so an entry rolled back is never anchored; a storage failure is
            # logged, not raised into the request (the daily anchor follows regardless).
            transaction.on_commit(
                lambda: write_anchor(
                    sequence=entry.sequence,
                    entry_hash=entry.entry_hash,
                    keyed_from=keyed_from,
                    reason=reason,
                ),
                robust=True,
            )
    return entry


def anchor_newest(*, reason: str) -> str | None:
    """Anchor the trail's newest entry now (the daily beat task); None while the trail is empty."""
    newest = AuditEntry.objects.order_by("-sequence").first()
    if newest is None:
        return None
    return write_anchor(
        sequence=newest.sequence,
        entry_hash=newest.entry_hash,
        keyed_from=_first_keyed_sequence(),
        reason=reason,
    )


@dataclass(frozen=True)
class ChainReport:
    """What verify_chain found: intact or not, how many entries, and the first break in a
    sentence that names the entry (`problem`) and its number (`sequence`)."""

    intact: bool
    entries: int
    problem: str = ""
    sequence: int | None = None


def describe(entry: AuditEntry) -> str:
    """'Entry 57 (tender.published by x@example.org on 3 December 2026 at 14:05)'."""
    when = long_moment(timezone.localtime(entry.created_at))
    return f"Entry {entry.sequence} ({entry.action} by {entry.actor_label} on {when})"


def _anchor_time(anchor: Anchor) -> str:
    return long_moment(timezone.localtime(anchor.written_at))


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)


def _wrong_key(anchors: list[Anchor]) -> bool:
    """No keyed entry and no anchor verifies with this AUDIT_KEY: the key, not the trail, is wrong."""
    if any(anchor.genuine for anchor in anchors):
        return False
    keyed = AuditEntry.objects.filter(hash_version__gte=2).order_by("sequence")
    return not any(entry_digest(entry) == entry.entry_hash for entry in keyed.iterator())


def verify_chain() -> ChainReport:
    """Walk the chain in order, then compare its end with the head and the newest anchors, and
    report the first entry edited, removed, inserted or rewritten without the key."""
    found = newest_anchors()
    anchors = [anchor for anchor in found if isinstance(anchor, Anchor)]
    anchored = {anchor.sequence for anchor in anchors if anchor.genuine}
    hashes: dict[int, AuditEntry] = {}
    previous: AuditEntry | None = None
    keyed_from: int | None = None
    count = 0
    for entry in _entries():
        count += 1
        expected = previous.sequence + 1 if previous else 1
        if entry.sequence != expected:
            problem = (
                f"Entry {expected} is missing: the trail goes from entry {expected - 1} to entry "
                f"{entry.sequence}."
                if expected > 1
                else f"Entries before {entry.sequence} are missing: the trail starts there."
            )
            return ChainReport(False, count, problem, expected)
        if entry.previous_hash != (previous.entry_hash if previous else GENESIS_HASH):
            return ChainReport(
                False,
                count,
                f"{describe(entry)} does not follow the entry before it: an entry was changed, "
                "removed or inserted there.",
                entry.sequence,
            )
        if entry.hash_version >= 2 and keyed_from is None:
            keyed_from = entry.sequence
        if entry.hash_version < 2 and keyed_from is not None:
            return ChainReport(
                False,
                count,
                f"{describe(entry)} carries an unkeyed hash after keyed hashes began at entry "
                f"{keyed_from}: it was rewritten without the audit key.",
                entry.sequence,
            )
        if not hmac.compare_digest(entry_digest(entry), entry.entry_hash):
            if entry.hash_version >= 2 and _wrong_key(anchors):
                return ChainReport(
                    False,
                    count,
                    f"No entry with a keyed hash (from entry {entry.sequence} on) verifies with "
                    "this AUDIT_KEY, nor does any anchor: the service is running with a "
                    "different key from the one that wrote the trail. Set AUDIT_KEY to that key.",
                    entry.sequence,
                )
            return ChainReport(
                False, count, f"{describe(entry)} was changed after it was written.", entry.sequence
            )
        if entry.sequence in anchored:
            hashes[entry.sequence] = entry
        previous = entry
    return _compare_end(count, keyed_from, hashes, found)


def _compare_end(
    count: int, keyed_from: int | None, hashes: dict[int, AuditEntry], found: list
) -> ChainReport:
    """The chain read intact up to entry `count`: does it end where the head and anchors say?"""
    for anchor in found:
        if not isinstance(anchor, Anchor):
            return ChainReport(
                False, count, f"The anchor {anchor} cannot be read: it was altered.", None
            )
        if not anchor.genuine:
            return ChainReport(
                False,
                count,
                f"The anchor {anchor.name} was not written with this AUDIT_KEY, or was altered "
                "after it was written.",
                anchor.sequence,
            )
        if anchor.sequence > count:
            return ChainReport(
                False,
                count,
                f"Entries after {count} are missing: the anchor written at "
                f"{_anchor_time(anchor)} records entry {anchor.sequence}.",
                count + 1,
            )
        if hashes[anchor.sequence].entry_hash != anchor.entry_hash:
            return ChainReport(
                False,
                count,
                f"{describe(hashes[anchor.sequence])} does not match the anchor written at "
                f"{_anchor_time(anchor)}: the trail was rewritten up to there.",
                anchor.sequence,
            )
        if anchor.keyed_from is not None and (keyed_from is None or keyed_from > anchor.keyed_from):
            entry = AuditEntry.objects.get(sequence=anchor.keyed_from)
            return ChainReport(
                False,
                count,
                f"{describe(entry)} was rewritten without the audit key: the anchor written at "
                f"{_anchor_time(anchor)} records keyed hashes from entry {anchor.keyed_from} on.",
                anchor.keyed_from,
            )
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_sequence != count:
        if head.last_sequence > count:
            problem = (
                f"Entries after {count} are missing: the trail's head records entry "
                f"{head.last_sequence}."
            )
        else:
            problem = (
                f"The trail's head records entry {head.last_sequence} but the trail goes on to "
                f"entry {count}: the head was changed."
            )
        return ChainReport(False, count, problem, min(count, head.last_sequence) + 1)
    return ChainReport(True, count)


@shared_task(ignore_result=True)
def anchor_audit_trail() -> None:
    """Beat task: write the trail's newest entry to storage and the log (core.audit_anchors)."""
    anchor_newest(reason="daily")
