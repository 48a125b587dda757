#!/usr/bin/env python3
"""Time the authority's delivery totals page at scale beside a bare page, in the same run.

    .venv/bin/python scripts/bench_delivery.py [--contracts 500] [--returns 10000] [--runs 15]

Seeds the demo into a throw-away SQLite database (or the empty database DATABASE_URL names),
then copies the demo's awarded contract, in bulk, into --contracts contracts of the council,
each with its commitments, a social value schedule (a few sets of net assumptions), reporting
periods and a sent return for each (--returns in all), most lines accepted, some awaiting
checks. It then loads, in-process with Django's test client as the council's procurement
officer, the totals page (/delivery/totals/), the public summary, and the reference page of
scripts/bench_site (the base template with a 50-row table from one indexed query), --runs
times each, and prints the median milliseconds, the queries and the ratio to the reference.
Absolute figures drift on shared machines; read the ratio.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=500, help="contracts of the council")
    parser.add_argument("--returns", type=int, default=10000, help="sent returns in all")
    parser.add_argument("--runs", type=int, default=15, help="loads of each page")
    args = parser.parse_args()

    os.environ.setdefault("LOCAL_DATA_DIR", tempfile.mkdtemp(prefix="sv-bench-delivery-"))
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + "b" * 40,
        AUDIT_KEY="bench-only-" + "a" * 40,
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench_site.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    began = time.perf_counter()
    council, officer, lines = _grow(args)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give
        cursor.execute("ANALYZE")
    print(
        f"seeded {args.contracts} contracts, {args.returns} returns, {lines} return lines "
        f"in {time.perf_counter() - began:.1f} s"
    )

    from django.conf import settings
    from django.test.utils import override_settings

    from measurement.delivery import services

    services.publication_set(actor=officer, authority=council, published=True)
    # Static files are not collected for this run: plain URLs, the same for every page.
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        _time_pages(args, council, officer)


def _time_pages(args, council, officer) -> None:
    from django.db import connection
    from django.test import Client

    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    visitor = Client(HTTP_HOST="localhost")
    pages = [
        ("reference (base + 50 rows)", signed_in, "/bench/reference/"),
        ("delivery totals", signed_in, "/delivery/totals/"),
        ("delivery totals, page 10", signed_in, "/delivery/totals/?page=10"),
        ("public summary, signed out", visitor, f"/delivery/public/{council.slug}/"),
    ]
    reference = None
    print(f"{'page':<32} {'median ms':>10} {'queries':>8} {'x reference':>12}")
    for label, client, path in pages:
        queries: list[str] = []

        def count(run, sql, *rest, queries=queries):
            queries.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        reference = reference or median
        print(f"{label:<32} {median:>10.1f} {len(queries):>8} {median / reference:>12.1f}")
        if os.environ.get("BENCH_PROFILE") and "totals" in label:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


def _grow(args):
    """Copy the demo's awarded contract into many, in bulk (see the module)."""
    from django.utils import timezone

    from measurement.delivery.models import (
        DeliveryReturn,
        DeliverySchedule,
        LineStatus,
        PeriodTarget,
        ReportingPeriod,
        ReturnLine,
        ReturnStatus,
    )
    from socialvalue.core.demo import seed_core
    from socialvalue.models import Organisation, OrganisationKind
    from tenders.demo import AWARDED_TITLE
    from tenders.models import (
        AwardDecision,
        AwardOutcome,
        Bid,
        BidStatus,
        Commitment,
        Contract,
        ContractCommitment,
        Lot,
        Tender,
        TenderStatus,
    )

    cast, _ = seed_core()
    council, officer = cast.organisations["council"], cast.users["procurement"]
    source = Contract.objects.get(tender__authority=council, tender__title=AWARDED_TITLE)
    commitments = list(source.commitments.all())
    schedule = source.delivery_schedule
    now = timezone.now()
    periods_each = max(1, args.returns // args.contracts)
    first_day = timezone.localdate() - timedelta(days=30 * (periods_each + 1))

    tenders = []
    for n in range(args.contracts):
        tender = Tender.objects.get(pk=source.tender_id)
        tender.pk = None
        tender.title = f"Benchmark contract {n:03d} for district services"
        tender.reference = f"BENCH-DEL-{n:03d}"
        tender.status = TenderStatus.IN_DELIVERY
        tenders.append(tender)
    tenders = Tender.objects.bulk_create(tenders)
    lots = Lot.objects.bulk_create(Lot(tender=t, number=1, title="Whole contract") for t in tenders)
    suppliers = Organisation.objects.bulk_create(
        Organisation(
            name=f"Benchmark supplier {n}",
            slug=f"bench-supplier-{n}",
            kind=OrganisationKind.BIDDER,
            bidder_type="voluntary",
        )
        for n in range(50)
    )
    bids = Bid._base_manager.bulk_create(
        Bid(
            tender=lot.tender,
            lot=lot,
            bidder=suppliers[n % len(suppliers)],
            status=BidStatus.SUBMITTED,
            price=Decimal("150000") + n,
            submitted_at=now,
        )
        for n, lot in enumerate(lots)
    )
    decisions = AwardDecision.objects.bulk_create(
        AwardDecision(
            lot=bid.lot, outcome=AwardOutcome.AWARD, bid=bid, decided_by=officer, decided_at=now
        )
        for bid in bids
    )
    contracts = Contract.objects.bulk_create(
        Contract(
            tender=bid.tender,
            lot=bid.lot,
            award_decision=decision,
            bid=bid,
            supplier=bid.bidder,
            reference=f"C-BENCH-{n:03d}",
            value=Decimal("150000") + n,
            signed_on=first_day - timedelta(days=n % 400),
            starts_on=first_day,
            ends_on=first_day + timedelta(days=30 * periods_each + 365),
            entered_by=officer,
            entered_at=now,
        )
        for n, (bid, decision) in enumerate(zip(bids, decisions, strict=True))
    )
    bid_commitments = Commitment._base_manager.bulk_create(
        Commitment(
            bid=bid,
            measure_id=c.measure_id,
            quantity=c.quantity,
            timing=c.timing,
            proxy_value_id=c.proxy_value_id,
            proxy_amount=c.proxy_amount,
            monetised_value=c.monetised_value,
        )
        for bid in bids
        for c in commitments
    )
    contract_commitments = ContractCommitment.objects.bulk_create(
        ContractCommitment(
            contract=contract,
            source=bid_commitments[n * len(commitments) + i],
            measure_id=c.measure_id,
            quantity=c.quantity,
            timing=c.timing,
            proxy_value_id=c.proxy_value_id,
            proxy_amount=c.proxy_amount,
            monetised_value=c.monetised_value,
        )
        for n, contract in enumerate(contracts)
        for i, c in enumerate(commitments)
    )
    DeliverySchedule.objects.bulk_create(
        DeliverySchedule(
            contract=contract,
            band_key=schedule.band_key,
            band_label=schedule.band_label,
            reporting=schedule.reporting,
            max_measures=schedule.max_measures,
            evidence=schedule.evidence,
            deadweight=Decimal(10 * (n % 3)),
            attribution=Decimal("10"),
            displacement=Decimal("5"),
            drop_off=Decimal(10 * (n % 2)),
            duration_years=1 + n % 3,
            include_unconfirmed=n % 7 == 0,
        )
        for n, contract in enumerate(contracts)
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            contract=contract,
            number=p + 1,
            starts_on=first_day + timedelta(days=30 * p),
            ends_on=first_day + timedelta(days=30 * p + 29),
            due_on=first_day + timedelta(days=30 * p + 45),
        )
        for contract in contracts
        for p in range(periods_each)
    )
    by_contract: dict[int, list] = {}
    for cc in contract_commitments:
        by_contract.setdefault(cc.contract_id, []).append(cc)
    PeriodTarget.objects.bulk_create(
        PeriodTarget(commitment=cc, period=period, quantity=cc.quantity / periods_each)
        for period in periods
        for cc in by_contract[period.contract_id]
    )
    returns = DeliveryReturn.objects.bulk_create(
        DeliveryReturn(
            period=period, status=ReturnStatus.SUBMITTED, submitted_at=now, submitted_by=officer
        )
        for period in periods
    )
    statuses = [LineStatus.ACCEPTED] * 8 + [LineStatus.PENDING, LineStatus.QUERIED]
    made = ReturnLine.objects.bulk_create(
        ReturnLine(
            delivery_return=sent,
            commitment=cc,
            quantity=(cc.quantity / periods_each).quantize(Decimal("0.01")),
            status=statuses[(sent.pk + i) % len(statuses)],
            decided_by=officer,
            decided_at=now,
        )
        for sent, period in zip(returns, periods, strict=True)
        for i, cc in enumerate(by_contract[period.contract_id])
    )
    return council, officer, len(made)


if __name__ == "__main__":
    main()
