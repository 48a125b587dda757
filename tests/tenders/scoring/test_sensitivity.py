"""Sensitivity worked by hand: how many points of weight must move between price, quality and
social value for another bid to draw level with the winner."""

from decimal import Decimal as D

from tenders.scoring import CriteriaTree, score_tender, sensitivity

from .scoring_trees import bid, group, leaf


def tree():
    """Price 40, quality 50 (one question 0-10), social value 10 (one question 0-10)."""
    return CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "50", leaf("q", "quality", "100", max_mark="10")),
            group("sv", "social_value", "10", leaf("s", "social_value", "100", max_mark="10")),
        )
    )


def test_one_move_from_the_rivals_weakest_kind_to_its_strongest():
    # A: price 1 (lowest), quality 0.6, sv 0.5 -> 40 + 30 + 5 = 75.
    # B: price 0.8, quality 0.8, sv 0.5 -> 32 + 40 + 5 = 77. B wins by 2.
    result = score_tender(
        tree(), [bid("A", "80", q="6", s="5"), bid("B", "100", q="8", s="5")], "lowest_price_ratio"
    )
    assert result.winner == "B"
    found = result.sensitivity
    assert found.winner == "B"
    assert found.weights == {"price": D(40), "quality": D(50), "social_value": D(10)}
    rival = found.closest
    # A gains (1 − 0.8) − (0.6 − 0.8) = 0.4 per point moved from quality to price: 2 ÷ 0.4 = 5.
    assert rival.bid_id == "A"
    assert rival.points == D(5)
    assert [(m.from_kind, m.to_kind, m.points) for m in rival.moves] == [("quality", "price", D(5))]
    assert rival.weights == {"price": D(45), "quality": D(45), "social_value": D(10)}
    assert rival.wins is True
    # At 45/45/10 both score 45 × ... : A 45 + 27 + 5 = 77, B 36 + 36 + 5 = 77.
    assert found.points == D(5)


def test_when_the_weakest_kind_runs_out_weight_comes_from_the_next():
    # Winner W: price 1, quality 1, sv 0 -> 40 + 50 + 0 = 90.
    # Rival R: price 0.5, quality 0.9, sv 1 -> 20 + 45 + 10 = 75. Gap 15.
    # Into social value (R +1): from price at rate 1 − (−0.5) = 1.5 (40 points give 60 ≥ 15)
    # so 15 ÷ 1.5 = 10 points from price.
    weights = {"price": D(40), "quality": D(50), "social_value": D(10)}
    fractions = {
        "W": {"price": D(1), "quality": D(1), "social_value": D(0)},
        "R": {"price": D("0.5"), "quality": D("0.9"), "social_value": D(1)},
    }
    found = sensitivity(weights, fractions, "W")
    rival = found.rivals[0]
    assert rival.points == D(10)
    assert [(m.from_kind, m.to_kind, m.points) for m in rival.moves] == [
        ("price", "social_value", D(10))
    ]


def test_when_the_rivals_weakest_kind_runs_out_weight_comes_from_the_next():
    fractions = {
        "W": {"price": D(1), "quality": D(1), "social_value": D(0)},
        "R": {"price": D("0.5"), "quality": D("0.8"), "social_value": D(1)},
    }
    # W: 2 + 88 + 0 = 90; R: 1 + 70.4 + 10 = 81.4; gap 8.6. Into social value: all 2 points
    # of price (rate 1.5, closing 3), then quality at rate 1.2 for the other 5.6.
    found = sensitivity({"price": D(2), "quality": D(88), "social_value": D(10)}, fractions, "W")
    rival = found.rivals[0]
    assert [(m.from_kind, m.to_kind) for m in rival.moves] == [
        ("price", "social_value"),
        ("quality", "social_value"),
    ]
    assert rival.moves[0].points == D(2)
    assert abs(rival.moves[1].points - D("5.6") / D("1.2")) < D("1E-25")
    assert rival.points == rival.moves[0].points + rival.moves[1].points
    assert rival.weights["price"] == D(0)


def test_a_rival_no_better_anywhere_can_never_win():
    weights = {"price": D(50), "quality": D(50)}
    fractions = {
        "W": {"price": D(1), "quality": D(1)},
        "L": {"price": D("0.5"), "quality": D("0.9")},
    }
    found = sensitivity(weights, fractions, "W")
    assert found.rivals[0].points is None
    assert found.points is None and found.closest is None


