"""`python manage.py score_bids`: the issue's JSON format in and out, worked by hand, and each
kind of invalid input refused with a JSON error naming the field."""

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tenders.scoring import JsonInputError, read_bids_document, score_bids_json

DOCUMENT = {
    "criteria": [
        {"id": "price", "kind": "price", "weight": 40, "method": "lowest_ratio"},
        {"id": "quality", "kind": "quality", "weight": 50},
        {
            "id": "q1",
            "kind": "quality",
            "weight": "60",
            "max_score": 5,
            "pass_mark": 2,
            "parent": "quality",
        },
        {"id": "q2", "kind": "quality", "weight": 40, "max_score": 5, "parent": "quality"},
        {"id": "sv", "kind": "social_value", "weight": 10, "method": "monetised_ratio"},
    ],
    "bids": [
        {"id": "A", "price": 100000, "scores": {"q1": 4, "q2": 3}, "social_value": 50000},
        {"id": "B", "price": "90000", "scores": {"q1": 3, "q2": 4}, "social_value": "20000"},
        {"id": "C", "price": 60000, "scores": {"q1": 1, "q2": 5}},
    ],
}


def run(document, capsys, *, stdin=False, monkeypatch=None, tmp_path=None):
    """Run the command; return (exit status, stdout JSON or None, stderr JSON or None)."""
    out = io.StringIO()
    text = document if isinstance(document, str) else json.dumps(document)
    if stdin:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        target = "-"
    else:
        path = tmp_path / "bids.json"
        path.write_text(text, encoding="utf-8")
        target = str(path)
    status = 0
    try:
        call_command("score_bids", target, stdout=out)
    except SystemExit as exit_:
        status = exit_.code
    err = capsys.readouterr().err
    return (
        status,
        json.loads(out.getvalue()) if out.getvalue() else None,
        json.loads(err) if err.strip() else None,
    )


def test_scores_ranks_and_explains_worked_by_hand(capsys, tmp_path):
    status, out, err = run(DOCUMENT, capsys, tmp_path=tmp_path)
    assert status == 0 and err is None
    by_id = {r["id"]: r for r in out["results"]}
    # A: price 90,000/100,000 × 40 = 36; q1 4/5 × 30 = 24; q2 3/5 × 20 = 12; sv 10 -> 82.
    assert by_id["A"]["criteria"] == {
        "price": "36.00",
        "quality": "36.00",
        "q1": "24.00",
        "q2": "12.00",
        "sv": "10.00",
    }
    assert by_id["A"]["total"] == "82.00" and by_id["A"]["rank"] == 1
    # B: 40 + 18 + 16 + 10 × 20,000/50,000 = 78. C is out (q1 below the pass mark), so its
    # £60,000 does not set the lowest price.
    assert by_id["B"]["total"] == "78.00" and by_id["B"]["rank"] == 2
    assert by_id["C"]["excluded"] is True and by_id["C"]["rank"] is None
    assert by_id["C"]["reasons"] == ["The mark 1 for 'q1' is below the pass mark 2."]
    # £60,000 is more than 15% (the dated default) below the mean of the others (£95,000).
    assert by_id["C"]["flags"] == ["abnormally_low"]
    assert out["winner"] == "A" and out["tie_unresolved"] is False
    assert out["abnormally_low_percent"] == "15"
    # Sensitivity: B gains 0.1 − (−0.6) = 0.7 per point moved from social value to price;
    # behind by 4, it draws level after 4 ÷ 0.7 = 5.71 points.
    assert out["sensitivity"]["points"] == "5.71"
    assert out["sensitivity"]["rivals"][0]["moves"] == [
        {"from": "social_value", "to": "price", "points": "5.71"}
    ]


def test_reads_standard_input(capsys, monkeypatch):
    status, out, _ = run(DOCUMENT, capsys, stdin=True, monkeypatch=monkeypatch)
    assert status == 0 and out["winner"] == "A"


