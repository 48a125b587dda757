"""What a new version of a local definition changes against the one it would replace: priorities
added, removed and changed. Plain data in, plain data out (no Django), so the draft's page and the
adoption page say the same thing.

A priority is the same priority in both versions when its theme and outcome match (ignoring case
and spacing); one whose outcome is reworded shows as one removed and one added."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PrioritySnapshot:
    theme: str
    outcome: str
    description: str = ""
    # (measure code, target in words) in order.
    measures: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return self.theme, " ".join(self.outcome.split()).casefold()


@dataclass(frozen=True)
class PriorityChange:
    priority: PrioritySnapshot
    what: tuple[str, ...]


@dataclass(frozen=True)
class Changes:
    added: tuple[PrioritySnapshot, ...] = ()
    removed: tuple[PrioritySnapshot, ...] = ()
    changed: tuple[PriorityChange, ...] = ()
    unchanged: int = 0
    statement_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.statement_changed)


def _what_changed(old: PrioritySnapshot, new: PrioritySnapshot) -> tuple[str, ...]:
    what = []
    if old.description.strip() != new.description.strip():
        what.append("why it matters here")
    old_codes = dict(old.measures)
    new_codes = dict(new.measures)
    added = [code for code in new_codes if code not in old_codes]
    removed = [code for code in old_codes if code not in new_codes]
    retargeted = [
        code for code in new_codes if code in old_codes and new_codes[code] != old_codes[code]
    ]
    if added:
        what.append("measures added: " + ", ".join(added))
    if removed:
        what.append("measures removed: " + ", ".join(removed))
    if retargeted:
        what.append("targets changed: " + ", ".join(retargeted))
    return tuple(what)


def priority_changes(
    old: Sequence[PrioritySnapshot],
    new: Sequence[PrioritySnapshot],
    *,
    old_statement: str = "",
    new_statement: str = "",
) -> Changes:
    """The priorities `new` adds, removes and changes against `old`, in `new`'s order."""
    old_by_key = {priority.key: priority for priority in old}
    new_keys = {priority.key for priority in new}
    added, changed, unchanged = [], [], 0
    for priority in new:
        before = old_by_key.get(priority.key)
        if before is None:
            added.append(priority)
        elif what := _what_changed(before, priority):
            changed.append(PriorityChange(priority, what))
        else:
            unchanged += 1
    removed = [priority for priority in old if priority.key not in new_keys]
    return Changes(
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        unchanged=unchanged,
        statement_changed=" ".join(old_statement.split()) != " ".join(new_statement.split()),
    )
