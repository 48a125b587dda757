"""The engine's JSON: scoring input read from JSON with every error named by its path, and
results written to (and read back from) JSON. Numbers travel as strings, keeping every digit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from socialvalue.kernel import numbers
from socialvalue.kernel.money import MoneyError, to_decimal
from tenders.scoring.price import validate_price_method
from tenders.scoring.results import (
    DEFAULT_TIE_BREAK,
    AbnormallyLowCheck,
    Bid,
    BidResult,
    CriterionScore,
    Exclusion,
    RankEntry,
    Result,
    presented,
    score_tender,
    validate_bids,
    validate_tie_break,
)
from tenders.scoring.sensitivity import RivalShift, Sensitivity, WeightMove
from tenders.scoring.tree import HUNDRED, KINDS, ZERO, CriteriaTree, Criterion, Scale, validate_tree


@dataclass(frozen=True)
class FieldError:
    """A problem in a JSON document, at `path` (e.g. 'criteria[1].children[0].weight')."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"


class JsonInputError(ValueError):
    """The JSON document cannot be scored; `errors` name each field's path."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class ScoringInput:
    """Everything `score_tender` needs, as read from a JSON document."""

    tree: CriteriaTree
    bids: tuple[Bid, ...]
    price_method: str
    params: Mapping[str, Decimal]
    abnormally_low_percent: Decimal | None = None
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    tie_resolution: tuple[str, ...] = ()


class _Reader:
    """Collects every error with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(path, "Must be an object.")
            return None
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, "Must be a list.")
            return []
        return value

    def text(self, data: Mapping[str, Any], name: str, path: str, required: bool = True) -> str:
        value = data.get(name)
        if value is None:
            if required:
                self.error(_join(path, name), "Is required.")
            return ""
        if not isinstance(value, str):
            self.error(_join(path, name), "Must be a string.")
            return ""
        return value

    def number(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, float):
            self.error(
                path,
                'Must be written as a string (e.g. "12.5") or read with parse_float=Decimal; '
                "binary floats are refused.",
            )
            return None
        try:
            return to_decimal(value)
        except MoneyError:
            self.error(path, f"{value!r} is not a number.")
            return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def from_json(data: Any) -> ScoringInput:
    """Read a scoring document; raise JsonInputError naming the path of every bad field.

    Format (numbers as strings, or parsed with ``json.load(..., parse_float=Decimal)``)::

        {"criteria": [{"key", "name", "kind", "weight", "children": [...],
                       "scale": {"max_mark", "descriptors": {"<mark>": "<text>"}},
                       "pass_mark", "method": "monetised_ratio"}],   # method: optional
         "price_method": {"name": "lowest_price_ratio", "params": {}},
         "abnormally_low_percent": "15",            # optional
         "tie_break": ["quality", "social_value"],  # optional (default quality, social value)
         "tie_resolution": ["<bid id>", ...],       # optional: the officer's recorded order
         "bids": [{"id", "price", "marks": {"<criterion key>": "<mark>"},
                   "social_value": "<pounds>",      # optional
                   "rejected": "<reason>"}]}        # optional: taken out of the running

    A child's `kind` may be left out; it is taken from its parent. Tree and bid problems are
    reported at their JSON paths too.
    """
    reader = _Reader()
    document = reader.obj(data, "")
    if document is None:
        raise JsonInputError(reader.errors)

    # Tree errors name nodes by their keys; remember where each node sits in the document.
    key_paths: dict[tuple[str, ...], list[str]] = {}
    criteria = tuple(
        c
        for i, raw in enumerate(reader.array(document.get("criteria"), "criteria"))
        if (c := _read_criterion(reader, raw, f"criteria[{i}]", None, (), key_paths)) is not None
    )
    tree = CriteriaTree(criteria)

    method_data = reader.obj(document.get("price_method"), "price_method") or {}
    method_name = reader.text(method_data, "name", "price_method")
    params: dict[str, Decimal] = {}
    raw_params = method_data.get("params", {})
    params_obj = reader.obj(raw_params, "price_method.params") or {}
    for name, value in params_obj.items():
        number = reader.number(value, f"price_method.params.{name}")
        if number is not None:
            params[name] = number

    percent = None
    if document.get("abnormally_low_percent") is not None:
        percent = reader.number(document["abnormally_low_percent"], "abnormally_low_percent")
        if percent is not None and not ZERO <= percent < HUNDRED:
            reader.error("abnormally_low_percent", "Must be from 0 to below 100.")

    bids = []
    for i, raw in enumerate(reader.array(document.get("bids"), "bids")):
        bid = _read_bid(reader, raw, f"bids[{i}]")
        if bid is not None:
            bids.append(bid)

    tie_break = _read_ids(reader, document, "tie_break", list(DEFAULT_TIE_BREAK))
    rule, tie_problems = validate_tie_break(tie_break)
    for message in tie_problems:
        reader.error("tie_break", message)
    tie_resolution = _read_ids(reader, document, "tie_resolution", [])

    if not reader.errors:
        for error in validate_tree(tree):
            places = key_paths.get(error.path, ["criteria"])
            # A duplicate is reported where it repeats; anything else at the first occurrence.
            node_path = places[-1] if error.code == "duplicate_key" else places[0]
            reader.error(node_path, error.message)
        if method_name:
            for name, message in validate_price_method(method_name, params).items():
                reader.error(
                    f"price_method.params.{name}" if name else "price_method.name", message
                )
        for problem in validate_bids(tree, bids):
            path = (
                f"bids[{problem.bid_index}].{'id' if problem.field == 'bid_id' else problem.field}"
            )
            if problem.criterion_key:
                path += f".{problem.criterion_key}"
            reader.error(path, problem.message)
    if reader.errors:
        raise JsonInputError(reader.errors)
    return ScoringInput(
        tree, tuple(bids), method_name, params, percent, rule, tuple(tie_resolution)
    )


