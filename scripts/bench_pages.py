#!/usr/bin/env python3
"""Print how long the main pages take to render, beside a bare page, as data grows.

    .venv/bin/python scripts/bench_pages.py [--measures 400] [--requests 100]

Runs in-process through Django's test client (no HTTP server) against a throw-away SQLite database,
or the database DATABASE_URL names (it must be empty: the script migrates and seeds it). Absolute
figures drift on shared machines; read the ratio to the bare page (the signed-out home page).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=400, help="extra catalogue measures to add")
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
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

    # After django.setup(): models can be imported only once Django's apps are loaded.
    from measurement.models import Measure, ProxyValue
    from socialvalue.models import User

    call_command("collectstatic", "--no-input", verbosity=0)  # production static storage, as served
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    start = Measure.objects.count()
    measures = Measure.objects.bulk_create(
        Measure(
            code=f"BENCH-{n}",
            theme=("economic", "social", "environmental")[n % 3],
            outcome="Benchmark outcome",
            name=f"Benchmark measure {n}",
            unit="unit",
        )
        for n in range(args.measures)
    )
    ProxyValue.objects.bulk_create(
        ProxyValue(
            measure=m, value=Decimal("12.34"), valid_from="2025-04-01", source_title="Benchmark"
        )
        for m in measures
    )
    print(
        f"catalogue: {start} demo measures + {args.measures} added; {args.requests} requests a page"
    )

    def timed(client: Client, path: str) -> tuple[float, int, int]:
        client.get(path)  # warm caches and templates
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            status = client.get(path).status_code
        samples = []
        for _ in range(args.requests):
            began = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - began) * 1000)
        return statistics.median(samples), len(executed), status

    pages = [
        (None, "/", "home (bare page, signed out)"),
        (None, "/definitions/market-statement/northfield-district-council/", "market statement"),
        ("commissioner@northfield.example", "/dashboard/", "commissioner dashboard"),
        ("commissioner@northfield.example", "/catalogue/", "catalogue (first page)"),
        ("commissioner@northfield.example", "/act/", "Act checks list"),
        ("commissioner@northfield.example", "/definitions/", "definitions list"),
        ("bids@foodnetwork.example", "/tenders/opportunities/", "opportunities"),
        ("procurement@northfield.example", "/tenders/", "tenders list"),
    ]
    print(f"{'page':<34} {'median ms':>10} {'x bare':>7} {'queries':>8} {'status':>7}")
    bare = None
    for email, path, label in pages:
        client = Client()
        if email:
            client.force_login(
                User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
            )
        median, queries, status = timed(client, path)
        bare = bare or median  # the first row is the bare page
        print(f"{label:<34} {median:>10.2f} {median / bare:>7.1f} {queries:>8} {status:>7}")


if __name__ == "__main__":
    main()
