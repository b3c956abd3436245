"""The Error-Detect-Fix-Validate core for one file's text: what self_heal runs and the benchmark measures.

detect (compile, then ruff's undefined/unused-name rules on the text itself) -> the rules for each
diagnostic, highest priority first -> a fixer's candidate -> validated against a new detection: the
error is gone and nothing new appeared where the fix wrote (an error revealed further on, once an
earlier syntax error stops hiding it, is the next one to fix, not a reason to refuse this one).
Nothing here writes a file: the caller does, through a FileTransaction.
"""

from __future__ import annotations

import codecs
import io
import json
import time
import tokenize
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hookwright import parallel, ruff
from hookwright.errors import BadInput
from hookwright.heal import large_source
from hookwright.heal.diagnostics import Diagnostic, from_syntax_error
from hookwright.heal.fix_base import FixContext, compile_error
from hookwright.heal.judging import changed_lines, judge
from hookwright.heal.project_names import ProjectIndex
from hookwright.heal.rules import Registry

MAX_FIXES_PER_FILE = 200  # every kept fix strictly shrinks what is left; this only guards a bug


@dataclass(frozen=True)
class SourceText:
    """A Python file decoded exactly as its encoding declaration (PEP 263) or BOM says."""

    path: str
    text: str
    encoding: str
    bom: bool

    @classmethod
    def decode(cls, path: str, data: bytes) -> SourceText:
        if b"\0" in data:
            raise BadInput(f"{path}: binary file (contains NUL bytes); self-heal only edits Python source")
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            if b"coding" not in data[:400]:
                encoding = "utf-8"  # no declaration: the bytes are simply not UTF-8, said below
            else:
                raise BadInput(f"{path}: {exc.msg}; fix its coding declaration") from None
        bom = data.startswith(codecs.BOM_UTF8)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            where = (
                f" (byte 0x{data[exc.start]:02x} at offset {exc.start})"
                if isinstance(exc, UnicodeDecodeError)
                else ""
            )
            name = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
            raise BadInput(f"{path}: not valid {name}{where}; self-heal edits text files only") from None
        if bom:
            text = text.removeprefix("\ufeff")
        return cls(path, text, encoding, bom)

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding if self.encoding != "utf-8-sig" else "utf-8")
        return codecs.BOM_UTF8 + data if self.bom else data


@dataclass(frozen=True)
class Attempt:
    """One candidate rule tried on one diagnostic."""

    round: int
    rule: str
    action: str
    diagnostic: Diagnostic
    result: str  # fixed | declined | rejected | error | no-rule
    reason: str = ""
    duration: float = 0.0
    family: str = ""  # the rule's family (import, indentation, syntax, other): the dashboard counts by it

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "rule": self.rule,
            "family": self.family or "other",
            "action": self.action,
            "path": self.diagnostic.path,
            "line": self.diagnostic.line,
            "error_type": self.diagnostic.error_type,
            "message": self.diagnostic.message,
            "result": self.result,
            "reason": self.reason,
            "duration_s": round(self.duration, 6),
        }


@dataclass
class HealResult:
    text: str
    fixed: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    seen: list[Diagnostic] = field(default_factory=list)
    rounds: int = 0
    compiled: str | None = None  # the text as it was when it last compiled, or at the start (see judge)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