def _read_ids(reader: _Reader, document: Mapping[str, Any], name: str, default: list[str]) -> list:
    if document.get(name) is None:
        return default
    values = reader.array(document[name], name)
    for i, value in enumerate(values):
        if not isinstance(value, str):
            reader.error(f"{name}[{i}]", "Must be a string.")
    return [value for value in values if isinstance(value, str)]


def _read_criterion(
    reader: _Reader,
    raw: Any,
    path: str,
    parent_kind: str | None,
    parent_keys: tuple[str, ...],
    key_paths: dict[tuple[str, ...], list[str]],
) -> Criterion | None:
    data = reader.obj(raw, path)
    if data is None:
        return None
    key = reader.text(data, "key", path)
    name = reader.text(data, "name", path, required=False) or key
    kind = reader.text(data, "kind", path, required=parent_kind is None) or parent_kind or ""
    if kind and kind not in KINDS:
        reader.error(_join(path, "kind"), f"Must be one of {', '.join(KINDS)}.")
    weight = None
    if "weight" not in data:
        reader.error(_join(path, "weight"), "Is required.")
    else:
        weight = reader.number(data["weight"], _join(path, "weight"))
    keys = (*parent_keys, key)
    key_paths.setdefault(keys, []).append(path)
    children = tuple(
        c
        for i, child in enumerate(reader.array(data.get("children", []), _join(path, "children")))
        if (c := _read_criterion(reader, child, f"{path}.children[{i}]", kind, keys, key_paths))
        is not None
    )
    scale = None
    if data.get("scale") is not None:
        scale = _read_scale(reader, data["scale"], _join(path, "scale"))
    pass_mark = None
    if data.get("pass_mark") is not None:
        pass_mark = reader.number(data["pass_mark"], _join(path, "pass_mark"))
    method = reader.text(data, "method", path, required=False) or None
    if weight is None:
        return None
    return Criterion(key, name, kind, weight, children, scale, pass_mark, method)


def _read_scale(reader: _Reader, raw: Any, path: str) -> Scale | None:
    data = reader.obj(raw, path)
    if data is None:
        return None
    maximum = None
    if "max_mark" not in data:
        reader.error(f"{path}.max_mark", "Is required.")
    else:
        maximum = reader.number(data["max_mark"], f"{path}.max_mark")
    descriptors = []
    for mark_text, text in (
        reader.obj(data.get("descriptors", {}), f"{path}.descriptors") or {}
    ).items():
        mark = reader.number(mark_text, f"{path}.descriptors.{mark_text}")
        if not isinstance(text, str):
            reader.error(f"{path}.descriptors.{mark_text}", "Must be a string.")
        elif mark is not None:
            descriptors.append((mark, text))
    if maximum is None:
        return None
    return Scale(maximum, tuple(sorted(descriptors)))


def _read_bid(reader: _Reader, raw: Any, path: str) -> Bid | None:
    data = reader.obj(raw, path)
    if data is None:
        return None
    bid_id = reader.text(data, "id", path)
    price = None
    if data.get("price") is not None:
        price = reader.number(data["price"], _join(path, "price"))
    marks: dict[str, Decimal] = {}
    marks_data = reader.obj(data.get("marks", {}), _join(path, "marks")) or {}
    for key, value in marks_data.items():
        if value is None:
            continue
        mark = reader.number(value, f"{path}.marks.{key}")
        if mark is not None:
            marks[key] = mark
    social_value = None
    if data.get("social_value") is not None:
        social_value = reader.number(data["social_value"], _join(path, "social_value"))
    rejection = reader.text(data, "rejected", path, required=False) or None
    return Bid(bid_id, price, marks, social_value, rejection)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else numbers.exact(value)


