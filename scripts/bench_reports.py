#!/usr/bin/env python3
"""Print how long the biggest report takes to make, and how many pages it has.

    .venv/bin/python scripts/bench_reports.py [--checks 150] [--tenders 60] [--bids 6] [--runs 3]

The biggest kinds are an authority's annual social value report and a tender evaluation report
(by default 100 bids x 10 criteria, each bid marked by three evaluators with their reasons). The script seeds the demo
into a throw-away SQLite database (or the empty database DATABASE_URL names), grows the council's
year to a large authority's size (Act checks, published tenders, opened bids with commitments),
then makes the report as a worker does (HTML from the templates, then the tagged PDF) several
times and prints the median seconds and the page count. The evaluation report is timed as the
summary (the default) and the full record; the small kinds (a market statement, one Act
consideration record) are the baseline in the same run. --only KIND,KIND times those kinds;
--profile FILE writes a cProfile of the timed renders.
Absolute figures drift on shared machines: the CPU seconds drift less than the wall-clock ones.
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
    parser.add_argument("--checks", type=int, default=150, help="Act checks in the year")
    parser.add_argument("--tenders", type=int, default=60, help="tenders published in the year")
    parser.add_argument("--bids", type=int, default=6, help="opened bids per tender")
    parser.add_argument("--commitments", type=int, default=6, help="commitments per bid")
    parser.add_argument("--runs", type=int, default=3, help="renders of each report")
    parser.add_argument("--eval-bids", type=int, default=100, help="bids in the evaluation report")
    parser.add_argument(
        "--eval-questions", type=int, default=9, help="its marked questions (plus price)"
    )
    parser.add_argument("--evaluators", type=int, default=3, help="its panel, each marking all")
    parser.add_argument(
        "--only", help="time only these kinds, comma-separated (market-statement,tender-evaluation)"
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the timed renders to FILE"
    )
    args = parser.parse_args()

    os.environ.setdefault("LOCAL_DATA_DIR", tempfile.mkdtemp(prefix="sv-bench-reports-"))
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + "b" * 40,
        AUDIT_KEY="bench-only-" + "a" * 40,
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the embedded default caches in the database
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    council, commissioner = _grow(args)

    from socialvalue.models import PlannedContract
    from socialvalue.reports import registry, rendering, services

    officer, evaluated = _evaluated_tender(council, args)
    subjects = [
        ("annual", council, {"year": _year()}, commissioner),
        (
            "act-consideration",
            PlannedContract.objects.filter(authority=council).last(),
            {},
            commissioner,
        ),
        ("market-statement", council, {}, commissioner),
        ("tender-evaluation", evaluated, {"detail": "summary"}, officer),
        ("tender-evaluation", evaluated, {"detail": "full"}, officer),
    ]
    print(
        f"annual report of a year with {args.checks} Act checks, {args.tenders} tenders, "
        f"{args.bids} opened bids each with {args.commitments} commitments; tender evaluation "
        f"report of {args.eval_bids} bids x {args.eval_questions + 1} criteria marked by "
        f"{args.evaluators} evaluators; {args.runs} runs"
    )
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    for key, subject, options, person in subjects:
        if args.only and key not in args.only.split(","):
            continue
        label = f"{key} ({options['detail']})" if "detail" in options else key
        kind = registry.get(key)
        assert services.may_have(person, kind, subject)
        html_times, pdf_times, cpu_times, pages = [], [], [], 0
        for _ in range(args.runs):
            if profiler:
                profiler.enable()
            cpu = time.process_time()
            started = time.perf_counter()
            html = rendering.report_html(
                kind, subject, options, title=services.title_for(kind, subject, options)
            )
            html_times.append(time.perf_counter() - started)
            made = rendering.html_to_pdf(html)
            pdf_times.append(made.seconds)
            cpu_times.append(time.process_time() - cpu)
            if profiler:
                profiler.disable()
            pages = made.page_count
        html_s, pdf_s = statistics.median(html_times), statistics.median(pdf_times)
        print(
            f"{label:28} {html_s + pdf_s:6.2f} s  (data and HTML {html_s:.2f} s, layout and PDF "
            f"{pdf_s:.2f} s; CPU {statistics.median(cpu_times):.2f} s)  {pages} pages"
        )
    if profiler:
        profiler.dump_stats(args.profile)
        print(f"profile written to {args.profile} (python -m pstats {args.profile})")


def _evaluated_tender(council, args):
    """A tender under evaluation with `--eval-bids` bids and `--eval-questions` marked questions
    plus price, each evaluator's submitted mark and justification on every one, all moderated."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from socialvalue.models import Role
    from tenders.evaluation_selectors import markable_criteria
    from tenders.models import Bid, Evaluator, Mark
    from tests.factories import person_with_role
    from tests.tenders.award_factories import bulk_lot

    officer = person_with_role(Role.PROCUREMENT_OFFICER, council)
    tender, lot = bulk_lot(officer, council, bids=args.eval_bids, questions=args.eval_questions)
    now = timezone.now()
    criteria = markable_criteria(lot)
    bids = list(Bid.objects.unscoped(reason="benchmark data").filter(lot=lot))
    for n in range(args.evaluators):
        evaluator = Evaluator.objects.create(
            lot=lot,
            user=person_with_role(Role.EVALUATOR, council),
            appointed_by=officer,
            appointed_at=now - timedelta(days=2),
            declared_at=now - timedelta(days=2),
        )
        evaluator.criteria.set(criteria)
        Mark.objects.bulk_create(
            Mark(
                evaluator=evaluator,
                bid=bid,
                criterion=criterion,
                mark=Decimal((bid.pk + criterion.pk + n) % 6),
                justification=(
                    "The answer names its sites and dates; the staffing plan is thinner than "
                    "the descriptor for the next mark asks."
                ),
                saved_at=now - timedelta(days=1),
                submitted_at=now - timedelta(days=1),
            )
            for bid in bids
            for criterion in criteria
        )
    return officer, tender


