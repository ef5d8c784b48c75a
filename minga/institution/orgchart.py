"""The organisation chart's drawing: a tidy tree laid out here, in Python, and drawn by the
page as SVG (boxes, lines, one row per level), so the chart needs no JavaScript library.

Each unit is a box; a unit's children hang from a horizontal bar under it, each subtree beside
the next, the unit centred over them. A unit with many children would make the chart as wide
as a dozen screens, so its children without children of their own are stacked in columns of
at most STACK_ROWS boxes, hanging from a vertical line at the column's left (the usual
convention of printed organisation charts); children with children of their own keep their
subtree. Every coordinate is a whole pixel."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

BOX_WIDTH = 196
BOX_HEIGHT = 84
H_GAP = 16  # between blocks side by side
V_GAP = 44  # between a unit and the bar its children hang from, and down to them
STACK_ROWS = 7
STACK_INDENT = 18  # from a column's line to its boxes
STACK_GAP = 12  # between boxes of a column
SPREAD_LIMIT = 4  # up to this many children always sit side by side
MARGIN = 8
NAME_CHARS = 20  # characters per line of a unit's name (three lines at most)
HEAD_CHARS = 25


@dataclass
class Box:
    node: object  # selectors.UnitNode
    x: int
    y: int
    level: int
    width: int = BOX_WIDTH
    height: int = BOX_HEIGHT
    name_lines: list[str] = field(default_factory=list)
    head_line: str = ""

    @property
    def unit(self):
        return self.node.unit

    @property
    def centre(self) -> int:
        return self.x + self.width // 2


@dataclass
class Chart:
    boxes: list[Box]
    lines: list[str]  # SVG path data, one per connector
    width: int
    height: int
    levels: int


@dataclass
class _Block:
    """A laid-out part of the chart in its own coordinates (top left at 0, 0)."""

    width: int
    height: int
    boxes: list[tuple[object, int, int, int]] = field(default_factory=list)  # (node, x, y, level)
    lines: list[tuple[int, int, int, int]] = field(default_factory=list)  # segments x1, y1, x2, y2
    anchor: int = 0  # x where the line from the parent arrives

    def moved(self, dx: int, dy: int) -> _Block:
        return _Block(
            self.width,
            self.height,
            [(node, x + dx, y + dy, level) for node, x, y, level in self.boxes],
            [(x1 + dx, y1 + dy, x2 + dx, y2 + dy) for x1, y1, x2, y2 in self.lines],
            self.anchor + dx,
        )


def _leaf(node, level: int) -> _Block:
    return _Block(BOX_WIDTH, BOX_HEIGHT, [(node, 0, 0, level)], [], BOX_WIDTH // 2)


def _stack(nodes: list, level: int) -> _Block:
    """Leaf units one under another, hanging from a line at the left."""
    boxes, lines = [], []
    line_x = STACK_INDENT // 2
    y = 0
    for node in nodes:
        boxes.append((node, STACK_INDENT, y, level))
        lines.append((line_x, y + BOX_HEIGHT // 2, STACK_INDENT, y + BOX_HEIGHT // 2))
        y += BOX_HEIGHT + STACK_GAP
    height = y - STACK_GAP
    lines.append((line_x, 0, line_x, height - BOX_HEIGHT // 2))
    return _Block(STACK_INDENT + BOX_WIDTH, height, boxes, lines, line_x)


def _subtree(node, level: int) -> _Block:
    children = node.children
    if not children:
        return _leaf(node, level)
    parts: list[_Block] = []
    leaves = [child for child in children if not child.children]
    if len(children) > SPREAD_LIMIT and len(leaves) > 1:
        # Subtrees first in the chart's order, then the leaves in columns.
        parts += [_subtree(child, level + 1) for child in children if child.children]
        columns = -(-len(leaves) // STACK_ROWS)
        rows = -(-len(leaves) // columns)  # columns of even length: 7, 7, 5 rather than 7, 7, 7, 1
        parts += [_stack(leaves[i : i + rows], level + 1) for i in range(0, len(leaves), rows)]
    else:
        parts = [_subtree(child, level + 1) for child in children]
    top = BOX_HEIGHT + V_GAP
    bar = BOX_HEIGHT + V_GAP // 2
    x = 0
    placed = []
    for part in parts:
        placed.append(part.moved(x, top))
        x += part.width + H_GAP
    children_width = x - H_GAP
    width = max(BOX_WIDTH, children_width)
    shift = (width - children_width) // 2
    placed = [part.moved(shift, 0) for part in placed]
    first, last = placed[0].anchor, placed[-1].anchor
    centre = (first + last) // 2
    box_x = min(max(centre - BOX_WIDTH // 2, 0), width - BOX_WIDTH)
    block = _Block(
        width, top + max(part.height for part in placed), [(node, box_x, 0, level)], [], box_x + BOX_WIDTH // 2
    )
    parent_x = block.anchor
    block.lines.append((parent_x, BOX_HEIGHT, parent_x, bar))
    block.lines.append((min(first, parent_x), bar, max(last, parent_x), bar))
    for part in placed:
        block.lines.append((part.anchor, bar, part.anchor, top))
        block.boxes += part.boxes
        block.lines += part.lines
    return block


def _wrap(text: str, width: int, lines: int) -> list[str]:
    found = textwrap.wrap(text, width=width) or [""]
    if len(found) > lines:
        found = found[:lines]
        found[-1] = textwrap.shorten(found[-1] + " …", width=width, placeholder=" …")
    return found


def layout(tree: list) -> Chart | None:
    """The chart of a forest of selectors.UnitNode (several top units sit side by side), or
    None when there is nothing to draw."""
    if not tree:
        return None
    blocks, x = [], MARGIN
    for root in tree:
        block = _subtree(root, 1)
        blocks.append(block.moved(x, MARGIN))
        x += block.width + H_GAP
    boxes, lines = [], []
    for block in blocks:
        for node, bx, by, level in block.boxes:
            head = node.unit.head if node.unit.head_id and node.unit.head.is_published else None
            boxes.append(
                Box(
                    node,
                    bx,
                    by,
                    level,
                    name_lines=_wrap(node.unit.name, NAME_CHARS, 3),
                    head_line=textwrap.shorten(head.name, width=HEAD_CHARS, placeholder=" …") if head else "",
                )
            )
        lines += [
            f"M{x1} {y1}H{x2}" if y1 == y2 else f"M{x1} {y1}V{y2}"
            for x1, y1, x2, y2 in block.lines
            if x1 == x2 or y1 == y2
        ]
    width = x - H_GAP + MARGIN
    height = max(block.height for block in blocks) + 2 * MARGIN
    return Chart(boxes, lines, width, height, max(box.level for box in boxes))
