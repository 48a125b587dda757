"""Properties of the engine over generated tenders: the ranking never contradicts the totals,
scaling every price leaves `lowest_ratio` scores unchanged, a lower price never scores less on
price, and the sensitivity's move really does bring the rival level."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tenders.scoring import PRICE_METHODS, TIE_PLACES, Bid, CriteriaTree, score_tender

from .scoring_trees import group, leaf

EXAMPLES = hypothesis_settings(max_examples=60, deadline=None)

prices_st = st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2)
marks_st = st.integers(min_value=0, max_value=5)


def tree(price_weight):
    rest = 100 - price_weight
    sv = rest // 3
    quality = rest - sv
    return CriteriaTree(
        (
            leaf("price", "price", str(price_weight)),
            group(
                "quality",
                "quality",
                str(quality),
                leaf("q1", "quality", "60", pass_mark="1"),
                leaf("q2", "quality", "40"),
            ),
            group("sv", "social_value", str(sv), leaf("s", "social_value", "100")),
        )
    )


bid_st = st.tuples(prices_st, marks_st, marks_st, marks_st)
tenders_st = st.tuples(
    st.integers(min_value=10, max_value=70),
    st.lists(bid_st, min_size=1, max_size=12),
    st.sampled_from(sorted(PRICE_METHODS)),
)


def make_bids(rows):
    return [
        Bid(f"b{i}", price, {"q1": D(q1), "q2": D(q2), "s": D(s)})
        for i, (price, q1, q2, s) in enumerate(rows)
    ]


def params_for(method):
    return {"points_per_percent": D(2)} if method == "deduction_per_percent_above_lowest" else {}


@EXAMPLES
@given(tenders_st)
def test_the_ranking_never_contradicts_the_totals(case):
    price_weight, rows, method = case
    result = score_tender(tree(price_weight), make_bids(rows), method, params_for(method))
    ranked = list(result.ranking)
    for upper, lower in zip(ranked, ranked[1:], strict=False):
        assert upper.total.quantize(TIE_PLACES) >= lower.total.quantize(TIE_PLACES)
        assert upper.rank <= lower.rank
        if upper.total.quantize(TIE_PLACES) > lower.total.quantize(TIE_PLACES):
            assert upper.rank < lower.rank
    # Every bid still in the running is ranked; every excluded bid is not.
    assert {e.bid_id for e in ranked} == {b.bid_id for b in result.bids if b.eligible}
    if ranked and not result.tie_unresolved:
        assert result.winner == ranked[0].bid_id


@EXAMPLES
@given(tenders_st, st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2))
def test_scaling_every_price_leaves_lowest_ratio_scores_unchanged(case, factor):
    price_weight, rows, _ = case
    bids = make_bids(rows)
    scaled = [Bid(b.bid_id, b.price * factor, b.marks) for b in bids]
    before = score_tender(tree(price_weight), bids, "lowest_price_ratio")
    after = score_tender(tree(price_weight), scaled, "lowest_price_ratio")
    for b in before.bids:
        a = after.bid(b.bid_id)
        for row_before, row_after in zip(b.breakdown, a.breakdown, strict=True):
            if row_before.weighted_score is None:
                assert row_after.weighted_score is None
            else:
                assert abs(row_before.weighted_score - row_after.weighted_score) < D("1E-20")


@EXAMPLES
@given(tenders_st)
def test_a_lower_price_never_scores_less_on_price(case):
    price_weight, rows, method = case
    result = score_tender(tree(price_weight), make_bids(rows), method, params_for(method))
    priced = [
        (b.price, next(r.weighted_score for r in b.breakdown if r.key == "price"), b)
        for b in result.bids
        if b.eligible
    ]
    for price_a, score_a, bid_a in priced:
        for price_b, score_b, bid_b in priced:
            # Per quality point, a lower price only wins like for like on quality.
            unlike = (
                method == "price_per_quality_point"
                and bid_a.kind_scores["quality"] != bid_b.kind_scores["quality"]
            )
            if price_a < price_b and not unlike:
                assert score_a >= score_b - D("1E-20")


@EXAMPLES
@given(tenders_st)
def test_the_sensitivity_move_brings_the_rival_level_with_the_winner(case):
    price_weight, rows, method = case
    result = score_tender(tree(price_weight), make_bids(rows), method, params_for(method))
    found = result.sensitivity
    if found is None:
        return
    winner = result.bid(found.winner)
    for rival in found.rivals:
        if rival.points is None or rival.weights is None:
            continue
        assert sum(rival.weights.values()) == sum(found.weights.values())
        assert all(w >= 0 for w in rival.weights.values())

        def total(bid, weights):
            return sum(weights[k] * bid.kind_scores[k] / found.weights[k] for k in found.weights)

        other = result.bid(rival.bid_id)
        assert abs(total(other, rival.weights) - total(winner, rival.weights)) < D("1E-18")


fraction_st = st.decimals(min_value=D(0), max_value=D(1), places=2)


@hypothesis_settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=5, max_value=90),
    st.integers(min_value=5, max_value=90),
    st.lists(st.tuples(fraction_st, fraction_st, fraction_st), min_size=2, max_size=5),
)
def test_points_to_win_puts_the_rival_first_and_no_smaller_whole_move_does(a, b, rows):
    if a + b >= 100:
        return
    from tenders.scoring import sensitivity

    weights = {"price": D(a), "quality": D(b), "social_value": D(100 - a - b)}
    fractions = {
        f"b{i}": {"price": p, "quality": q, "social_value": s} for i, (p, q, s) in enumerate(rows)
    }

    def total(bid_id, w):
        return sum(w[k] * fractions[bid_id][k] for k in w)

    winner = max(fractions, key=lambda bid_id: total(bid_id, weights))
    found = sensitivity(weights, fractions, winner)
    for rival in found.rivals:
        if rival.wins is None:
            continue
        if rival.points_to_win is not None:
            assert rival.points_to_win >= rival.points - D("1E-20")
            at = rival.weights_to_win
            assert all(w >= -D("1E-20") for w in at.values())
            mine = total(rival.bid_id, at)
            assert all(total(other, at) - mine <= D("1E-18") for other in fractions)
        # Brute force over whole-point weightings: none that puts the rival first (by a clear
        # margin) moves fewer points than the answer.
        best = rival.points_to_win
        for price in range(0, 101, 2):
            for quality in range(0, 101 - price, 2):
                w = {
                    "price": D(price),
                    "quality": D(quality),
                    "social_value": D(100 - price - quality),
                }
                mine = total(rival.bid_id, w)
                if all(
                    total(other, w) < mine - D("0.001")
                    for other in fractions
                    if other != rival.bid_id
                ):
                    moved = sum(abs(w[k] - weights[k]) for k in w) / 2
                    assert best is not None and best <= moved + D("1E-18")
