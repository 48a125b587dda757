"""Anchors of the audit trail: its newest entry, written outside the database now and then.

The hash chain shows an edit in the middle of the trail, but not the newest entries removed with
the head counter lowered to match. So the newest entry's sequence and hash are written, with an
HMAC made with AUDIT_KEY, to the storage backend (under AUDIT_ANCHOR_DIR) and to the log: when
the first keyed entry is written, every AUDIT_ANCHOR_EVERY entries and daily (a beat task).
`verify_chain` compares the trail with the newest anchors.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

log = logging.getLogger("socialvalue.core.audit")


def sign(purpose: str, payload: dict) -> str:
    """HMAC-SHA256 with AUDIT_KEY over a payload's canonical JSON; `purpose` keeps an entry's
    HMAC from ever standing for an anchor's."""
    message = (
        purpose.encode()
        + b"\n"
        + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    )
    return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """One anchor as read back: `genuine` is whether its HMAC matches under this AUDIT_KEY."""

    name: str
    sequence: int
    entry_hash: str
    keyed_from: int | None
    written_at: datetime
    genuine: bool


def _payload(*, sequence: int, entry_hash: str, keyed_from: int | None, written_at: str) -> dict:
    return {
        "sequence": sequence,
        "entry_hash": entry_hash,
        "keyed_from": keyed_from,
        "written_at": written_at,
    }


def write_anchor(*, sequence: int, entry_hash: str, keyed_from: int | None, reason: str) -> str:
    """Record that the trail reached entry `sequence` with this hash; returns the file's name.

    `keyed_from` is the first entry with a keyed hash, so an anchor also pins where unkeyed
    (version 1) entries must end.
    """
    written_at = timezone.now().astimezone(UTC)
    payload = _payload(
        sequence=sequence,
        entry_hash=entry_hash,
        keyed_from=keyed_from,
        written_at=written_at.isoformat(),
    )
    record = {**payload, "reason": reason, "hmac": sign("anchor", payload)}
    name = f"{settings.AUDIT_ANCHOR_DIR}/{written_at:%Y%m%dT%H%M%S%fZ}-{sequence:012d}.json"
    saved = default_storage.save(name, ContentFile(json.dumps(record, indent=2).encode()))
    log.info("Audit trail anchor (%s): %s", reason, json.dumps(record, sort_keys=True))
    return saved


def _read(name: str) -> Anchor | None:
    try:
        with default_storage.open(name) as handle:
            record = json.loads(handle.read())
        payload = _payload(
            sequence=int(record["sequence"]),
            entry_hash=str(record["entry_hash"]),
            keyed_from=record.get("keyed_from"),
            written_at=str(record["written_at"]),
        )
        written_at = datetime.fromisoformat(payload["written_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    genuine = hmac.compare_digest(str(record.get("hmac", "")), sign("anchor", payload))
    return Anchor(
        name=name,
        sequence=payload["sequence"],
        entry_hash=payload["entry_hash"],
        keyed_from=payload["keyed_from"],
        written_at=written_at,
        genuine=genuine,
    )


def newest_anchors(limit: int | None = None) -> list[Anchor | str]:
    """The newest anchors, newest first (file names sort by the time they were written).

    A file that cannot be read as an anchor is returned as its name, so the caller can say so.
    """
    limit = limit or settings.AUDIT_ANCHORS_CHECKED
    try:
        _, files = default_storage.listdir(settings.AUDIT_ANCHOR_DIR)
    except FileNotFoundError:
        return []
    names = sorted((f for f in files if f.endswith(".json")), reverse=True)[:limit]
    found: list[Anchor | str] = []
    for file_name in names:
        name = f"{settings.AUDIT_ANCHOR_DIR}/{file_name}"
        found.append(_read(name) or name)
    return found
