"""What changed between two versions of an act, article by article.

Units are matched by kind and number (an article 5 with an article 5); units without a number
(the preamble) by kind. A unit only in the newer version is *added*, only in the older one
*removed*; a pair whose text differs is *changed*, with a word-level diff (difflib). An added
and a removed unit with the same text are one *moved* (renumbered) unit, and matched units that
changed place in the order are *moved* too (those outside the longest run kept in order)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

ADDED, REMOVED, CHANGED, MOVED, SAME = "added", "removed", "changed", "moved", "same"
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class Entry:
    status: str
    old: object | None
    new: object | None
    heading_ops: list[tuple[str, str]] = field(default_factory=list)
    body_ops: list[tuple[str, str]] = field(default_factory=list)
    text_changed: bool = False

    @property
    def unit(self):
        return self.new if self.new is not None else self.old


def _key(unit) -> tuple[str, str]:
    return (unit.kind, (unit.number or "").upper())


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in "same", "ins", "del": consecutive pieces of one kind joined."""
    a, b = WORDS.findall(old or ""), WORDS.findall(new or "")
    ops: list[tuple[str, str]] = []

    def push(op: str, pieces: list[str]) -> None:
        text = "".join(pieces)
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", a[i1:i2])
        else:
            push("del", a[i1:i2])
            push("ins", b[j1:j2])
    return ops


def _text(unit) -> str:
    return f"{unit.heading}\n{unit.body}".strip()


def compare(old_units, new_units) -> list[Entry]:
    old_units, new_units = list(old_units), list(new_units)
    pairs: dict[int, int] = {}  # index in new -> index in old
    used: set[int] = set()
    old_index_by_key = {_key(u): i for i, u in enumerate(old_units)}

    def pair(j: int, i: int) -> None:
        pairs[j] = i
        used.add(i)

    # 1. Same number, same text.
    for j, unit in enumerate(new_units):
        i = old_index_by_key.get(_key(unit))
        if i is not None and i not in used and _text(old_units[i]) == _text(unit):
            pair(j, i)
    # 2. Same text under another number: renumbered.
    by_text: dict[tuple[str, str], list[int]] = {}
    for i, unit in enumerate(old_units):
        if i not in used and _text(unit):
            by_text.setdefault((unit.kind, _text(unit)), []).append(i)
    for j, unit in enumerate(new_units):
        if j in pairs:
            continue
        candidates = [i for i in by_text.get((unit.kind, _text(unit)), []) if i not in used]
        if candidates:
            pair(j, candidates[0])
    # 3. Same number, text changed.
    for j, unit in enumerate(new_units):
        if j in pairs:
            continue
        i = old_index_by_key.get(_key(unit))
        if i is not None and i not in used:
            pair(j, i)
    # Pairs outside the longest run kept in order have moved.
    order = [pairs[j] for j in sorted(pairs)]
    matcher = difflib.SequenceMatcher(None, sorted(order), order, autojunk=False)
    in_order = {i for block in matcher.get_matching_blocks() for i in order[block.b : block.b + block.size]}

    entries: list[Entry] = []
    for j, unit in enumerate(new_units):
        if j not in pairs:
            entries.append(Entry(ADDED, None, unit, body_ops=[("ins", unit.body)] if unit.body else []))
            continue
        old = old_units[pairs[j]]
        changed = old.heading != unit.heading or old.body != unit.body
        renumbered = _key(old) != _key(unit)
        status = MOVED if (renumbered or pairs[j] not in in_order) else (CHANGED if changed else SAME)
        entry = Entry(status, old, unit, text_changed=changed)
        if changed:
            entry.heading_ops = word_diff(old.heading, unit.heading)
            entry.body_ops = word_diff(old.body, unit.body)
        entries.append(entry)
    # Removed units are shown where they stood: after the entry of the old unit before them.
    new_of_old = {i: j for j, i in pairs.items()}
    for i, unit in enumerate(old_units):
        if i in used:
            continue
        entry = Entry(REMOVED, unit, None, body_ops=[("del", unit.body)] if unit.body else [])
        anchor = next((new_of_old[k] for k in range(i - 1, -1, -1) if k in new_of_old), None)
        position = 0
        if anchor is not None:
            anchor_unit = new_units[anchor]
            position = next((n + 1 for n, e in enumerate(entries) if e.new is anchor_unit), len(entries))
        while position < len(entries) and entries[position].status == REMOVED:
            position += 1
        entries.insert(position, entry)
    return entries


def summary(entries: list[Entry]) -> dict[str, int]:
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0, MOVED: 0}
    for entry in entries:
        if entry.status in counts:
            counts[entry.status] += 1
    return counts
