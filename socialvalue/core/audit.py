"""The audit trail: one call to record what happened, one to check that nobody rewrote history.

Every service function that changes state calls `record` inside its transaction. Entries form a hash
chain: each entry's SHA-256 covers its fields and the previous entry's hash. The actor is hashed by
the email kept on the entry, not the account id, so removing an account later keeps the chain intact.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from socialvalue.core.models import AuditEntry, AuditHead, Organisation, User

GENESIS_HASH = "0" * 64


def _canonical(
    *,
    sequence: int,
    created_at: datetime,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    organisation_id: int | None,
    data: dict,
    previous_hash: str,
) -> bytes:
    payload = {
        "sequence": sequence,
        "created_at": created_at.astimezone(UTC).isoformat(),
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "organisation_id": organisation_id,
        "data": data,
        "previous_hash": previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def entry_digest(entry: AuditEntry) -> str:
    """The hash an entry should carry, recomputed from its stored fields."""
    return hashlib.sha256(
        _canonical(
            sequence=entry.sequence,
            created_at=entry.created_at,
            actor_label=entry.actor_label,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            organisation_id=entry.organisation_id,
            data=entry.data,
            previous_hash=entry.previous_hash,
        )
    ).hexdigest()


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
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    """What verify_chain found: intact or not, how many entries, and the first break."""

    intact: bool
    entries: int
    problem: str = ""
    sequence: int | None = None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Walk the chain in order and report the first entry that was edited, removed or inserted."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for entry in _entries():
        count += 1
        if entry.sequence != expected_sequence:
            return ChainReport(
                False, count, f"entry {expected_sequence} is missing", expected_sequence
            )
        if entry.previous_hash != previous_hash:
            return ChainReport(False, count, "does not follow the entry before it", entry.sequence)
        if entry_digest(entry) != entry.entry_hash:
            return ChainReport(False, count, "was changed after it was written", entry.sequence)
        previous_hash = entry.entry_hash
        expected_sequence += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_sequence != count:
        return ChainReport(
            False, count, f"the trail should end at entry {head.last_sequence}", count
        )
    return ChainReport(True, count)