def _year() -> int:
    from socialvalue.reports.annual import current_year

    return current_year()


def _grow(args):
    """Add the year's checks, tenders, bids and commitments in bulk, copied from the demo's."""
    from django.utils import timezone

    from measurement.models import Measure
    from socialvalue.core.demo import seed_core
    from socialvalue.models import ActAssessment, Organisation, OrganisationKind, PlannedContract
    from tenders.models import (
        Bid,
        BidStatus,
        Commitment,
        Criterion,
        CriterionKind,
        Lot,
        Tender,
        TenderStatus,
    )

    cast, _ = seed_core()
    council, commissioner = cast.organisations["council"], cast.users["commissioner"]
    template = ActAssessment.objects.filter(planned_contract__authority=council).first()
    contracts = PlannedContract.objects.bulk_create(
        PlannedContract(
            authority=council, title=f"Planned contract {n:03d}", created_by=commissioner
        )
        for n in range(args.checks)
    )
    ActAssessment.objects.bulk_create(
        ActAssessment(
            planned_contract=contract,
            inputs=template.inputs,
            result=template.result,
            applies=(True, False, None)[n % 3],
            schedule_id=template.schedule_id,
            wellbeing_improvement=template.wellbeing_improvement,
            procurement_approach=template.procurement_approach,
            will_consult=n % 2 == 0,
            recorded_by=commissioner,
        )
        for n, contract in enumerate(contracts)
    )
    now = timezone.now()
    source = Tender.objects.filter(authority=council).exclude(status=TenderStatus.DRAFT).first()
    tenders = []
    for n in range(args.tenders):
        tender = Tender.objects.get(pk=source.pk)
        tender.pk = None
        tender.title = f"Benchmark tender {n:03d} for district services"
        tender.reference = f"BENCH-{n:03d}"
        tender.status = TenderStatus.UNDER_EVALUATION
        tender.published_at = now
        tender.submission_deadline = now
        tender.bids_opened_at = now
        tender.save()
        tenders.append(tender)
    lots = Lot.objects.bulk_create(Lot(tender=t, number=1, title="Whole contract") for t in tenders)
    Criterion.objects.bulk_create(
        Criterion(
            lot=lot,
            kind=kind,
            name=name,
            weight=Decimal(weight),
            order=order,
        )
        for lot in lots
        for order, (kind, name, weight) in enumerate(
            [
                (CriterionKind.PRICE, "Price", "40"),
                (CriterionKind.QUALITY, "Quality", "45"),
                (CriterionKind.SOCIAL_VALUE, "Social value", str(10 + lot.pk % 11)),
            ]
        )
    )
    bidders = Organisation.objects.bulk_create(
        Organisation(
            name=f"Benchmark bidder {n}",
            slug=f"bench-bidder-{n}",
            kind=OrganisationKind.BIDDER,
            bidder_type="voluntary",
        )
        for n in range(args.bids)
    )
    bids = Bid._base_manager.bulk_create(
        Bid(
            tender=lot.tender,
            lot=lot,
            bidder=bidder,
            status=BidStatus.SUBMITTED,
            price=Decimal("250000") + lot.pk,
            submitted_at=now,
        )
        for lot in lots
        for bidder in bidders
    )
    measures = list(Measure.objects.order_by("code")[: args.commitments])
    Commitment._base_manager.bulk_create(
        Commitment(
            bid=bid,
            measure=measure,
            quantity=Decimal(10 + n),
            timing="Each year of the contract",
            monetised_value=Decimal("1234.56") * (n + 1) + bid.pk,
        )
        for bid in bids
        for n, measure in enumerate(measures)
    )
    return council, commissioner


if __name__ == "__main__":
    main()
