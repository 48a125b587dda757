"""Make one report's PDF now, with the same permission check as its page.

    python manage.py render_report act-consideration 12 --as commissioner@northfield.example --out record.pdf
    python manage.py render_report annual 3 --as commissioner@northfield.example --year 2026 --out annual.pdf

Nothing is stored or queued: the PDF goes to --out. Refused (exit status 1, with the reason on
standard error) when the person may not see the report's subject.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialvalue.core.models import User
from socialvalue.reports import registry, services


class Command(BaseCommand):
    help = (
        "Render a report to a PDF file now, as a named person (same permission check as the page)."
    )

    def add_arguments(self, parser):
        keys = ", ".join(kind.key for kind in registry.kinds())
        parser.add_argument("kind", help=f"the kind of report: {keys}")
        parser.add_argument("subject_id", type=int, help="the id of what the report is about")
        parser.add_argument(
            "--as", dest="email", required=True, help="the email address of the person asking"
        )
        parser.add_argument("--out", required=True, help="where to write the PDF")
        parser.add_argument("--year", help="the financial year (annual report): 2026 for 2026-27")
        parser.add_argument(
            "--detail", help="the tender evaluation report: summary (the default) or full"
        )

    def handle(self, *args, kind, subject_id, email, out, year=None, detail=None, **options):
        try:
            registry.get(kind)
        except registry.UnknownReportKind:
            keys = ", ".join(k.key for k in registry.kinds())
            raise CommandError(f"No kind of report is called {kind!r}. Kinds: {keys}.") from None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account has the email address {email}.")
        try:
            pdf = services.render_now(
                kind_key=kind,
                subject_id=subject_id,
                user=user,
                options={
                    key: value for key, value in (("year", year), ("detail", detail)) if value
                },
            )
        except services.SubjectNotFound as error:
            raise CommandError(str(error)) from None
        except services.ReportRefused:
            raise CommandError(
                f"{email} may not have this report: they may not see what it is about."
            ) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        Path(out).write_bytes(pdf)
        self.stdout.write(f"Wrote {out} ({len(pdf):,} bytes).")
