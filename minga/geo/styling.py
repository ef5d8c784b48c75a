"""Colours of features and their legend. Categories use the Okabe–Ito palette (told apart by
people with the common colour-vision deficiencies); classes of a number use five light-to-dark
steps of one hue with breaks at quantiles, so a skewed variable still spreads over the legend."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

CATEGORY_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
OTHER_COLOUR = "#8c8c8c"
NO_DATA_COLOUR = "#ffffff"
CLASS_COLOURS = ("#e8f1f3", "#b9d6dc", "#7fb3bf", "#3d8597", "#0b5563")
MAX_CATEGORIES = len(CATEGORY_COLOURS)


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass
class Style:
    legend: list[LegendEntry]
    colours: list[str]  # one per feature, in the order given


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def format_number(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def single(count: int, colour: str, label: str) -> Style:
    return Style([LegendEntry(colour, label)], [colour] * count)


def categories(values: list) -> Style:
    counts: dict[str, int] = {}
    for value in values:
        key = "" if value is None else str(value)
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted((k for k in counts if k), key=lambda k: (-counts[k], k))
    shown = ranked if len(ranked) <= MAX_CATEGORIES else ranked[: MAX_CATEGORIES - 1]
    colour_of = {key: CATEGORY_COLOURS[i] for i, key in enumerate(sorted(shown))}
    legend = [LegendEntry(colour_of[key], key) for key in sorted(shown)]
    if len(shown) < len(ranked):
        legend.append(LegendEntry(OTHER_COLOUR, _("Other values")))
    if "" in counts:
        legend.append(LegendEntry(NO_DATA_COLOUR, _("No value")))
    colours = []
    for value in values:
        key = "" if value is None else str(value)
        colours.append(NO_DATA_COLOUR if not key else colour_of.get(key, OTHER_COLOUR))
    return Style(legend, colours)


def breaks(numbers: list[float], steps: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of each class (quantiles), without repeats."""
    ordered = sorted(numbers)
    found: list[float] = []
    for i in range(1, steps + 1):
        position = min(len(ordered) - 1, max(0, round(i * len(ordered) / steps) - 1))
        bound = ordered[position]
        if not found or bound > found[-1]:
            found.append(bound)
    return found


def classes(values: list) -> Style:
    numbers = [_number(v) for v in values]
    present = [n for n in numbers if n is not None]
    if not present:
        return Style([LegendEntry(NO_DATA_COLOUR, _("No value"))], [NO_DATA_COLOUR] * len(values))
    bounds = breaks(present)
    # Spread the used steps over the whole ramp, so two classes are light and dark, not two lights.
    palette = [CLASS_COLOURS[round(i * (len(CLASS_COLOURS) - 1) / max(1, len(bounds) - 1))] for i in range(len(bounds))]
    if len(bounds) == 1:
        palette = [CLASS_COLOURS[-1]]
    legend, low = [], min(present)
    for colour, high in zip(palette, bounds, strict=True):
        text = format_number(high) if low == high else f"{format_number(low)} – {format_number(high)}"
        legend.append(LegendEntry(colour, text))
        low = high
    colours = []
    for number in numbers:
        if number is None:
            colours.append(NO_DATA_COLOUR)
            continue
        index = next((i for i, bound in enumerate(bounds) if number <= bound), len(bounds) - 1)
        colours.append(palette[index])
    if any(n is None for n in numbers):
        legend.append(LegendEntry(NO_DATA_COLOUR, _("No value")))
    return Style(legend, colours)


def layer_style(layer, properties: list[dict]) -> Style:
    if layer.style_kind == "categories" and layer.style_property:
        return categories([p.get(layer.style_property) for p in properties])
    if layer.style_kind == "classes" and layer.style_property:
        return classes([p.get(layer.style_property) for p in properties])
    return single(len(properties), layer.colour, layer.title)
