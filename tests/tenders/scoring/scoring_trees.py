"""Criteria trees shared by the scoring tests (plain builders, no fixtures needed)."""

from decimal import Decimal as D

from tenders.scoring import Bid, CriteriaTree, Criterion, Scale

FIVE = Scale(D("5"), ((D("0"), "No response"), (D("5"), "Excellent")))


def leaf(key, kind, weight, max_mark="5", pass_mark=None):
    scale = None if kind == "price" else Scale(D(max_mark))
    return Criterion(
        key, key.title(), kind, D(weight), scale=scale,
        pass_mark=None if pass_mark is None else D(pass_mark),
    )  # fmt: skip


def group(key, kind, weight, *children):
    return Criterion(key, key.title(), kind, D(weight), tuple(children))


def standard_tree(q1_pass_mark="2"):
    """Price 40, quality 50 (q1 60% pass 2, q2 40%), social value 10 (sv1 on 0-100)."""
    return CriteriaTree(
        (
            leaf("price", "price", "40"),
            group(
                "quality",
                "quality",
                "50",
                leaf("q1", "quality", "60", pass_mark=q1_pass_mark),
                leaf("q2", "quality", "40"),
            ),
            group("sv", "social_value", "10", leaf("sv1", "social_value", "100", max_mark="100")),
        )
    )


def bid(bid_id, price, **marks):
    return Bid(bid_id, None if price is None else D(price), {k: D(v) for k, v in marks.items()})
