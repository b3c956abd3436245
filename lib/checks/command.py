"""command: any user command; its exit code decides, ``path:line[:col]: message`` lines become findings."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import parallel
from hookwright.checks.base import Check, CheckContext
from hookwright.errors import ConfigError
from hookwright.frozen import replace
from hookwright.reporting import Finding, Severity, StepResult

_LOCATED = re.compile(r"^(?P<path>[^:\n]+?):(?P<line>\d+)(?::(?P<col>\d+))?:\s*(?P<message>.+)$")
_ARG_BYTES = 100_000


def parse_located_lines(text: str, root: Path, severity: Severity = "error") -> list[Finding]:
    """``path:line[:col]: message`` lines (compilers, linters, grep -n) as findings."""
    findings = []
    resolved = root.resolve()
    for line in text.splitlines():
        match = _LOCATED.match(line.strip())
        if not match:
            continue
        path = match.group("path").strip()
        if os.path.isabs(path):
            try:
                path = Path(path).resolve().relative_to(resolved).as_posix()
            except ValueError:
                continue
        path = path.removeprefix("./")
        col = match.group("col")
        message = match.group("message").strip()
        code = "command"
        code_match = re.match(r"^(error|warning|note)\b[:\s]*", message, re.I)
        level = severity
        if code_match:
            word = code_match.group(1).lower()
            level = "error" if word == "error" else ("warning" if word == "warning" else "note")
            message = message[code_match.end() :] or message
        findings.append(
            Finding(path, int(match.group("line")), int(col) if col else None, code, message, level)
        )
    return findings


class CommandCheck(Check):
    kind = "command"
    default_timeout = 600.0

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        super().__init__(name, options)
        self.argv: list[str] = list(options["argv"])

    def prepare(self, root: Path) -> None:
        exe = self.argv[0]
        if os.sep in exe:
            if not (root / exe).is_file() and not Path(exe).is_file():
                raise ConfigError(f"commands: {self.name}: {exe} does not exist")
        elif shutil.which(exe) is None:
            raise ConfigError(f"commands: {self.name}: executable {exe!r} not found on PATH")

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        target = ctx.target
        paths = self.wanted(target, target.files)
        if not paths and not self.options.get("always_run", False):
            return StepResult(self.name, "skipped", 0.0, reason="no matching files")
        severity: Severity = self.options.get("severity", "error")
        batches: list[list[str]] = [[]]
        if self.options.get("pass_filenames", True):
            size = 0
            for path in paths:
                if size > _ARG_BYTES:
                    batches.append([])
                    size = 0
                batches[-1].append(path)
                size += len(path) + 1
        findings: list[Finding] = []
        failed = False
        from hookwright.testing import package_aliases, suite

        # The copy's packages, not what an editable install of the project takes from the work tree.
        env = package_aliases.for_target(ctx.env, target, suite.project_python(target.repo.root))
        for batch in batches:
            argv = [*self.argv, *(f"./{p}" if p.startswith("-") else p for p in batch)]
            result = parallel.run(argv, cwd=target.read_root, env=env, timeout=self.timeout)
            if result.missing:
                return self.result(
                    [Finding(None, None, None, "missing-executable", result.err)],
                    started=started,
                    status="error",
                )
            if result.timed_out:
                return self.result(
                    [
                        Finding(
                            None,
                            None,
                            None,
                            "timeout",
                            f"{self.argv[0]} timed out after {self.timeout:g}s",
                        )
                    ],
                    started=started,
                    status="error",
                )
            output = result.out + "\n" + result.err
            parsed = parse_located_lines(output, target.read_root, severity)
            findings.extend(parsed)
            if result.returncode != 0:
                failed = True
                if not parsed:
                    tail = [line for line in output.strip().splitlines() if line.strip()][-3:]
                    detail = " | ".join(tail) if tail else "no output"
                    findings.append(
                        Finding(
                            None,
                            None,
                            None,
                            "exit-code",
                            f"exited with {result.returncode}: {detail}",
                            severity,
                        )
                    )
        status = "failed" if failed and severity == "error" else None
        if not failed:
            # The exit code decides: what a command that succeeded printed is information, not failure.
            findings = [replace(f, severity="note") if f.severity == "error" else f for f in findings]
        return self.result(findings, started=started, files=len(paths), status=status)
