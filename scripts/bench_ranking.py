#!/usr/bin/env python3
"""Print how long a lot's ranking page takes to render with many bids, beside a bare page.

    .venv/bin/python scripts/bench_ranking.py [--bids 200] [--questions 19] [--requests 20]

Builds, in a throw-away SQLite database (or the empty database DATABASE_URL names: the script
migrates it), a tender under evaluation with `--bids` bids and `--questions` marked questions
plus price, every mark moderated, then renders its ranking page (and its chart) as the
procurement officer through Django's test client, and the signed-out home page as the bare page.
The page and chart read the ranking from the cache after the first request; the last row forgets
the lot's data version before each request, as any change to its marks would (a cold run).
Absolute figures drift on shared machines; read the ratio to the bare page.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=200, help="bids on the lot")
    parser.add_argument("--questions", type=int, default=19, help="marked questions (and price)")
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    args = parser.parse_args()

    os.environ.setdefault("LOCAL_DATA_DIR", tempfile.mkdtemp(prefix="sv-bench-"))
    os.environ.setdefault("STATIC_ROOT", str(Path(os.environ["LOCAL_DATA_DIR"]) / "static"))
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + "b" * 40,
        AUDIT_KEY="bench-only-" + "a" * 40,
        SECURE_SSL_REDIRECT="false",
    )
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    # After django.setup(): models can be imported only once Django's apps are loaded.
    from socialvalue.models import Role
    from tenders import ranking_version
    from tests.factories import AuthorityFactory, person_with_role
    from tests.tenders.award_factories import bulk_lot

    call_command("collectstatic", "--no-input", verbosity=0)  # production static storage, as served
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the embedded default caches in the database
    authority = AuthorityFactory()
    officer = person_with_role(Role.PROCUREMENT_OFFICER, authority)
    began = time.perf_counter()
    _tender, lot = bulk_lot(officer, authority, bids=args.bids, questions=args.questions)
    print(
        f"lot: {args.bids} bids x {args.questions + 1} criteria "
        f"(built in {time.perf_counter() - began:.1f} s); {args.requests} requests a page"
    )

    def timed(client: Client, path: str, cold: bool = False) -> tuple[float, int, int]:
        client.get(path)  # warm caches and templates

        def before() -> None:
            if cold:  # as after any change to the lot's data: the ranking is worked out again
                ranking_version.forget(tender_id=lot.tender_id)

        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        before()
        with connection.execute_wrapper(count):
            status = client.get(path).status_code
        samples = []
        for _ in range(args.requests):
            before()
            start = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples), len(executed), status

    pages = [
        (None, "/", "home (bare page, signed out)", False),
        (officer, reverse("award-ranking", args=[lot.pk]), "ranking page (first 50 bids)", False),
        (officer, reverse("award-ranking-chart", args=[lot.pk]), "ranking chart (SVG)", False),
        (officer, reverse("award-ranking", args=[lot.pk]), "ranking page, data changed", True),
    ]
    print(f"{'page':<34} {'median ms':>10} {'x bare':>7} {'queries':>8} {'status':>7}")
    bare = None
    for person, path, label, cold in pages:
        client = Client()
        if person:
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        median, queries, status = timed(client, path, cold)
        bare = bare or median  # the first row is the bare page
        print(f"{label:<34} {median:>10.2f} {median / bare:>7.1f} {queries:>8} {status:>7}")


if __name__ == "__main__":
    main()
