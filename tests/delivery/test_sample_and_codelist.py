"""Sample checks by proportionality band (pure, reproducible) and the penaltyType codelist
copied from the UK OCDS extension: the data agree with their sources."""

import json
from datetime import date
from decimal import Decimal

import pytest

from measurement.delivery import schedule
from measurement.proportionality import load_rules as load_bands
from tenders.ocds.schemas import STANDARD

D = Decimal


@pytest.mark.parametrize(
    ("lines", "share", "minimum", "expected"),
    [
        (2, D("25"), 1, 1),  # half a line rounds up to one
        (4, D("25"), 1, 1),
        (5, D("25"), 1, 2),  # 1.25 lines rounds up to two
        (9, D("50"), 1, 5),
        (3, D("10"), 1, 1),  # the minimum
        (3, D("10"), 0, 1),  # 0.3 rounds up
        (6, D("100"), 1, 6),
        (0, D("50"), 1, 0),  # no lines, nothing to check
        (2, D("0"), 0, 0),
    ],
)
def test_the_sample_is_the_share_rounded_up_at_least_the_minimum(lines, share, minimum, expected):
    assert schedule.sample_size(lines, share=share, minimum=minimum) == expected


def test_a_share_over_100_or_negative_is_refused():
    with pytest.raises(ValueError):
        schedule.sample_size(3, share=D("101"), minimum=1)
    with pytest.raises(ValueError):
        schedule.sample_size(3, share=D("-1"), minimum=1)


def test_the_sample_is_the_same_for_the_same_return_and_differs_between_returns():
    ids = list(range(100, 120))
    first = schedule.sample_lines(ids, seed=7, share=D("25"), minimum=1)
    assert first == schedule.sample_lines(list(reversed(ids)), seed=7, share=D("25"), minimum=1)
    assert len(first) == 5 and first <= set(ids)
    others = {schedule.sample_lines(ids, seed=seed, share=D("25"), minimum=1) for seed in range(8)}
    assert len(others) > 1  # the seed (the return's id) changes which lines are chosen


def test_the_sample_is_stable_across_machines():
    # SHA-256 of "seed:line id", not Python's random module, whose algorithms may change.
    assert schedule.sample_lines([1, 2, 3, 4], seed=3, share=D("25"), minimum=1) == {4}


def test_every_band_has_a_share_marked_as_the_services_choice():
    rule = schedule.sample_rule_in_force(schedule.load_sample_rules(), date(2026, 12, 2))
    bands = {band.key for band in load_bands()[0].bands}
    assert set(rule.share_by_band) == bands
    assert all(D(0) < share <= D(100) for share in rule.share_by_band.values())
    assert "not law" in rule.source.title
    # Larger contracts are checked at least as closely.
    shares = [rule.share_by_band[key] for key in ("small", "medium", "large", "major")]
    assert shares == sorted(shares)


def test_the_penalty_types_are_the_uk_extensions_closed_codelist():
    codes, source = schedule.load_penalty_types()
    assert [c.code for c in codes] == ["contracted", "imposed", "negotiated"]
    assert "cabinetoffice/ocds_uk_extension" in source.url
    assert source.url.endswith("codelists/penaltyType.csv")
    schema = json.loads((STANDARD / "release-schema.json").read_text(encoding="utf-8"))
    penalty = schema["definitions"]["PerformanceFailure"]["properties"]["penaltyType"]
    assert penalty["openCodelist"] is False
    assert [c.code for c in codes] == [code for code in penalty["enum"] if code is not None]
