"""What a verdict leaves on a job besides annotations: the Markdown summary, links, the failed checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from hookwright.renderers import MarkdownRenderer, code_span
from hookwright.reporting import Report


def blob_base(server: str, repository: str, sha: str) -> str | None:
    if not (server and repository and sha):
        return None
    return f"{server.rstrip('/')}/{quote(repository)}/blob/{sha}"


def summary(
    report: Report,
    *,
    link_base: str | None,
    target: Mapping[str, Any],
    omitted: int = 0,
    max_findings: int = 50,
) -> str:
    text = MarkdownRenderer(options={"link_base": link_base, "max_findings": max_findings}).format(report)
    files = target.get("files") or []
    ends = [str(target[k])[:12] for k in ("from_ref", "head") if target.get(k)]
    notes = [f"Verified {len(files)} changed file{'s' if len(files) != 1 else ''}"]
    if len(ends) == 2:
        notes[0] += f" between {code_span(ends[0])} and {code_span(ends[1])}"
    if omitted:
        notes.append(
            f"{omitted} more finding{'s' if omitted != 1 else ''} not annotated (GitHub's per-step limit)"
        )
    return text.rstrip("\n") + "\n\n" + " ".join(f"{note}." for note in notes) + "\n\n"


def failed_checks(record: Mapping[str, Any], report: Report) -> list[str]:
    decision = record.get("decision")
    if isinstance(decision, Mapping) and isinstance(decision.get("failed_steps"), list):
        return [str(name) for name in decision["failed_steps"]]
    return report.failed_steps
