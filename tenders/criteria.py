"""Translate a lot's criteria rows to and from the pure scoring engine's tree.

Rows carry their id as the engine's key, so every problem `scoring.validate_tree` finds can be
shown beside the row (or the level) it concerns. No queries here: callers pass the rows.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from socialvalue.kernel import numbers
from tenders import scoring
from tenders.models import Criterion

# The service's starting wording for a 0-5 scale; the authority edits it per question.
# Not taken from law or guidance: it is a plain-English default for the builder.
DEFAULT_SCALE_MAX = Decimal("5")
DEFAULT_DESCRIPTORS = (
    ("0", "No answer, or the answer does not address the question."),
    ("1", "Poor: major gaps or little evidence; significant concerns."),
    ("2", "Limited: addresses some of the question with weak evidence."),
    ("3", "Satisfactory: addresses the question with adequate evidence."),
    ("4", "Good: a full answer with clear, specific and credible evidence."),
    ("5", "Excellent: a full answer with specific, measurable and well-evidenced commitments."),
)


def descriptors_from_text(text: str) -> list[dict[str, str]]:
    """Read 'mark: descriptor' lines into [{"mark", "text"}]; raise ValueError naming the line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        mark, separator, words = line.partition(":")
        if not separator or not words.strip():
            raise ValueError(f"Line {number}: write the mark, a colon, then what it means.")
        try:
            value = Decimal(mark.strip())
        except ArithmeticError as error:
            raise ValueError(f"Line {number}: '{mark.strip()}' is not a mark.") from error
        if not value.is_finite():
            raise ValueError(f"Line {number}: '{mark.strip()}' is not a mark.")
        found.append({"mark": str(value), "text": words.strip()})
    return found


def descriptors_to_text(descriptors: Sequence[dict]) -> str:
    return "\n".join(f"{item['mark']}: {item['text']}" for item in descriptors)


def _children_by_parent(rows: Iterable[Criterion]) -> dict[int | None, list[Criterion]]:
    grouped: dict[int | None, list[Criterion]] = {}
    for row in rows:
        grouped.setdefault(row.parent_id, []).append(row)
    for siblings in grouped.values():
        siblings.sort(key=lambda row: (row.order, row.pk))
    return grouped


def build_tree(rows: Iterable[Criterion]) -> scoring.CriteriaTree:
    """The engine's tree for one lot's rows (in order; ids as keys)."""
    grouped = _children_by_parent(rows)

    def node(row: Criterion) -> scoring.Criterion:
        children = tuple(node(child) for child in grouped.get(row.pk, []))
        scale = None
        if not children and row.kind != scoring.PRICE and row.max_mark is not None:
            scale = scoring.Scale(
                max_mark=row.max_mark,
                descriptors=tuple(
                    (Decimal(str(item["mark"])), item["text"]) for item in row.descriptors or []
                ),
            )
        return scoring.Criterion(
            key=row.key,
            name=row.name,
            kind=row.kind,
            weight=row.weight,
            children=children,
            scale=scale,
            pass_mark=row.pass_mark if not children else None,
        )

    return scoring.CriteriaTree(tuple(node(row) for row in grouped.get(None, [])))


@dataclass(frozen=True)
class TreeRow:
    """A row as shown in the builder: its depth, effective share and the problems found there."""

    criterion: Criterion
    depth: int
    share: Decimal
    is_leaf: bool
    problems: tuple[str, ...]

    @property
    def indent_class(self) -> str:
        """A GOV.UK spacing class that shows the row's depth in the tree."""
        return f"govuk-!-padding-left-{min(self.depth * 4, 9)}" if self.depth else ""


@dataclass(frozen=True)
class TreeReport:
    rows: tuple[TreeRow, ...]
    top_level_problems: tuple[str, ...]
    social_value_share: Decimal
    untied_questions: tuple[Criterion, ...]

    @property
    def problem_count(self) -> int:
        return len(self.top_level_problems) + sum(len(row.problems) for row in self.rows)

    @property
    def is_valid(self) -> bool:
        return self.problem_count == 0


def _plain(value: Decimal) -> str:
    return numbers.plain(value)


def _friendly(error: scoring.TreeError, grouped: dict[int | None, list[Criterion]]) -> str:
    """The engine's message, reworded where it names rows by their ids."""
    if error.code != "weights_total":
        return error.message
    level = grouped.get(int(error.path[-1]) if error.path else None, [])
    total = sum((row.weight for row in level), Decimal(0))
    names = ", ".join(f"{row.name} {_plain(row.weight)}%" for row in level)
    where = "The criteria under this" if error.path else "The top-level groups"
    return f"{where} add up to {_plain(total)}%, not 100% ({names})."


def report(rows: Sequence[Criterion]) -> TreeReport:
    """Validate a lot's criteria and lay them out for the builder page, problems by row."""
    tree = build_tree(rows)
    grouped = _children_by_parent(rows)
    problems: dict[str, list[str]] = {}
    top: list[str] = []
    for error in scoring.validate_tree(tree):
        if error.path:
            problems.setdefault(error.path[-1], []).append(_friendly(error, grouped))
        else:
            top.append(_friendly(error, grouped))
    shares = scoring.effective_weights(tree) if tree.criteria else {}
    laid_out: list[TreeRow] = []

    def visit(row: Criterion, depth: int) -> None:
        children = grouped.get(row.pk, [])
        laid_out.append(
            TreeRow(
                criterion=row,
                depth=depth,
                share=shares.get(row.key, Decimal(0)),
                is_leaf=not children,
                problems=tuple(problems.get(row.key, [])),
            )
        )
        for child in children:
            visit(child, depth + 1)

    for row in grouped.get(None, []):
        visit(row, 0)
    social_value = sum(
        (
            shares.get(row.key, Decimal(0))
            for row in grouped.get(None, [])
            if row.kind == "social_value"
        ),
        Decimal(0),
    )
    untied = tuple(
        item.criterion
        for item in laid_out
        if item.is_leaf
        and item.criterion.kind == scoring.SOCIAL_VALUE
        and not item.criterion.priority_id
    )
    return TreeReport(tuple(laid_out), tuple(top), social_value, untied)


def weight_problems(rows: Sequence[Criterion]) -> dict[int, list[str]]:
    """Weight problems for the weights form, keyed by the row whose field shows them: a level
    that does not add up is reported once, on its first row; a non-positive weight on its own."""
    tree = build_tree(rows)
    grouped = _children_by_parent(rows)
    by_row: dict[int, list[str]] = {}
    for error in scoring.validate_tree(tree):
        if error.code == "weights_total":
            level = grouped.get(int(error.path[-1]) if error.path else None, [])
            if level:
                by_row.setdefault(level[0].pk, []).append(_friendly(error, grouped))
        elif error.code == "weight" and error.path:
            by_row.setdefault(int(error.path[-1]), []).append(error.message)
    return by_row
