"""Benchmark (not a test): how long `score_bids` takes for 1,000 bids × 20 criteria.

    PYTHONPATH=. .venv/bin/python scripts/bench_scoring.py [--bids 1000] [--criteria 20]

Times what the command does after reading its file (read the document, score, rank, tie-break,
abnormally low screen, sensitivity, write the output JSON) and the engine's `score_tender` alone,
reporting the median of several runs, as wall-clock time and as the CPU time the process used
(on a shared, busy machine the wall-clock figure includes waiting for a core; the load average is
printed beside them). The aim is under 0.2 s. No Django, no database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from decimal import Decimal

from tenders.scoring import read_bids_document, score_bids_json, score_tender

AIM_SECONDS = 0.2


def document(bids: int, criteria: int, seed: int = 2026) -> dict:
    """Price 40, quality 45 and social value 15, the marked criteria shared between them."""
    rng = random.Random(seed)
    marked = criteria - 1
    quality_count = max(1, marked * 3 // 4)
    sv_count = marked - quality_count
    rows = [
        {"id": "price", "kind": "price", "weight": 40, "method": "lowest_ratio"},
        {"id": "quality", "kind": "quality", "weight": 45 if sv_count else 60},
    ]
    if sv_count:
        rows.append({"id": "sv", "kind": "social_value", "weight": 15})

    def split(count: int) -> list[str]:
        base, extra = divmod(100, count)
        return [str(base + (1 if i < extra else 0)) for i in range(count)]

    for i, weight in enumerate(split(quality_count)):
        rows.append(
            {
                "id": f"q{i}",
                "kind": "quality",
                "weight": weight,
                "max_score": 5,
                "pass_mark": 1,
                "parent": "quality",
            }
        )
    for i, weight in enumerate(split(sv_count) if sv_count else []):
        rows.append(
            {
                "id": f"s{i}",
                "kind": "social_value",
                "weight": weight,
                "max_score": 100,
                "parent": "sv",
            }
        )
    leaves = [r for r in rows if r.get("max_score")]
    return {
        "criteria": rows,
        "bids": [
            {
                "id": f"bid-{n}",
                "price": f"{rng.randint(50_000, 150_000)}.{rng.randint(0, 99):02d}",
                "scores": {r["id"]: rng.randint(0, int(r["max_score"])) for r in leaves},
            }
            for n in range(bids)
        ],
        "abnormally_low_percent": "15",
    }


def median_seconds(run, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `repeat` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=1000)
    parser.add_argument("--criteria", type=int, default=20, help="leaf criteria, price included")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    data = json.loads(json.dumps(document(args.bids, args.criteria)), parse_float=Decimal)
    given = read_bids_document(data).scoring_input

    def command() -> None:
        json.dumps(score_bids_json(data, default_abnormally_low_percent=None))

    def engine() -> None:
        score_tender(
            given.tree,
            given.bids,
            given.price_method,
            given.params,
            abnormally_low_percent=given.abnormally_low_percent,
            tie_break=given.tie_break,
        )

    command()  # warm up
    whole, whole_cpu = median_seconds(command, args.repeat)
    alone, alone_cpu = median_seconds(engine, args.repeat)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"score_bids, {args.bids} bids x {args.criteria} criteria (median of {args.repeat} runs)")
    print(f"  machine load average: {load} on {os.cpu_count()} cores")
    print(f"  read + score + write JSON: {whole:.3f} s wall, {whole_cpu:.3f} s CPU")
    print(f"  score_tender alone:        {alone:.3f} s wall, {alone_cpu:.3f} s CPU")
    verdict = "within" if whole < AIM_SECONDS else "OVER"
    verdict_cpu = "within" if whole_cpu < AIM_SECONDS else "OVER"
    print(f"  aim under {AIM_SECONDS} s: wall {verdict}, CPU {verdict_cpu}")


if __name__ == "__main__":
    main()