def test_two_places_half_up_only_when_shown():
    # 1/3 of 10 and 2/3 of 20: 3.333.. and 13.333..; the total 16.666.. shows as 16.67 while
    # the parts show 3.33 and 13.33 (rounded parts need not add up to the rounded total).
    document = {
        "criteria": [
            {"id": "a", "kind": "quality", "weight": 10, "max_score": 3},
            {"id": "b", "kind": "quality", "weight": 20, "max_score": 3},
            {"id": "c", "kind": "quality", "weight": 70, "max_score": 8},
        ],
        "bids": [
            {"id": "X", "scores": {"a": 1, "b": 2, "c": 0}},
            {"id": "Y", "scores": {"a": 0, "b": 0, "c": "0.1"}},
        ],
    }
    out = score_bids_json(document, default_abnormally_low_percent=None)
    x = out["results"][0]
    assert x["criteria"] == {"a": "3.33", "b": "13.33", "c": "0.00"}
    assert x["total"] == "16.67"
    # Y: 70 × 0.1/8 = 0.875 exactly: half up to 0.88.
    assert out["results"][1]["total"] == "0.88"


def test_ties_follow_the_documents_tie_break_then_price():
    document = {
        "criteria": [
            {"id": "p", "kind": "price", "weight": 50},
            {"id": "q", "kind": "quality", "weight": 25, "max_score": 10},
            {"id": "s", "kind": "social_value", "weight": 25, "max_score": 10},
        ],
        "bids": [
            {"id": "A", "price": 100, "scores": {"q": 10, "s": 0}},
            {"id": "B", "price": 100, "scores": {"q": 0, "s": 10}},
        ],
    }
    assert score_bids_json(document, default_abnormally_low_percent=None)["winner"] == "A"
    document["tie_break"] = ["social_value", "quality"]
    assert score_bids_json(document, default_abnormally_low_percent=None)["winner"] == "B"
    document["bids"][0]["scores"] = {"q": 0, "s": 10}
    out = score_bids_json(document, default_abnormally_low_percent=None)
    assert out["winner"] is None and out["tie_unresolved"] is True
    assert out["unresolved_ties"] == [["A", "B"]]
    assert [r["rank"] for r in out["results"]] == [1, 1]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["criteria"][0].update(weight=30), "criteria", "add up to 90"),
        (lambda d: d["criteria"][2].update(weight=50), "criteria[1]", "add up to 90"),
        (lambda d: d["bids"][0]["scores"].update(q1=6), "bids[0].scores.q1", "above the maximum 5"),
        (lambda d: d["bids"][0]["scores"].update(q9=1), "bids[0].scores.q9", "No marked criterion"),
        (lambda d: d["bids"][1].pop("price"), "bids[1].price", "Is required"),
        (lambda d: d["bids"][1].update(price="cheap"), "bids[1].price", "not a number"),
        (lambda d: d["bids"][1].update(price=0), "bids[1].price", "greater than zero"),
        (
            lambda d: d["criteria"][0].update(method="cheapest"),
            "criteria[0].method",
            "Unknown price method",
        ),
        (
            lambda d: d["criteria"][3].update(parent="nowhere"),
            "criteria[3].parent",
            "No criterion has the id",
        ),
        (lambda d: d["criteria"][3].pop("max_score"), "criteria[3].max_score", "Is required"),
        (lambda d: d["criteria"][1].update(kind="colour"), "criteria[1].kind", "Must be one of"),
        (lambda d: d.update(tie_break=["colour"]), "tie_break", "Unknown tie-break"),
        (lambda d: d.update(abnormally_low_percent=100), "abnormally_low_percent", "below 100"),
        (lambda d: d["bids"][1].update(id="A"), "bids[1].id", "repeated"),
        (lambda d: d["bids"][0].update(social_value=-1), "bids[0].social_value", "negative"),
    ],
)
def test_invalid_input_exits_non_zero_naming_the_field(change, field, words, capsys, tmp_path):
    document = json.loads(json.dumps(DOCUMENT))
    change(document)
    status, out, err = run(document, capsys, tmp_path=tmp_path)
    assert status == 2 and out is None
    assert err["error"] == "The input cannot be scored."
    matching = [e for e in err["errors"] if e["field"] == field]
    assert matching, err["errors"]
    assert words in matching[0]["message"]


