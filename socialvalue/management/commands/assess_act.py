"""python manage.py assess_act: does the Social Value Act apply? Prints the engine's answer as JSON.

Example:
    python manage.py assess_act --authority-type local_authority --nation england \\
        --contract-type services --service-category light_touch --value 300000 --vat exclusive \\
        --date 2026-09-01

The answer goes to standard output. A bad or missing option prints
{"error": {"option": "--value", "message": "..."}} to standard error and exits with status 2.
No database is needed.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from socialvalue.act.engine import (
    AUTHORITY_TYPES,
    CONTRACT_KINDS,
    CONTRACT_TYPES,
    MAIN_PURPOSES,
    MIXED_WITH,
    NATIONS,
    SERVICE_CATEGORIES,
    VAT_BASES,
    ActInputError,
)
from socialvalue.act.interface import ENGINE_NAMES, inputs_from_external, option_for
from socialvalue.act.services import run_check

USAGE_ERROR = 2


class OptionError(Exception):
    """A bad or missing option; ``option`` is as typed on the command line (e.g. '--value')."""

    def __init__(self, option: str, message: str, options: list[str] | None = None) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message
        self.options = options or [option]

    def as_json(self) -> str:
        error: dict[str, Any] = {"option": self.option, "message": self.message}
        if len(self.options) > 1:
            error["options"] = self.options
        return json.dumps({"error": error}, indent=2)


_NAMED = re.compile(r"argument (--[\w-]+)")
_REQUIRED = re.compile(r"required: (.+)$")
_UNRECOGNISED = re.compile(r"unrecognized arguments: (\S+)")


def _option_error(message: str) -> OptionError:
    """Turn argparse's message into an OptionError naming the option at fault."""
    if found := _NAMED.search(message):
        return OptionError(found.group(1), message)
    if found := _REQUIRED.search(message):
        options = [option.strip() for option in found.group(1).split(",")]
        return OptionError(options[0], f"is required ({message}).", options)
    if found := _UNRECOGNISED.search(message):
        return OptionError(found.group(1), "is not an option of assess_act.")
    return OptionError("", message)


class _JSONErrorParser(CommandParser):
    def error(self, message: str):
        raise _option_error(message)


class Command(BaseCommand):
    help = (
        "Does the Public Services (Social Value) Act 2012 apply to a planned procurement? "
        "Prints the answer as JSON (applies, regime, threshold, threshold_includes_vat, "
        "value_compared, reasons, encouraged, source, ...). Bad or missing options print a JSON "
        "error naming the option to standard error and exit with status 2."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _JSONErrorParser
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority-type", required=True, choices=AUTHORITY_TYPES)
        parser.add_argument("--nation", required=True, choices=NATIONS)
        parser.add_argument("--contract-type", required=True, choices=CONTRACT_TYPES)
        parser.add_argument(
            "--service-category",
            choices=SERVICE_CATEGORIES,
            help="light_touch: social and other specific services (default: standard).",
        )
        parser.add_argument(
            "--value",
            required=True,
            metavar="AMOUNT",
            help="Estimated total value over the whole term, including extensions and options.",
        )
        parser.add_argument(
            "--vat",
            choices=VAT_BASES,
            default="inclusive",
            help="Whether --value includes VAT (default: inclusive).",
        )
        parser.add_argument(
            "--vat-rate",
            metavar="PERCENT",
            help="VAT rate in percent (default: the standard rate in the rules data, 20); 0 for "
            "exempt or zero-rated services. Required with --vat exclusive for light touch "
            "services: many care and health services are VAT-exempt.",
        )
        parser.add_argument(
            "--services-value",
            metavar="AMOUNT",
            help="For mixed contracts: the part of --value that is services.",
        )
        parser.add_argument(
            "--framework", action="store_true", help="A framework agreement is being procured."
        )
        parser.add_argument(
            "--call-off", action="store_true", help="A call-off under an existing framework."
        )
        parser.add_argument(
            "--dps",
            action="store_true",
            help="A contract awarded under a dynamic purchasing system or dynamic market (not a "
            "framework: each such contract is checked against the threshold).",
        )
        parser.add_argument(
            "--psr",
            action="store_true",
            help="Health care services arranged under the NHS Provider Selection Regime (from 1 "
            "January 2024).",
        )
        parser.add_argument(
            "--mixed-with",
            choices=MIXED_WITH,
            help="For mixed contracts: what the services are mixed with (default: goods, the "
            "value test; works: the main purpose test).",
        )
        parser.add_argument(
            "--main-purpose",
            choices=MAIN_PURPOSES,
            help="Required with --mixed-with works: the contract's main purpose.",
        )
        parser.add_argument(
            "--contract-kind",
            choices=CONTRACT_KINDS,
            help="public (default), or a kind the Act leaves out: exempted, concession, "
            "utilities, defence_security.",
        )
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="When the procurement starts (default: today).",
        )
        parser.add_argument(
            "--devolved-functions",
            choices=("yes", "no"),
            help="Wales only: does the body exercise wholly or mainly Welsh devolved functions? "
            "When omitted, inferred from the authority type where the law makes it clear.",
        )
        parser.add_argument(
            "--central-government-authority",
            choices=("yes", "no"),
            help="Is the body a central government authority? When omitted, inferred from the "
            "authority type where clear; otherwise the answer says whether it matters.",
        )
        parser.add_argument(
            "--urgent",
            action="store_true",
            help="Section 1(8): the case is urgent and considering social value is impractical.",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except OptionError as error:
            sys.stderr.write(error.as_json() + "\n")
            sys.exit(USAGE_ERROR)

    def handle(self, *args, **options) -> None:
        given = {
            external: options.get(external)
            for external in ENGINE_NAMES
            if options.get(external) not in (None, False)
        }
        try:
            inputs = inputs_from_external(given, today=timezone.localdate())
        except ActInputError as error:
            option = option_for(ENGINE_NAMES.get(error.field, error.field))
            raise OptionError(option, error.message) from error
        self.stdout.write(json.dumps(run_check(inputs).to_dict(), indent=2, ensure_ascii=False))
