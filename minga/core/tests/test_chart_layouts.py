"""Every chart comes in two layouts: the wide one and the phone one drawn beside it (CSS shows
one), so a 360 px screen never scrolls a chart sideways nor shrinks its text to nothing. Each
layout keeps every mark inside its own width and says the same figures."""

import pytest

from minga.core.ui import charts

DATA = [
    charts.Datum("Dirección de Obras Públicas y Vialidad Provincial", 2_566_226),
    charts.Datum("Montecristi", 2_272_268.5),
    charts.Datum("El Carmen", 1_647_733),
    charts.Datum("Otros", 868_501, others=True),
]


@pytest.mark.parametrize("kind", ["bar", "line", "pie"])
def test_each_chart_has_a_narrow_layout_with_the_same_figures(kind):
    wide = charts.build(kind, DATA, places=2)
    narrow = wide["narrow"]
    assert wide["width"] == charts.WIDTH and narrow["width"] == charts.NARROW
    assert "narrow" not in narrow
    marks = {"bar": "bars", "line": "points", "pie": "slices"}[kind]
    assert [m["value"] for m in wide[marks]] == [m["value"] for m in narrow[marks]]
    assert narrow["height"] > 0


def test_narrow_bars_stay_inside_the_narrow_width():
    narrow = charts.build("bar", DATA, places=2)["narrow"]
    for bar in narrow["bars"]:
        assert narrow["label_x"] < bar["x"] + 1 and bar["x"] + bar["width"] <= narrow["value_x"]
        assert all(len(line["text"]) <= 16 for line in bar["lines"])
    assert all(0 <= tick["x"] <= narrow["width"] for tick in narrow["ticks"])


def test_narrow_pie_puts_its_legend_under_the_pie():
    narrow = charts.build("pie", DATA, places=2)["narrow"]
    assert narrow["cx"] + narrow["radius"] <= narrow["width"]
    assert all(item["legend_y"] >= narrow["cy"] + narrow["radius"] for item in narrow["slices"])
    assert narrow["height"] >= narrow["slices"][-1]["legend_value_y"]
