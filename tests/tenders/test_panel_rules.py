"""The panel's pure rules (tenders.panel): marks on the published scale, the spread and its flag,
and the dated default read from tenders/data/moderation.json."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenders import panel

FIVE = Decimal("5")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3", Decimal("3.00")), (" 2.5 ", Decimal("2.50")), ("0", Decimal("0.00")), ("5", FIVE)],
)
def test_marks_on_the_scale_are_read(typed, expected):
    assert panel.parse_mark(typed, max_mark=FIVE) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the mark."),
        ("six", "The mark must be a number, like 3 or 2.5."),
        ("NaN", "The mark must be a number, like 3 or 2.5."),
        ("Infinity", "The mark must be a number, like 3 or 2.5."),
        ("5.01", "The mark must be from 0 to 5."),
        ("-1", "The mark must be from 0 to 5."),
        ("2.555", "The mark can have at most two decimal places."),
    ],
)
def test_marks_off_the_scale_are_refused_with_a_reason(typed, message):
    with pytest.raises(ValueError) as refused:
        panel.parse_mark(typed, max_mark=FIVE)
    assert str(refused.value) == message


def test_a_described_scale_allows_only_its_marks():
    allowed = [Decimal(n) for n in (0, 25, 50, 75, 100)]
    assert panel.parse_mark("75", max_mark=Decimal(100), allowed=allowed) == Decimal("75")
    with pytest.raises(ValueError, match="0, 25, 50, 75, 100"):
        panel.parse_mark("60", max_mark=Decimal(100), allowed=allowed)


def test_a_spread_above_the_share_is_flagged_and_one_at_it_is_not():
    marks = [Decimal(1), Decimal(3)]
    assert panel.spread(marks) == Decimal(2)
    assert not panel.spread_flagged(marks, max_mark=FIVE, percent=Decimal(40))
    assert panel.spread_flagged([*marks, Decimal("3.5")], max_mark=FIVE, percent=Decimal(40))
    assert panel.spread([]) == 0 and panel.spread([Decimal(4)]) == 0


def test_the_default_share_is_dated_data_with_its_source():
    rule = panel.spread_rule_on(date(2026, 12, 1))
    assert rule.percent == Decimal("40")
    assert rule.basis == "service_default"
    assert rule.sources and all(source.url for source in rule.sources)
    # Before the first record, the earliest rule still answers.
    assert panel.spread_rule_on(date(2000, 1, 1)).percent == Decimal("40")


def test_the_conflict_law_cites_the_act_and_the_regulations():
    titles = " ".join(source.title for source in panel.conflict_law().sources)
    assert "section 81" in titles and "regulation 24" in titles


@given(st.text(max_size=30))
def test_any_typed_text_is_read_or_refused_never_raised_otherwise(text):
    try:
        value = panel.parse_mark(text, max_mark=FIVE)
    except ValueError:
        return
    assert Decimal(0) <= value <= FIVE


@given(st.lists(st.decimals(min_value=0, max_value=5, places=2), min_size=1, max_size=8))
def test_the_spread_is_never_negative_and_never_above_the_scale(marks):
    assert Decimal(0) <= panel.spread(marks) <= FIVE
