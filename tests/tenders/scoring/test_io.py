"""Reading a scoring document from JSON and writing results back, with errors by field path."""

import copy
import json
from decimal import Decimal as D

import pytest

from tenders.scoring import (
    JsonInputError,
    from_json,
    input_to_json,
    result_from_json,
    score_json,
    to_json,
)


def document():
    return {
        "criteria": [
            {"key": "price", "name": "Price", "kind": "price", "weight": "40"},
            {
                "key": "quality",
                "name": "Quality",
                "kind": "quality",
                "weight": "50",
                "children": [
                    {
                        "key": "q1",
                        "name": "Method statement",
                        "weight": "60",
                        "scale": {
                            "max_mark": "5",
                            "descriptors": {"0": "No response", "5": "Excellent"},
                        },
                        "pass_mark": "2",
                    },
                    {"key": "q2", "name": "Staffing", "weight": "40", "scale": {"max_mark": "5"}},
                ],
            },
            {
                "key": "sv",
                "name": "Social value",
                "kind": "social_value",
                "weight": "10",
                "children": [
                    {
                        "key": "sv1",
                        "name": "Local jobs",
                        "weight": "100",
                        "scale": {"max_mark": "100"},
                    }
                ],
            },
        ],
        "price_method": {"name": "lowest_price_ratio", "params": {}},
        "bids": [
            {"id": "A", "price": "100000", "marks": {"q1": "4", "q2": "3", "sv1": "80"}},
            {"id": "B", "price": "80000", "marks": {"q1": "3", "q2": "4", "sv1": "50"}},
            {"id": "C", "price": "50000", "marks": {"q1": "1", "q2": "5", "sv1": "90"}},
        ],
    }


def errors_of(data):
    with pytest.raises(JsonInputError) as raised:
        from_json(data)
    return {e.path: e.message for e in raised.value.errors}


def test_a_document_reads_into_a_tree_with_inherited_kinds_and_descriptors():
    scoring_input = from_json(document())
    q1 = scoring_input.tree.criteria[1].children[0]
    assert q1.kind == "quality"
    assert q1.pass_mark == D("2")
    assert q1.scale.descriptor_for(D("5")) == "Excellent"
    assert scoring_input.bids[0].marks == {"q1": D("4"), "q2": D("3"), "sv1": D("80")}


def test_input_round_trips_through_json_text():
    scoring_input = from_json(document())
    text = json.dumps(input_to_json(scoring_input))
    assert from_json(json.loads(text)) == scoring_input


def test_result_round_trips_through_json_text_at_full_precision():
    data = document()
    data["bids"][0]["price"] = "90000"  # 80000/90000 repeats
    result = score_json(data, default_abnormally_low_percent=D("15"))
    text = json.dumps(to_json(result))
    assert result_from_json(json.loads(text)) == result
    a = next(b for b in json.loads(text)["bids"] if b["bid_id"] == "A")
    assert a["total"] == "79.55555555555555555555555556"
    assert a["total_presented"] == "79.56"


def test_result_json_shows_ranking_exclusions_and_flags_for_a_command_to_print():
    out = to_json(score_json(document(), default_abnormally_low_percent=D("15")))
    assert [(r["rank"], r["bid_id"], D(r["total"])) for r in out["ranking"]] == [
        (1, "B", D("79")),
        (2, "A", D("76")),
    ]
    c = next(b for b in out["bids"] if b["bid_id"] == "C")
    assert c["eligible"] is False
    assert c["exclusions"][0]["code"] == "below_pass_mark"
    assert c["abnormally_low"]["flagged"] is True  # 50000 vs mean of others 90000
    assert out["tie_policy"].startswith("Bids are ranked by total score")


def test_the_documents_own_abnormally_low_percentage_overrides_the_default():
    data = document()
    data["abnormally_low_percent"] = "50"
    result = score_json(data, default_abnormally_low_percent=D("15"))
    assert result.abnormally_low_percent == D("50")
    assert not result.bid("C").abnormally_low.flagged  # 44.4% below is under 50%


