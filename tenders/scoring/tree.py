"""The criteria tree of the scoring engine: its nodes, their marking scales, the checks a tree
must pass (weights add up, scales are sound) and each leaf's share of the total score.

Also the engine's shared vocabulary: the three kinds of criterion, its Decimal constants and
ScoringError.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

PRICE = "price"
QUALITY = "quality"
SOCIAL_VALUE = "social_value"
KINDS = (PRICE, QUALITY, SOCIAL_VALUE)

# A social value leaf scored on monetised pounds (the bid's monetised social value over the
# highest among bids still in the running) instead of marked on a scale.
MONETISED_RATIO = "monetised_ratio"
LEAF_METHODS = (MONETISED_RATIO,)

HUNDRED = Decimal("100")
ZERO = Decimal("0")
ONE = Decimal("1")
PRECISION = 28


class ScoringError(ValueError):
    """Inputs that cannot be scored: an invalid tree, bad prices or marks, unknown method."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Scale:
    """A marking scale: marks from 0 to `max_mark`, with optional descriptors per mark."""

    max_mark: Decimal
    descriptors: tuple[tuple[Decimal, str], ...] = ()

    def descriptor_for(self, mark: Decimal) -> str | None:
        """The published descriptor for exactly this mark, if there is one."""
        for descriptor_mark, text in self.descriptors:
            if descriptor_mark == mark:
                return text
        return None


@dataclass(frozen=True)
class Criterion:
    """One award criterion. `weight` is a percentage of its parent; siblings add up to 100.

    A leaf of kind quality or social_value has a `scale` and may have a `pass_mark` (a bid whose
    moderated mark is below it is excluded). The price leaf has neither: the price method scores it.
    A social value leaf with `method` MONETISED_RATIO has no scale either: it scores the bid's
    monetised social value over the highest among the bids still in the running.
    """

    key: str
    name: str
    kind: str
    weight: Decimal
    children: tuple[Criterion, ...] = ()
    scale: Scale | None = None
    pass_mark: Decimal | None = None
    method: str | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_marked(self) -> bool:
        """A leaf the panel marks on a scale (not price, not monetised)."""
        return self.is_leaf and self.kind != PRICE and self.method is None


@dataclass(frozen=True)
class CriteriaTree:
    """The root of a tender's criteria: the top-level groups, whose weights add up to 100."""

    criteria: tuple[Criterion, ...]

    def walk(self) -> Iterable[tuple[tuple[str, ...], Criterion]]:
        """Every node in tree order (depth first), with its path of keys from the top."""

        def visit(node: Criterion, parents: tuple[str, ...]):
            path = (*parents, node.key)
            yield path, node
            for child in node.children:
                yield from visit(child, path)

        for top in self.criteria:
            yield from visit(top, ())

    def leaves(self) -> list[Criterion]:
        return [node for _, node in self.walk() if node.is_leaf]

    def price_leaf(self) -> Criterion | None:
        """The single priced leaf, or None for a tender scored on quality alone."""
        for leaf in self.leaves():
            if leaf.kind == PRICE:
                return leaf
        return None


@dataclass(frozen=True)
class TreeError:
    """A problem with one node of the tree. `path` is the keys from the top; () is the top level."""

    path: tuple[str, ...]
    code: str
    message: str

    @property
    def location(self) -> str:
        return " > ".join(self.path) if self.path else "top level"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def validate_tree(root: CriteriaTree) -> list[TreeError]:
    """Every problem with the tree, each naming the path of the node it concerns.

    Checks: sibling weights add up to 100 at every level; weights are positive; keys are present
    and unique; kinds are known and children share their parent's kind; marked leaves have a
    scale with a positive maximum and pass marks and descriptors within it; the price leaf has
    no scale; there is at most one priced leaf.
    """
    errors: list[TreeError] = []
    if not root.criteria:
        errors.append(TreeError((), "empty", "The tender has no award criteria."))
        return errors
    _check_siblings((), root.criteria, errors)

    seen: dict[str, tuple[str, ...]] = {}
    price_leaves: list[tuple[str, ...]] = []
    for path, node in root.walk():
        if not node.key.strip():
            errors.append(TreeError(path, "key_missing", "Every criterion needs a key."))
        elif node.key in seen:
            first = " > ".join(seen[node.key])
            errors.append(
                TreeError(
                    path, "duplicate_key", f"The key '{node.key}' is already used at {first}."
                )
            )
        else:
            seen[node.key] = path
        if node.kind not in KINDS:
            errors.append(
                TreeError(
                    path, "kind", f"Kind must be one of {', '.join(KINDS)}, not '{node.kind}'."
                )
            )
        if node.weight <= 0:
            errors.append(
                TreeError(
                    path, "weight", f"Weight must be greater than zero (it is {node.weight})."
                )
            )
        for child in node.children:
            if child.kind != node.kind:
                errors.append(
                    TreeError(
                        (*path, child.key),
                        "kind_mismatch",
                        f"A {child.kind} criterion cannot sit inside a {node.kind} group.",
                    )
                )
        if node.children:
            _check_siblings(path, node.children, errors)
        if node.is_leaf and node.kind == PRICE:
            price_leaves.append(path)
        _check_marking(path, node, errors)

    if len(price_leaves) > 1:
        places = ", ".join(" > ".join(p) for p in price_leaves)
        # Name the group that holds them when they share one; else the top level.
        common = price_leaves[0][:1] if len({p[0] for p in price_leaves}) == 1 else ()
        errors.append(
            TreeError(
                common,
                "price_leaves",
                f"Price must be a single priced criterion; found {len(price_leaves)} ({places}).",
            )
        )
    return errors


