"""The dashboard: one self-contained HTML file from Metrics, readable offline, without JavaScript and
under Jenkins' default content-security policy (no inline CSS or script allowed at all).

jinja2 renders with autoescaping on; every string from a record also passes ``show``, which makes
bidirectional and other control characters visible instead of letting them reorder the text. The
only script sorts tables; the page's own policy allows it and the style sheet by their sha256.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import unicodedata
from collections.abc import Mapping
from typing import Any

from hookwright.dashboard import bar_charts, charts, path_charts
from hookwright.dashboard.metrics import Metrics
from hookwright.dashboard.template import script, style, template

LATEST_RUNS = 200
DAYS_SHOWN = 60
MAX_TEXT = 200


def show(value: object, size: int = MAX_TEXT) -> str:
    """Record text made safe to look at: control and bidi characters spelled out, long text clipped."""
    text = str(value)
    if len(text) > size:
        text = text[: size - 1] + "\u2026"
    if text.isprintable():
        return text
    return "".join(
        f"[U+{ord(c):04X}]" if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n" else c
        for c in text
    )


def pct(rate: Mapping[str, Any] | float | None) -> str:
    value = rate.get("value") if isinstance(rate, Mapping) else rate
    return "n/a" if value is None else f"{value:.1%}"


def interval(rate: Mapping[str, Any]) -> str:
    return "n/a" if rate["low"] is None else f"{rate['low']:.1%}\u2013{rate['high']:.1%}"


def seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def hours(value: float) -> str:
    return f"{value / 3600:.1f}"


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@functools.cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters.update(show=show, pct=pct, interval=interval, seconds=seconds, hours=hours)
    return environment.from_string(template())


def _label(row: Mapping[str, Any]) -> str:
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
                (_label(c), c["success"]["value"], c["success"]["low"], c["success"]["high"], c["runs"])
                for c in metrics.checks
                if c["runs"]
            ],
        ),
        "slowest": bar_charts.hbars(
            "Slowest checks (seconds, p50 then the extra to p95)",
            [
                (
                    _label(c),
                    [("p50", c["p50_s"], charts.PARALLEL), ("p95", c["p95_s"] - c["p50_s"], charts.CACHE)],
                )
                for c in top["slowest_checks"]
            ],
            "{:.2f}",
            " s",
        ),
        "failing_checks": bar_charts.hbars(
            "Failures by check",
            [(_label(c), [("", c["failures"], charts.FAILED)]) for c in top["failing_checks"]],
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


def render(
    metrics: Metrics,
    *,
    title: str = "hookwright dashboard",
    generated: str | None = None,
    full: bool | None = None,
) -> str:
    """The report as one HTML document; the same metrics always give the same bytes."""
    full = len(metrics.runs) > LATEST_RUNS if full is None else full
    days = metrics.days if full else metrics.days[-DAYS_SHOWN:]
    policy = (
        f"default-src 'none'; style-src {csp_hash(style())}; script-src {csp_hash(script())}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _template().render(
        m=metrics,
        title=title,
        generated=generated,
        days=days,
        days_hidden=len(metrics.days) - len(days),
        charts=build_charts(metrics, days) if metrics.headline["runs"] else {},
        label=_label,
        policy=policy,
        style=style(),
        script=script(),
    )
