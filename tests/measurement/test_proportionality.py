"""Proportionate asks by contract value: each band boundary, and what the page says."""

import json
from datetime import date
from decimal import Decimal

import pytest

from measurement.proportionality import DEFAULT_PATH, load_rules, suggest

ON = date(2026, 1, 1)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize(
    ("value", "band", "max_measures", "reporting", "evidence"),
    [
        ("0", "small", 2, "annually", "light"),
        ("99999.99", "small", 2, "annually", "light"),
        ("100000", "medium", 4, "six-monthly", "standard"),
        ("100000.01", "medium", 4, "six-monthly", "standard"),
        ("999999.99", "medium", 4, "six-monthly", "standard"),
        ("1000000", "large", 6, "quarterly", "detailed"),
        ("1000000.01", "large", 6, "quarterly", "detailed"),
        ("9999999.99", "large", 6, "quarterly", "detailed"),
        ("10000000", "major", 8, "quarterly", "detailed"),
        ("10000000.01", "major", 8, "quarterly", "detailed"),
        ("250000000", "major", 8, "quarterly", "detailed"),
    ],
)
def test_contract_value_chooses_the_band(rules, value, band, max_measures, reporting, evidence):
    suggestion = suggest(value, ON, rules)
    assert suggestion.band.key == band
    assert suggestion.max_measures == max_measures
    assert suggestion.reporting == reporting
    assert suggestion.evidence == evidence


def test_smaller_contracts_never_get_heavier_demands(rules):
    bands = rules[0].bands
    measures = [b.max_measures for b in bands]
    assert measures == sorted(measures)


def test_explanation_gives_the_value_the_ask_and_the_basis(rules):
    text = suggest(Decimal("50000"), ON, rules).explanation
    assert "£50,000.00" in text
    assert "at most 2 measures" in text
    assert "Compact (principle 3.6)" in text
    assert "proportionate to the size of the opportunity" in text
    assert "this service's defaults" in text
    assert "not a legal figure" in text


def test_suggestion_says_the_bands_are_defaults(rules):
    suggestion = suggest("50000", ON, rules)
    assert suggestion.is_default
    assert "3.6" in suggestion.basis


def test_negative_contract_value_is_refused(rules):
    with pytest.raises(ValueError, match="contract_value"):
        suggest("-1", ON, rules)


def test_float_contract_value_is_refused(rules):
    with pytest.raises(ValueError, match="contract_value"):
        suggest(100000.0, ON, rules)


def test_no_rules_before_the_first_schedule(rules):
    with pytest.raises(ValueError, match="No proportionality rules"):
        suggest("1000", date(2013, 1, 30), rules)


def test_a_newer_rule_set_takes_over_from_its_date(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    newer = json.loads(json.dumps(data["schedules"][0]))
    newer["valid_from"] = "2027-04-01"
    newer["bands"][0]["max_measures"] = 1
    data["schedules"].append(newer)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    rules = load_rules(path)
    assert suggest("5000", date(2027, 3, 31), rules).max_measures == 2
    assert suggest("5000", date(2027, 4, 1), rules).max_measures == 1
    assert "at most one measure" in suggest("5000", date(2027, 4, 1), rules).explanation


def test_rule_file_with_a_gap_between_bands_is_refused(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["schedules"][0]["bands"][1]["from_value"] = "150000"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="ends at 100000"):
        load_rules(path)
