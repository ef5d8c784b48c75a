"""Geometry of the monthly bar chart drawn as SVG on the effectiveness page (scaled to the
screen through its viewBox; the table beside it has every figure)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
LEFT = 48  # room for the axis figures
TOP = 16
BOTTOM = 36  # room for the month labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    month: object
    before_launch: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, value)
    labels: list[tuple[float, object]]  # (x, month) under some bars
    launch_x: float | None
    maximum: int
    total: int
    baseline: float


def _nice_top(value: int) -> int:
    if value <= 4:
        return 4
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        top = int(step * factor)
        if top >= value:
            return top
    return value


def monthly_chart(months, metric: str = "visits") -> Chart | None:
    if not months:
        return None
    values = [month.value(metric) for month in months]
    top = _nice_top(max(values))
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = (WIDTH - LEFT) / len(months)
    bar_width = max(slot * 0.7, 2)
    bars = []
    launch_x = None
    for index, (month, value) in enumerate(zip(months, values, strict=True)):
        x = LEFT + index * slot + (slot - bar_width) / 2
        height = plot_height * value / top
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                value=value,
                month=month.month,
                before_launch=month.before_launch,
            )
        )
        if launch_x is None and index and months[index - 1].before_launch and not month.before_launch:
            launch_x = round(LEFT + index * slot, 1)
    every = max(1, -(-len(months) // 6))  # at most about six labels
    labels = [(round(LEFT + i * slot + slot / 2, 1), months[i].month) for i in range(0, len(months), every)]
    ticks = [(round(baseline - plot_height * share, 1), round(top * share)) for share in (0, 0.5, 1)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=ticks,
        labels=labels,
        launch_x=launch_x,
        maximum=max(values),
        total=sum(values),
        baseline=baseline,
    )