def test_parents_that_loop_are_refused():
    document = {
        "criteria": [
            {"id": "a", "kind": "quality", "weight": 100, "parent": "b"},
            {"id": "b", "kind": "quality", "weight": 100, "parent": "a"},
        ],
        "bids": [],
    }
    with pytest.raises(JsonInputError) as caught:
        read_bids_document(document)
    assert {e.path for e in caught.value.errors} >= {"criteria[0].parent", "criteria[1].parent"}


def test_text_that_is_not_json_exits_2(capsys, tmp_path):
    status, _, err = run("{not json", capsys, tmp_path=tmp_path)
    assert status == 2 and err["error"] == "The input is not valid JSON."


def test_a_missing_file_exits_1(capsys):
    with pytest.raises(SystemExit) as caught:
        call_command("score_bids", "/no/such/file.json", stdout=io.StringIO())
    assert caught.value.code == 1
    assert "Cannot read" in json.loads(capsys.readouterr().err)["error"]


def test_the_command_agrees_with_the_engine_the_pages_call():
    from decimal import Decimal

    from tenders.scoring import score_tender

    document = read_bids_document(DOCUMENT).scoring_input
    result = score_tender(
        document.tree,
        document.bids,
        document.price_method,
        document.params,
        abnormally_low_percent=Decimal(15),
    )
    out = score_bids_json(DOCUMENT, default_abnormally_low_percent=Decimal(15))
    assert out["winner"] == result.winner
    assert [r["total"] for r in out["results"]] == [
        None if b.total is None else f"{b.total.quantize(Decimal('0.01')):f}" for b in result.bids
    ]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
criterion_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.sampled_from(["p", "q", "s"]),
        "kind": json_values | st.sampled_from(["price", "quality", "social_value"]),
        "weight": json_values | st.sampled_from([100, "50", 0, -1, "1e400"]),
        "method": json_values
        | st.sampled_from(["lowest_ratio", "monetised_ratio", "deduct_from_lowest"]),
        "max_score": json_values | st.sampled_from([5, 0, "-1"]),
        "pass_mark": json_values,
        "parent": json_values | st.sampled_from(["p", "q"]),
        "params": json_values,
    },
)
bid_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "price": json_values | st.sampled_from(["100", 0, "1e999999", "NaN"]),
        "scores": json_values | st.dictionaries(st.sampled_from(["p", "q", "s"]), json_values),
        "social_value": json_values,
    },
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "criteria": st.lists(criterion_fields, max_size=4) | json_values,
            "bids": st.lists(bid_fields, max_size=4) | json_values,
            "tie_break": json_values,
            "abnormally_low_percent": json_values,
        },
    )
    | json_values
)
def test_any_document_is_scored_or_refused_by_field_never_a_crash(document):
    try:
        out = score_bids_json(document, default_abnormally_low_percent=None)
    except JsonInputError as error:
        assert error.errors and all(isinstance(e.path, str) and e.message for e in error.errors)
    else:
        json.dumps(out)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e999999", "£10,000,000,000 or less"),
        ("0.001", "no more than 2 decimal places"),
        ("NaN", "not a number"),
        (True, "Must be a number"),
    ],
)
def test_prices_outside_the_services_limits_are_refused_by_field(value, words):
    document = json.loads(json.dumps(DOCUMENT))
    document["bids"][0]["price"] = value
    with pytest.raises(JsonInputError) as caught:
        read_bids_document(document)
    messages = {e.path: e.message for e in caught.value.errors}
    assert words in messages["bids[0].price"]
