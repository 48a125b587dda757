"""Scoring a tender's bids: totals, pass marks, missing marks, ties and abnormally low prices."""

from decimal import Decimal as D

import pytest

from tenders.scoring import (
    CriteriaTree,
    ScoringError,
    abnormally_low_checks,
    load_abnormally_low_policy,
    presented,
    score_tender,
)

from .scoring_trees import bid, group, leaf, standard_tree


def score(bids, method="lowest_price_ratio", params=None, tree=None, percent=None):
    return score_tender(
        tree or standard_tree(), bids, method, params or {}, abnormally_low_percent=percent
    )


def test_quality_and_social_value_score_mark_over_max_times_effective_weight():
    result = score(
        [bid("A", "100000", q1="4", q2="3", sv1="80"), bid("B", "80000", q1="3", q2="4", sv1="50")]
    )
    a = {row.key: row for row in result.bid("A").breakdown}
    # price 80000/100000 × 40; q1 4/5 × 30; q2 3/5 × 20; sv1 80/100 × 10
    assert a["price"].weighted_score == D("32")
    assert a["q1"].mark == D("4") and a["q1"].weighted_score == D("24")
    assert a["q2"].weighted_score == D("12")
    assert a["quality"].weighted_score == D("36")
    assert a["sv1"].weighted_score == D("8")
    assert result.bid("A").total == D("76")
    assert result.bid("B").total == D("79")  # 40 + 18 + 16 + 5
    assert [(e.rank, e.bid_id) for e in result.ranking] == [(1, "B"), (2, "A")]


def test_breakdown_lists_every_criterion_in_tree_order_with_depth():
    result = score([bid("A", "100", q1="5", q2="5", sv1="100")])
    rows = result.bid("A").breakdown
    assert [(r.key, r.depth, r.is_leaf) for r in rows] == [
        ("price", 0, True),
        ("quality", 0, False),
        ("q1", 1, True),
        ("q2", 1, True),
        ("sv", 0, False),
        ("sv1", 1, True),
    ]
    assert result.bid("A").total == D("100")


def test_a_mark_below_the_pass_mark_excludes_the_bid_with_the_reason():
    result = score(
        [bid("A", "100", q1="1.5", q2="5", sv1="100"), bid("B", "200", q1="2", q2="1", sv1="0")]
    )
    a = result.bid("A")
    assert not a.eligible and a.rank is None and a.total is None
    assert [(x.code, x.criterion_key) for x in a.exclusions] == [("below_pass_mark", "q1")]
    assert "below the pass mark 2" in a.exclusions[0].message
    # A mark exactly at the pass mark passes.
    assert result.bid("B").eligible and result.bid("B").rank == 1


def test_an_excluded_bid_does_not_set_the_lowest_price_for_the_others():
    result = score(
        [
            bid("cheap_but_failed", "50", q1="0", q2="5", sv1="100"),
            bid("B", "100", q1="5", q2="5", sv1="100"),
        ]
    )
    assert result.bid("B").total == D("100")
    assert [e.bid_id for e in result.ranking] == ["B"]
    assert [b.bid_id for b in result.bids] == ["B", "cheap_but_failed"]


def test_missing_marks_and_missing_price_each_exclude_with_a_reason():
    result = score([bid("A", None, q1="3", sv1="10"), bid("B", "100", q1="3", q2="3", sv1="10")])
    codes = [(x.code, x.criterion_key) for x in result.bid("A").exclusions]
    assert codes == [("missing_price", "price"), ("missing_mark", "q2")]
    # The excluded bid's recorded marks are still shown, without a total.
    a_rows = {r.key: r for r in result.bid("A").breakdown}
    assert a_rows["q1"].weighted_score == D("18")
    assert a_rows["quality"].weighted_score is None


def test_bids_level_on_every_tie_break_share_a_rank_and_the_next_rank_is_skipped():
    result = score(
        [
            bid("A", "100", q1="4", q2="4", sv1="50"),
            bid("B", "100", q1="4", q2="4", sv1="50"),
            bid("C", "100", q1="3", q2="3", sv1="50"),
        ]
    )
    assert [(e.rank, e.bid_id, e.tied) for e in result.ranking] == [
        (1, "A", True),
        (1, "B", True),
        (3, "C", False),
    ]
    assert result.bid("A").tied and result.bid("B").tied
    assert result.tie_unresolved and result.winner is None
    assert result.unresolved_ties == (("A", "B"),)
    assert "published tie-break" in result.tie_policy


def test_totals_equal_in_value_but_reached_by_different_arithmetic_are_tied():
    tree = CriteriaTree(
        (
            leaf("price", "price", "30"),
            group("quality", "quality", "70", leaf("q1", "quality", "100", max_mark="3")),
        )
    )
    # A: 30 × 100/450 + 70 × 2/3 and B: 30 + 70 × 1/3 are both 53⅓, but the 28-digit
    # arithmetic ends ...334 for one and ...333 for the other.
    result = score([bid("A", "450", q1="2"), bid("B", "100", q1="1")], tree=tree)
    assert result.bid("A").total != result.bid("B").total
    # Level on total, so the published tie-break decides: A has the higher quality score.
    assert [(e.rank, e.bid_id, e.tied, e.tie_broken_by) for e in result.ranking] == [
        (1, "A", False, "quality"),
        (2, "B", False, "quality"),
    ]


