"""Validating a tender's criteria tree and working out each criterion's share of the score."""

from decimal import Decimal as D

import pytest

from tenders.scoring import CriteriaTree, Criterion, Scale, effective_weights, validate_tree

from .scoring_trees import group, leaf, standard_tree


def codes_at(tree):
    return {(error.path, error.code) for error in validate_tree(tree)}


def test_a_well_formed_tree_has_no_errors():
    assert validate_tree(standard_tree()) == []


def test_top_level_weights_not_adding_to_100_are_reported_at_the_top_level():
    tree = CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "50", leaf("q1", "quality", "100")),
        )
    )
    errors = validate_tree(tree)
    assert [(e.path, e.code) for e in errors] == [((), "weights_total")]
    assert "add up to 90, not 100" in errors[0].message
    assert errors[0].location == "top level"


def test_group_weights_not_adding_to_100_name_the_group():
    tree = CriteriaTree(
        (
            leaf("price", "price", "50"),
            group(
                "quality", "quality", "50", leaf("q1", "quality", "60"), leaf("q2", "quality", "30")
            ),
        )
    )
    assert codes_at(tree) == {(("quality",), "weights_total")}


def test_nested_group_weights_are_checked_at_every_depth():
    tree = CriteriaTree(
        (
            leaf("price", "price", "50"),
            group(
                "quality",
                "quality",
                "50",
                group(
                    "technical",
                    "quality",
                    "50",
                    leaf("t1", "quality", "50"),
                    leaf("t2", "quality", "49.99"),
                ),
                leaf("delivery", "quality", "50"),
            ),
        )
    )
    errors = validate_tree(tree)
    assert [(e.path, e.code) for e in errors] == [(("quality", "technical"), "weights_total")]
    assert str(errors[0]).startswith("quality > technical:")


def test_weights_with_decimal_places_that_add_to_exactly_100_pass():
    tree = CriteriaTree(
        (
            leaf("price", "price", "33.33"),
            group("quality", "quality", "33.33", leaf("q1", "quality", "100")),
            group("sv", "social_value", "33.34", leaf("sv1", "social_value", "100")),
        )
    )
    assert validate_tree(tree) == []


@pytest.mark.parametrize("weight", ["0", "-10"])
def test_zero_or_negative_weights_are_refused(weight):
    tree = CriteriaTree(
        (
            leaf("price", "price", "50"),
            group(
                "quality",
                "quality",
                "50",
                leaf("q1", "quality", "100"),
                leaf("q2", "quality", weight),
            ),
        )
    )
    assert (("quality", "q2"), "weight") in codes_at(tree)


@pytest.mark.parametrize(
    ("pass_mark", "valid"),
    [("-1", False), ("0", True), ("5", True), ("5.01", False), ("6", False)],
)
def test_pass_marks_must_lie_on_the_scale(pass_mark, valid):
    errors = codes_at(standard_tree(q1_pass_mark=pass_mark))
    assert ((("quality", "q1"), "pass_mark") not in errors) is valid


def test_a_price_group_with_two_priced_leaves_is_refused():
    tree = CriteriaTree(
        (
            group(
                "price",
                "price",
                "40",
                leaf("whole_life", "price", "50"),
                leaf("setup", "price", "50"),
            ),
            group("quality", "quality", "60", leaf("q1", "quality", "100")),
        )
    )
    errors = validate_tree(tree)
    assert [(e.path, e.code) for e in errors] == [(("price",), "price_leaves")]
    assert "found 2" in errors[0].message


def test_a_price_group_holding_one_priced_leaf_is_fine():
    tree = CriteriaTree(
        (
            group("price", "price", "40", leaf("annual_price", "price", "100")),
            group("quality", "quality", "60", leaf("q1", "quality", "100")),
        )
    )
    assert validate_tree(tree) == []


def test_duplicate_keys_are_reported_at_the_repeat_naming_the_first():
    tree = CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "50", leaf("q1", "quality", "100")),
            group("sv", "social_value", "10", leaf("q1", "social_value", "100")),
        )
    )
    errors = validate_tree(tree)
    assert [(e.path, e.code) for e in errors] == [(("sv", "q1"), "duplicate_key")]
    assert "quality > q1" in errors[0].message


def test_a_marked_question_without_a_scale_is_refused():
    tree = CriteriaTree(
        (
            leaf("price", "price", "40"),
            group("quality", "quality", "60", Criterion("q1", "Q1", "quality", D("100"))),
        )
    )
    assert codes_at(tree) == {(("quality", "q1"), "scale_missing")}


def test_price_cannot_carry_a_marking_scale_or_pass_mark():
    priced = Criterion("price", "Price", "price", D("40"), scale=Scale(D("5")))
    tree = CriteriaTree((priced, group("quality", "quality", "60", leaf("q1", "quality", "100"))))
    assert codes_at(tree) == {(("price",), "price_scale")}


def test_a_child_of_a_different_kind_from_its_group_is_refused():
    tree = CriteriaTree(
        (
            leaf("price", "price", "40"),
            group(
                "quality",
                "quality",
                "60",
                leaf("q1", "quality", "50"),
                leaf("sv1", "social_value", "50"),
            ),
        )
    )
    assert codes_at(tree) == {(("quality", "sv1"), "kind_mismatch")}


def test_an_unknown_kind_is_refused():
    tree = CriteriaTree(
        (leaf("price", "price", "40"), group("misc", "other", "60", leaf("m1", "other", "100")))
    )
    assert (("misc",), "kind") in codes_at(tree)


def test_descriptors_outside_the_scale_are_refused():
    q1 = Criterion("q1", "Q1", "quality", D("100"), scale=Scale(D("5"), ((D("6"), "Beyond"),)))
    tree = CriteriaTree((leaf("price", "price", "40"), group("quality", "quality", "60", q1)))
    assert codes_at(tree) == {(("quality", "q1"), "descriptor")}


def test_an_empty_tree_is_refused():
    assert codes_at(CriteriaTree(())) == {((), "empty")}


def test_effective_weights_are_the_product_of_weights_down_the_tree():
    assert effective_weights(standard_tree()) == {
        "price": D("40"),
        "quality": D("50"),
        "q1": D("30"),
        "q2": D("20"),
        "sv": D("10"),
        "sv1": D("10"),
    }


def test_effective_weights_of_a_deep_tree_add_up_to_100_at_the_leaves():
    tree = CriteriaTree(
        (
            leaf("price", "price", "50"),
            group(
                "quality",
                "quality",
                "50",
                group(
                    "technical",
                    "quality",
                    "50",
                    leaf("t1", "quality", "50"),
                    leaf("t2", "quality", "50"),
                ),
                leaf("delivery", "quality", "50"),
            ),
        )
    )
    weights = effective_weights(tree)
    assert weights["t1"] == D("12.5")
    assert weights["delivery"] == D("25")
    assert sum(weights[leaf.key] for leaf in tree.leaves()) == D("100")


def test_scale_descriptor_for_a_mark():
    q1 = Criterion("q1", "Q1", "quality", D("100"), scale=Scale(D("5"), ((D("5"), "Excellent"),)))
    assert q1.scale.descriptor_for(D("5")) == "Excellent"
    assert q1.scale.descriptor_for(D("4")) is None
