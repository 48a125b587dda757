"""Record the closure of every published tender whose submission deadline has passed."""

from django.core.management.base import BaseCommand

from tenders import services


class Command(BaseCommand):
    help = "Record the closure of published tenders past their submission deadline."

    def handle(self, *args, **options) -> None:
        closed = services.close_due_tenders()
        self.stdout.write(f"Closed {len(closed)} tender{'s' if len(closed) != 1 else ''}.")