def input_to_json(scoring_input: ScoringInput) -> dict[str, Any]:
    """The inverse of `from_json`: a document that reads back to an equal ScoringInput."""

    def criterion(node: Criterion) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": node.key,
            "name": node.name,
            "kind": node.kind,
            "weight": _number(node.weight),
        }
        if node.children:
            data["children"] = [criterion(child) for child in node.children]
        if node.scale is not None:
            data["scale"] = {
                "max_mark": _number(node.scale.max_mark),
                "descriptors": {_number(m): text for m, text in node.scale.descriptors},
            }
        if node.pass_mark is not None:
            data["pass_mark"] = _number(node.pass_mark)
        if node.method is not None:
            data["method"] = node.method
        return data

    document: dict[str, Any] = {
        "criteria": [criterion(c) for c in scoring_input.tree.criteria],
        "price_method": {
            "name": scoring_input.price_method,
            "params": {k: _number(v) for k, v in scoring_input.params.items()},
        },
        "bids": [
            {
                "id": bid.bid_id,
                "price": _number(bid.price),
                "marks": {k: _number(v) for k, v in bid.marks.items()},
                **(
                    {"social_value": _number(bid.social_value)}
                    if bid.social_value is not None
                    else {}
                ),
                **({"rejected": bid.rejection} if bid.rejection is not None else {}),
            }
            for bid in scoring_input.bids
        ],
        "tie_break": list(scoring_input.tie_break),
    }
    if scoring_input.tie_resolution:
        document["tie_resolution"] = list(scoring_input.tie_resolution)
    if scoring_input.abnormally_low_percent is not None:
        document["abnormally_low_percent"] = _number(scoring_input.abnormally_low_percent)
    return document


def score_json(data: Any, *, default_abnormally_low_percent: Decimal | None) -> Result:
    """Read a document with `from_json` and score it; the document's own percentage wins."""
    scoring_input = from_json(data)
    percent = scoring_input.abnormally_low_percent
    return score_tender(
        scoring_input.tree,
        scoring_input.bids,
        scoring_input.price_method,
        scoring_input.params,
        abnormally_low_percent=percent if percent is not None else default_abnormally_low_percent,
        tie_break=scoring_input.tie_break,
        tie_resolution=scoring_input.tie_resolution,
    )


