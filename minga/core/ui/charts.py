"""Geometry of the server-rendered charts (bars, line, pie) of a resource's grouped data.

The functions take labels and numbers already chosen by the view and return plain dictionaries
of coordinates and texts; the template ``catalog/previews/chart_svg.html`` writes the SVG with
presentation attributes only (fill, stroke, font-size), so the same markup works inline under a
strict CSP and as a downloaded file with no stylesheet. Every mark carries its value as text,
so nothing depends on telling colours apart."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from . import numbers

WIDTH = 640
# Phones get the same chart laid out for a narrow screen (labels over fewer characters, the
# pie's legend under it), drawn beside the wide one and shown instead of it by CSS: scaling
# the wide chart down to a 360 px screen would leave 6 px text.
NARROW = 340
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1d2327"
MUTED = "#4c5a61"
GRID = "#c9d3d6"
BAR = "#0b5563"
# Every colour holds white text at 4.5:1 or more (WCAG AA); neighbours differ in hue and lightness.
PALETTE = ("#1f4e99", "#b24a12", "#2e6b30", "#5b3f8c", "#7a5a00", "#8e2c6b", "#0b5563", "#a4161a", "#444f55")
OTHERS = "#5f6b70"
MAX_LABEL = 26


@dataclass
class Datum:
    label: str
    value: float | int | Decimal | None
    others: bool = False

    @property
    def number(self) -> float:
        return float(self.value) if self.value is not None else 0.0


def format_number(value, *, decimals: int | None = None) -> str:
    """Ecuadorian usage in Spanish (1.234,5), the English convention in English; rounded half
    away from zero like every table (``numbers``), so a chart and its table show one figure."""
    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    return numbers.format_number(value, places=decimals)


def format_percent(share: float) -> str:
    return f"{numbers.format_number(share * 100, places=1)} %"


def decimals_for(values) -> int:
    """One number of decimals for a whole chart, so its figures line up."""
    return 0 if all(v is None or float(v).is_integer() for v in values) else 2


def short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def wrap(label: str, width: int, max_lines: int | None = 2) -> list[str]:
    """A label over lines of at most ``width`` characters, broken between words; with
    ``max_lines`` the last line ends in "…" when the label does not fit."""
    lines: list[str] = []
    for word in label.split():
        while len(word) > width:
            if lines and len(lines[-1]) + 1 < width:
                room = width - len(lines[-1]) - 1
                lines[-1] += " " + word[:room]
                word = word[room:]
            else:
                lines.append(word[:width])
                word = word[width:]
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        elif word:
            lines.append(word)
    lines = lines or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last if len(last) < width else last[: width - 1].rstrip()) + "…"
    return lines


def legend_lines(labels: list[str], width: int, max_lines: int = 2) -> list[list[str]]:
    """Each label wrapped; a label whose shortened form reads like another's is written in full,
    so a legend is never cut into ambiguity ("Transferencias y donacion…" twice)."""
    wrapped = [wrap(label, width, max_lines) for label in labels]
    seen: dict[tuple[str, ...], set[str]] = {}
    for label, lines in zip(labels, wrapped, strict=True):
        seen.setdefault(tuple(lines), set()).add(label)
    return [
        wrap(label, width, None) if len(seen[tuple(lines)]) > 1 else lines
        for label, lines in zip(labels, wrapped, strict=True)
    ]


def _nice(step: float) -> float:
    exponent = math.floor(math.log10(step))
    fraction = step / 10**exponent
    nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 2.5 if fraction <= 2.5 else 5 if fraction <= 5 else 10
    return nice * 10**exponent


def nice_ticks(low: float, high: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """Round tick values covering [low, high], zero included when the range spans it; with
    ``whole`` (counts, integer columns) no step is smaller than one."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1)
    step = _nice((high - low) / max(count - 1, 1))
    if whole:
        step = max(step, 1)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _scale(domain: tuple[float, float], span: tuple[float, float]):
    (d0, d1), (r0, r1) = domain, span
    ratio = (r1 - r0) / (d1 - d0) if d1 != d0 else 0

    def scale(value: float) -> float:
        return round(r0 + (value - d0) * ratio, 1)

    return scale