class Detector:
    """Compile errors first; when the text compiles, undefined names (ruff's F821, or other ``codes``)."""

    def __init__(self, root: Path | None, codes: Iterable[str] = ("F821",), timeout: float = 60) -> None:
        self.root = root
        self.codes = sorted(set(codes))
        self.timeout = timeout
        self._isolated = False

    def __call__(self, path: str, text: str) -> list[Diagnostic]:
        error = compile_error(text, path)
        if error is not None:
            return [from_syntax_error(path, error)]
        return self.names(path, text)

    def many(self, texts: dict[str, str], on_disk: set[str]) -> dict[str, list[Diagnostic]]:
        """What ``self(path, text)`` says of each file, with one ruff run for the files in ``on_disk``
        (their bytes on disk are the text, in UTF-8) instead of one run each."""
        found: dict[str, list[Diagnostic]] = {}
        batch = []
        for path, text in texts.items():
            error = compile_error(text, path)
            if error is not None:
                found[path] = [from_syntax_error(path, error)]
            elif path in on_disk and self.root is not None and self.codes and ruff.executable():
                batch.append(path)
            else:
                found[path] = self.names(path, text)
        if batch:
            assert self.root is not None
            try:
                reported = ruff.check(
                    self.root, batch, select=self.codes, timeout=self.timeout, respect_excludes=False
                )
            except ruff.RuffFailed:  # e.g. the project's ruff config does not load: file by file
                reported = {path: None for path in batch}  # type: ignore[misc]
            for path in batch:
                findings = reported.get(path)
                if findings is None:
                    found[path] = self.names(path, texts[path])
                else:
                    found[path] = [
                        Diagnostic(path, f.line, f.column, f.code, f.message, "ruff") for f in findings
                    ]
        return found

    def names(self, path: str, text: str) -> list[Diagnostic]:
        exe = ruff.executable()
        if exe is None or not self.codes:
            return []
        argv = [exe, "check", "--output-format=json", "--no-cache", "--exit-zero", "--no-fix"]
        argv += [f"--select={','.join(self.codes)}", f"--stdin-filename={path}"]
        if self._isolated:
            argv.append("--isolated")
        env = ruff.child_env()
        result = parallel.run(
            [*argv, "-"], cwd=self.root, env=env, input=text.encode("utf-8"), timeout=self.timeout
        )
        if result.returncode != 0 and not self._isolated:
            self._isolated = True  # the project's ruff config does not load: judge with ruff's defaults
            return self.names(path, text)
        try:
            items = json.loads(result.stdout or b"[]")
        except ValueError:
            return []
        found = []
        for item in items:
            location = item.get("location") or {}
            code = item.get("code") or "invalid-syntax"
            found.append(
                Diagnostic(path, location.get("row"), location.get("column"), code, item["message"], "ruff")
            )
        return found


Validate = Callable[[Diagnostic, str, str], "str | None"]


def heal_text(
    path: str,
    text: str,
    registry: Registry,
    detect: Callable[[str, str], list[Diagnostic]],
    *,
    project: ProjectIndex | None = None,
    max_rounds: int = 3,
    initial: Sequence[Diagnostic] | None = None,
    detected: Sequence[Diagnostic] | None = None,
    validate: Validate | None = None,
    first_round: int = 1,
) -> HealResult:
    """Fix what the registry can in ``text``; each kept fix validated; what is left is reported.

    ``initial``: what a command reported for this file, fixed first. ``detected``: what ``detect``
    would say of ``text`` when the caller already knows (one ruff run for many files).
    """
    result = HealResult(text)
    detect = _remembering(detect)
    current = list(detected) if detected is not None else detect(path, text)
    if initial is not None:
        # A command's report first; the file's own static problems too, so none counts as "new" later.
        current = [*initial, *(d for d in current if d not in initial)]
    result.seen.extend(current)
    first = list(current)
    for round_number in range(first_round, first_round + max_rounds):
        if not current:
            break
        result.rounds += 1
        progress = False
        tried: set[tuple[Any, ...]] = set()
        queue = list(current)
        while queue and len(result.fixed) < MAX_FIXES_PER_FILE:
            diagnostic = queue.pop(0)
            mark = (*diagnostic.key(), diagnostic.line if diagnostic.is_syntax else None)
            if mark in tried:
                continue
            tried.add(mark)
            after = _fix_one(result, diagnostic, current, registry, detect, project, validate, round_number)
            if after is not None:
                progress = True
                current = after
                result.seen.extend(d for d in after if d not in result.seen)
                queue = [d for d in after if (*d.key(), d.line if d.is_syntax else None) not in tried]
        if not progress:
            break
        if initial is not None and validate is not None:
            break  # a command's errors: the caller re-runs the command for the next round
        current = detect(path, result.text)
    if initial is None and result.fixed and any(d.is_syntax for d in current):
        _roll_back(result, text)
        current = first
    result.remaining = current
    return result


