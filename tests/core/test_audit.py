"""The audit trail's hash chain: intact after normal use, broken by any edit, removal or insertion."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from socialvalue.core import audit
from socialvalue.models import AuditEntry
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail():
    actor, authority = UserFactory(), AuthorityFactory()
    for number in range(5):
        audit.record(
            actor=actor,
            action="test.happened",
            obj=authority,
            data={"number": number, "amount": "12.50"},
        )
    return actor


def test_a_fresh_trail_is_intact(trail, capsys):
    report = audit.verify_chain()
    assert report.intact and report.entries == 5
    call_command("verify_audit")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_entries_cannot_be_changed_or_deleted_through_the_application(trail):
    entry = AuditEntry.objects.first()
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_an_entry_edited_in_the_database_breaks_the_chain_there(trail):
    target = AuditEntry.objects.get(sequence=3)
    AuditEntry.objects.filter(pk=target.pk).update(data={"number": 99, "amount": "12.50"})
    report = audit.verify_chain()
    assert not report.intact
    assert report.sequence == 3
    assert "changed" in report.problem
    with pytest.raises(CommandError, match="broken at entry 3"):
        call_command("verify_audit")


def test_a_deleted_entry_breaks_the_chain(trail):
    AuditEntry.objects.filter(
        sequence=2
    ).delete()  # a queryset delete bypasses the model, as raw SQL would
    report = audit.verify_chain()
    assert not report.intact and report.sequence == 2


def test_removing_the_newest_entry_is_detected(trail):
    AuditEntry.objects.filter(sequence=5).delete()
    assert not audit.verify_chain().intact


def test_rehashing_an_edited_entry_still_breaks_the_next_link(trail):
    target = AuditEntry.objects.get(sequence=2)
    target.actor_label = "someone-else@example.org"
    AuditEntry.objects.filter(pk=target.pk).update(
        actor_label=target.actor_label, entry_hash=audit.entry_digest(target)
    )
    report = audit.verify_chain()
    assert not report.intact and report.sequence == 3


def test_entries_keep_who_acted_after_the_account_is_gone(trail):
    email = trail.email
    trail.delete()
    assert AuditEntry.objects.filter(actor_label=email).count() == 5
    assert audit.verify_chain().intact
