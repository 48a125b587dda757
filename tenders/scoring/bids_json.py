"""The `score_bids` JSON format: a flat list of criteria with parent ids, bids with their marks
by criterion id, read into the engine's types; and the result written back with figures as
strings rounded to 2 decimal places (ROUND_HALF_UP) for people.

Input::

    {"criteria": [{"id", "kind": "price" | "quality" | "social_value", "weight",
                   "method"?, "params"?, "max_score"?, "pass_mark"?, "parent"?}],
     "bids": [{"id", "price", "scores": {"<criterion id>": <mark>}, "social_value"?,
               "rejected"?: "<the recorded reason it was taken out of the running>"}],
     "tie_break"?: ["quality", "social_value"],
     "abnormally_low_percent"?: 15}

Weights are percentages of their parent (top level adds to 100). Numbers may be JSON numbers or
strings, within the service's limits (socialvalue.kernel.limits: pounds to £10 billion with 2
decimal places, marks to 1,000, weights to 100). The price criterion's `method` is one of PRICE_METHOD_ALIASES (`lowest_ratio`,
`deduct_from_lowest`) or PRICE_METHODS (default `lowest_ratio`); a social value criterion may
use `monetised_ratio` (scored on the bid's `social_value`); every other leaf is marked and needs
`max_score`. Every problem is reported with the path of its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from socialvalue.kernel import limits
from socialvalue.kernel.money import MoneyError, to_decimal
from tenders.scoring.io import FieldError, JsonInputError, ScoringInput
from tenders.scoring.price import (
    PRICE_METHOD_ALIASES,
    PRICE_METHODS,
    resolve_price_method,
    validate_price_method,
)
from tenders.scoring.results import (
    DEFAULT_TIE_BREAK,
    Bid,
    Result,
    presented,
    score_tender,
    validate_tie_break,
)
from tenders.scoring.tree import (
    HUNDRED,
    KINDS,
    LEAF_METHODS,
    PRICE,
    ZERO,
    CriteriaTree,
    Criterion,
    Scale,
    validate_tree,
)

DEFAULT_PRICE_METHOD = "lowest_ratio"


@dataclass(frozen=True)
class BidsDocument:
    """A `score_bids` document as read: the engine's input and each criterion's id in order."""

    scoring_input: ScoringInput
    criterion_ids: tuple[str, ...]


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def number(self, value: Any, path: str) -> Decimal | None:
        # JSON numbers arrive as int, float or (parsed with parse_float=Decimal) Decimal; a float
        # is read through its shortest repr, so 0.1 is 0.1, not its binary neighbour.
        if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
            self.error(path, "Must be a number.")
            return None
        # Fast paths for what json.load gives (1,000 bids × 20 marks are read per run).
        if type(value) is int:
            return Decimal(value)
        if type(value) is Decimal and value.is_finite():
            return value
        try:
            return to_decimal(repr(value) if isinstance(value, float) else value)
        except MoneyError:
            self.error(path, f"{value!r} is not a number.")
            return None

    def limited(self, value: Any, path: str, limit: limits.Limit, what: str) -> Decimal | None:
        """A number within the service's limit for it (limits.MONEY for prices, ...)."""
        # Whole numbers within range need no decimal-places check (most marks and prices).
        if (
            type(value) is int
            and limit.minimum <= value <= limit.maximum
            and not (limit.above_minimum and value == limit.minimum)
        ):
            return Decimal(value)
        number = self.number(value, path)
        if number is None:
            return None
        try:
            return limit.check(number, what=what)
        except limits.LimitError as error:
            self.error(path, error.message)
            return None

    def ident(self, value: Any, path: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.error(path, "Must be a string (or a whole number).")
            return None
        text = str(value).strip()
        if not text:
            self.error(path, "Is required.")
            return None
        return text


def read_bids_document(data: Any) -> BidsDocument:
    """Read a `score_bids` document; raise JsonInputError naming the path of every bad field.

    Besides the engine's own checks (weights adding to 100 at each level, marks within their
    scale, a single price criterion), a bid without a price or marked for an unknown criterion
    is an error here, not an exclusion: the command's input is the whole evaluation.
    """
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise JsonInputError([FieldError("", "The document must be a JSON object.")])
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        reader.error("criteria", "Must be a non-empty list.")
        raw_criteria = []
    raw_bids = data.get("bids")
    if not isinstance(raw_bids, list):
        reader.error("bids", "Must be a list.")
        raw_bids = []

    rows = _read_criteria(reader, raw_criteria)
    index_of = {row["id"]: i for i, row in enumerate(rows)}
    tree, price_method, params = _build_tree(reader, rows, index_of)

    percent = None
    if data.get("abnormally_low_percent") is not None:
        percent = reader.limited(
            data["abnormally_low_percent"], "abnormally_low_percent", limits.PERCENT, "a percentage"
        )
        if percent is not None and not ZERO <= percent < HUNDRED:
            reader.error("abnormally_low_percent", "Must be from 0 to below 100.")
    tie_break: list[str] = list(DEFAULT_TIE_BREAK)
    if data.get("tie_break") is not None:
        if not isinstance(data["tie_break"], list) or not all(
            isinstance(kind, str) for kind in data["tie_break"]
        ):
            reader.error("tie_break", f"Must be a list of kinds ({', '.join(KINDS)}).")
        else:
            tie_break = data["tie_break"]
    rule, problems = validate_tie_break(tie_break)
    for message in problems:
        reader.error("tie_break", message)

    leaves = {row["id"]: row for row in rows if not any(r["parent"] == row["id"] for r in rows)}
    bids = [
        bid
        for i, raw in enumerate(raw_bids)
        if (bid := _read_bid(reader, raw, f"bids[{i}]", leaves, tree)) is not None
    ]
    seen: dict[str, int] = {}
    for i, bid in enumerate(bids):
        if bid.bid_id in seen:
            reader.error(f"bids[{i}].id", f"The bid id '{bid.bid_id}' is repeated.")
        seen.setdefault(bid.bid_id, i)

    if reader.errors:
        raise JsonInputError(reader.errors)
    scoring_input = ScoringInput(tree, tuple(bids), price_method, params, percent, rule)
    return BidsDocument(scoring_input, tuple(row["id"] for row in rows))


def _read_criteria(reader: _Reader, raw_criteria: list[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_criteria):
        path = f"criteria[{i}]"
        if not isinstance(raw, Mapping):
            reader.error(path, "Must be an object.")
            continue
        ident = reader.ident(raw.get("id"), f"{path}.id")
        if ident is not None and ident in seen:
            reader.error(f"{path}.id", f"The criterion id '{ident}' is repeated.")
            ident = None
        kind = raw.get("kind")
        if kind not in KINDS:
            reader.error(f"{path}.kind", f"Must be one of {', '.join(KINDS)}.")
            kind = None
        weight = None
        if raw.get("weight") is None:
            reader.error(f"{path}.weight", "Is required.")
        else:
            weight = reader.limited(raw["weight"], f"{path}.weight", limits.WEIGHT, "a weight")
        parent = None
        if raw.get("parent") is not None:
            parent = reader.ident(raw["parent"], f"{path}.parent")
        max_score = pass_mark = None
        if raw.get("max_score") is not None:
            max_score = reader.limited(
                raw["max_score"], f"{path}.max_score", limits.HIGHEST_MARK, "a maximum score"
            )
        if raw.get("pass_mark") is not None:
            pass_mark = reader.limited(
                raw["pass_mark"], f"{path}.pass_mark", limits.MARK, "a pass mark"
            )
        method = raw.get("method")
        if method is not None and not isinstance(method, str):
            reader.error(f"{path}.method", "Must be a string.")
            method = None
        params: dict[str, Decimal] = {}
        if raw.get("params") is not None:
            if not isinstance(raw["params"], Mapping):
                reader.error(f"{path}.params", "Must be an object.")
            else:
                for name, value in raw["params"].items():
                    number = reader.limited(
                        value, f"{path}.params.{name}", limits.DEDUCTION, "a parameter"
                    )
                    if number is not None:
                        params[str(name)] = number
        if ident is None or kind is None or weight is None:
            continue
        seen.add(ident)
        rows.append(
            {
                "id": ident,
                "path": path,
                "kind": kind,
                "weight": weight,
                "parent": parent,
                "max_score": max_score,
                "pass_mark": pass_mark,
                "method": method,
                "params": params,
            }
        )
    return rows


def _build_tree(
    reader: _Reader, rows: list[dict[str, Any]], index_of: Mapping[str, int]
) -> tuple[CriteriaTree, str, dict[str, Decimal]]:
    children: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        if row["parent"] is not None and row["parent"] not in index_of:
            reader.error(f"{row['path']}.parent", f"No criterion has the id '{row['parent']}'.")
            continue
        children.setdefault(row["parent"], []).append(row)
    if reader.errors:
        return CriteriaTree(()), "", {}

    price_method, params = resolve_price_method(DEFAULT_PRICE_METHOD)
    reached: set[str] = set()

    def node(row: dict[str, Any]) -> Criterion:
        reached.add(row["id"])
        below = tuple(node(child) for child in children.get(row["id"], []))
        path, method = row["path"], row["method"]
        leaf_method = None
        scale = None
        if below:
            if method is not None or row["max_score"] is not None or row["pass_mark"] is not None:
                reader.error(
                    path,
                    "A group (a criterion with children) has no method, max_score or pass_mark.",
                )
        elif row["kind"] == PRICE:
            nonlocal price_method, params
            name = method or DEFAULT_PRICE_METHOD
            if name not in PRICE_METHOD_ALIASES and name not in PRICE_METHODS:
                known = ", ".join([*PRICE_METHOD_ALIASES, *PRICE_METHODS])
                reader.error(
                    f"{path}.method", f"Unknown price method '{name}'; use one of {known}."
                )
            else:
                price_method, params = resolve_price_method(name, row["params"])
                for param, message in validate_price_method(price_method, params).items():
                    reader.error(f"{path}.params{'.' + param if param else ''}", message)
            if row["max_score"] is not None or row["pass_mark"] is not None:
                reader.error(
                    path, "Price is scored by its method: it has no max_score or pass_mark."
                )
        elif method is not None:
            if method not in LEAF_METHODS:
                reader.error(
                    f"{path}.method",
                    f"Unknown method '{method}'; a social value criterion may use monetised_ratio, "
                    "a marked criterion needs no method.",
                )
            leaf_method = method
        elif row["max_score"] is None:
            reader.error(f"{path}.max_score", "Is required for a marked criterion.")
        else:
            scale = Scale(row["max_score"])
        return Criterion(
            key=row["id"],
            name=row["id"],
            kind=row["kind"],
            weight=row["weight"],
            children=below,
            scale=scale,
            pass_mark=row["pass_mark"] if not below else None,
            method=leaf_method,
        )

    tree = CriteriaTree(tuple(node(row) for row in children.get(None, [])))
    for row in rows:
        if row["id"] not in reached:
            reader.error(
                f"{row['path']}.parent",
                "The parents loop back: this criterion never reaches the top level.",
            )
    if not reader.errors:
        for error in validate_tree(tree):
            where = "criteria" if not error.path else rows[index_of[error.path[-1]]]["path"]
            field = {"weight": ".weight", "pass_mark": ".pass_mark", "scale_max": ".max_score"}
            reader.error(where + field.get(error.code, ""), error.message)
    return tree, price_method, params


def _read_bid(
    reader: _Reader,
    raw: Any,
    path: str,
    leaves: Mapping[str, dict[str, Any]],
    tree: CriteriaTree,
) -> Bid | None:
    if not isinstance(raw, Mapping):
        reader.error(path, "Must be an object.")
        return None
    ident = reader.ident(raw.get("id"), f"{path}.id")
    price = None
    if raw.get("price") is None:
        if tree.price_leaf() is not None:
            reader.error(f"{path}.price", "Is required.")
    else:
        price = reader.limited(raw["price"], f"{path}.price", limits.MONEY, "a price")
        if price is not None and price <= 0:
            reader.error(f"{path}.price", f"Must be greater than zero (it is {price}).")
            price = None
    marks: dict[str, Decimal] = {}
    scores = raw.get("scores", {})
    if not isinstance(scores, Mapping):
        reader.error(f"{path}.scores", "Must be an object of marks by criterion id.")
        scores = {}
    for key, value in scores.items():
        where = f"{path}.scores.{key}"
        row = leaves.get(str(key))
        if row is None or row["kind"] == PRICE or row["method"] is not None:
            reader.error(where, f"No marked criterion has the id '{key}'.")
            continue
        mark = reader.limited(value, where, limits.MARK, "a mark")
        if mark is None:
            continue
        maximum = row["max_score"]
        if mark < 0:
            reader.error(where, f"A mark cannot be below zero (it is {mark}).")
        elif maximum is not None and mark > maximum:
            reader.error(where, f"The mark {mark} is above the maximum {maximum}.")
        else:
            marks[str(key)] = mark
    social_value = None
    if raw.get("social_value") is not None:
        social_value = reader.limited(
            raw["social_value"], f"{path}.social_value", limits.MONEY, "a social value"
        )
    rejection = raw.get("rejected")
    if rejection is not None and (not isinstance(rejection, str) or not rejection.strip()):
        reader.error(f"{path}.rejected", "Must be the reason, as text.")
        rejection = None
    if ident is None:
        return None
    return Bid(ident, price, marks, social_value, rejection.strip() if rejection else None)


def _shown(value: Decimal | None) -> str | None:
    rounded = presented(value)
    return None if rounded is None else f"{rounded:f}"


def bids_result_json(result: Result, document: BidsDocument) -> dict[str, Any]:
    """The `score_bids` output: each bid's weighted score per criterion id and total (strings,
    2 dp, ROUND_HALF_UP), rank, exclusion with reasons, flags; the winner (None when first place
    is shared: see `tie_unresolved`) and the sensitivity of the win to the weighting."""
    results = []
    by_id = {entry.bid_id: entry for entry in result.ranking}
    for bid in result.bids:
        entry = by_id.get(bid.bid_id)
        results.append(
            {
                "id": bid.bid_id,
                "criteria": {row.key: _shown(row.weighted_score) for row in bid.breakdown},
                "total": _shown(bid.total),
                "rank": bid.rank,
                "excluded": not bid.eligible,
                "reasons": [exclusion.message for exclusion in bid.exclusions],
                "flags": list(bid.flags),
                "tied": bid.tied,
                "tie_broken_by": entry.tie_broken_by if entry else None,
            }
        )
    found = result.sensitivity
    sensitivity = None
    if found is not None:
        sensitivity = {
            "winner": found.winner,
            "points": _shown(found.points),
            "closest_rival": found.closest.bid_id if found.closest else None,
            "weights": {kind: _shown(weight) for kind, weight in found.weights.items()},
            "rivals": [
                {
                    "id": rival.bid_id,
                    "points": _shown(rival.points),
                    "moves": [
                        {"from": m.from_kind, "to": m.to_kind, "points": _shown(m.points)}
                        for m in rival.moves
                    ],
                    "wins": rival.wins,
                    "points_to_win": _shown(rival.points_to_win),
                }
                for rival in found.rivals
            ],
            "note": found.note,
        }
    return {
        "results": results,
        "winner": result.winner,
        "tie_unresolved": result.tie_unresolved,
        "unresolved_ties": [list(group) for group in result.unresolved_ties],
        "tie_break": list(result.tie_break),
        "price_method": result.price_method,
        "abnormally_low_percent": None
        if result.abnormally_low_percent is None
        else f"{result.abnormally_low_percent:f}",
        "sensitivity": sensitivity,
    }


def score_bids_json(data: Any, *, default_abnormally_low_percent: Decimal | None) -> dict[str, Any]:
    """Read a `score_bids` document, score it with the engine and return the output document.
    Raises JsonInputError (every bad field by path) for invalid input."""
    document = read_bids_document(data)
    given = document.scoring_input
    result = score_tender(
        given.tree,
        given.bids,
        given.price_method,
        given.params,
        abnormally_low_percent=given.abnormally_low_percent
        if given.abnormally_low_percent is not None
        else default_abnormally_low_percent,
        tie_break=given.tie_break,
    )
    return bids_result_json(result, document)
