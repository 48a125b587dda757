"""python manage.py verify_audit: say whether the audit trail is intact (exit 1 if not).

Checks the hash chain (and its keyed hashes, with AUDIT_KEY), then that the trail still reaches the
entries its head and its newest anchors in storage record.
"""

from django.core.management.base import BaseCommand, CommandError

from socialvalue.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check that no audit trail entry has been changed, removed or inserted."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"The audit trail is not intact. {report.problem} ({report.entries} entries read.)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"The audit trail is intact: {report.entries} entries checked.")
        )