def test_a_rival_level_on_total_needs_no_move():
    weights = {"price": D(50), "quality": D(50)}
    fractions = {
        "W": {"price": D(1), "quality": D("0.5")},
        "R": {"price": D("0.5"), "quality": D(1)},
    }
    assert sensitivity(weights, fractions, "W").points == D(0)


def test_rivals_are_listed_by_the_move_they_need_and_wins_checks_every_other_bid():
    weights = {"price": D(50), "quality": D(50)}
    fractions = {
        "W": {"price": D("0.9"), "quality": D("0.9")},  # 90
        # R: 89.5; draws level after 0.5 ÷ (0.1 + 0.11) ≈ 2.38 points from quality to price.
        "R": {"price": D(1), "quality": D("0.79")},
        # X: 89.75; draws level after 0.25 ÷ (0.09 + 0.095) ≈ 1.35 points, and at R's
        # weighting (≈ 52.38 / 47.62) X scores ≈ 90.19, ahead of R and W.
        "X": {"price": D("0.99"), "quality": D("0.805")},
        "L": {"price": D("0.5"), "quality": D("0.5")},  # no better anywhere: never
    }
    found = sensitivity(weights, fractions, "W")
    assert [r.bid_id for r in found.rivals] == ["X", "R", "L"]
    assert abs(found.rivals[0].points - D("0.25") / D("0.185")) < D("1E-25")
    assert abs(found.rivals[1].points - D("0.5") / D("0.21")) < D("1E-25")
    assert [r.wins for r in found.rivals] == [True, False, None]
    assert found.closest.bid_id == "X"
    # To top every bid R needs price weight x with 0.21x ≥ 11 (level with W) and
    # 0.025x ≥ 1.5 (level with X): x ≥ 60, so 10 points from quality to price.
    r = found.rivals[1]
    assert r.points_to_win == D(10)
    assert r.weights_to_win == {"price": D(60), "quality": D(40)}
    # X already tops everyone where it draws level with W.
    assert found.rivals[0].points_to_win == found.rivals[0].points
    assert found.rivals[2].points_to_win is None


def test_a_rival_that_a_third_bid_outscores_everywhere_can_never_win():
    weights = {"price": D(40), "quality": D(40), "social_value": D(20)}
    fractions = {
        "W": {"price": D(1), "quality": D("0.5"), "social_value": D("0.5")},  # 70
        "R": {"price": D("0.5"), "quality": D("0.9"), "social_value": D("0.5")},  # 66
        "T": {"price": D("0.5"), "quality": D("0.95"), "social_value": D("0.55")},  # 69
    }
    found = sensitivity(weights, fractions, "W")
    # T: Δ = (−0.5, +0.45, +0.05), 1 behind: into quality from price at 0.95 a point.
    t = found.rivals[0]
    assert t.bid_id == "T" and t.wins is True
    assert abs(t.points - D(1) / D("0.95")) < D("1E-25")
    # R draws level with W after 4 ÷ 0.9 points, but T is ahead of R on quality and social
    # value and level on price: R could only be level with T with all 100 points on price,
    # where W is far ahead. So R can never be first.
    r = found.rivals[1]
    assert r.bid_id == "R" and r.wins is False and r.points_to_win is None


def test_points_to_win_needs_a_second_kind_to_move_to():
    # R ties T on price and quality but T leads on social value: R must take weight away from
    # social value entirely and then beat W too.
    weights = {"price": D(40), "quality": D(40), "social_value": D(20)}
    fractions = {
        "W": {"price": D(1), "quality": D("0.5"), "social_value": D(0)},  # 60
        "R": {"price": D("0.5"), "quality": D(1), "social_value": D(0)},  # 60 -> level
        "T": {"price": D("0.5"), "quality": D(1), "social_value": D("0.2")},  # 64: T wins
    }
    found = sensitivity(weights, fractions, "T")
    by_id = {r.bid_id: r for r in found.rivals}
    # R tops T only with no social value weight at all (T's lead there), and is then level with
    # T on everything: 20 points out of social value, split so R is also level with W: R vs W
    # needs quality ≥ price, which 40/40 already is -> 20 points, e.g. into quality or price.
    assert by_id["R"].points_to_win == D(20)
    assert by_id["R"].weights_to_win["social_value"] == D(0)


def test_a_single_kind_tender_cannot_move_weight():
    t = CriteriaTree((group("quality", "quality", "100", leaf("q", "quality", "100")),))
    result = score_tender(t, [bid("A", None, q="5"), bid("B", None, q="4")], "lowest_price_ratio")
    assert result.winner == "A"
    assert result.sensitivity.rivals[0].points is None
