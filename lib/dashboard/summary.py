"""The sorted, JSON-ready summary that lib/dashboard/metrics.py's Aggregator hands to the dashboard and
to ``hookwright stats``: headline, time saved, the rows, the days and the top lists."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from hookwright.dashboard.rates import rate, spread
from hookwright.dashboard.rows import CheckRow, FixRow, PatternRow, check_rows, fix_rows, pattern_rows

if TYPE_CHECKING:
    from hookwright.dashboard.metrics import Aggregator

TOP = 10


def _top(rows: list[PatternRow], key: Literal["runs", "failures"]) -> list[PatternRow]:
    ranked = sorted((r for r in rows if r[key]), key=lambda r: (-r[key], r["pattern"]))
    return ranked[:TOP]


def summarise(agg: Aggregator, runs: list[dict[str, Any]]) -> Metrics:
    fixes = fix_rows(agg)
    estimate = sum(row["estimate_s"] for row in fixes)
    patterns = pattern_rows(agg, estimate)
    checks = check_rows(agg)
    per_fix = estimate / max(1, sum(agg.fixes.values()))
    days = [
        {
            "date": date,
            "runs": d.runs,
            "passed": d.passed,
            "failures": d.failures,
            "success": rate(d.passed, d.runs),
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
            "success": rate(passed_total, runs_total),
            **spread(all_durations),
            "cache_hits": rate(agg.cache_hits, agg.cache_hits + agg.cache_misses),
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