def bar_chart(data: list[Datum], places: int | None = None, width: int = WIDTH) -> dict:
    """Horizontal bars: long category names stay readable (wrapped over two lines, in full when
    two would read alike), values in a column on the right."""
    narrow = width < WIDTH
    row, bar, top, line_h = 30, 20, 8, 14
    label_w, value_w, label_chars = (112, 92, 15) if narrow else (190, 100, MAX_LABEL + 2)
    x0, x1 = label_w + 10, width - value_w - 6
    numbers = [d.number for d in data] or [0.0]
    places = decimals_for(d.value for d in data) if places is None else places
    ticks = nice_ticks(min(0.0, *numbers), max(0.0, *numbers), whole=places == 0)
    x = _scale((ticks[0], ticks[-1]), (x0, x1))
    zero = x(0.0)
    bars = []
    y = top
    for datum, lines in zip(data, legend_lines([d.label for d in data], label_chars), strict=True):
        end = x(datum.number)
        left, length = min(zero, end), abs(end - zero)
        height = max(row, line_h * len(lines) + 4)
        first_y = y + height / 2 + 5 - (len(lines) - 1) * line_h / 2
        bars.append(
            {
                "x": left,
                "y": y + (height - bar) / 2,
                "width": max(length, 1.0) if datum.value else length,
                "height": bar,
                "label": " ".join(lines),
                "lines": [{"text": text, "y": round(first_y + n * line_h, 1)} for n, text in enumerate(lines)],
                "full_label": datum.label,
                "text_y": y + height / 2 + 5,
                "value": format_number(datum.value, decimals=places),
                "fill": OTHERS if datum.others else BAR,
            }
        )
        y += height
    axis_y = y + 4
    return {
        "kind": "bar",
        "width": width,
        "height": axis_y + 28,
        "bars": bars,
        "label_x": label_w,
        "value_x": width - 4,
        "zero_x": zero,
        "plot_top": top,
        "axis_y": axis_y,
        "tick_y": axis_y + 18,
        "ticks": [{"x": x(t), "text": format_number(t)} for t in (ticks[::2] if narrow else ticks)],
    }


def line_chart(data: list[Datum], places: int | None = None, width: int = WIDTH) -> dict:
    """Points joined in the given order (a time series sorted by its label); gaps where a value is missing."""
    n = len(data)
    narrow = width < WIDTH
    rotate = n > (3 if narrow else 6)
    left, right, top, inset, height = 78, 24 if not narrow else 14, 28, 24 if not narrow else 12, 380 if rotate else 330
    bottom = 84 if rotate else 34
    numbers = [d.number for d in data if d.value is not None] or [0.0]
    places = decimals_for(d.value for d in data) if places is None else places
    ticks = nice_ticks(min(0.0, *numbers), max(numbers), whole=places == 0)
    y = _scale((ticks[0], ticks[-1]), (height - bottom, top))
    span = width - left - right - 2 * inset
    step = span / max(n - 1, 1)
    label_every = max(1, math.ceil(n / (6 if narrow else 16)))
    show_values = n <= (5 if narrow else 16)
    points, path, pen_down = [], [], False
    for i, datum in enumerate(data):
        px = round(left + inset + (i * step if n > 1 else span / 2), 1)
        point = {
            "x": px,
            "label": short(datum.label, 18),
            "full_label": datum.label,
            "show_label": i % label_every == 0,
            "value": format_number(datum.value, decimals=places),
            "show_value": show_values and datum.value is not None,
        }
        if datum.value is None:
            pen_down = False
        else:
            py = y(datum.number)
            point["y"] = py
            point["value_y"] = round(py - 11, 1)
            path.append(f"{'L' if pen_down else 'M'}{px} {py}")
            pen_down = True
        points.append(point)
    return {
        "kind": "line",
        "width": width,
        "height": height,
        "points": points,
        "path": " ".join(path),
        "left": left,
        "right": width - right,
        "axis_y": height - bottom,
        "label_y": height - bottom + 18,
        "rotate": rotate,
        "tick_x": left - 8,
        "ticks": [{"y": y(t), "text_y": y(t) + 4, "text": format_number(t)} for t in ticks],
    }