def test_a_tiny_real_difference_still_separates_bids():
    result = score(
        [bid("A", "100", q1="4", q2="4", sv1="50.0001"), bid("B", "100", q1="4", q2="4", sv1="50")]
    )
    assert [(e.rank, e.bid_id, e.tied) for e in result.ranking] == [
        (1, "A", False),
        (2, "B", False),
    ]


def test_presented_rounds_half_up_to_two_places_but_ranking_uses_full_precision():
    assert presented(D("66.665")) == D("66.67")
    assert presented(D("66.664999")) == D("66.66")
    assert presented(D("1") / D("3") * 100) == D("33.33")
    assert presented(None) is None


def test_deduction_method_through_the_whole_tender():
    result = score(
        [
            bid("A", "80000", q1="5", q2="5", sv1="100"),
            bid("B", "88000", q1="5", q2="5", sv1="100"),
        ],
        method="deduction_per_percent_above_lowest",
        params={"points_per_percent": D("2")},
    )
    assert result.bid("B").total == D("92")  # 0.8 × 40 + 60


def test_invalid_inputs_raise_one_error_listing_every_problem():
    with pytest.raises(ScoringError) as raised:
        score(
            [
                bid("A", "0", q1="6", q2="1", sv1="1"),
                bid("A", "10", zz="1", q1="2", q2="2", sv1="2"),
            ],
            method="nope",
        )
    text = str(raised.value)
    assert "Unknown price method 'nope'" in text
    assert "bid A price: A price must be greater than zero" in text
    assert "bid A marks.q1: The mark 6 is outside the scale 0 to 5." in text
    assert "The bid id 'A' is repeated." in text
    assert "bid A marks.zz: No marked criterion has this key." in text


def test_an_invalid_tree_is_refused_before_scoring():
    tree = CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "50", leaf("q1", "quality", "100")),
        )
    )
    with pytest.raises(ScoringError, match="add up to 90, not 100"):
        score([bid("A", "10", q1="1")], tree=tree)


# ---------------------------------------------------------------- abnormally low tenders


# The other two bids average 100, so 15% below is a price of 85.
@pytest.mark.parametrize(
    ("price", "flagged"),
    [("84.99", True), ("85", False), ("85.01", False)],
)
def test_abnormally_low_flag_at_and_either_side_of_the_boundary(price, flagged):
    checks = abnormally_low_checks({"x": D(price), "b": D("90"), "c": D("110")}, D("15"))
    assert checks["x"].mean_of_others == D("100")
    assert checks["x"].flagged is flagged


def test_abnormally_low_reports_how_far_below_the_mean_of_the_others():
    check = abnormally_low_checks({"x": D("70"), "b": D("100")}, D("15"))["x"]
    assert check.percent_below_mean == D("30")
    assert check.threshold_percent == D("15")


def test_a_flagged_bid_is_still_scored_and_ranked():
    result = score(
        [
            bid("low", "50", q1="3", q2="3", sv1="50"),
            bid("B", "100", q1="5", q2="5", sv1="100"),
            bid("C", "100", q1="5", q2="5", sv1="100"),
        ],
        percent=D("15"),
    )
    low = result.bid("low")
    assert low.abnormally_low.flagged
    assert low.eligible and low.rank is not None
    assert [c.bid_id for c in result.flagged_abnormally_low] == ["low"]


def test_the_check_is_not_run_without_a_percentage():
    result = score(
        [bid("A", "10", q1="3", q2="3", sv1="3"), bid("B", "100", q1="3", q2="3", sv1="3")]
    )
    assert result.abnormally_low_percent is None
    assert all(b.abnormally_low is None for b in result.bids)


def test_a_single_bid_has_nothing_to_compare_with():
    assert abnormally_low_checks({"only": D("10")}, D("15")) == {}


def test_the_service_default_percentage_comes_from_data_and_is_not_statutory():
    policy = load_abnormally_low_policy()
    assert policy.default_percent == D("15")
    assert policy.basis == "service_default"
    assert (
        "Neither the Public Contracts Regulations 2015 nor the Procurement Act 2023"
        in policy.basis_note
    )


def test_the_abnormally_low_default_is_dated_and_sourced():
    from datetime import date

    policy = load_abnormally_low_policy()
    assert policy.default_percent == D("15")
    assert policy.in_force_from == date(2026, 11, 25)
    assert policy.basis == "service_default" and policy.sources


def test_the_abnormally_low_screen_flags_but_never_excludes():
    result = score(
        [
            bid("low", "50", q1="3", q2="3", sv1="50"),
            bid("b", "100", q1="3", q2="3", sv1="50"),
            bid("c", "100", q1="3", q2="3", sv1="50"),
        ],
        percent=D("15"),
    )
    low = result.bid("low")
    assert low.eligible and low.rank == 1 and low.flags == ("abnormally_low",)
    assert low.abnormally_low.mean_of_others == D(100)
    assert low.abnormally_low.percent_below_mean == D(50)


def test_numbers_beyond_any_tender_are_refused_not_a_crash():
    with pytest.raises(ScoringError, match="too large or too small"):
        score(
            [
                bid("A", "1e999999", q1="3", q2="3", sv1="50"),
                bid("B", "1e-999999", q1="3", q2="3", sv1="50"),
            ],
            method="deduction_per_percent_above_lowest",
            params={"points_per_percent": D(1)},
        )
