"""python manage.py score_bids FILE (or - for standard input): the scoring engine from the
command line, reading and printing JSON in the format of tenders.scoring.bids_json.

Example:
    python manage.py score_bids bids.json
    cat bids.json | python manage.py score_bids -

The result goes to standard output. Invalid input prints {"error": "...", "errors": [{"field":
"bids[2].scores.q1", "message": "..."}]} to standard error and exits with status 2 (1 when the
file cannot be read). Without `abnormally_low_percent` in the document, the service's dated
default (tenders/data/abnormally_low_tenders.json) is used. No database is needed.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenders.scoring import (
    JsonInputError,
    ScoringError,
    load_abnormally_low_policy,
    score_bids_json,
)

INVALID_INPUT = 2
UNREADABLE = 1


class Command(BaseCommand):
    help = (
        "Score and rank bids with the service's engine. Reads JSON ({criteria, bids, tie_break?, "
        "abnormally_low_percent?}) from FILE or - (standard input) and prints the results, "
        "winner and sensitivity as JSON. Invalid input prints a JSON error naming each field to "
        "standard error and exits with status 2."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The JSON document, or - for stdin.")

    def _fail(self, status: int, message: str, errors: list[dict[str, Any]]) -> None:
        sys.stderr.write(json.dumps({"error": message, "errors": errors}, indent=2) + "\n")
        sys.exit(status)

    def handle(self, *args, **options) -> None:
        name = options["file"]
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                with open(name, encoding="utf-8") as handle:
                    text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            self._fail(
                UNREADABLE, f"Cannot read {name}: {error}", [{"field": "", "message": str(error)}]
            )
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            self._fail(
                INVALID_INPUT,
                "The input is not valid JSON.",
                [
                    {
                        "field": "",
                        "message": f"{error.msg} at line {error.lineno}, column {error.colno}.",
                    }
                ],
            )
        default = load_abnormally_low_policy().default_percent
        try:
            output = score_bids_json(data, default_abnormally_low_percent=default)
        except JsonInputError as error:
            self._fail(
                INVALID_INPUT,
                "The input cannot be scored.",
                [{"field": e.path, "message": e.message} for e in error.errors],
            )
        except ScoringError as error:
            self._fail(
                INVALID_INPUT,
                "The input cannot be scored.",
                [{"field": "", "message": problem} for problem in error.problems],
            )
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
