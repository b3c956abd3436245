"""todo: TODO / FIXME / XXX / HACK markers on the lines being added."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any

from hookwright.checks.base import Check, CheckContext
from hookwright.reporting import Finding, Severity, StepResult
from hookwright.user_regex import compile_pattern


class TodoCheck(Check):
    kind = "todo"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        super().__init__(name, options)
        markers = [re.escape(m) for m in options.get("markers", ["TODO", "FIXME", "XXX", "HACK"])]
        # The user's words and pattern run on RE2: linear time on any line (hookwright.user_regex).
        self._marker = compile_pattern(rb"\b(" + "|".join(markers).encode() + rb")\b", f"{name}: markers")
        allow = options.get("allow")
        self._allow = compile_pattern(allow, f"{name}: allow") if allow else None
        self._severity: Severity = "error" if options.get("policy") == "fail" else "warning"

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        target = ctx.target
        paths = self.wanted(target, target.files)
        paths = [p for p in paths if target.adds_to(p)]
        target.ensure(paths)
        findings: list[Finding] = []
        for path in paths:
            try:
                data = target.read(path)
            except OSError:
                continue
            if b"\0" in data[:8192] or not self._marker.search(data):
                continue  # binary, or nothing to find: most files stop here
            for number, line in enumerate(data.splitlines(), start=1):
                match = self._marker.search(line)
                if match is None or not target.is_added(path, number):
                    continue
                text = line.decode("utf-8", "replace").strip()
                if self._allow is not None and self._allow.search(text):
                    continue
                marker = match.group(1).decode()
                # With every line in scope (--all-files) nothing was "added": say what is there.
                verb = "" if target.whole(path) else " added"
                message = f"{marker}{verb}: {text[:160]}"
                findings.append(Finding(path, number, match.start() + 1, marker, message, self._severity))
        return self.result(findings, started=started, files=len(paths))
