"""Scoring reported clone pairs against the labelled corpus (the issue's rule: 70% of both spans)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

COVERAGE = 0.7
TYPES = ("T1", "T2c", "T2", "T3")


@dataclass(frozen=True)
class Span:
    path: str
    start: int
    end: int

    def covers(self, other: Span) -> bool:
        """This reported span covers at least COVERAGE of ``other`` (a true span)."""
        if self.path != other.path:
            return False
        overlap = min(self.end, other.end) - max(self.start, other.start) + 1
        return overlap >= COVERAGE * (other.end - other.start + 1)

    def overlaps(self, other: Span) -> bool:
        return self.path == other.path and self.start <= other.end and other.start <= self.end


Pair = tuple[Span, Span]


def _span(data: dict) -> Span:
    return Span(data["path"], data["start_line"], data["end_line"])


def load_labels(corpus: Path) -> list[tuple[str, Pair]]:
    document = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    return [(p["type"], (_span(p["original"]), _span(p["copy"]))) for p in document["pairs"]]


def pairs_of_classes(classes: Iterable[Sequence[Span]]) -> list[Pair]:
    return [(a, b) for members in classes for a, b in combinations(members, 2)]


def inside(reported: Pair, true: Pair) -> bool:
    """Each reported span lies within the matching true span: a part of a true clone, not a false one."""
    a, b = reported
    x, y = true

    def within(s: Span, t: Span) -> bool:
        return s.path == t.path and t.start <= s.start and s.end <= t.end

    return (within(a, x) and within(b, y)) or (within(a, y) and within(b, x))


def matches(reported: Pair, true: Pair) -> bool:
    a, b = reported
    x, y = true
    return (a.covers(x) and b.covers(y)) or (a.covers(y) and b.covers(x))


@dataclass
class Score:
    recall: dict[str, float]
    found: dict[str, int]
    total: dict[str, int]
    precision: float
    judged: int  # reported pairs touching an injected span
    false: list[Pair]

    def f1(self, kind: str) -> float:
        p, r = self.precision, self.recall[kind]
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(labels: list[tuple[str, Pair]], reported: list[Pair]) -> Score:
    """Recall per type; precision over reported pairs that touch an injected span (copy or negative).

    Pairs wholly inside the unlabelled base code are not judged: nobody labelled its natural clones.
    """
    injected = [pair[1] for _, pair in labels]
    true = [(kind, pair) for kind, pair in labels if kind != "negative"]
    found = dict.fromkeys(TYPES, 0)
    total = dict.fromkeys(TYPES, 0)
    for kind, pair in true:
        total[kind] += 1
        if any(matches(r, pair) for r in reported if r[0].path in (pair[0].path, pair[1].path)):
            found[kind] += 1
    judged = [r for r in reported if any(s.overlaps(i) for s in r for i in injected)]
    false = [r for r in judged if not any(matches(r, pair) for _, pair in true)]
    precision = 1.0 if not judged else (len(judged) - len(false)) / len(judged)
    recall = {k: found[k] / total[k] if total[k] else 1.0 for k in TYPES}
    return Score(recall, found, total, precision, len(judged), false)
