"""The audit trail: intact after normal use; any edit, removal, insertion or rewrite without the
key is reported in a sentence naming the entry, including the newest entries removed with the head
lowered (caught by the anchors kept in storage)."""

import hashlib
import json
import logging
from datetime import UTC, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from socialvalue.celery import app as celery_app
from socialvalue.core import audit
from socialvalue.core.audit_anchors import newest_anchors
from socialvalue.models import AuditEntry, AuditHead
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record_five(actor, authority):
    for number in range(5):
        audit.record(
            actor=actor,
            action="test.happened",
            obj=authority,
            data={"number": number, "amount": "12.50"},
        )


@pytest.fixture
def trail(settings, django_capture_on_commit_callbacks):
    """Five keyed entries, anchored as the service anchors them (first keyed entry, every 5th)."""
    settings.AUDIT_ANCHOR_EVERY = 5
    actor, authority = UserFactory(), AuthorityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _record_five(actor, authority)
    return actor


def _problem() -> str:
    report = audit.verify_chain()
    assert not report.intact
    return report.problem


def _lower_head_to(sequence: int) -> None:
    last = AuditEntry.objects.get(sequence=sequence)
    AuditHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=last.entry_hash)


def _plain_sha256_chain() -> None:
    """What someone with write access to the table but not the key can do: recompute every hash
    as a plain SHA-256 (the version 1 format) and the head to match."""
    previous = audit.GENESIS_HASH
    for entry in AuditEntry.objects.order_by("sequence"):
        entry.hash_version, entry.previous_hash = 1, previous
        entry.entry_hash = audit.entry_digest(entry)
        AuditEntry.objects.filter(pk=entry.pk).update(
            hash_version=1, previous_hash=previous, entry_hash=entry.entry_hash
        )
        previous = entry.entry_hash
    AuditHead.objects.filter(pk=1).update(last_hash=previous)


def test_a_fresh_trail_is_intact(trail, capsys):
    report = audit.verify_chain()
    assert report.intact and report.entries == 5
    assert set(AuditEntry.objects.values_list("hash_version", flat=True)) == {2}
    call_command("verify_audit")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_entries_cannot_be_changed_or_deleted_through_the_application(trail):
    entry = AuditEntry.objects.first()
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_an_entry_edited_in_the_database_is_named_in_a_sentence(trail):
    target = AuditEntry.objects.get(sequence=3)
    AuditEntry.objects.filter(pk=target.pk).update(data={"number": 99, "amount": "12.50"})
    report = audit.verify_chain()
    assert not report.intact and report.sequence == 3
    assert report.problem == f"{audit.describe(target)} was changed after it was written."
    assert report.problem.startswith(f"Entry 3 (test.happened by {trail.email} on ")
    with pytest.raises(CommandError, match=r"not intact\. Entry 3 \(test\.happened by"):
        call_command("verify_audit")


def test_an_entry_given_to_another_person_is_reported(trail):
    someone_else = UserFactory()
    AuditEntry.objects.filter(sequence=2).update(actor=someone_else)
    assert "Entry 2 (" in _problem() and "was changed after it was written" in _problem()


def test_a_deleted_entry_is_named(trail):
    AuditEntry.objects.filter(sequence=2).delete()  # a queryset delete bypasses the model
    assert _problem() == "Entry 2 is missing: the trail goes from entry 1 to entry 3."


def test_removing_the_newest_entries_and_lowering_the_head_is_caught_by_the_anchor(trail):
    AuditEntry.objects.filter(sequence__gte=4).delete()
    _lower_head_to(3)
    problem = _problem()
    assert problem.startswith("Entries after 3 are missing: the anchor written at ")
    assert problem.endswith("records entry 5.")


def test_writing_new_entries_over_removed_ones_does_not_hide_them(trail):
    AuditEntry.objects.filter(sequence__gte=4).delete()
    _lower_head_to(3)
    audit.record(actor=None, action="test.cover", data={})
    audit.record(actor=None, action="test.cover", data={})
    problem = _problem()
    assert problem.startswith("Entry 5 (test.cover by system on ")
    assert "does not match the anchor written at" in problem


def test_removing_the_newest_entry_without_lowering_the_head_is_reported(trail):
    AuditEntry.objects.filter(sequence=5).delete()
    assert "Entries after 4 are missing" in _problem()


def test_a_chain_recomputed_as_plain_sha256_without_the_key_is_reported(trail):
    _plain_sha256_chain()
    problem = _problem()
    assert problem.startswith("Entry ")
    assert "rewritten" in problem


