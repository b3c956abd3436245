"""Dashboard charts drawn as SVG paths: a rate per day as a line, shares of a whole as a donut."""

from __future__ import annotations

import math
from collections.abc import Sequence

from hookwright.dashboard.charts import PARALLEL, WIDTH, Chart, num


def line(title: str, points: Sequence[tuple[str, float, float, float, int]]) -> Chart:
    """A rate (0..1) per day as a line, each day a point with its interval in the tooltip."""
    height, bottom, top, left = 200, 170, 20, 50
    chart = Chart(title, height)
    for level in (0.0, 0.5, 1.0):
        y = bottom - (bottom - top) * level
        chart.text(left - 4, y + 4, f"{level:.0%}", "end")
        chart.mark(
            "line", f"{level:.0%} line", x1=left, x2=WIDTH - 10, y1=y, y2=y, stroke="#d0d7de", stroke_width=1
        )
    step = (WIDTH - left - 20) / max(1, len(points) - 1)
    coords = [
        (left + 5 + i * step, bottom - (bottom - top) * value) for i, (_d, value, *_r) in enumerate(points)
    ]
    if len(coords) > 1:
        path = "M" + " L".join(f"{num(x)} {num(y)}" for x, y in coords)
        chart.mark(
            "path", f"{title}: {len(points)} days", d=path, fill="none", stroke=PARALLEL, stroke_width=2
        )
    every = max(1, math.ceil(len(points) / 8))
    for index, ((day, value, low, high, total), (x, y)) in enumerate(zip(points, coords, strict=True)):
        what = f"{day}: {value:.1%} of {total} (95% CI {low:.1%}-{high:.1%})"
        chart.mark("circle", what, cx=x, cy=y, r=3.5, fill=PARALLEL)
        if index % every == 0:
            chart.text(x, bottom + 16, day[5:], "middle")
    return chart


def donut(title: str, parts: Sequence[tuple[str, int, str]]) -> Chart:
    """Shares of a whole as a ring; a legend with the counts beside it."""
    chart = Chart(title, 180)
    cx, cy, outer, inner = 90.0, 90.0, 80.0, 48.0
    total = sum(value for _n, value, _c in parts) or 1
    start = 0.0
    for index, (name, value, colour) in enumerate(parts):
        share = value / total
        what = f"{name}: {value} ({share:.1%})"
        chart.mark("rect", f"legend: {what}", x=200, y=40 + index * 26, width=12, height=12, fill=colour)
        chart.text(220, 51 + index * 26, what)
        if value:
            chart.mark("path", what, d=_arc(cx, cy, outer, inner, start, start + share), fill=colour)
        start += share
    return chart


def _arc(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """A ring segment from ``start`` to ``end`` (fractions of a turn, clockwise from 12 o'clock)."""
    if end - start > 0.5:  # in two halves: a whole turn's end points coincide and would draw nothing
        middle = (start + end) / 2
        return _arc(cx, cy, outer, inner, start, middle) + " " + _arc(cx, cy, outer, inner, middle, end)

    def at(radius: float, fraction: float) -> str:
        angle = 2 * math.pi * fraction - math.pi / 2
        return f"{num(cx + radius * math.cos(angle))} {num(cy + radius * math.sin(angle))}"

    return (
        f"M{at(outer, start)} A{num(outer)} {num(outer)} 0 0 1 {at(outer, end)} "
        f"L{at(inner, end)} A{num(inner)} {num(inner)} 0 0 0 {at(inner, start)} Z"
    )
