#!/usr/bin/env python3
"""Serve the app as production does and load every main page beside a reference page.

    DATABASE_URL=postgres://.../sv_scale .venv/bin/python scripts/bench_scale.py [--seconds 10]

The database must already hold `manage.py seed_scale` data (on top of the demo data). The
script starts gunicorn (2 sync workers, DEBUG off, persistent connections, Redis cache when
CACHE_URL is set), signs the demo people in by writing their sessions, counts each page's
queries and bytes once in-process, then runs `wrk -t2 -c8` (or, without wrk, a small Python
client with 8 keep-alive connections) for --seconds on each page in turn and prints req/s, p50,
p95, p99, queries, KB and the ratio to the reference page: the base template with a 50-row
table from one indexed query, served by the same processes in the same run (scripts/bench_site).
Absolute figures drift on shared machines; read the ratio.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# Who loads which page: (label, email or None, path). {big} is the tender with 459 bids.
PAGES = [
    ("reference (base + 50 rows)", None, "/bench/reference/"),
    # The same page for a signed-in bidder: the floor of every signed-in page (session, user and
    # roles read, the header's links drawn).
    ("reference, signed in", "bids@foodnetwork.example", "/bench/reference/"),
    ("home, signed out", None, "/"),
    ("market statement, signed out", None, "/definitions/market-statement/{authority}/"),
    ("opportunities", "bids@foodnetwork.example", "/tenders/opportunities/"),
    ("opportunities, search", "bids@foodnetwork.example", "/tenders/opportunities/?q=transport"),
    (
        "opportunities, authority",
        "bids@foodnetwork.example",
        "/tenders/opportunities/?authority={authority_id}",
    ),
    ("opportunities, page 50", "bids@foodnetwork.example", "/tenders/opportunities/?page=50"),
    ("tender list (500)", "procurement@northfield.example", "/tenders/"),
    ("tender page (459 bids)", "procurement@northfield.example", "/tenders/{big}/"),
    ("bids page (409)", "procurement@northfield.example", "/tenders/{big}/bids/"),
    ("tender page, bidder", "bids@foodnetwork.example", "/tenders/{big}/"),
    ("your bids (300)", "bids@foodnetwork.example", "/tenders/my-bids/"),
    ("definitions, staff (400)", "staff@service.example", "/definitions/"),
    ("Act checks (300)", "commissioner@northfield.example", "/act/"),
    ("catalogue (2,000)", "commissioner@northfield.example", "/catalogue/"),
    ("dashboard, officer", "procurement@northfield.example", "/dashboard/"),
    ("API opportunities", None, "/api/opportunities/"),
    ("API opportunities, search", None, "/api/opportunities/?q=transport"),
]

WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wrk(url: str, cookie: str, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", script.name, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, duration, p50, p95, p99, errors, non2xx = map(int, line.split()[1:])
    return {
        "rps": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": errors + non2xx,
    }


def run_python(port: int, path: str, cookie: str, seconds: int) -> dict:
    """8 keep-alive connections in threads, for machines without wrk."""
    samples: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.perf_counter() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            samples.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cuts = statistics.quantiles(samples, n=100)
    return {
        "rps": len(samples) / (time.perf_counter() - began),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="load per page")
    parser.add_argument("--only", default="", help="run only pages whose label contains this")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded with manage.py seed_scale.")

    data_dir = tempfile.mkdtemp(prefix="sv-bench-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_site.settings",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'scripts'}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "b" * 40,
        "AUDIT_KEY": "bench-only-" + "a" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOCAL_DATA_DIR": data_dir,
        "STATIC_ROOT": str(Path(data_dir) / "static"),
        # The anonymous API throttle would refuse a load test; the rate is a setting.
        "API_OPPORTUNITIES_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "scripts"))
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from socialvalue.models import Organisation, User
    from tenders.models import Tender

    call_command("collectstatic", "--no-input", verbosity=0)
    big = Tender.objects.filter(title__startswith="Scale: community transport").first()
    if big is None:
        sys.exit("No scale data: run manage.py seed_scale first.")
    authority = Organisation.objects.get(slug="northfield-district-council")
    values = {"big": big.pk, "authority": authority.slug, "authority_id": authority.pk}

    cookies: dict[str, str] = {}
    for email in {email for _, email, _ in PAGES if email}:
        user = User.objects.get(email=email)
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[email] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    pages = [(label, email, path.format(**values)) for label, email, path in PAGES]
    if args.only:
        pages = [p for p in pages if args.only in p[0] or p[0].startswith("reference")]

    # Queries and bytes, once per page in-process (after a first request warms caches).
    shape = {}
    for label, email, path in pages:
        client = Client()
        if email:
            client.cookies.load(cookies[email])
        client.get(path)
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        shape[label] = (len(executed), len(response.content), response.status_code)

    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench_site.wsgi:application",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        use_wrk = shutil.which("wrk") is not None
        print(
            f"gunicorn 2 sync workers, {'wrk -t2 -c8' if use_wrk else 'python client, 8 connections'}, "
            f"{args.seconds}s a page, database {connection.settings_dict['NAME']}, "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
        )
        print(
            f"| {'page':<30} | {'req/s':>6} | {'× ref':>5} | {'p50 ms':>6} | {'p95 ms':>6} | "
            f"{'p99 ms':>6} | {'queries':>7} | {'KB':>5} | status |"
        )
        print(
            f"| {'-' * 30} | {'-' * 5}: | {'-' * 4}: | {'-' * 5}: | {'-' * 5}: | {'-' * 5}: | "
            f"{'-' * 6}: | {'-' * 4}: | ---: |"
        )
        reference = None
        for label, email, path in pages:
            cookie = cookies.get(email, "")
            # Warm each worker's templates and connection before measuring.
            for _ in range(4):
                conn = http.client.HTTPConnection("127.0.0.1", port)
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                conn.getresponse().read()
                conn.close()
            if use_wrk:
                result = run_wrk(f"http://127.0.0.1:{port}{path}", cookie, args.seconds)
            else:
                result = run_python(port, path, cookie, args.seconds)
            reference = reference or result["rps"]
            queries, size, status = shape[label]
            note = f" ({result['errors']} errors)" if result["errors"] else ""
            print(
                f"| {label:<30} | {result['rps']:>6.0f} | {result['rps'] / reference:>5.2f} | "
                f"{result['p50']:>6.1f} | {result['p95']:>6.1f} | {result['p99']:>6.1f} | "
                f"{queries:>7} | {size / 1024:>5.1f} | {status}{note} |",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
