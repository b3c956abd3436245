"""The dashboard's statistics: proportions with Wilson intervals, percentiles, the p50/p95 spread."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, TypedDict

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    successes: int
    total: int
    value: float | None
    low: float | None
    high: float | None


def wilson(successes: int, total: int, z: float = Z95) -> Rate:
    """A proportion with its Wilson score interval: 3 of 3 reads as 44-100%, not as 100%."""
    if total <= 0:
        return Rate(successes, total, None, None, None)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return Rate(successes, total, p, max(0.0, centre - half), min(1.0, centre + half))


def percentile(ordered: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default, ``statistics`` "inclusive")."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


class Spread(TypedDict):
    p50_s: float | None
    p95_s: float | None


def rate(successes: int, total: int) -> dict[str, Any]:
    return asdict(wilson(successes, total))


def spread(durations: list[float]) -> Spread:
    ordered = sorted(durations)
    return {"p50_s": percentile(ordered, 0.5), "p95_s": percentile(ordered, 0.95)}
