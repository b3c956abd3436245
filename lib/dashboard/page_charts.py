"""Which charts the dashboard page shows, each built from its rows of the metrics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hookwright.dashboard import bar_charts, charts, path_charts
from hookwright.dashboard.metrics import Metrics


def check_label(row: Mapping[str, Any]) -> str:
    return row["check"] if row["pattern"] == "verify_commit" else f"{row['pattern']}: {row['check']}"


def build_charts(metrics: Metrics, days: list[dict[str, Any]]) -> dict[str, charts.Chart]:
    head, top = metrics.headline, metrics.top
    saved_parts = lambda row: [  # noqa: E731
        ("parallelism", row["parallel_s"], charts.PARALLEL),
        ("cache", row["cache_s"], charts.CACHE),
        ("self_heal (estimate)", row["estimate_s"], charts.ESTIMATE),
    ]
    passed = head["success"]["successes"]
    by_outcome = {o: sum(p[o] for p in metrics.patterns) for o in ("passed", "failed", "error")}
    return {
        "outcomes": path_charts.donut(
            "Runs by outcome",
            [
                ("passed", passed, charts.PASSED),
                ("failed", by_outcome["failed"], charts.FAILED),
                ("error", by_outcome["error"], charts.ERROR),
            ],
        ),
        "success_line": path_charts.line(
            "Success rate per day",
            [
                (d["date"], d["success"]["value"], d["success"]["low"], d["success"]["high"], d["runs"])
                for d in days
            ],
        ),
        "runs_days": bar_charts.columns(
            "Runs per day",
            [
                (
                    d["date"],
                    [("passed", d["passed"], charts.PASSED), ("not passed", d["failures"], charts.FAILED)],
                )
                for d in days
            ],
        ),
        "saved_days": bar_charts.columns(
            "Time saved per day (seconds)", [(d["date"], saved_parts(d)) for d in days], "{:.0f}"
        ),
        "saved_patterns": bar_charts.hbars(
            "Time saved by pattern (seconds)",
            [(p["pattern"], saved_parts(p)) for p in top["by_time_saved"]],
            "{:.0f}",
            " s",
        ),
        "top_runs": bar_charts.hbars(
            "Top patterns by runs",
            [(p["pattern"], [("", p["runs"], charts.PARALLEL)]) for p in top["by_runs"]],
            unit=" runs",
        ),
        "top_failures": bar_charts.hbars(
            "Top patterns by failures",
            [(p["pattern"], [("", p["failures"], charts.FAILED)]) for p in top["by_failures"]],
            unit=" failed",
        ),
        "check_success": bar_charts.rate_bars(
            "Success rate per check",
            [
                (check_label(c), c["success"]["value"], c["success"]["low"], c["success"]["high"], c["runs"])
                for c in metrics.checks
                if c["runs"]
            ],
        ),
        "slowest": bar_charts.hbars(
            "Slowest checks (seconds, p50 then the extra to p95)",
            [
                (
                    check_label(c),
                    [("p50", c["p50_s"], charts.PARALLEL), ("p95", c["p95_s"] - c["p50_s"], charts.CACHE)],
                )
                for c in top["slowest_checks"]
            ],
            "{:.2f}",
            " s",
        ),
        "failing_checks": bar_charts.hbars(
            "Failures by check",
            [(check_label(c), [("", c["failures"], charts.FAILED)]) for c in top["failing_checks"]],
            unit=" failed",
        ),
        "codes": bar_charts.hbars(
            "Findings by code", [(c["code"], [("", c["count"], charts.ERROR)]) for c in metrics.codes[:10]]
        ),
        "fixes": bar_charts.hbars(
            "self_heal fixes by family",
            [(f["family"], [("", f["fixes"], charts.ESTIMATE)]) for f in metrics.fixes],
            unit=" fixes",
        ),
    }
