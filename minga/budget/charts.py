"""Chart geometry for the budget pages. Bars and pies come from core's chart module; the
execution curve (executed and committed share of the budget per month against a straight-line
plan) needs several series on one fixed January–December axis, drawn here with the same
conventions: plain coordinates for a template, every mark labelled in text."""

from __future__ import annotations

from decimal import Decimal

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from minga.core.ui import charts

TOP_SLICES = 7
SERIES_COLOURS = ("#1f4e99", "#b24a12", "#2e6b30")
SERIES_DASHES = ("", "6 4", "2 3")


def bars(rows: list[tuple[str, Decimal | None]], *, places: int = 2) -> dict:
    """Bars of amounts (two decimals, as the table beside them) or, with ``places=1``, of rates."""
    return charts.build("bar", [charts.Datum(label, value) for label, value in rows], places=places)


def pie(rows: list[tuple[str, Decimal | None]]) -> dict:
    """The largest slices and one "others" slice, so the legend stays readable."""
    positive = [(label, value) for label, value in rows if value and value > 0]
    data = [charts.Datum(label, value) for label, value in positive[:TOP_SLICES]]
    rest = sum((value for _label, value in positive[TOP_SLICES:]), Decimal(0))
    if rest:
        data.append(charts.Datum(_("Others"), rest, others=True))
    return charts.build("pie", data, places=2)


def curve(series: list[tuple[str, dict[int, Decimal | None]]], *, width: int = charts.WIDTH) -> dict:
    """Lines of percentages (0–100+) over the months 1–12; ``series`` is [(label, {month: %})].
    The wide chart carries its phone layout as ``narrow`` (one legend entry per row, every
    other month named)."""
    narrow = width < charts.WIDTH
    per_row = 1 if narrow else 2
    height, left, right, top = 340, 56, 16, 20
    bottom = 34 + 18 * -(-len(series) // per_row) + (18 if narrow else 0)
    highest = max([100.0] + [float(v) for _label, points in series for v in points.values() if v is not None])
    ticks = charts.nice_ticks(0.0, highest)
    y0, y1 = height - bottom, top
    span = ticks[-1] - ticks[0] or 1

    def y(value: float) -> float:
        return round(y0 - (value - ticks[0]) * (y0 - y1) / span, 1)

    def x(month: int) -> float:
        return round(left + month * (width - left - right) / 12, 1)

    lines = []
    for index, (label, points) in enumerate(series):
        path, marks = [], []
        for month in range(0, 13):
            value = points.get(month)
            if value is None:
                continue
            px, py = x(month), y(float(value))
            path.append(f"{'L' if path else 'M'}{px} {py}")
            if month:
                marks.append({"x": px, "y": py, "month": month, "value": charts.format_number(value, decimals=1)})
        lines.append(
            {
                "label": label,
                "path": " ".join(path),
                "marks": marks,
                "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                "dash": SERIES_DASHES[index % len(SERIES_DASHES)],
                "legend_y": y0 + 34 + (index // per_row) * 18,
                "legend_x": (8 if narrow else left) + (index % per_row) * 280,
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "axis_y": y0,
        "font": charts.FONT,
        "ink": charts.INK,
        "muted": charts.MUTED,
        "grid": charts.GRID,
        "ticks": [{"y": y(t), "text_y": y(t) + 4, "text": f"{charts.format_number(t)} %"} for t in ticks],
        "months": [{"x": x(m), "text": str(MONTHS_3[m]).capitalize()} for m in range(1, 13) if not narrow or m % 2],
        "month_label_y": y0 + 18,
        "lines": lines,
        **({} if narrow else {"narrow": curve(series, width=charts.NARROW)}),
    }
