"""Chart geometry for the dashboard: bars, lines and a donut as plain data the template draws as SVG.

Nothing here writes markup: every label reaches the page through the template's autoescaping. Colours
are SVG presentation attributes, not CSS, so the charts keep them under a policy that forbids inline
styles (Jenkins' default).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

WIDTH = 640
ROW = 22
LABEL_W = 180
PASSED, FAILED, ERROR = "#1a7f37", "#cf222e", "#9a6700"
PARALLEL, CACHE, ESTIMATE = "#0969da", "#8250df", "#d4a72c"
NEUTRAL = "#57606a"


Attrs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Mark:
    """One thing a reader can point at, with its own title; a ``g`` mark groups the shapes of one datum."""

    tag: str  # rect | path | circle | line | g
    attrs: Attrs
    label: str
    shapes: tuple[tuple[str, Attrs], ...] = ()


@dataclass(frozen=True)
class Text:
    x: str
    y: str
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    title: str
    height: int
    width: int = WIDTH
    marks: list[Mark] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)

    def mark(self, tag: str, label: str, **attrs: float | str) -> None:
        self.marks.append(Mark(tag, _attrs(attrs), label))

    def group(self, label: str, shapes: Sequence[tuple[str, Mapping[str, object]]]) -> None:
        if shapes:
            self.marks.append(Mark("g", (), label, tuple((tag, _attrs(attrs)) for tag, attrs in shapes)))

    def text(self, x: float, y: float, text: str, anchor: str = "start") -> None:
        self.texts.append(Text(_num(x), _num(y), text, anchor))


def _attrs(attrs: Mapping[str, object]) -> Attrs:
    return tuple((k.replace("_", "-"), _num(v)) for k, v in attrs.items())


def _num(value: object) -> str:
    if isinstance(value, str):
        return value
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def clip(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[: size - 1] + "\u2026"


def _legend(chart: Chart, parts: Sequence[tuple[str, str]], y: float) -> None:
    x = LABEL_W
    for name, colour in parts:
        chart.mark("rect", f"legend: {name}", x=x, y=y - 9, width=10, height=10, fill=colour)
        chart.text(x + 14, y, name)
        x += 24 + 7 * len(name)


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
        _legend(chart, list(parts_seen.items()), 14)
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
    _legend(chart, list(names.items()), 12)
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
        path = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in coords)
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
        return f"{_num(cx + radius * math.cos(angle))} {_num(cy + radius * math.sin(angle))}"

    return (
        f"M{at(outer, start)} A{_num(outer)} {_num(outer)} 0 0 1 {at(outer, end)} "
        f"L{at(inner, end)} A{_num(inner)} {_num(inner)} 0 0 0 {at(inner, start)} Z"
    )
