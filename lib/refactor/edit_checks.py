"""Verifying an edit of a work tree: new syntax errors, new ruff F findings, then the user's command.

"New" matters: a file that already had an unused import, or that uses syntax newer than the running
interpreter, must not make every edit of it fail. Findings are compared with the same file before the
edit by (code, message), so moved lines do not count as new problems.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright import file_syntax, parallel, ruff
from hookwright.errors import BadInput
from hookwright.reporting import Finding

RUFF_RULES = ("F",)  # undefined names, redefinitions, unused imports: what an edit breaks
_OUTPUT_TAIL = 2000  # characters of a failing command's output kept in its finding

# Places a tool's output points at: `File "x.py", line 3` (tracebacks) and `x.py:3:` (pytest, ruff, mypy).
_TRACEBACK = re.compile(r'File "([^"\n]+)", line (\d+)')
_COLON = re.compile(r"(?:^|[\s(\[])([\w./\\-]+\.\w+):(\d+)\b", re.M)


def parse_command(text: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """A verify command from a string (split like a shell, but never run by one) or an argv list."""
    if text is None:
        return None
    if isinstance(text, str):
        try:
            argv = shlex.split(text)
        except ValueError as exc:
            raise BadInput(f"--verify-cmd {text!r} cannot be split into arguments: {exc}") from None
    else:
        argv = list(text)
    if not argv:
        raise BadInput("--verify-cmd is empty; give a command such as 'pytest -q'")
    return tuple(argv)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    findings: tuple[Finding, ...]
    locations: tuple[tuple[str, int | None], ...]  # where the failure points (path, line)
    command_ran: bool = False


def _key(finding: Finding) -> tuple[str, str]:
    return finding.code, finding.message


def _keys(finding: Finding, renamed: tuple[str, str] | None) -> set[tuple[str, str]]:
    """Its key, and for a rename OLD -> NEW also the key it has once the rename wrote NEW for OLD."""
    key = _key(finding)
    if renamed is None:
        return {key}
    old, new = renamed
    return {key, (key[0], re.sub(rf"(?<!\w){re.escape(old)}\b", new, key[1]))}


def _new(
    found: Iterable[Finding], before: Iterable[Finding], renamed: tuple[str, str] | None = None
) -> list[Finding]:
    """``found`` minus the findings ``before`` had, each counted once.

    A rename rewrites the messages of findings that were there already (`x.Old` imported but unused
    becomes `x.New` ...): with ``renamed``, a finding before counts under its old and its new name.
    """
    left = [_keys(f, renamed) for f in before]
    fresh = []
    for finding in found:
        match = next((i for i, keys in enumerate(left) if _key(finding) in keys), None)
        if match is None:
            fresh.append(finding)
        else:
            del left[match]
    return fresh


@dataclass(frozen=True)
class VerifyOptions:
    """How an edit is verified: syntax always, ruff's F rules unless ``ruff`` is off, then ``command``."""

    command: tuple[str, ...] | None = None
    timeout: float = 900.0
    ruff: bool = True
    renamed: tuple[str, str] | None = None  # (OLD, NEW) identifiers when the edit is a rename

    def describe(self, runs: int, baseline_failed: bool = False) -> dict[str, Any]:
        """The record's ``verification`` object."""
        command = list(self.command) if self.command else None
        return {"command": command, "ruff": self.ruff, "runs": runs, "baseline_failed": baseline_failed}


DEFAULT_VERIFY = VerifyOptions()  # syntax and ruff's F rules, no command


class EditVerifier:
    """Checks the work tree after an edit against the same files before it."""

    def __init__(self, root: Path, originals: Mapping[str, bytes | None], options: VerifyOptions) -> None:
        self.root = root
        self.command = options.command
        self.timeout = options.timeout
        self.use_ruff = options.ruff
        self.renamed = options.renamed
        self.runs = 0
        self._syntax_before = {
            path: file_syntax.syntax_findings(path, data)
            for path, data in originals.items()
            if data is not None
        }
        # ruff reads files from disk: take its baseline now, before anything is written.
        python = sorted(p for p, d in originals.items() if d is not None and p.endswith(ruff.PYTHON_SUFFIXES))
        self._ruff_before = self._ruff(python)

    def _ruff(self, paths: Sequence[str]) -> dict[str, list[Finding]]:
        if not paths or not self.use_ruff or ruff.executable() is None:
            return {}
        try:
            return ruff.check(self.root, paths, select=RUFF_RULES)
        except ruff.RuffFailed as exc:
            return {paths[0]: [Finding(paths[0], None, None, "ruff", str(exc))]}

    def check(self, contents: Mapping[str, bytes | None]) -> Verdict:
        """Verify the work tree, where ``contents`` (path -> bytes, None: deleted) were just written."""
        self.runs += 1
        findings: list[Finding] = []
        for path, data in sorted(contents.items()):
            if data is not None:
                findings += _new(
                    file_syntax.syntax_findings(path, data), self._syntax_before.get(path, ()), self.renamed
                )
        python = sorted(p for p, d in contents.items() if d is not None and p.endswith(ruff.PYTHON_SUFFIXES))
        for path, found in self._ruff(python).items():
            findings += _new(found, self._ruff_before.get(path, ()), self.renamed)
        findings = [Finding(f.path, f.line, f.column, f.code, f.message, "error", "verify") for f in findings]
        locations = [(f.path or "", f.line) for f in findings]
        if findings or self.command is None:
            return Verdict(not findings, tuple(findings), tuple(locations))
        result = parallel.run(self.command, cwd=self.root, timeout=self.timeout)
        if result.ok:
            return Verdict(True, (), (), command_ran=True)
        output = (result.out + "\n" + result.err).strip()
        why = "timed out" if result.timed_out else f"exited with {result.returncode}"
        message = f"{shlex.join(self.command)} {why}: {output[-_OUTPUT_TAIL:]}"
        failure = Finding(None, None, None, "verify-cmd", message, "error", "verify")
        return Verdict(False, (failure,), tuple(mentioned(output, self.root, contents)), command_ran=True)


def mentioned(output: str, root: Path, paths: Iterable[str]) -> list[tuple[str, int | None]]:
    """(path, line) pairs a command's output mentions, among ``paths`` (tracebacks, path:line:)."""
    wanted = set(paths)
    resolved_root = str(root.resolve())
    found: list[tuple[str, int | None]] = []
    for pattern in (_TRACEBACK, _COLON):
        for match in pattern.finditer(output):
            name = match.group(1).replace("\\", "/")
            if name.startswith(resolved_root + "/"):
                name = name[len(resolved_root) + 1 :]
            name = name.removeprefix("./")
            if name in wanted:
                found.append((name, int(match.group(2))))
    return list(dict.fromkeys(found))