def test_newest_entries_recomputed_without_the_key_are_reported_even_before_an_anchor(settings):
    settings.AUDIT_ANCHOR_EVERY = 1000
    _record_five(UserFactory(), AuthorityFactory())  # no anchor written: nothing committed
    entry = AuditEntry.objects.get(sequence=5)
    entry.actor_label, entry.hash_version = "someone-else@example.org", 1
    AuditEntry.objects.filter(pk=entry.pk).update(
        actor_label=entry.actor_label, hash_version=1, entry_hash=audit.entry_digest(entry)
    )
    _lower_head_to(5)
    assert _problem().endswith(
        "carries an unkeyed hash after keyed hashes began at entry 1: it was rewritten without "
        "the audit key."
    )


def _old_entry(sequence: int, previous_hash: str, actor) -> AuditEntry:
    """An entry as the service wrote them before keyed hashes (hash version 1)."""
    entry = AuditEntry(
        sequence=sequence,
        created_at=timezone.now() - timedelta(days=30),
        actor=actor,
        actor_label=actor.email,
        action="test.old",
        data={"n": sequence},
        previous_hash=previous_hash,
        hash_version=1,
    )
    payload = {
        "sequence": sequence,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_label": actor.email,
        "action": "test.old",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "organisation_id": None,
        "data": {"n": sequence},
        "previous_hash": previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    entry.entry_hash = hashlib.sha256(canonical).hexdigest()
    entry.save()
    return entry


def test_entries_written_before_keyed_hashes_still_verify(django_capture_on_commit_callbacks):
    actor = UserFactory()
    previous = audit.GENESIS_HASH
    for sequence in (1, 2, 3):
        previous = _old_entry(sequence, previous, actor).entry_hash
    AuditHead.objects.create(pk=1, last_sequence=3, last_hash=previous)
    with django_capture_on_commit_callbacks(execute=True):
        audit.record(actor=actor, action="test.new", data={})
        audit.record(actor=actor, action="test.new", data={})
    assert list(AuditEntry.objects.values_list("hash_version", flat=True)) == [1, 1, 1, 2, 2]
    assert audit.verify_chain().intact
    (anchor,) = newest_anchors()
    assert (anchor.sequence, anchor.keyed_from, anchor.genuine) == (4, 4, True)
    # An old entry edited is still caught by its plain hash.
    AuditEntry.objects.filter(sequence=2).update(action="test.rewritten")
    assert _problem().startswith("Entry 2 (test.rewritten by ")


def test_a_wrong_audit_key_is_reported_as_such(trail, settings):
    settings.AUDIT_KEY = "not-the-key-that-wrote-the-trail"
    problem = _problem()
    assert "No entry with a keyed hash (from entry 1 on) verifies with this AUDIT_KEY" in problem
    assert "Set AUDIT_KEY to that key." in problem


def test_an_altered_anchor_is_reported(trail):
    newest = newest_anchors()[0]
    with default_storage.open(newest.name) as handle:
        record = json.loads(handle.read())
    record["sequence"] = 3
    default_storage.delete(newest.name)
    default_storage.save(newest.name, ContentFile(json.dumps(record).encode()))
    assert _problem() == (
        f"The anchor {newest.name} was not written with this AUDIT_KEY, or was altered after it "
        "was written."
    )


def test_the_daily_task_anchors_the_newest_entry_in_storage_and_the_log(trail, caplog):
    audit.record(actor=None, action="test.later", data={})
    with caplog.at_level(logging.INFO, logger="socialvalue.core.audit"):
        audit.anchor_audit_trail()
    newest = newest_anchors()[0]
    assert newest.sequence == 6 and newest.genuine
    assert newest.entry_hash == AuditEntry.objects.get(sequence=6).entry_hash
    assert '"reason": "daily"' in caplog.text and '"sequence": 6' in caplog.text
    schedule = celery_app.conf.beat_schedule["anchor-audit-trail"]
    assert schedule["task"] == "socialvalue.core.audit.anchor_audit_trail"


def test_an_anchor_is_written_every_n_entries(trail):
    assert sorted(anchor.sequence for anchor in newest_anchors()) == [1, 5]


def test_entries_keep_who_acted_after_the_account_is_gone(trail):
    email, account = trail.email, trail.pk
    trail.delete()
    assert AuditEntry.objects.filter(actor_label=email, actor_id=account).count() == 5
    assert audit.verify_chain().intact
