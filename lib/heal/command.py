"""Validation by the user's own command: run it, read its errors, and keep a fix only if it proves out.

Each candidate fix is written through a FileTransaction left pending; the command runs again; the
fix is kept (``finish``) when the error it answered is gone and the command reports nothing new in
another file (a fix in one module that breaks an importer), and otherwise rolled back byte for
byte. A syntax-class fix is proven by compiling (done before this point), so the command is not
re-run for it. Every re-run after the first waits the round's backoff: slow or flaky commands get
room, doubling each round.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from hookwright import parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.engine import SourceText, Validate
from hookwright.heal.staged_files import FileSubject
from hookwright.transactions import FileTransaction, journal_dir


class CommandRunner:
    """Runs the validation command; each re-run waits the round's backoff (slow or flaky commands)."""

    def __init__(
        self,
        repo: Repo,
        argv: Sequence[str],
        cwd: Path,
        timeout: float,
        detect: Callable[[str, str], list[Diagnostic]],
    ) -> None:
        self.repo = repo
        self.argv = list(argv)
        self.cwd = cwd
        self.timeout = timeout
        self.detect = detect
        self.delay = 0.0
        self.runs = 0
        self.last: parallel.Completed | None = None
        self.fresh = False  # ``last`` shows the files as they are now

    def run(self) -> parallel.Completed:
        if self.runs:
            time.sleep(self.delay)
        self.runs += 1
        result = parallel.run(self.argv, cwd=self.cwd, timeout=self.timeout)
        if result.missing:
            raise BadInput(f"{self.argv[0]}: command not found; the validation command must be installed")
        self.last, self.fresh = result, True
        return result

    def diagnostics(self, run: parallel.Completed) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
        text = f"{run.out}\n{run.err}"
        if run.timed_out:
            text += f"\nhookwright: the command timed out after {self.timeout:g}s"
        return command_diagnostics(self.repo.root, text, self.cwd, self.detect)

    def validator(self, subject: FileSubject, before: Mapping[str, list[Diagnostic]]) -> Validate:
        """Write the fix (pending), re-run the command: keep it when the error is gone and none is new."""
        known = {d.key() for found in before.values() for d in found}
        repo = self.repo

        def validate(diagnostic: Diagnostic, old: str, new: str) -> str | None:
            transaction = FileTransaction(
                repo.root, journal_dir(repo.state_dir), label=f"self_heal {subject.path}"
            )
            transaction.write(subject.path, subject.source.encode(new))
            transaction.apply(pending=True)
            try:
                reason = (
                    None if diagnostic.is_syntax else self._rerun_verdict(diagnostic, subject.path, known)
                )
            except BaseException:
                transaction.rollback()
                raise
            if reason is not None:
                transaction.rollback()
                self.fresh = False
                return reason
            transaction.finish()
            self.fresh = self.fresh and not diagnostic.is_syntax
            return None

        return validate

    def _rerun_verdict(self, diagnostic: Diagnostic, path: str, known: set[Any]) -> str | None:
        run = self.run()
        if run.ok:
            return None
        found, unplaced = self.diagnostics(run)
        everything = [d for ds in found.values() for d in ds] + unplaced
        if diagnostic.key() in {d.key() for d in everything}:
            return "the command still reports it"
        new = [d for d in everything if d.key() not in known and d.path != path]
        return f"the command now reports {new[0].describe()}" if new else None


def command_diagnostics(
    root: Path, text: str, cwd: Path, detect: Callable[[str, str], list[Diagnostic]]
) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
    """A command's output as diagnostics per repository Python file, and the ones that name no such file.

    A syntax error is taken again from CPython for the file as it is now: tools word and place syntax
    errors differently (ruff, mypy, pytest), and the fixers work from CPython's own report.
    """
    from hookwright.heal.diagnostics import parse

    by_path: dict[str, list[Diagnostic]] = {}
    unplaced: list[Diagnostic] = []
    top = root.resolve()
    for found in parse(text, cwd):
        relpath: str | None = None
        if found.path is not None:
            try:
                relpath = (cwd / found.path).resolve().relative_to(top).as_posix()
            except ValueError:
                relpath = None
        if relpath is None or not relpath.endswith((".py", ".pyi")) or not (top / relpath).is_file():
            unplaced.append(found)
            continue
        by_path.setdefault(relpath, []).append(replace(found, path=relpath))
    for relpath, diagnostics in by_path.items():
        if any(d.is_syntax for d in diagnostics):
            try:
                now = detect(relpath, SourceText.decode(relpath, (top / relpath).read_bytes()).text)
            except BadInput:
                continue
            diagnostics[:] = [d for d in diagnostics if not d.is_syntax] + [d for d in now if d.is_syntax]
    return {p: d for p, d in by_path.items() if d}, unplaced