def to_json(result: Result) -> dict[str, Any]:
    """A JSON-ready dict: Decimals as strings at full precision, `*_presented` (2 dp) beside."""

    def score_row(row: CriterionScore) -> dict[str, Any]:
        return {
            "key": row.key,
            "name": row.name,
            "kind": row.kind,
            "depth": row.depth,
            "is_leaf": row.is_leaf,
            "effective_weight": _number(row.effective_weight),
            "mark": _number(row.mark),
            "max_mark": _number(row.max_mark),
            "price": _number(row.price),
            "fraction": _number(row.fraction),
            "social_value": _number(row.social_value),
            "weighted_score": _number(row.weighted_score),
            "weighted_score_presented": _number(presented(row.weighted_score)),
        }

    def check(c: AbnormallyLowCheck | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {
            "bid_id": c.bid_id,
            "price": _number(c.price),
            "mean_of_others": _number(c.mean_of_others),
            "percent_below_mean": _number(c.percent_below_mean),
            "threshold_percent": _number(c.threshold_percent),
            "flagged": c.flagged,
        }

    return {
        "price_method": result.price_method,
        "params": {k: _number(v) for k, v in result.params.items()},
        "effective_weights": {k: _number(v) for k, v in result.effective_weights.items()},
        "abnormally_low_percent": _number(result.abnormally_low_percent),
        "tie_policy": result.tie_policy,
        "tie_break": list(result.tie_break),
        "winner": result.winner,
        "tie_unresolved": result.tie_unresolved,
        "unresolved_ties": [list(group) for group in result.unresolved_ties],
        "sensitivity": sensitivity_to_json(result.sensitivity),
        "ranking": [
            {
                "rank": e.rank,
                "bid_id": e.bid_id,
                "total": _number(e.total),
                "total_presented": _number(presented(e.total)),
                "tied": e.tied,
                "tie_broken_by": e.tie_broken_by,
            }
            for e in result.ranking
        ],
        "bids": [
            {
                "bid_id": b.bid_id,
                "price": _number(b.price),
                "eligible": b.eligible,
                "rank": b.rank,
                "tied": b.tied,
                "total": _number(b.total),
                "total_presented": _number(presented(b.total)),
                "social_value": _number(b.social_value),
                "kind_scores": {k: _number(v) for k, v in b.kind_scores.items()},
                "flags": list(b.flags),
                "exclusions": [
                    {"code": x.code, "message": x.message, "criterion_key": x.criterion_key}
                    for x in b.exclusions
                ],
                "abnormally_low": check(b.abnormally_low),
                "breakdown": [score_row(r) for r in b.breakdown],
            }
            for b in result.bids
        ],
    }


def result_from_json(data: Mapping[str, Any]) -> Result:
    """Read back a dict written by `to_json` (for a stored snapshot of an evaluation)."""

    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    def check(c: Mapping[str, Any] | None) -> AbnormallyLowCheck | None:
        if c is None:
            return None
        return AbnormallyLowCheck(
            c["bid_id"],
            Decimal(c["price"]),
            Decimal(c["mean_of_others"]),
            Decimal(c["percent_below_mean"]),
            Decimal(c["threshold_percent"]),
            c["flagged"],
        )

    bids = tuple(
        BidResult(
            bid_id=b["bid_id"],
            price=dec(b["price"]),
            breakdown=tuple(
                CriterionScore(
                    r["key"],
                    r["name"],
                    r["kind"],
                    r["depth"],
                    r["is_leaf"],
                    Decimal(r["effective_weight"]),
                    dec(r["weighted_score"]),
                    mark=dec(r["mark"]),
                    max_mark=dec(r["max_mark"]),
                    price=dec(r["price"]),
                    fraction=dec(r["fraction"]),
                    social_value=dec(r.get("social_value")),
                )
                for r in b["breakdown"]
            ),
            exclusions=tuple(
                Exclusion(x["code"], x["message"], x["criterion_key"]) for x in b["exclusions"]
            ),
            total=dec(b["total"]),
            rank=b["rank"],
            tied=b["tied"],
            abnormally_low=check(b["abnormally_low"]),
            kind_scores={k: Decimal(v) for k, v in b.get("kind_scores", {}).items()},
            social_value=dec(b.get("social_value")),
        )
        for b in data["bids"]
    )
    return Result(
        price_method=data["price_method"],
        params={k: Decimal(v) for k, v in data["params"].items()},
        effective_weights={k: Decimal(v) for k, v in data["effective_weights"].items()},
        bids=bids,
        ranking=tuple(
            RankEntry(
                e["rank"], e["bid_id"], Decimal(e["total"]), e["tied"], e.get("tie_broken_by")
            )
            for e in data["ranking"]
        ),
        abnormally_low_percent=dec(data["abnormally_low_percent"]),
        tie_policy=data["tie_policy"],
        tie_break=tuple(data.get("tie_break", DEFAULT_TIE_BREAK)),
        unresolved_ties=tuple(tuple(g) for g in data.get("unresolved_ties", [])),
        sensitivity=sensitivity_from_json(data.get("sensitivity")),
    )


def sensitivity_to_json(found: Sensitivity | None) -> dict[str, Any] | None:
    """The sensitivity at full precision (Decimals as strings), or None."""
    if found is None:
        return None
    return {
        "winner": found.winner,
        "weights": {k: _number(v) for k, v in found.weights.items()},
        "points": _number(found.points),
        "note": found.note,
        "rivals": [
            {
                "bid_id": r.bid_id,
                "points": _number(r.points),
                "moves": [
                    {"from": m.from_kind, "to": m.to_kind, "points": _number(m.points)}
                    for m in r.moves
                ],
                "weights": None
                if r.weights is None
                else {k: _number(v) for k, v in r.weights.items()},
                "wins": r.wins,
                "points_to_win": _number(r.points_to_win),
                "weights_to_win": None
                if r.weights_to_win is None
                else {k: _number(v) for k, v in r.weights_to_win.items()},
            }
            for r in found.rivals
        ],
    }


def sensitivity_from_json(data: Mapping[str, Any] | None) -> Sensitivity | None:
    if data is None:
        return None
    return Sensitivity(
        winner=data["winner"],
        weights={k: Decimal(v) for k, v in data["weights"].items()},
        rivals=tuple(
            RivalShift(
                r["bid_id"],
                None if r["points"] is None else Decimal(r["points"]),
                tuple(WeightMove(m["from"], m["to"], Decimal(m["points"])) for m in r["moves"]),
                None if r["weights"] is None else {k: Decimal(v) for k, v in r["weights"].items()},
                r["wins"],
                None if r.get("points_to_win") is None else Decimal(r["points_to_win"]),
                None
                if r.get("weights_to_win") is None
                else {k: Decimal(v) for k, v in r["weights_to_win"].items()},
            )
            for r in data["rivals"]
        ),
        note=data["note"],
    )