def test_numbers_read_with_parse_float_decimal_are_accepted():
    text = json.dumps(document()).replace('"weight": "40"', '"weight": 40.0')
    scoring_input = from_json(json.loads(text, parse_float=D))
    assert scoring_input.tree.criteria[0].weight == D("40.0")


def mutate(change):
    data = copy.deepcopy(document())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "path", "message_part"),
    [
        (
            lambda d: d["criteria"][1]["children"][0].update(weight="sixty"),
            "criteria[1].children[0].weight",
            "not a number",
        ),
        (
            lambda d: d["criteria"][0].update(weight=40.0),
            "criteria[0].weight",
            "binary floats are refused",
        ),
        (lambda d: d["criteria"][0].pop("key"), "criteria[0].key", "Is required"),
        (lambda d: d["criteria"][0].update(kind="cost"), "criteria[0].kind", "Must be one of"),
        (
            lambda d: d["criteria"][2]["children"][0]["scale"].pop("max_mark"),
            "criteria[2].children[0].scale.max_mark",
            "Is required",
        ),
        (
            lambda d: d["criteria"][1]["children"][0]["scale"]["descriptors"].update(
                {"three": "Good"}
            ),
            "criteria[1].children[0].scale.descriptors.three",
            "not a number",
        ),
        (lambda d: d.update(bids="none"), "bids", "Must be a list"),
        (lambda d: d["bids"][1].update(price="£eighty"), "bids[1].price", "not a number"),
        (lambda d: d["bids"][2]["marks"].update(q2=[5]), "bids[2].marks.q2", "not a number"),
        (lambda d: d.update(abnormally_low_percent="100"), "abnormally_low_percent", "below 100"),
        (lambda d: d.update(price_method="lowest"), "price_method", "Must be an object"),
    ],
)
def test_reading_errors_name_the_field_path(change, path, message_part):
    errors = errors_of(mutate(change))
    assert path in errors, errors
    assert message_part in errors[path]


@pytest.mark.parametrize(
    ("change", "path", "message_part"),
    [
        (
            lambda d: d["criteria"][1]["children"][1].update(weight="30"),
            "criteria[1]",
            "add up to 90, not 100",
        ),
        (lambda d: d["criteria"][0].update(weight="50"), "criteria", "add up to 110, not 100"),
        (
            lambda d: d["criteria"][1]["children"][0].update(pass_mark="6"),
            "criteria[1].children[0]",
            "outside the scale",
        ),
        (
            lambda d: d["criteria"][2]["children"][0].update(key="q1"),
            "criteria[2].children[0]",
            "already used at quality > q1",
        ),
        (
            lambda d: d["criteria"][1]["children"][1].update(weight="-40"),
            "criteria[1].children[1]",
            "greater than zero",
        ),
        (lambda d: d["bids"][0].update(price="0"), "bids[0].price", "greater than zero"),
        (
            lambda d: d["bids"][1]["marks"].update(q1="5.5"),
            "bids[1].marks.q1",
            "outside the scale 0 to 5",
        ),
        (lambda d: d["bids"][1]["marks"].update(q9="1"), "bids[1].marks.q9", "No marked criterion"),
        (lambda d: d["bids"][2].update(id="A"), "bids[2].id", "repeated"),
        (
            lambda d: d["price_method"].update(name="cheapest"),
            "price_method.name",
            "Unknown price method",
        ),
        (
            lambda d: d["price_method"].update(name="deduction_per_percent_above_lowest"),
            "price_method.params.points_per_percent",
            "needs 'points_per_percent'",
        ),
    ],
)
def test_tree_bid_and_method_errors_are_reported_at_their_json_paths(change, path, message_part):
    errors = errors_of(mutate(change))
    assert path in errors, errors
    assert message_part in errors[path]


def test_every_reading_error_is_reported_not_just_the_first():
    def break_two(d):
        d["criteria"][0]["weight"] = "x"
        d["bids"][0]["price"] = "y"

    assert set(errors_of(mutate(break_two))) == {"criteria[0].weight", "bids[0].price"}


def test_a_document_that_is_not_an_object_is_refused():
    assert errors_of(["not", "an", "object"]) == {"": "Must be an object."}
