"""python manage.py seed_scale --tenders 10000 --bids 100000: data at the size of a busy region.

On top of the demo data (seeded first if missing), so the demo people sign in to big lists:
200 authorities and 2,000 bidders for 10,000 tenders (3,000 open, 500 of them Northfield's),
about 15,500 lots with 9 criteria each, 100,000 bids with 3 commitments each (15 tenders with
230-560 bids; one of Northfield's, closed and opened, has 459), 300 bids of the food network,
2,000 measures, 5,000 questions, 400 definition versions and 300 planned contracts with an Act
check. Rows go in with bulk_create through the real models (about a minute on PostgreSQL); the
other counts follow --tenders and --bids. For benchmarks and EXPLAIN, never for a live service.
"""

from __future__ import annotations

import io
import itertools
import random
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from measurement.models import Measure, ProxyValue
from socialvalue.models import (
    ActAssessment,
    LocalDefinition,
    Organisation,
    PlannedContract,
    User,
)
from tenders.models import (
    Bid,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    Lot,
    Tender,
    TenderStatus,
)

BATCH = 5000
WORDS = [
    "community",
    "meals",
    "youth",
    "activities",
    "grounds",
    "maintenance",
    "highways",
    "resurfacing",
    "school",
    "transport",
    "home",
    "care",
    "libraries",
    "recycling",
    "collection",
    "street",
    "lighting",
    "leisure",
    "centre",
    "catering",
    "cleaning",
    "supported",
    "housing",
    "advocacy",
    "translation",
    "parks",
    "tree",
    "surgery",
    "fleet",
    "vehicles",
    "energy",
    "audit",
]
REASON = "seed_scale: bulk rows for a benchmark database"