def _roll_back(result: HealResult, text: str) -> None:
    """Back to ``text``: the file still does not compile, so no syntax edit is confirmed (each one was
    kept because it moved the first error on, which a wrong edit can do too)."""
    reason = "rolled back: the file still does not compile after the fixes"
    result.attempts[:] = [
        replace(a, result="rejected", reason=reason) if a.result == "fixed" else a for a in result.attempts
    ]
    result.text = text
    result.fixed.clear()


def _remembering(detect: Callable[[str, str], list[Diagnostic]]) -> Callable[[str, str], list[Diagnostic]]:
    """``detect`` that answers again for the text it last saw: a round ends by detecting the text its
    last kept fix was just judged on (on a 300k-line file, a whole compile saved)."""
    last: list[tuple[str, str, list[Diagnostic]]] = []

    def once(path: str, text: str) -> list[Diagnostic]:
        if last and last[0][0] == path and last[0][1] == text:
            return list(last[0][2])
        found = detect(path, text)
        last[:] = [(path, text, found)]
        return list(found)

    return once


def _fix_one(
    result: HealResult,
    diagnostic: Diagnostic,
    current: list[Diagnostic],
    registry: Registry,
    detect: Callable[[str, str], list[Diagnostic]],
    project: ProjectIndex | None,
    validate: Validate | None,
    round_number: int,
) -> list[Diagnostic] | None:
    """Try the candidate rules for one diagnostic in order; the diagnostics after the kept fix, or None."""
    path = diagnostic.path or ""
    candidates = registry.candidates(diagnostic)
    if not candidates:
        result.attempts.append(Attempt(round_number, "", "", diagnostic, "no-rule", "no rule matches"))
        return None
    for rule, groups in candidates:
        start = time.monotonic()
        ctx = FixContext(
            path, diagnostic.line, diagnostic.column, diagnostic.error_type, diagnostic.message,
            groups, rule.params, project,
        )  # fmt: skip
        try:
            if large_source.is_large(result.text):  # in bounded memory: the lines around the error alone
                new = (
                    large_source.fix_in_window(rule.fixer(), result.text, ctx)
                    if diagnostic.is_syntax
                    else None
                )
            else:
                new = rule.fixer()(result.text, ctx)
        except Exception as exc:  # a fixer's bug must cost one candidate, never the user's run
            crash = f"{type(exc).__name__}: {exc}"
            result.attempts.append(
                Attempt(round_number, rule.id, rule.action, diagnostic, "error", crash, family=rule.family)
            )
            continue
        if new is None or new == result.text:
            elapsed = time.monotonic() - start
            attempt = Attempt(
                round_number, rule.id, rule.action, diagnostic, "declined", "not applicable", elapsed,
                rule.family,
            )  # fmt: skip
            result.attempts.append(attempt)
            continue
        after = detect(path, new)
        changed = changed_lines(result.text, new)
        since = result.compiled if result.compiled is not None else result.text
        written = changed | changed_lines(since, new) if since != result.text else None
        reason = judge(diagnostic, current, after, changed, (result.text, new), written)
        if reason is None and validate is not None:
            reason = validate(diagnostic, result.text, new)
        elapsed = time.monotonic() - start
        if reason is not None:
            result.attempts.append(
                Attempt(
                    round_number, rule.id, rule.action, diagnostic, "rejected", reason, elapsed, rule.family
                )
            )
            continue
        result.attempts.append(
            Attempt(round_number, rule.id, rule.action, diagnostic, "fixed", "", elapsed, rule.family)
        )
        if result.compiled is None:
            result.compiled = result.text  # the first kept fix: what the session started from
        result.text = new
        if not any(d.is_syntax for d in after):
            result.compiled = new
        result.fixed.append(diagnostic)
        return after
    return None
