"""Monetised social value (monetised_ratio), and bids out of the running never setting the
lowest price or the highest social value."""

from decimal import Decimal as D

import pytest

from tenders.scoring import Bid, CriteriaTree, Criterion, ScoringError, score_tender, validate_tree

from .scoring_trees import bid, group, leaf


def monetised_tree(pass_mark=None):
    return CriteriaTree(
        (
            leaf("price", "price", "50"),
            group("quality", "quality", "30", leaf("q", "quality", "100", pass_mark=pass_mark)),
            Criterion("sv", "Social value", "social_value", D(20), method="monetised_ratio"),
        )
    )


def sv_bid(bid_id, price, social_value, q="5"):
    return Bid(bid_id, D(price), {"q": D(q)}, None if social_value is None else D(social_value))


def test_monetised_ratio_is_weight_times_value_over_the_highest():
    result = score_tender(
        monetised_tree(),
        [sv_bid("A", "100", "40000"), sv_bid("B", "100", "10000"), sv_bid("C", "100", None)],
        "lowest_price_ratio",
    )
    rows = {b.bid_id: {r.key: r for r in b.breakdown} for b in result.bids}
    assert rows["A"]["sv"].weighted_score == D(20)
    assert rows["B"]["sv"].weighted_score == D(5)  # 20 × 10,000 ÷ 40,000
    assert rows["C"]["sv"].weighted_score == D(0)  # offered none
    assert rows["B"]["sv"].social_value == D(10000)
    assert result.bid("A").kind_scores == {"price": D(50), "quality": D(30), "social_value": D(20)}


def test_an_excluded_bid_never_sets_the_highest_social_value_or_the_lowest_price():
    result = score_tender(
        monetised_tree(pass_mark="3"),
        [
            sv_bid("OUT", "50", "90000", q="2"),  # below the pass mark
            sv_bid("A", "100", "30000"),
            sv_bid("B", "80", "15000"),
        ],
        "lowest_price_ratio",
    )
    out = result.bid("OUT")
    assert not out.eligible and out.rank is None
    assert [x.code for x in out.exclusions] == ["below_pass_mark"]
    assert "below the pass mark 3" in out.exclusions[0].message
    a = {r.key: r.weighted_score for r in result.bid("A").breakdown}
    b = {r.key: r.weighted_score for r in result.bid("B").breakdown}
    assert a["sv"] == D(20) and b["sv"] == D(10)  # highest among A and B: 30,000
    assert b["price"] == D(50) and a["price"] == D(40)  # lowest among A and B: 80


def test_no_social_value_offered_by_anyone_scores_zero_not_an_error():
    result = score_tender(
        monetised_tree(), [sv_bid("A", "100", None), sv_bid("B", "90", "0")], "lowest_price_ratio"
    )
    assert all(r.weighted_score == 0 for b in result.bids for r in b.breakdown if r.key == "sv")


def test_monetised_is_for_social_value_leaves_without_a_scale():
    bad = CriteriaTree(
        (
            leaf("price", "price", "50"),
            Criterion("q", "Q", "quality", D(50), method="monetised_ratio"),
        )
    )
    assert [e.code for e in validate_tree(bad)] == ["method"]
    with pytest.raises(ScoringError, match="Only a social value criterion"):
        score_tender(bad, [bid("A", "1")], "lowest_price_ratio")


def test_negative_social_value_is_refused():
    with pytest.raises(ScoringError, match="cannot be negative"):
        score_tender(monetised_tree(), [sv_bid("A", "1", "-5")], "lowest_price_ratio")


def test_price_per_quality_point_in_a_tender():
    tree = CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "60", leaf("q", "quality", "100", max_mark="10")),
        )
    )
    # Quality points: A 80, B 50. Price per point: A 100/80 = 1.25, B 50/50 = 1 (cheapest).
    result = score_tender(
        tree, [bid("A", "100", q="8"), bid("B", "50", q="5")], "price_per_quality_point"
    )
    a = {r.key: r.weighted_score for r in result.bid("A").breakdown}
    assert a["price"] == D(40) * D(1) / D("1.25")  # 32
    assert result.bid("A").total == D(32) + D(48)
    assert result.bid("B").total == D(40) + D(30)


def test_price_per_quality_point_needs_a_quality_criterion():
    tree = CriteriaTree(
        (
            leaf("price", "price", "50"),
            group("sv", "social_value", "50", leaf("s", "social_value", "100")),
        )
    )
    with pytest.raises(ScoringError, match="needs at least one quality criterion"):
        score_tender(tree, [bid("A", "1", s="1")], "price_per_quality_point")


def test_a_rejected_bid_is_out_of_the_running_with_its_reason_and_sets_no_price():
    # The officer rejected the abnormally low £40 bid: the others are scored against £80.
    rejected = Bid(
        "LOW", D("40"), {"q": D(5)}, D(1000), rejection="Explanation did not account for the price."
    )
    result = score_tender(
        monetised_tree(),
        [rejected, sv_bid("A", "100", "100"), sv_bid("B", "80", "50")],
        "lowest_price_ratio",
    )
    low = result.bid("LOW")
    assert not low.eligible and low.rank is None
    assert [(x.code, x.message) for x in low.exclusions] == [
        ("rejected", "Explanation did not account for the price.")
    ]
    b = {r.key: r.weighted_score for r in result.bid("B").breakdown}
    a = {r.key: r.weighted_score for r in result.bid("A").breakdown}
    assert b["price"] == D(50) and a["sv"] == D(20)  # lowest £80; highest value 100


def test_score_bids_takes_a_rejected_bid_out_of_the_running():
    from tenders.scoring import score_bids_json

    document = {
        "criteria": [
            {"id": "p", "kind": "price", "weight": 60},
            {"id": "q", "kind": "quality", "weight": 40, "max_score": 5},
        ],
        "bids": [
            {"id": "LOW", "price": 40, "scores": {"q": 5}, "rejected": "Breaches labour law."},
            {"id": "A", "price": 80, "scores": {"q": 3}},
        ],
    }
    out = score_bids_json(document, default_abnormally_low_percent=None)
    low = out["results"][1]
    assert low["id"] == "LOW" and low["excluded"] and low["reasons"] == ["Breaches labour law."]
    assert out["results"][0]["criteria"]["p"] == "60.00"
