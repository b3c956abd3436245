"""Bar charts for the dashboard: stacked horizontal bars, rates with their interval, daily columns."""

from __future__ import annotations

import math
from collections.abc import Sequence

from hookwright.dashboard.charts import (
    ERROR,
    FAILED,
    LABEL_W,
    PASSED,
    ROW,
    WIDTH,
    Chart,
    clip,
    draw_legend,
)


def hbars(
    title: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, float, str]]]],
    fmt: str = "{:g}",
    unit: str = "",
) -> Chart:
    """Horizontal bars, one row per item; several parts in a row are stacked and each labelled."""
    parts_seen: dict[str, str] = {}
    for _label, parts in rows:
        for name, _value, colour in parts:
            parts_seen.setdefault(name, colour)
    legend = len(parts_seen) > 1
    top = 22 if legend else 6
    chart = Chart(title, top + ROW * max(1, len(rows)) + 6)
    if legend:
        draw_legend(chart, list(parts_seen.items()), 14)
    widest = max((sum(v for _n, v, _c in parts) for _l, parts in rows), default=0) or 1
    span = WIDTH - LABEL_W - 90
    for index, (label, parts) in enumerate(rows):
        y = top + index * ROW
        chart.text(LABEL_W - 6, y + 15, clip(label), "end")
        x = float(LABEL_W)
        for name, value, colour in parts:
            width = span * value / widest
            what = f"{label}: {fmt.format(value)}{unit}" + (f" {name}" if legend or name else "")
            chart.mark("rect", what, x=x, y=y + 3, width=max(width, 0.5), height=ROW - 6, fill=colour)
            x += width
        total = sum(v for _n, v, _c in parts)
        chart.text(x + 6, y + 15, fmt.format(total) + unit)
    return chart


def rate_bars(title: str, rows: Sequence[tuple[str, float, float, float, int]]) -> Chart:
    """Success rates (0..1) as bars with their 95% interval drawn as a whisker."""
    chart = Chart(title, 6 + ROW * max(1, len(rows)) + 6)
    span = WIDTH - LABEL_W - 110
    for index, (label, value, low, high, total) in enumerate(rows):
        y = 6 + index * ROW
        chart.text(LABEL_W - 6, y + 15, clip(label), "end")
        colour = PASSED if value >= 0.9 else ERROR if value >= 0.5 else FAILED
        what = f"{label}: {value:.1%} of {total} (95% CI {low:.1%}-{high:.1%})"
        bar = {"x": LABEL_W, "y": y + 4, "width": max(span * value, 0.5), "height": ROW - 8, "fill": colour}
        middle = y + ROW / 2
        whisker = {"x1": LABEL_W + span * low, "x2": LABEL_W + span * high, "y1": middle, "y2": middle}
        chart.group(what, [("rect", bar), ("line", {**whisker, "stroke": "#24292f", "stroke_width": 2})])
        chart.text(LABEL_W + span + 8, y + 15, f"{value:.1%} (n={total})")
    return chart


def columns(
    title: str, days: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], fmt: str = "{:g}"
) -> Chart:
    """Stacked columns, one per day, with dates along the bottom."""
    height, bottom, left = 200, 170, 50
    chart = Chart(title, height)
    names: dict[str, str] = {}
    for _day, parts in days:
        for name, _value, colour in parts:
            names.setdefault(name, colour)
    draw_legend(chart, list(names.items()), 12)
    tallest = max((sum(v for _n, v, _c in parts) for _d, parts in days), default=0) or 1
    chart.text(left - 4, 30, fmt.format(tallest), "end")
    chart.text(left - 4, bottom, "0", "end")
    step = (WIDTH - left - 10) / max(1, len(days))
    every = max(1, math.ceil(len(days) / 8))
    for index, (day, parts) in enumerate(days):
        x = left + index * step
        y = float(bottom)
        shapes: list[tuple[str, dict[str, float | str]]] = []
        for _name, value, colour in parts:
            if not value:
                continue
            h = (bottom - 26) * value / tallest
            y -= h
            shapes.append(
                ("rect", {"x": x + 1, "y": y, "width": max(step - 2, 1), "height": h, "fill": colour})
            )
        what = ", ".join(f"{name} {fmt.format(value)}" for name, value, _c in parts)
        chart.group(f"{day}: {what}", shapes)
        if index % every == 0:
            chart.text(x + step / 2, bottom + 16, day[5:], "middle")
    return chart
