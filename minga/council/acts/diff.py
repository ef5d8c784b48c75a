"""What changed between two versions of an act, article by article.

Units are paired by kind, then: the same number and text; the same text under another number
(renumbered); the most similar text (a renumbered article that was also edited is paired with its
counterpart, not with whatever now bears its old number); and last, the same number. A unit only
in the newer version is *added*, only in the older one *removed*. A pair whose text differs is
*changed*, with a word-level diff (difflib), unless the two texts are too different to read as
an edit: then the article is *replaced*, the old text shown as one deletion and the new one as
one insertion. Paired units under another number, or that changed place in the order (those
outside the longest run kept in order), are *moved*.

Similarity is difflib's ratio over the lowercased words (punctuation and spacing ignored), their
common start and end set aside first. It is computed only for likely candidates, found cheaply
first: the few old units sharing the most runs of three words (shingles) with the new one, and
the one with its number when none shares much; difflib's quick upper bounds then spare the exact
ratio for those that cannot reach it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

ADDED, REMOVED, CHANGED, MOVED, SAME = "added", "removed", "changed", "moved", "same"
REPLACED = "replaced"
WORDS = re.compile(r"\s+|[^\s]+")
TOKENS = re.compile(r"\w+")

# Two texts with a similarity (difflib ratio over their words, 0 to 1) under this are not shown
# as an edit of one another: under it, about half the words or more differ, and a word-level diff
# reads as a soup of deletions and insertions, so the article is shown as replaced. Also the
# least similarity for pairing units under different numbers.
SIMILAR = 0.5
# The similarity is computed for each new unit only against the few old units sharing the most
# runs of SHINGLE words with it (at most CANDIDATES, and only those sharing at least CLOSE times
# what the best one shares: Jaccard index of the runs). When even the best shares less than
# STRONG (a short or thoroughly reworded text), the old unit with the same number is weighed
# too, or every old unit of its kind if there are at most ALL_PAIRS pairs to weigh.
SHINGLE = 3
CANDIDATES = 6
CLOSE = 0.5
STRONG = 0.5
ALL_PAIRS = 100


@dataclass
class Entry:
    status: str
    old: object | None
    new: object | None
    heading_ops: list[tuple[str, str]] = field(default_factory=list)
    body_ops: list[tuple[str, str]] = field(default_factory=list)
    text_changed: bool = False
    kind_label: str = ""  # the unit's kind as shown; the page fills it

    @property
    def unit(self):
        return self.new if self.new is not None else self.old

    @property
    def body_paragraphs(self) -> list[list[tuple[str, str]]]:
        """The body's ops as paragraphs: a replaced unit's old and new text apart, others whole."""
        return [[op] for op in self.body_ops] if self.status == REPLACED else [self.body_ops]


def _key(unit) -> tuple[str, str]:
    return (unit.kind, (unit.number or "").upper())


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many items two lists share at their start, and then at their end."""
    prefix = 0
    while prefix < len(a) and prefix < len(b) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(a) - prefix and suffix < len(b) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


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

    # The common start and end are kept aside (most edits touch a few places), so difflib works
    # on the middle only. No autojunk: it would junk the spaces and the commonest words of a
    # long article, which are exactly what keeps the diff in one piece.
    prefix, suffix = _common_ends(a, b)
    push("same", a[:prefix])
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if middle_a and middle_b:
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                push("same", middle_a[i1:i2])
            else:
                push("del", middle_a[i1:i2])
                push("ins", middle_b[j1:j2])
    else:
        push("del", middle_a)
        push("ins", middle_b)
    push("same", a[len(a) - suffix :])
    return ops


def _text(unit) -> str:
    return f"{unit.heading}\n{unit.body}".strip()


def _tokens(unit) -> list[str]:
    return TOKENS.findall(_text(unit).lower())


def _shingles(tokens: list[str]) -> set[str]:
    """The runs of three words of a text (the whole text if shorter), as strings: a string is
    not tracked by the garbage collector, a tuple is, and thousands of them kept through the
    pairing made the collector's full passes (over the whole process) frequent."""
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[n : n + SHINGLE]) for n in range(len(tokens) - SHINGLE + 1)}


