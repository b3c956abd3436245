"""The dashboard over 10,000 records: time and size, beside a plotly report of the same charts.

    python benchmarks/dashboard/bench.py [--records N] [--repeat R]

Records come from tests/test_metrics.py's deterministic generator (every pattern, valid against the
schemas), written as JSON files the way hookwright writes them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from test_metrics import make_records, write_records  # noqa: E402

from hookwright import schema_registry  # noqa: E402
from hookwright.dashboard import metrics  # noqa: E402
from hookwright.dashboard import page as dashboard  # noqa: E402
from hookwright.dashboard.options import rule_families  # noqa: E402
from hookwright.dashboard.record_checks import schema_problem  # noqa: E402
from hookwright.dashboard.record_files import read_sources  # noqa: E402


def timed(function: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def plotly_report(result: metrics.Metrics, path: Path) -> None:
    """The same charts with plotly, self-contained (plotly.js inlined: the report must work offline)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    days = result.days[-dashboard.DAYS_SHOWN :]
    top = result.top
    figure = make_subplots(
        rows=6,
        cols=2,
        specs=[[{"type": "domain"}, {}], [{}, {}], [{}, {}], [{}, {}], [{}, {}], [{}, {}]],
        subplot_titles=[
            "Runs by outcome",
            "Success rate per day",
            "Time saved by pattern",
            "Time saved per day",
            "Top patterns by runs",
            "Top patterns by failures",
            "Success rate per check",
            "Slowest checks",
            "Failures by check",
            "Findings by code",
            "self_heal fixes by family",
            "Runs per day",
        ],
    )
    outcomes = {o: sum(p[o] for p in result.patterns) for o in ("passed", "failed", "error")}
    figure.add_trace(go.Pie(labels=list(outcomes), values=list(outcomes.values()), hole=0.6), 1, 1)
    figure.add_trace(go.Scatter(x=[d["date"] for d in days], y=[d["success"]["value"] for d in days]), 1, 2)
    for part, key in (
        ("parallelism", "parallel_s"),
        ("cache", "cache_s"),
        ("self_heal estimate", "estimate_s"),
    ):
        rows = top["by_time_saved"]
        figure.add_trace(
            go.Bar(name=part, y=[p["pattern"] for p in rows], x=[p[key] for p in rows], orientation="h"), 2, 1
        )
        figure.add_trace(go.Bar(name=part, x=[d["date"] for d in days], y=[d[key] for d in days]), 2, 2)
    figure.add_trace(
        go.Bar(
            y=[p["pattern"] for p in top["by_runs"]], x=[p["runs"] for p in top["by_runs"]], orientation="h"
        ),
        3,
        1,
    )
    figure.add_trace(
        go.Bar(
            y=[p["pattern"] for p in top["by_failures"]],
            x=[p["failures"] for p in top["by_failures"]],
            orientation="h",
        ),
        3,
        2,
    )
    checks = [c for c in result.checks if c["runs"]]
    figure.add_trace(
        go.Bar(
            y=[f"{c['pattern']}:{c['check']}" for c in checks],
            x=[c["success"]["value"] for c in checks],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [c["success"]["high"] - c["success"]["value"] for c in checks],
                "arrayminus": [c["success"]["value"] - c["success"]["low"] for c in checks],
            },
            orientation="h",
        ),
        4,
        1,
    )
    slow = top["slowest_checks"]
    figure.add_trace(
        go.Bar(y=[c["check"] for c in slow], x=[c["p95_s"] for c in slow], orientation="h"), 4, 2
    )
    failing = top["failing_checks"]
    figure.add_trace(
        go.Bar(y=[c["check"] for c in failing], x=[c["failures"] for c in failing], orientation="h"), 5, 1
    )
    figure.add_trace(
        go.Bar(
            y=[c["code"] for c in result.codes[:10]],
            x=[c["count"] for c in result.codes[:10]],
            orientation="h",
        ),
        5,
        2,
    )
    figure.add_trace(
        go.Bar(x=[f["family"] for f in result.fixes], y=[f["fixes"] for f in result.fixes]), 6, 1
    )
    figure.add_trace(go.Bar(x=[d["date"] for d in days], y=[d["runs"] for d in days]), 6, 2)
    figure.update_layout(height=2400, barmode="stack", showlegend=False)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        subprocess.run(["git", "init", "-q", str(base / "repo")], check=True)
        state = base / "repo" / ".git" / "hookwright"
        records = make_records(args.records, seed=1)
        directory = write_records(state / "records", records)
        days = len({r["started_at"][:10] for r in records})
        size = sum(p.stat().st_size for p in directory.iterdir()) / 1e6
        print(f"{args.records} records over {days} days, {size:.1f} MB")
        out = base / "report.html"
        command = [sys.executable, "-m", "hookwright", "dashboard", "-o", str(out)]
        env = {**os.environ, "NO_COLOR": "1"}
        verdicts = state / "cache" / "dashboard-verdicts.json"

        def run(*extra: str, cold: bool) -> None:
            if cold:
                verdicts.unlink(missing_ok=True)
            subprocess.run([*command, *extra], check=True, capture_output=True, env=env, cwd=base / "repo")

        run(cold=True)  # warm the page cache
        cold_s, _ = timed(lambda: run(cold=True), args.repeat)
        warm_s, _ = timed(lambda: run(cold=False), args.repeat)
        print(
            f"hookwright dashboard (whole process, median of {args.repeat}): {cold_s:.3f} s the first time, "
            f"{warm_s:.3f} s with the remembered verdicts; {out.stat().st_size / 1024:.1f} kB"
        )
        full_cold, _ = timed(lambda: run("--full", cold=True), 1)
        full_warm, _ = timed(lambda: run("--full", cold=False), 1)
        print(
            f"  --full (every run listed and fully validated): {full_cold:.3f} s first, "
            f"{full_warm:.3f} s after; "
            f"{out.stat().st_size / 1024:.1f} kB"
        )
        stats_s, _ = timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "hookwright", "stats"],
                check=True,
                capture_output=True,
                cwd=base / "repo",
            ),
            args.repeat,
        )
        print(f"hookwright stats: {stats_s:.3f} s")

        options = metrics.Options(rule_families=rule_families())
        schema_registry.validator("verify_commit", "outputs")  # build the validators once, as a process does
        # Streaming, as the command does: holding 10,000 parsed records at once makes the garbage
        # collector, not the work, the cost.
        read_s, _ = timed(lambda: sum(1 for _ in read_sources(directory)), args.repeat)
        start = time.perf_counter()
        import jinja2  # noqa: F401

        dashboard.render(metrics.aggregate([]))
        jinja_s = time.perf_counter() - start
        nothing = metrics.Options(latest=0, rule_families=rule_families())
        bare_s, _ = timed(lambda: metrics.aggregate(read_sources(directory), nothing), args.repeat)
        agg_s, result = timed(lambda: metrics.aggregate(read_sources(directory), options), args.repeat)
        render_s, html = timed(lambda: dashboard.render(result), args.repeat)
        print(
            f"  in process: read+parse {read_s:.3f} s; + aggregate {bare_s - read_s:.3f} s; "
            f"+ full schema for the 200 shown {agg_s - bare_s:.3f} s; jinja2 import and template compile "
            f"{jinja_s:.3f} s; render {render_s:.3f} s"
        )
        sample = records[:500]
        full_schema, _ = timed(lambda: [schema_problem(r) for r in sample], 1)
        print(
            f"  full JSON Schema validation: {full_schema / len(sample) * 1000:.2f} ms a record "
            f"(all {args.records}: ~{full_schema / len(sample) * args.records:.1f} s)"
        )

        probe = "import time; t = time.perf_counter(); import plotly.graph_objects, plotly.subplots; "
        probe += "print(time.perf_counter() - t)"
        import_s = float(
            subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
        )
        plot = base / "plotly.html"
        plot_s, _ = timed(lambda: plotly_report(result, plot), args.repeat)
        print(
            f"plotly (same charts from the same aggregates, no tables): import {import_s:.3f} s + "
            f"write {plot_s:.3f} s, {plot.stat().st_size / 1024:.1f} kB self-contained"
        )
        print(f"hookwright report: {len(html.encode()) / 1024:.1f} kB with tables and the latest 200 runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
