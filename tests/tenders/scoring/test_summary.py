"""A bidder's figures beside the winner's, never another unsuccessful bidder's."""

from decimal import Decimal as D

from tenders.scoring import bid_summary, score_tender

from .scoring_trees import bid, standard_tree


def result():
    # A: price 32, q1 24, q2 12, sv1 8 = 76. B: 40, 18, 16, 5 = 79 (wins). C: 20, 6, 4, 1 = 31.
    return score_tender(
        standard_tree(),
        [
            bid("A", "100000", q1="4", q2="3", sv1="80"),
            bid("B", "80000", q1="3", q2="4", sv1="50"),
            bid("C", "160000", q1="2", q2="1", sv1="10"),
        ],
        "lowest_price_ratio",
    )


def test_a_losers_summary_sets_each_criterion_beside_the_winners():
    summary = bid_summary(result(), "A")
    assert not summary.successful and summary.winner_id == "B"
    rows = {r.key: r for r in summary.rows}
    assert (rows["price"].score, rows["price"].winner_score) == (D(32), D(40))
    assert (rows["q1"].mark, rows["q1"].winner_mark) == (D(4), D(3))
    assert rows["q1"].winner_ahead_by == D(-6)
    assert (summary.total, summary.winner_total, summary.rank) == (D(76), D(79), 2)
    # The winning tender's relative advantages over A: price (8) and q2 (4), largest first.
    assert [(r.key, r.winner_ahead_by) for r in summary.relative_advantages] == [
        ("price", D(8)),
        ("q2", D(4)),
    ]


def test_no_summary_carries_another_unsuccessful_bidders_figures():
    scored = result()
    summary = bid_summary(scored, "C")
    own = {r.key: r.weighted_score for r in scored.bid("C").breakdown}
    winner = {r.key: r.weighted_score for r in scored.bid("B").breakdown}
    assert {r.key: r.score for r in summary.rows} == own
    assert {r.key: r.winner_score for r in summary.rows} == winner
    # A's figures (price 32, q1 24) appear nowhere in C's summary.
    shown = {r.score for r in summary.rows} | {r.winner_score for r in summary.rows}
    assert D(32) not in shown and D(24) not in shown


def test_the_winners_summary_has_its_own_figures_only():
    summary = bid_summary(result(), "B")
    assert summary.successful
    assert all(r.winner_score is None and r.winner_ahead_by is None for r in summary.rows)
    assert summary.relative_advantages == ()


def test_the_next_ranked_bid_can_be_named_winner_when_the_first_falls_away():
    summary = bid_summary(result(), "C", winner_id="A")
    assert summary.winner_id == "A" and summary.winner_total == D(76)