class Command(BaseCommand):
    help = "Add benchmark-size data (tenders, bids, commitments...) on top of the demo data."

    def add_arguments(self, parser):
        parser.add_argument("--tenders", type=int, default=10000)
        parser.add_argument("--bids", type=int, default=100000)
        parser.add_argument("--seed", type=int, default=21, help="random seed (same data again)")

    def handle(self, *args, tenders: int, bids: int, seed: int, **options):
        if Organisation.objects.filter(slug__startswith="scale-").exists():
            raise CommandError("This database already holds scale data; seed an empty one.")
        if not User.objects.filter(email="procurement@northfield.example").exists():
            call_command("seed_demo", stdout=io.StringIO())
        self.rng = random.Random(seed)
        self.now = timezone.now()
        with transaction.atomic():
            self._seed(tenders, bids)

    def _say(self, text: str) -> None:
        self.stdout.write(text)

    def _seed(self, n_tenders: int, n_bids: int) -> None:
        rng, now = self.rng, self.now
        northfield = Organisation.objects.get(slug="northfield-district-council")
        food = Organisation.objects.get(slug="northfield-community-food-network")
        officer = User.objects.get(email="procurement@northfield.example")

        authorities = Organisation.objects.bulk_create(
            Organisation(
                name=f"Scale Authority {i} Council",
                slug=f"scale-authority-{i}",
                kind="authority",
                authority_type="district_council",
                nation="england",
            )
            for i in range(max(1, n_tenders // 50))
        )
        bidders = [food] + Organisation.objects.bulk_create(
            Organisation(
                name=f"Scale Bidder {i} Ltd",
                slug=f"scale-bidder-{i}",
                kind="bidder",
                bidder_type=("sme", "social_enterprise", "large")[i % 3],
            )
            for i in range(max(2, n_tenders // 5) - 1)
        )
        self._say(f"{len(authorities)} authorities, {len(bidders)} bidders")

        measures = list(Measure.objects.filter(is_active=True))
        extra = Measure.objects.bulk_create(
            Measure(
                code=f"SCALE-{i}",
                theme=("economic", "social", "environmental")[i % 3],
                outcome="Scale outcome",
                name=f"Scale measure {i} {rng.choice(WORDS)}",
                unit="hour",
            )
            for i in range(max(0, n_tenders // 5 - len(measures)))
        )
        ProxyValue.objects.bulk_create(
            ProxyValue(
                measure=m, value=Decimal("12.34"), valid_from="2025-04-01", source_title="Scale"
            )
            for m in extra
        )
        measures += extra
        proxies = {
            p.measure_id: p
            for p in ProxyValue.objects.filter(measure__in=measures, value__isnull=False)
        }
        measures = [m for m in measures if m.pk in proxies]

        # Tenders: 500 (5%) Northfield's, 30% open, 10% draft, the rest past their deadline.
        own = min(500, n_tenders // 20)
        rows = []
        for i in range(n_tenders):
            kind = i % 10
            authority = northfield if i < own else authorities[i % len(authorities)]
            if kind < 3:
                status, deadline = TenderStatus.PUBLISHED, now + timedelta(days=1 + i % 90)
            elif kind == 3:
                status, deadline = TenderStatus.DRAFT, now + timedelta(days=30 + i % 60)
            else:
                status = (
                    TenderStatus.PUBLISHED,
                    TenderStatus.CLOSED,
                    TenderStatus.CLOSED,
                    TenderStatus.UNDER_EVALUATION,
                    TenderStatus.AWARDED,
                    TenderStatus.IN_DELIVERY,
                )[kind - 4]
                deadline = now - timedelta(days=1 + i % 400)
            words = " ".join(rng.sample(WORDS, 3))
            rows.append(
                Tender(
                    authority=authority,
                    reference=f"SC-{i:06d}",
                    title=f"{words.capitalize()} contract {i}",
                    description=f"Delivery of {words} across the area, lot by lot. " * 6,
                    contract_type=("services", "goods", "works", "mixed")[i % 4],
                    estimated_value=Decimal(20000 + (i * 7919) % 5_000_000),
                    status=status,
                    submission_deadline=deadline,
                    clarification_deadline=deadline - timedelta(days=7),
                    published_at=None if status == TenderStatus.DRAFT else deadline - timedelta(40),
                    published_by=None if status == TenderStatus.DRAFT else officer,
                    created_by=officer,
                )
            )
        tenders = Tender.objects.bulk_create(rows, batch_size=BATCH)
        lots = Lot.objects.bulk_create(
            (
                Lot(
                    tender=t,
                    number=n,
                    title=f"Lot {n}: {t.title[:60]}",
                    description=f"Part {n} of {t.title}.",
                )
                for i, t in enumerate(tenders)
                for n in range(1, 3 if i % 20 < 11 else 2)
            ),
            batch_size=BATCH,
        )
        self._say(f"{len(tenders)} tenders, {len(lots)} lots")
        self._criteria(lots)

        # The big tenders: one of Northfield's, closed and opened, and 14 others past deadline.
        past = [t for t in tenders if t.submission_deadline < now and t.status != "draft"]
        big_own = next(t for t in past if t.authority_id == northfield.pk)
        big_own.status, big_own.bids_opened_at, big_own.bids_opened_by = "closed", now, officer
        big_own.closed_at = big_own.submission_deadline
        big_own.title = "Scale: community transport (459 bids, opened)"
        big_own.save()
        first_lot = {}
        lots_of: dict[int, list[Lot]] = {}
        for lot in lots:
            lots_of.setdefault(lot.tender_id, []).append(lot)
            first_lot.setdefault(lot.tender_id, lot)
        others = [t for t in past if t.authority_id != northfield.pk][:14]
        sizes = [459] + [230 + (560 - 230) * k // 13 for k in range(14)]
        taken: set[tuple[int, int]] = set()
        bid_rows: list[Bid] = []

        def add(lot: Lot, tender: Tender, bidder: Organisation, status: str) -> None:
            taken.add((lot.pk, bidder.pk))
            bid_rows.append(
                Bid(
                    tender=tender,
                    lot=lot,
                    bidder=bidder,
                    status=status,
                    price=Decimal(10000 + rng.randrange(1_000_000)),
                    submitted_at=tender.submission_deadline - timedelta(days=1)
                    if status == BidStatus.SUBMITTED
                    else None,
                    digest="0" * 64 if status == BidStatus.SUBMITTED else "",
                )
            )

        for tender, size in zip([big_own, *others], sizes, strict=False):
            lot = first_lot[tender.pk]
            for k, bidder in enumerate(bidders[1 : size + 1]):
                status = BidStatus.WITHDRAWN if tender is big_own and k >= 409 else "submitted"
                add(lot, tender, bidder, status)
        # The food network bids on 300 lots (your bids), open ones as drafts.
        open_or_past = [t for t in tenders if t.status != "draft"]
        for tender in open_or_past[:300]:
            lot = first_lot[tender.pk]
            if (lot.pk, food.pk) not in taken:
                add(lot, tender, food, "draft" if tender.submission_deadline > now else "submitted")
        # The rest spread over every published or later tender's lots.
        pool = [(lot, t) for t in open_or_past for lot in lots_of[t.pk]]
        cycle = itertools.cycle(range(len(pool)))
        while len(bid_rows) < n_bids:
            lot, tender = pool[next(cycle)]
            bidder = bidders[rng.randrange(1, len(bidders))]
            if (lot.pk, bidder.pk) in taken:
                continue
            add(lot, tender, bidder, "draft" if tender.submission_deadline > now else "submitted")
        bids = Bid.objects.unscoped(reason=REASON).bulk_create(bid_rows, batch_size=BATCH)
        self._say(f"{len(bids)} bids")

        def commitments():
            for bid in bids:
                for _ in range(3):
                    measure = measures[rng.randrange(len(measures))]
                    proxy = proxies[measure.pk]
                    quantity = Decimal(1 + rng.randrange(200))
                    yield Commitment(
                        bid=bid,
                        measure=measure,
                        quantity=quantity,
                        timing="Within the first year",
                        proxy_value=proxy,
                        proxy_amount=proxy.value,
                        monetised_value=(quantity * proxy.value).quantize(Decimal("0.01")),
                    )

        made = Commitment.objects.unscoped(reason=REASON).bulk_create(
            commitments(), batch_size=BATCH
        )
        self._say(f"{len(made)} commitments")

        open_tenders = [
            t for t in tenders if t.status == "published" and t.submission_deadline > now
        ]
        Clarification.objects.bulk_create(
            (
                Clarification(
                    tender=open_tenders[i % len(open_tenders)],
                    bidder=bidders[1 + i % (len(bidders) - 1)],
                    question=f"Question {i} about {rng.choice(WORDS)}?",
                    asked_at=now - timedelta(hours=i % 500),
                )
                for i in range(n_tenders // 2)
            ),
            batch_size=BATCH,
        )
        self._definitions(authorities)
        self._planned_contracts(northfield, officer)
        self._say("Scale data added.")

    def _criteria(self, lots: list[Lot]) -> None:
        """Per lot: price, quality with 3 questions, social value with 3 questions (9 rows)."""
        marks = [{"mark": str(m), "text": f"Mark {m}"} for m in range(6)]
        tops = Criterion.objects.bulk_create(
            (
                Criterion(lot=lot, kind=kind, name=name, weight=weight, order=order)
                for lot in lots
                for order, (kind, name, weight) in enumerate(
                    [
                        ("price", "Price", Decimal(50)),
                        ("quality", "Quality", Decimal(30)),
                        ("social_value", "Social value", Decimal(20)),
                    ]
                )
            ),
            batch_size=BATCH,
        )
        children = Criterion.objects.bulk_create(
            (
                Criterion(
                    lot_id=top.lot_id,
                    parent=top,
                    kind=top.kind,
                    name=f"{top.name} question {q}",
                    question=f"Describe how you will deliver part {q}.",
                    weight=Decimal("33.333") if q < 3 else Decimal("33.334"),
                    order=q,
                    max_mark=Decimal(5),
                    descriptors=marks,
                )
                for top in tops
                if top.kind != "price"
                for q in range(1, 4)
            ),
            batch_size=BATCH,
        )
        self._say(f"{len(tops) + len(children)} criteria")

    def _definitions(self, authorities: list[Organisation]) -> None:
        """Two versions per scale authority: the first superseded, the second adopted."""
        today = self.now.date()
        rows = []
        for authority in authorities:
            for version in (1, 2):
                rows.append(
                    LocalDefinition(
                        owner=authority,
                        title=f"What social value means in {authority.name}",
                        statement="Jobs, skills and a cleaner area for the people who live here.",
                        status="superseded" if version == 1 else "adopted",
                        version=version,
                        effective_from=today - timedelta(days=400 if version == 1 else 30),
                        effective_to=today - timedelta(days=31) if version == 1 else None,
                    )
                )
        made = LocalDefinition.objects.bulk_create(rows, batch_size=BATCH)
        through = LocalDefinition.authorities.through
        through.objects.bulk_create(
            through(localdefinition_id=d.pk, organisation_id=d.owner_id) for d in made
        )
        self._say(f"{len(made)} definition versions")

    def _planned_contracts(self, northfield: Organisation, officer: User) -> None:
        """300 planned contracts of Northfield, each with a copy of a demo Act check."""
        template = ActAssessment.objects.order_by("pk").first()
        contracts = PlannedContract.objects.bulk_create(
            PlannedContract(
                authority=northfield,
                title=f"Planned contract {i}: {self.rng.choice(WORDS)}",
                description="A planned contract for the benchmark.",
                created_by=officer,
            )
            for i in range(300)
        )
        if template is not None:
            fields = {
                f.attname: getattr(template, f.attname)
                for f in ActAssessment._meta.concrete_fields
                if f.attname not in ("id", "planned_contract_id", "recorded_at")
            }
            ActAssessment.objects.bulk_create(
                ActAssessment(planned_contract=c, **fields) for c in contracts
            )
        self._say(f"{len(contracts)} planned contracts")
