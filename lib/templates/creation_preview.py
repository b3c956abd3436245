"""What a creation pattern would write, shown before it is written: the plan, its record, a unified diff."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright.templates.creation import Action, Output


def plan_lines(outputs: Sequence[Output], actions: Mapping[str, Action]) -> list[str]:
    return [f"{actions.get(o.path, 'refused'):<9} {o.path}  ({o.source})" for o in outputs]


def preview(root: Path, outputs: Sequence[Output], actions: Mapping[str, Action]) -> str:
    """What --dry-run prints: the plan, a unified diff, and a line saying nothing was written."""
    counts: dict[str, int] = {}
    for output in outputs:
        action = actions.get(output.path, "refused")
        counts[action] = counts.get(action, 0) + 1
    summary = ", ".join(f"{count} {action}" for action, count in counts.items()) or "no files"
    plan = "\n".join(plan_lines(outputs, actions))
    return f"{plan}\n{diff(root, outputs, actions)}dry run ({summary}): nothing was written\n"


def diff(root: Path, outputs: Sequence[Output], actions: Mapping[str, Action]) -> str:
    chunks = []
    for output in outputs:
        action = actions.get(output.path)
        if action in (None, "unchanged"):
            continue
        old = (root / output.path).read_bytes() if action != "create" else b""
        try:
            before, after = old.decode("utf-8"), output.data.decode("utf-8")
        except UnicodeDecodeError:
            chunks.append(f"Binary file {output.path} ({len(output.data)} bytes)\n")
            continue
        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            "/dev/null" if action == "create" else f"a/{output.path}",
            f"b/{output.path}",
        )
        chunks.append("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    return "".join(chunks)


def plan_record(outputs: Sequence[Output], actions: Mapping[str, Action]) -> list[dict[str, Any]]:
    return [
        {"path": o.path, "source": o.source, "action": actions.get(o.path, "refused"), "bytes": len(o.data)}
        for o in outputs
    ]
