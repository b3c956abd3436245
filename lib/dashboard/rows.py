"""The typed rows of the metrics, one per fix family, pattern and check, from the Aggregator's tallies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from hookwright.dashboard.rates import Spread, rate, spread

if TYPE_CHECKING:
    from hookwright.dashboard.metrics import Aggregator

FIX_FAMILIES = ("import", "indentation", "syntax", "other")


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


def fix_rows(agg: Aggregator) -> list[FixRow]:
    minutes = agg.options.fix_minutes
    return [
        {
            "family": f,
            "fixes": agg.fixes.get(f, 0),
            "minutes_each": minutes.get(f, 0.0),
            "estimate_s": agg.fixes.get(f, 0) * minutes.get(f, 0.0) * 60,
        }
        for f in FIX_FAMILIES
    ]


def pattern_rows(agg: Aggregator, estimate: float) -> list[PatternRow]:
    """One row per pattern; self_heal carries the time-saved ESTIMATE of its fixes."""
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
                "success": rate(t.passed, t.runs),
                **spread(t.durations),
                "parallel_s": t.parallel_s,
                "cache_s": t.cache_s,
                "measured_s": t.parallel_s + t.cache_s,
                "estimate_s": own_estimate,
                "findings": t.findings,
            }
        )
    return patterns


def check_rows(agg: Aggregator) -> list[CheckRow]:
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
                "success": rate(t.passed, t.runs),
                **spread(t.durations),
                "cache_s": t.cache_s,
                "findings": t.findings,
            }
        )
    return checks
