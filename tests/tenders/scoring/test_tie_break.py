"""The published tie-break: equal totals are separated by the tender's rule (default: higher
quality, then higher social value, then lower price); bids still level share a rank, the tie is
reported unresolved and there is no winner until the officer's resolution is recorded."""

from decimal import Decimal as D

import pytest

from tenders.scoring import (
    DEFAULT_TIE_BREAK,
    OFFICER,
    CriteriaTree,
    ScoringError,
    score_tender,
    validate_tie_break,
)

from .scoring_trees import bid, group, leaf


def tree():
    """Price 40, quality 40 (one question on 0-10), social value 20 (one question on 0-10)."""
    return CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "40", leaf("q", "quality", "100", max_mark="10")),
            group("sv", "social_value", "20", leaf("s", "social_value", "100", max_mark="10")),
        )
    )


def rank(bids, **options):
    return score_tender(tree(), bids, "lowest_price_ratio", {}, **options)


def test_the_default_rule_is_quality_then_social_value_then_price():
    assert DEFAULT_TIE_BREAK == ("quality", "social_value", "price")
    assert validate_tie_break(["quality"]) == (("quality", "price"), [])


def test_equal_totals_go_to_the_higher_quality_score():
    # A: 40 + 40 × 5/10 + 20 × 10/10 = 80; B: 40 + 40 × 10/10 + 20 × 0/10 = 80.
    result = rank([bid("A", "100", q="5", s="10"), bid("B", "100", q="10", s="0")])
    assert result.bid("A").total == result.bid("B").total == D(80)
    assert [(e.rank, e.bid_id, e.tie_broken_by) for e in result.ranking] == [
        (1, "B", "quality"),
        (2, "A", "quality"),
    ]
    assert result.winner == "B" and not result.tie_unresolved and not result.unresolved_ties


def test_a_published_rule_putting_social_value_first_reverses_it():
    result = rank(
        [bid("A", "100", q="5", s="10"), bid("B", "100", q="10", s="0")],
        tie_break=["social_value", "quality"],
    )
    assert result.winner == "A"
    assert result.ranking[0].tie_broken_by == "social_value"
    assert result.tie_break == ("social_value", "quality", "price")


def test_level_on_quality_and_social_value_the_lower_price_wins():
    # Different prices with equal totals and equal quality and social value scores need price
    # to carry no weight: a tender scored on quality and social value alone, price still given.
    t = CriteriaTree(
        (
            group("quality", "quality", "50", leaf("q", "quality", "100", max_mark="10")),
            group("sv", "social_value", "50", leaf("s", "social_value", "100", max_mark="10")),
        )
    )
    result = score_tender(
        t, [bid("A", "120", q="6", s="6"), bid("B", "100", q="6", s="6")], "lowest_price_ratio"
    )
    assert [(e.bid_id, e.tie_broken_by) for e in result.ranking] == [("B", "price"), ("A", "price")]


def test_still_level_bids_share_the_rank_and_award_is_blocked_until_the_officer_resolves():
    bids = [
        bid("A", "100", q="5", s="5"),
        bid("B", "100", q="5", s="5"),
        bid("C", "200", q="5", s="5"),
    ]
    result = rank(bids)
    assert [(e.rank, e.bid_id, e.tied) for e in result.ranking] == [
        (1, "A", True),
        (1, "B", True),
        (3, "C", False),
    ]
    assert result.tie_unresolved and result.winner is None
    assert result.unresolved_ties == (("A", "B"),)
    assert result.sensitivity is None

    resolved = rank(bids, tie_resolution=["B", "A"])
    assert [(e.rank, e.bid_id, e.tied, e.tie_broken_by) for e in resolved.ranking] == [
        (1, "B", False, OFFICER),
        (2, "A", False, OFFICER),
        (3, "C", False, None),
    ]
    assert resolved.winner == "B" and not resolved.tie_unresolved


def test_a_resolution_that_leaves_out_a_level_bid_resolves_nothing():
    bids = [
        bid("A", "100", q="5", s="5"),
        bid("B", "100", q="5", s="5"),
        bid("C", "100", q="5", s="5"),
    ]
    result = rank(bids, tie_resolution=["C", "A"])
    assert result.tie_unresolved
    assert result.unresolved_ties == (("A", "B", "C"),)


def test_a_tie_lower_down_is_reported_but_does_not_block_the_winner():
    result = rank(
        [
            bid("W", "100", q="10", s="10"),
            bid("A", "100", q="5", s="5"),
            bid("B", "100", q="5", s="5"),
        ]
    )
    assert result.winner == "W" and not result.tie_unresolved
    assert result.unresolved_ties == (("A", "B"),)
    assert [e.rank for e in result.ranking] == [1, 2, 2]


def test_an_unknown_or_repeated_tie_break_is_refused():
    with pytest.raises(ScoringError, match="Unknown tie-break 'colour'"):
        rank([bid("A", "100", q="5", s="5")], tie_break=["colour"])
    with pytest.raises(ScoringError, match="more than once"):
        rank([bid("A", "100", q="5", s="5")], tie_break=["quality", "quality"])