def _check_siblings(
    path: tuple[str, ...], siblings: Sequence[Criterion], errors: list[TreeError]
) -> None:
    total = _sum(child.weight for child in siblings)
    if total != HUNDRED:
        names = ", ".join(f"{c.key} {c.weight}" for c in siblings)
        errors.append(
            TreeError(
                path,
                "weights_total",
                f"The weights of the criteria directly under here add up to {total}, not 100 "
                f"({names}).",
            )
        )


def _check_marking(path: tuple[str, ...], node: Criterion, errors: list[TreeError]) -> None:
    if not node.is_leaf:
        if node.scale is not None or node.pass_mark is not None or node.method is not None:
            errors.append(
                TreeError(
                    path,
                    "group_scale",
                    "Only the lowest-level criteria are scored; a group has no scale, pass mark "
                    "or scoring method.",
                )
            )
        return
    if node.method is not None:
        if node.method not in LEAF_METHODS:
            errors.append(
                TreeError(
                    path, "method", f"Unknown scoring method '{node.method}' for a criterion."
                )
            )
        elif node.kind != SOCIAL_VALUE:
            errors.append(
                TreeError(path, "method", f"Only a social value criterion can use '{node.method}'.")
            )
        elif node.scale is not None or node.pass_mark is not None:
            errors.append(
                TreeError(
                    path,
                    "method_scale",
                    "A monetised criterion is scored on pounds, so it has no scale or pass mark.",
                )
            )
        return
    if node.kind == PRICE:
        if node.scale is not None or node.pass_mark is not None:
            errors.append(
                TreeError(
                    path,
                    "price_scale",
                    "Price is scored by the price method, so it has no marking scale or pass mark.",
                )
            )
        return
    if node.scale is None:
        errors.append(TreeError(path, "scale_missing", "A marked criterion needs a marking scale."))
        return
    maximum = node.scale.max_mark
    if maximum <= 0:
        errors.append(
            TreeError(path, "scale_max", f"The maximum mark must be above zero (it is {maximum}).")
        )
        return
    if node.pass_mark is not None and not ZERO <= node.pass_mark <= maximum:
        errors.append(
            TreeError(
                path,
                "pass_mark",
                f"The pass mark {node.pass_mark} is outside the scale 0 to {maximum}.",
            )
        )
    for mark, _text in node.scale.descriptors:
        if not ZERO <= mark <= maximum:
            errors.append(
                TreeError(
                    path,
                    "descriptor",
                    f"A descriptor is given for mark {mark}, outside 0 to {maximum}.",
                )
            )


def effective_weights(root: CriteriaTree) -> dict[str, Decimal]:
    """Each node's share of the total score, as a percentage (the product of weights above it)."""
    weights: dict[str, Decimal] = {}
    with localcontext() as ctx:
        ctx.prec = PRECISION

        def visit(node: Criterion, parent_share: Decimal) -> None:
            share = parent_share * node.weight / HUNDRED
            weights[node.key] = share
            for child in node.children:
                visit(child, share)

        for top in root.criteria:
            visit(top, HUNDRED)
    return weights
