"""The plausibility rule at bid time, cases worked by hand (measurement.plausibility)."""

from datetime import date
from decimal import Decimal as D

import pytest

from measurement.plausibility import (
    COMMITMENT,
    TOTAL,
    Line,
    Rules,
    check_bid,
    load_rules,
    rules_in_force,
    share_of,
)

RULES = Rules(
    valid_from=date(2024, 1, 1),
    ends=None,
    total_share_percent=D("100"),
    commitment_share_percent=D("50"),
    rationale="test",
    what_to_check=("the quantity",),
)


def test_a_total_above_the_price_is_flagged_with_its_share():
    # £150,000 of social value on a £100,000 price: 150,000 x 100 / 100,000 = 150.0%.
    result = check_bid(price="100000", total="150000", lines=[], rules=RULES)
    assert result.checked and result.flagged
    assert result.total_share_percent == D("150.0")
    assert result.total_flag.kind == TOTAL
    assert result.total_flag.share_percent == D("150.0")
    assert "£150,000.00" in result.total_flag.message
    assert "150%" in result.total_flag.message and "more than 100%" in result.total_flag.message


def test_a_total_equal_to_the_price_is_not_flagged_and_a_penny_over_is():
    assert check_bid(price="100000", total="100000", lines=[], rules=RULES).total_flag is None
    over = check_bid(price="100000", total="100000.01", lines=[], rules=RULES)
    # 100,000.01 / 100,000 = 100.00001%, shown as 100.0% but flagged at full precision.
    assert over.total_flag is not None and over.total_flag.share_percent == D("100.0")


def test_one_commitment_above_half_the_price_is_flagged_whatever_its_source():
    lines = [
        Line(key=1, label="ECO-01 Jobs", value=D("50000")),  # exactly 50%: not flagged
        Line(key=2, label="SOC-02 Volunteering", value=D("62500"), confirmed=False),  # 62.5%
        Line(key=3, label="ENV-01 Waste", value=None),  # counted, not monetised
    ]
    # The headline total leaves out the unconfirmed line: 50,000 is 50% of 100,000.
    result = check_bid(price="100000", total="50000", lines=lines, rules=RULES)
    assert result.total_flag is None
    assert set(result.line_flags) == {2}
    flag = result.line_flags[2]
    assert (flag.kind, flag.share_percent, flag.threshold_percent) == (
        COMMITMENT,
        D("62.5"),
        D("50"),
    )
    assert flag.message.startswith("SOC-02 Volunteering (its source is unconfirmed): £62,500.00")
    assert result.flags == (flag,)


def test_shares_are_rounded_half_up_to_one_place():
    # 1 / 3 = 33.333...% -> 33.3%; 2 / 3 = 66.666...% -> 66.7%; 0.05% of 1,000 -> 0.1% (half up).
    assert share_of(1, 3) == D("33.3")
    assert share_of(2, 3) == D("66.7")
    assert share_of("0.5", "1000") == D("0.1")


def test_without_a_price_above_zero_nothing_is_compared():
    lines = [Line(key=1, label="x", value=D("10"))]
    none = check_bid(price=None, total="10", lines=lines, rules=RULES)
    assert not none.checked and not none.flagged and "no price" in none.reason
    zero = check_bid(price="0", total="10", lines=lines, rules=RULES)
    assert not zero.checked and zero.total_share_percent is None


def test_bad_figures_are_refused():
    with pytest.raises(ValueError, match="price"):
        check_bid(price="lots", total="1", lines=[], rules=RULES)
    with pytest.raises(ValueError, match="float"):
        check_bid(price=1.5, total="1", lines=[], rules=RULES)
    with pytest.raises(ValueError, match="more than zero"):
        Rules(date(2024, 1, 1), None, D("0"), D("50"), "", ())


def test_the_shipped_rules_are_dated_explained_and_a_service_choice():
    rules = rules_in_force(load_rules(), date(2026, 12, 1))
    assert (rules.total_share_percent, rules.commitment_share_percent) == (D("100"), D("50"))
    assert "not law" in rules.rationale or "No law" in rules.rationale
    assert rules.what_to_check
    with pytest.raises(ValueError):
        rules_in_force(load_rules(), date(2023, 12, 31))
