"""A dashboard chart as plain data (marks, texts, the palette) that the template draws as SVG.

Nothing here writes markup: every label reaches the page through the template's autoescaping. Colours
are SVG presentation attributes, not CSS, so the charts keep them under a policy that forbids inline
styles (Jenkins' default).
"""

from __future__ import annotations

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
        self.texts.append(Text(num(x), num(y), text, anchor))


def _attrs(attrs: Mapping[str, object]) -> Attrs:
    return tuple((k.replace("_", "-"), num(v)) for k, v in attrs.items())


def num(value: object) -> str:
    if isinstance(value, str):
        return value
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def clip(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[: size - 1] + "\u2026"


def draw_legend(chart: Chart, parts: Sequence[tuple[str, str]], y: float) -> None:
    x = LABEL_W
    for name, colour in parts:
        chart.mark("rect", f"legend: {name}", x=x, y=y - 9, width=10, height=10, fill=colour)
        chart.text(x + 14, y, name)
        x += 24 + 7 * len(name)
