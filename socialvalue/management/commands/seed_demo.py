"""python manage.py seed_demo: create the demo organisations and people (safe to run again)."""

from django.core.management.base import BaseCommand

from socialvalue.core.demo import seed_all


class Command(BaseCommand):
    help = "Create demo organisations, one user per role, and each feature's demo data; print sign-in details."

    def handle(self, *args, **options):
        for line in seed_all():
            self.stdout.write(line)
