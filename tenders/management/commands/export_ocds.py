"""Write the OCDS releases of published tenders to a file, for bulk publication.

    python manage.py export_ocds --out releases.json [--since 2026-04-01] [--format package]
    python manage.py export_ocds --out releases.jsonl --format jsonl

`package` writes one release package (what GET /api/ocds/releases/ gives, without pages);
`jsonl` writes one release a line. The releases are the API's (tenders.ocds.releases), read a
hundred tenders at a time so that memory stays flat however many there are.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from tenders import selectors
from tenders.filters import ReleaseFilter
from tenders.ocds import releases as ocds

BATCH = 100


class Command(BaseCommand):
    help = "Write the OCDS releases of published tenders as a release package or JSON lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="File to write ('-' for the screen).")
        parser.add_argument(
            "--since", help="Only releases dated at or after this date or moment (ISO 8601)."
        )
        parser.add_argument("--format", choices=["package", "jsonl"], default="package")
        parser.add_argument(
            "--base-url",
            default=settings.OCDS_BASE_URL,
            help="The service's public address, for the package's links (OCDS_BASE_URL).",
        )

    def handle(self, *args, **options) -> None:
        filterset = ReleaseFilter(
            {"since": options["since"] or ""}, queryset=selectors.ocds_tenders()
        )
        if not filterset.is_valid():
            messages = "; ".join(str(m) for errors in filterset.errors.values() for m in errors)
            raise CommandError(f"--since: {messages}")
        since = filterset.form.cleaned_data.get("since")
        base = options["base_url"].rstrip("/")
        now = timezone.now()
        count = 0
        with _opened(options["out"]) as out:
            if options["format"] == "package":
                envelope = ocds.package(
                    [],
                    uri=base + reverse("api-ocds-releases"),
                    extension_url=base + reverse("api-ocds-extension", args=["extension.json"]),
                    published=now,
                )
                head = json.dumps(envelope, ensure_ascii=False)
                out.write(head[: -len("[]}")] + "[")
            for batch in _batches(filterset.qs):
                found = ocds.releases(
                    batch,
                    bid_counts=selectors.submitted_bid_counts(tenders=batch),
                    parts=selectors.ocds_award_parts(tenders=batch),
                    now=now,
                    since=since,
                )
                for item in found:
                    text = json.dumps(item, ensure_ascii=False)
                    if options["format"] == "jsonl":
                        out.write(text + "\n")
                    else:
                        out.write(("," if count else "") + text)
                    count += 1
            if options["format"] == "package":
                out.write("]}\n")
        if options["out"] != "-":
            self.stdout.write(
                f"Wrote {count} release{'s' if count != 1 else ''} to {options['out']}."
            )


def _batches(queryset):
    """The tenders a hundred at a time, by id (each batch loads its parts in a few queries)."""
    after = 0
    while True:
        batch = list(queryset.filter(pk__gt=after)[:BATCH])
        if not batch:
            return
        yield batch
        after = batch[-1].pk


@contextmanager
def _opened(name: str):
    if name == "-":
        yield sys.stdout
        return
    try:
        with Path(name).open("w", encoding="utf-8") as handle:
            yield handle
    except OSError as error:
        raise CommandError(f"Cannot write {name}: {error.strerror}.") from error
