"""python manage.py assess_act: the engine's answer as JSON, and JSON errors naming the option."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from socialvalue.management.commands.assess_act import Command

ROOT = Path(__file__).resolve().parents[2]
LIGHT_TOUCH = [
    "--authority-type",
    "local_authority",
    "--nation",
    "england",
    "--contract-type",
    "services",
    "--service-category",
    "light_touch",
    "--value",
    "300000",
    "--vat",
    "exclusive",
    "--vat-rate",
    "20",
    "--date",
    "2026-09-01",
]
OUTPUT_KEYS = {
    "applies",
    "regime",
    "threshold",
    "threshold_includes_vat",
    "value_compared",
    "reasons",
    "encouraged",
    "source",
}


def run(args, capsys):
    """Run the command in this process as the command line would; (exit status, stdout, stderr)."""
    status = 0
    try:
        Command().run_from_argv(["manage.py", "assess_act", *args])
    except SystemExit as leaving:
        status = leaving.code
    out, err = capsys.readouterr()
    return status, out, err


def test_prints_the_answer_as_json_with_the_issue_keys(capsys):
    status, out, err = run(LIGHT_TOUCH, capsys)
    answer = json.loads(out)
    assert status == 0 and err == ""
    assert set(answer) >= OUTPUT_KEYS
    assert answer["applies"] is True
    assert answer["threshold"] == "207720.00"
    assert answer["value_compared"] == "360000.00"
    assert answer["threshold_includes_vat"] is True
    assert answer["regime"]["code"] == "pa2023"
    assert answer["encouraged"] is False
    assert answer["source"]["url"] == "https://www.legislation.gov.uk/uksi/2025/1200/made"
    assert any("£207,720.00" in reason for reason in answer["reasons"])


CASES = [
    pytest.param(
        ["--value", "150000", "--vat", "inclusive", "--service-category", "standard"],
        False,
        True,
        id="below-threshold-encouraged",
    ),
    pytest.param(["--call-off"], False, True, id="call-off-outside"),
    pytest.param(["--framework"], True, False, id="framework-inside"),
    pytest.param(["--nation", "wales"], False, True, id="welsh-council-excluded"),
    pytest.param(
        ["--authority-type", "housing_association", "--nation", "wales"],
        None,
        True,
        id="welsh-housing-association-depends",
    ),
    pytest.param(
        [
            "--authority-type",
            "housing_association",
            "--nation",
            "wales",
            "--devolved-functions",
            "no",
        ],
        True,
        False,
        id="devolved-functions-given",
    ),
    pytest.param(
        ["--contract-type", "mixed", "--services-value", "100000"],
        False,
        True,
        id="mixed-mostly-goods",
    ),
    pytest.param(["--date", "2012-06-01"], False, False, id="before-the-act"),
]


FLAGS = {"--call-off", "--framework", "--urgent", "--dps", "--psr"}


def with_options(*extra):
    """LIGHT_TOUCH with options replaced or added (flags take no value)."""
    args, items = list(LIGHT_TOUCH), list(extra)
    while items:
        flag = items.pop(0)
        if flag in FLAGS:
            args.append(flag)
            continue
        value = items.pop(0)
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    return args


@pytest.mark.parametrize(("extra", "applies", "encouraged"), CASES)
def test_options_change_the_answer(capsys, extra, applies, encouraged):
    status, out, _ = run(with_options(*extra), capsys)
    answer = json.loads(out)
    assert status == 0
    assert answer["applies"] is applies
    assert answer["encouraged"] is encouraged


def test_omitting_the_date_uses_today(capsys):
    args = [a for a in LIGHT_TOUCH if a not in ("--date", "2026-09-01")]
    status, out, _ = run(args, capsys)
    assert status == 0 and "procurement starts on" in json.loads(out)["reasons"][0]


def without(option):
    args = list(LIGHT_TOUCH)
    position = args.index(option)
    del args[position : position + 2]
    return args


def replaced(option, value):
    return with_options(option, value)


BAD = [
    pytest.param(without("--authority-type"), "--authority-type", id="missing-authority-type"),
    pytest.param(without("--nation"), "--nation", id="missing-nation"),
    pytest.param(without("--contract-type"), "--contract-type", id="missing-contract-type"),
    pytest.param(without("--value"), "--value", id="missing-value"),
    pytest.param(replaced("--authority-type", "parish"), "--authority-type", id="bad-authority"),
    pytest.param(replaced("--nation", "scotland"), "--nation", id="bad-nation"),
    pytest.param(replaced("--contract-type", "land"), "--contract-type", id="bad-contract-type"),
    pytest.param(replaced("--service-category", "heavy"), "--service-category", id="bad-category"),
    pytest.param(replaced("--value", "a lot"), "--value", id="bad-value"),
    pytest.param(replaced("--value", "-1"), "--value", id="negative-value"),
    pytest.param(replaced("--value", "1e30"), "--value", id="huge-value"),
    pytest.param(replaced("--value", "NaN"), "--value", id="nan-value"),
    pytest.param(replaced("--vat", "maybe"), "--vat", id="bad-vat"),
    pytest.param([*LIGHT_TOUCH, "--vat-rate", "150"], "--vat-rate", id="bad-vat-rate"),
    pytest.param(replaced("--date", "2026-02-30"), "--date", id="bad-date"),
    pytest.param(replaced("--contract-type", "mixed"), "--services-value", id="mixed-no-share"),
    pytest.param(
        [*LIGHT_TOUCH, "--services-value", "1000"], "--services-value", id="share-not-mixed"
    ),
    pytest.param([*LIGHT_TOUCH, "--framework", "--call-off"], "--call-off", id="both-routes"),
    pytest.param(
        [*LIGHT_TOUCH, "--devolved-functions", "perhaps"], "--devolved-functions", id="bad-flag"
    ),
    pytest.param(
        [*LIGHT_TOUCH, "--devolved-functions", "yes"], "--devolved-functions", id="england-devolved"
    ),
    pytest.param([*LIGHT_TOUCH, "--colour", "red"], "--colour", id="unknown-option"),
    pytest.param([*LIGHT_TOUCH, "--value"], "--value", id="option-without-value"),
]


@pytest.mark.parametrize(("args", "option"), BAD)
def test_bad_or_missing_options_exit_non_zero_with_a_json_error_naming_the_option(
    capsys, args, option
):
    status, out, err = run(args, capsys)
    error = json.loads(err)["error"]
    assert status == 2
    assert out == ""
    assert error["option"] == option
    assert error["message"]


def test_the_real_command_line_exits_2_with_the_json_error():
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    finished = subprocess.run(
        [sys.executable, "manage.py", "assess_act", *replaced("--nation", "scotland")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert json.loads(finished.stderr)["error"]["option"] == "--nation"
    ok = subprocess.run(
        [sys.executable, "manage.py", "assess_act", *LIGHT_TOUCH],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["applies"] is True


def test_a_value_beyond_the_money_limit_names_the_limit(capsys):
    status, _, err = run(replaced("--value", "1e30"), capsys)
    assert status == 2
    assert json.loads(err)["error"] == {
        "option": "--value",
        "message": "must be £10,000,000,000 or less.",
    }


# --- Issue 19: the questions of scope -----------------------------------------------------

SCOPE_CASES = [
    pytest.param(["--dps"], True, None, id="dps-inside"),
    pytest.param(["--dps", "--value", "150000", "--vat-rate", "0"], False, None, id="dps-below"),
    pytest.param(
        ["--contract-type", "mixed", "--mixed-with", "works", "--main-purpose", "services"],
        True,
        None,
        id="works-mix-services-purpose",
    ),
    pytest.param(
        ["--contract-type", "mixed", "--mixed-with", "works", "--main-purpose", "works"],
        False,
        None,
        id="works-mix-works-purpose",
    ),
    pytest.param(["--contract-kind", "exempted"], False, None, id="exempted"),
    pytest.param(["--contract-kind", "utilities"], False, None, id="utilities"),
    pytest.param(["--contract-kind", "public"], True, "pa2023", id="public-default-unchanged"),
    pytest.param(
        ["--authority-type", "nhs", "--central-government-authority", "yes", "--psr"],
        True,
        "psr2023",
        id="psr",
    ),
    pytest.param(
        ["--authority-type", "nhs", "--psr", "--date", "2023-06-01"],
        True,
        "pcr2015",
        id="psr-before-2024",
    ),
]


@pytest.mark.parametrize(("extra", "applies", "regime"), SCOPE_CASES)
def test_the_new_options_change_the_answer(capsys, extra, applies, regime):
    status, out, err = run(with_options(*extra), capsys)
    answer = json.loads(out)
    assert status == 0, err
    assert answer["applies"] is applies
    if regime:
        assert answer["regime"]["code"] == regime


SCOPE_BAD = [
    pytest.param(
        with_options("--contract-type", "mixed", "--mixed-with", "works"),
        "--main-purpose",
        id="works-mix-without-main-purpose",
    ),
    pytest.param(with_options("--main-purpose", "works"), "--main-purpose", id="purpose-alone"),
    pytest.param(with_options("--mixed-with", "works"), "--mixed-with", id="works-not-mixed"),
    pytest.param(with_options("--mixed-with", "land"), "--mixed-with", id="bad-mixed-with"),
    pytest.param(with_options("--contract-kind", "grant"), "--contract-kind", id="bad-kind"),
    pytest.param(with_options("--dps", "--call-off"), "--dps", id="dps-and-call-off"),
    pytest.param(with_options("--contract-type", "goods", "--psr"), "--psr", id="psr-goods"),
    pytest.param(
        [a for a in LIGHT_TOUCH if a not in ("--vat-rate", "20")],
        "--vat-rate",
        id="light-touch-net-without-rate",
    ),
]


@pytest.mark.parametrize(("args", "option"), SCOPE_BAD)
def test_bad_or_missing_new_options_name_the_option(capsys, args, option):
    status, out, err = run(args, capsys)
    assert status == 2 and out == ""
    error = json.loads(err)["error"]
    assert error["option"] == option
    assert error["message"]


def test_a_standard_services_value_net_of_vat_still_defaults_to_the_standard_rate(capsys):
    args = [a for a in LIGHT_TOUCH if a not in ("--vat-rate", "20")]
    args[args.index("light_touch")] = "standard"
    status, out, _ = run(args, capsys)
    assert status == 0 and json.loads(out)["value_compared"] == "360000.00"


def test_help_lists_the_new_options(capsys):
    status, out, _ = run(["--help"], capsys)
    assert status == 0
    for option in ("--dps", "--psr", "--mixed-with", "--main-purpose", "--contract-kind"):
        assert option in out
    assert "care and health services" in " ".join(out.split())
