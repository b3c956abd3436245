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

from hookwright.dashboard.metrics import Metrics
from hookwright.dashboard.page_charts import build_charts, check_label
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
        label=check_label,
        policy=policy,
        style=style(),
        script=script(),
    )
