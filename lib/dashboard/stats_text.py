"""The dashboard's headline figures as plain text, for ``hookwright stats``."""

from __future__ import annotations

from collections.abc import Mapping

from hookwright.dashboard.metrics import Metrics


def _pct(rate: Mapping[str, object]) -> str:
    if rate["value"] is None:
        return "n/a"
    return f"{rate['value']:.1%} (95% CI {rate['low']:.1%}-{rate['high']:.1%}, n={rate['total']})"


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}s"


def stats_text(metrics: Metrics) -> str:
    head, saved, problems = metrics.headline, metrics.time_saved, metrics.problems
    if not head["runs"] and not head["excluded"]:
        return "no data yet: no records found\n"
    lines = [
        f"runs            {head['runs']}"
        + (f" ({head['first'][:10]} .. {head['last'][:10]})" if head["first"] else ""),
        f"success         {_pct(head['success'])}",
        f"duration        p50 {_seconds(head['p50_s'])}  p95 {_seconds(head['p95_s'])}",
        f"cache hits      {_pct(head['cache_hits'])}",
        f"time saved      parallelism {saved['parallel_s']:.0f}s (measured)  cache {saved['cache_s']:.0f}s "
        f"(measured)  self_heal {saved['self_heal_estimate_s']:.0f}s (ESTIMATE, {saved['fixes']} fixes)",
    ]
    for label, key in (("top by runs", "by_runs"), ("top by failures", "by_failures")):
        value = "runs" if key == "by_runs" else "failures"
        top = ", ".join(f"{row['pattern']} {row[value]}" for row in metrics.top[key][:3]) or "-"
        lines.append(f"{label:<16}{top}")
    slow = ", ".join(f"{row['check']} p95 {row['p95_s']:.2f}s" for row in metrics.top["slowest_checks"][:3])
    lines.append(f"slowest checks  {slow or '-'}")
    common = ", ".join(f"{row['code']} x{row['count']}" for row in metrics.codes[:3])
    lines.append(f"top findings    {common or '-'}")
    excluded = f"{problems['truncated']} truncated, {problems['invalid']} invalid, {problems['newer']} newer"
    lines.append(f"excluded        {head['excluded']} ({excluded})")
    if problems["schema_warnings"]:
        lines.append(
            f"schema warnings {problems['schema_warnings']} of {problems['validated']} fully validated"
        )
    return "\n".join(lines) + "\n"
