"""The organisation chart's tidy-tree layout: no two boxes overlap, a unit sits above its
children and centred over them, levels are rows, many leaf children stack in columns, and
every line is horizontal or vertical inside the drawing."""

from types import SimpleNamespace

from ..orgchart import BOX_HEIGHT, STACK_ROWS, layout
from ..selectors import UnitNode


def _unit(name):
    return SimpleNamespace(name=name, slug=name, head_id=None, head=None)


def _node(name, *children):
    return UnitNode(_unit(name), list(children))


def _overlap(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _check(chart):
    for i, a in enumerate(chart.boxes):
        assert a.x >= 0 and a.x + a.width <= chart.width and a.y >= 0 and a.y + a.height <= chart.height
        for b in chart.boxes[i + 1 :]:
            assert not _overlap(a, b), (a.unit.name, b.unit.name)
    for line in chart.lines:
        assert line.startswith("M") and ("H" in line) != ("V" in line)


def test_a_small_tree_is_centred_in_rows_by_level():
    chart = layout([_node("top", _node("a", _node("a1"), _node("a2")), _node("b"))])
    _check(chart)
    boxes = {box.unit.name: box for box in chart.boxes}
    assert chart.levels == 3
    assert boxes["top"].y < boxes["a"].y == boxes["b"].y < boxes["a1"].y == boxes["a2"].y
    assert boxes["a"].centre == (boxes["a1"].centre + boxes["a2"].centre) // 2
    assert boxes["top"].level == 1 and boxes["a1"].level == 3


def test_many_leaf_children_stack_in_columns():
    leaves = [_node(f"d{i}") for i in range(15)]
    chart = layout([_node("council", _node("prefecture", _node("works", _node("w1"), _node("w2")), *leaves))])
    _check(chart)
    boxes = {box.unit.name: box for box in chart.boxes}
    columns = {boxes[f"d{i}"].x for i in range(15)}
    assert len(columns) == -(-15 // STACK_ROWS)  # 5, 5 and 5
    assert boxes["d1"].y == boxes["d0"].y + BOX_HEIGHT + 12
    assert chart.width < 1400  # a few columns, not fifteen boxes side by side


def test_long_names_wrap_on_three_lines_at_most_and_an_empty_chart_draws_nothing():
    chart = layout([_node("Dirección de Tecnologías de la Información y de la Comunicación Institucional Provincial")])
    assert len(chart.boxes[0].name_lines) == 3 and chart.boxes[0].name_lines[-1].endswith("…")
    assert layout([]) is None