def pie_chart(data: list[Datum], places: int | None = None, width: int = WIDTH) -> dict:
    """Slices numbered in the pie and in the legend beside it (under it on a narrow chart), with
    value and share in words."""
    narrow = width < WIDTH
    cx, cy, radius = (width // 2, 130, 118) if narrow else (170, 170, 150)
    total = sum(d.number for d in data)
    slices, angle = [], -math.pi / 2
    colours = iter(PALETTE * (len(data) // len(PALETTE) + 1))
    places = decimals_for(d.value for d in data) if places is None else places
    legend_x, legend_top, line_h = (4, 2 * cy + 8, 16) if narrow else (350, 12, 16)
    legend_y = legend_top
    wrapped = legend_lines([d.label for d in data], 36 if narrow else 34)
    for i, datum in enumerate(data):
        lines = wrapped[i]
        share = datum.number / total if total else 0.0
        sweep = share * 2 * math.pi
        end = angle + sweep
        fill = OTHERS if datum.others else next(colours)
        middle = angle + sweep / 2
        item = {
            "number": i + 1,
            "fill": fill,
            "label": " ".join(lines),
            "lines": [{"text": text, "y": legend_y + 14 + n * line_h} for n, text in enumerate(lines)],
            "full_label": datum.label,
            "value": format_number(datum.value, decimals=places),
            "share": format_percent(share),
            "text_x": round(cx + radius * 0.68 * math.cos(middle), 1),
            "text_y": round(cy + radius * 0.68 * math.sin(middle) + 5, 1),
            "show_number": sweep >= 0.3,
            "legend_y": legend_y,
            "legend_text_y": legend_y + 14,
            "legend_value_y": legend_y + 14 + len(lines) * line_h,
            "swatch_text_y": legend_y + 14,
            "circle": share >= 0.9999,
        }
        if not item["circle"]:
            x0, y0 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x1, y1 = cx + radius * math.cos(end), cy + radius * math.sin(end)
            large = 1 if sweep > math.pi else 0
            item["d"] = (
                f"M{cx} {cy} L{x0:.1f} {y0:.1f} A{radius} {radius} 0 {large} 1 {x1:.1f} {y1:.1f} Z" if sweep > 0 else ""
            )
        slices.append(item)
        angle = end
        legend_y += len(lines) * line_h + 22
    return {
        "kind": "pie",
        "width": width,
        "height": max(2 * cy, legend_y + 10),
        "cx": cx,
        "cy": cy,
        "radius": radius,
        "slices": slices,
        "legend_x": legend_x,
        "legend_text_x": legend_x + 28,
        "swatch_x": legend_x + 10,
        "total": format_number(total, decimals=places),
    }


def build(kind: str, data: list[Datum], *, places: int | None = None, width: int = WIDTH) -> dict:
    """``places``: the decimals every figure shows (2 for money); None decides from the values.
    The wide chart carries its phone layout as ``narrow`` (templates draw both, CSS shows one)."""
    chart = {"bar": bar_chart, "line": line_chart, "pie": pie_chart}[kind](data, places, width)
    chart.update(font=FONT, ink=INK, muted=MUTED, grid=GRID, bar_fill=BAR)
    if width == WIDTH:
        chart["narrow"] = build(kind, data, places=places, width=NARROW)
    return chart