def _similar_pairs(old_units, new_units, old_free: list[int], new_free: list[int]) -> list[tuple[int, int, float]]:
    """(new index, old index, similarity) of the free units most alike, at least SIMILAR, each
    unit in one pair at most: the most similar first, ties to the same number, then nearer."""
    old_tokens = {i: _tokens(old_units[i]) for i in old_free}
    old_shingles = {i: _shingles(old_tokens[i]) for i in old_free}
    old_by_key = {_key(old_units[i]): i for i in old_free}
    few = len(old_free) * len(new_free) <= ALL_PAIRS
    # Kind -> shingle -> the old unit having it, or a tuple of them (no list per shingle: see
    # _shingles).
    index: dict[str, dict[str, int | tuple[int, ...]]] = {}
    for i in old_free:
        of_kind = index.setdefault(old_units[i].kind, {})
        for shingle in old_shingles[i]:
            having = of_kind.get(shingle)
            of_kind[shingle] = i if having is None else (*having, i) if isinstance(having, tuple) else (having, i)
    scored: list[tuple[float, bool, int, int, int]] = []
    for j in new_free:
        unit = new_units[j]
        tokens = _tokens(unit)
        shingles = _shingles(tokens)
        of_kind = index.get(unit.kind, {})
        shared: dict[int, int] = {}
        for shingle in shingles:
            having = of_kind.get(shingle)
            if having is None:
                continue
            for i in having if isinstance(having, tuple) else (having,):
                shared[i] = shared.get(i, 0) + 1
        jaccard = {i: n / (len(shingles) + len(old_shingles[i]) - n) for i, n in shared.items()}
        candidates = sorted(jaccard, key=jaccard.__getitem__, reverse=True)[:CANDIDATES]
        best = jaccard[candidates[0]] if candidates else 0.0
        candidates = [i for i in candidates if jaccard[i] >= best * CLOSE]
        if best < STRONG:
            same_number = old_by_key.get(_key(unit))
            extra = [i for i in old_free if old_units[i].kind == unit.kind] if few else [same_number]
            candidates += [i for i in extra if i is not None and i not in candidates]
        for i in candidates:
            ratio = _ratio(old_tokens[i], tokens)
            if ratio >= SIMILAR:
                scored.append((-ratio, _key(old_units[i]) != _key(unit), abs(i - j), j, i))
    scored.sort()
    pairs, taken_old, taken_new = [], set(), set()
    for negative_ratio, _other_number, _distance, j, i in scored:
        if i not in taken_old and j not in taken_new:
            pairs.append((j, i, -negative_ratio))
            taken_old.add(i)
            taken_new.add(j)
    return pairs


def _ratio(a: list[str], b: list[str]) -> float:
    """difflib's ratio of two word lists, their common start and end set aside first (most edits
    touch a few places); 0 if difflib's quick upper bounds show it is under SIMILAR."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    prefix, suffix = _common_ends(a, b)
    kept = prefix + suffix
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if not middle_a or not middle_b:
        return 2 * kept / total
    if 2 * (kept + min(len(middle_a), len(middle_b))) / total < SIMILAR:
        return 0.0
    matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
    middle_total = len(middle_a) + len(middle_b)
    if (2 * kept + matcher.quick_ratio() * middle_total) / total < SIMILAR:
        return 0.0
    return (2 * kept + matcher.ratio() * middle_total) / total


def _similarity(old, new) -> float:
    return _ratio(_tokens(old), _tokens(new))


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
    # 3. Similar text, under any number: edited, perhaps renumbered too.
    old_free = [i for i in range(len(old_units)) if i not in used]
    new_free = [j for j in range(len(new_units)) if j not in pairs]
    for j, i, _similarity_of_pair in _similar_pairs(old_units, new_units, old_free, new_free):
        pair(j, i)
    # 4. Same number, text too different: replaced (shown whole, old and new).
    replaced: set[int] = set()
    for j, unit in enumerate(new_units):
        if j in pairs:
            continue
        i = old_index_by_key.get(_key(unit))
        if i is not None and i not in used:
            pair(j, i)
            if _similarity(old_units[i], unit) < SIMILAR:
                replaced.add(j)
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
        if j in replaced:
            entry = Entry(REPLACED, old, unit, text_changed=True)
            if old.heading != unit.heading:
                entry.heading_ops = [op for op in (("del", old.heading), ("ins", unit.heading)) if op[1]]
            entry.body_ops = [op for op in (("del", old.body), ("ins", unit.body)) if op[1]]
            entries.append(entry)
            continue
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
        status = CHANGED if entry.status == REPLACED else entry.status  # a replaced unit changed
        if status in counts:
            counts[status] += 1
    return counts
