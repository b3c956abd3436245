"""The shape of the metrics: proportions with Wilson intervals, percentiles, and the sorted, JSON-ready
summary that lib/dashboard/metrics.py's Aggregator hands to the dashboard and to ``hookwright stats``."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:
    from hookwright.dashboard.metrics import Aggregator

FIX_FAMILIES = ("import", "indentation", "syntax", "other")
Z95 = 1.959963984540054
TOP = 10


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


class FixRow(TypedDict):
    family: str
    fixes: int
    minutes_each: float
    estimate_s: float


class PatternRow(Spread):
    pattern: str
    runs: int
    passed: int
    failed: int
    error: int
    failures: int
    success: dict[str, Any]
    parallel_s: float
    cache_s: float
    measured_s: float
    estimate_s: float
    findings: int


class CheckRow(Spread):
    pattern: str
    check: str
    runs: int
    passed: int
    failed: int
    error: int
    failures: int
    skipped: int
    cached: int
    success: dict[str, Any]
    cache_s: float
    findings: int


def _rate(successes: int, total: int) -> dict[str, Any]:
    return asdict(wilson(successes, total))


def _spread(durations: list[float]) -> Spread:
    ordered = sorted(durations)
    return {"p50_s": percentile(ordered, 0.5), "p95_s": percentile(ordered, 0.95)}


def _top(rows: list[PatternRow], key: Literal["runs", "failures"]) -> list[PatternRow]:
    ranked = sorted((r for r in rows if r[key]), key=lambda r: (-r[key], r["pattern"]))
    return ranked[:TOP]


def summarise(agg: Aggregator, runs: list[dict[str, Any]]) -> Metrics:
    minutes = agg.options.fix_minutes
    fixes: list[FixRow] = [
        {
            "family": f,
            "fixes": agg.fixes.get(f, 0),
            "minutes_each": minutes.get(f, 0.0),
            "estimate_s": agg.fixes.get(f, 0) * minutes.get(f, 0.0) * 60,
        }
        for f in FIX_FAMILIES
    ]
    estimate = sum(row["estimate_s"] for row in fixes)
    patterns: list[PatternRow] = []
    for name in sorted(agg.patterns):
        t = agg.patterns[name]
        own_estimate = estimate if name == "self_heal" else 0.0
        patterns.append(
            {
                "pattern": name,
                "runs": t.runs,
                "passed": t.passed,
                "failed": t.failed,
                "error": t.error,
                "failures": t.failed + t.error,
                "success": _rate(t.passed, t.runs),
                **_spread(t.durations),
                "parallel_s": t.parallel_s,
                "cache_s": t.cache_s,
                "measured_s": t.parallel_s + t.cache_s,
                "estimate_s": own_estimate,
                "findings": t.findings,
            }
        )
    checks: list[CheckRow] = []
    for (pattern, name), t in sorted(agg.checks.items()):
        checks.append(
            {
                "pattern": pattern,
                "check": name,
                "runs": t.runs,
                "passed": t.passed,
                "failed": t.failed,
                "error": t.error,
                "failures": t.failed + t.error,
                "skipped": t.skipped,
                "cached": t.cached,
                "success": _rate(t.passed, t.runs),
                **_spread(t.durations),
                "cache_s": t.cache_s,
                "findings": t.findings,
            }
        )
    per_fix = estimate / max(1, sum(agg.fixes.values()))
    days = [
        {
            "date": date,
            "runs": d.runs,
            "passed": d.passed,
            "failures": d.failures,
            "success": _rate(d.passed, d.runs),
            "parallel_s": d.parallel_s,
            "cache_s": d.cache_s,
            "fixes": d.fixes,
            "estimate_s": d.fixes * per_fix,
        }
        for date, d in sorted(agg.days.items())
    ]
    all_durations = [x for t in agg.patterns.values() for x in t.durations]
    runs_total = sum(t.runs for t in agg.patterns.values())
    passed_total = sum(t.passed for t in agg.patterns.values())
    parallel = sum(t.parallel_s for t in agg.patterns.values())
    cache = sum(t.cache_s for t in agg.patterns.values())
    kinds = {
        kind: sum(1 for p in agg.problems if p["kind"] == kind) for kind in ("truncated", "invalid", "newer")
    }
    return Metrics(
        headline={
            "runs": runs_total,
            "success": _rate(passed_total, runs_total),
            **_spread(all_durations),
            "cache_hits": _rate(agg.cache_hits, agg.cache_hits + agg.cache_misses),
            "first": agg.first.isoformat() if agg.first else None,
            "last": agg.last.isoformat() if agg.last else None,
            "excluded": len(agg.problems),
        },
        time_saved={
            "parallel_s": parallel,
            "cache_s": cache,
            "self_heal_estimate_s": estimate,
            "measured_s": parallel + cache,
            "fixes": sum(agg.fixes.values()),
        },
        patterns=patterns,
        checks=checks,
        days=days,
        codes=[{"code": c, "count": n} for c, n in sorted(agg.codes.items(), key=lambda i: (-i[1], i[0]))],
        findings=[
            {"step": k[0], "code": k[1], "message": k[2], "count": n}
            for k, n in sorted(agg.finding_keys.items(), key=lambda i: (-i[1], i[0]))[:TOP]
        ],
        fixes=fixes,
        top={
            "by_runs": _top(patterns, "runs"),
            "by_time_saved": sorted(
                (p for p in patterns if p["measured_s"] + p["estimate_s"]),
                key=lambda p: (-(p["measured_s"] + p["estimate_s"]), p["pattern"]),
            )[:TOP],
            "by_failures": _top(patterns, "failures"),
            "slowest_checks": sorted(
                (c for c in checks if c["p95_s"] is not None),
                key=lambda c: (-(c["p95_s"] or 0.0), c["pattern"], c["check"]),
            )[:TOP],
            "failing_checks": sorted(
                (c for c in checks if c["failures"]), key=lambda c: (-c["failures"], c["pattern"], c["check"])
            )[:TOP],
        },
        runs=runs,
        problems={
            **kinds,
            "list": sorted(agg.problems, key=lambda p: p["name"]),
            "schema_warnings": len(agg.schema_warnings),
            "validated": agg.validated,
            "warnings_list": sorted(agg.schema_warnings, key=lambda p: p["name"]),
        },
    )


@dataclass(frozen=True)
class Metrics:
    """Everything the dashboard and ``hookwright stats`` show; plain data, sorted, JSON-ready."""

    headline: dict[str, Any]
    time_saved: dict[str, Any]
    patterns: list[PatternRow]
    checks: list[CheckRow]
    days: list[dict[str, Any]]
    codes: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    fixes: list[FixRow]
    top: dict[str, Any]
    runs: list[dict[str, Any]]
    problems: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
