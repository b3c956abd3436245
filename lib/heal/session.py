"""A self-heal run in progress: one Session per run, and the three ways errors reach it (files,
a saved log, a command whose output is read), each healing what it can through the engine."""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import reporting
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.heal import diagnostics
from hookwright.heal import evidence as heal_evidence
from hookwright.heal import rules as error_rules
from hookwright.heal.command import CommandRunner, command_diagnostics
from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.engine import HealResult, heal_text
from hookwright.heal.project_names import ProjectIndex
from hookwright.heal.staged_files import FileSubject, load_subjects, write_fixed
from hookwright.ruff import PYTHON_SUFFIXES
from hookwright.sequence_ends import common_ends


def _project(repo: Repo) -> ProjectIndex:
    def read(relpath: str) -> bytes | None:
        try:
            return (repo.root / relpath).read_bytes()
        except OSError:
            return None

    return ProjectIndex(repo.ls_files(), read, repo.root)


class Session:
    """One run: the repository, its rules and settings, and everything the run found and did."""

    def __init__(self, repo: Repo, settings: Mapping[str, Any], registry: error_rules.Registry) -> None:
        self.repo = repo
        self.settings = settings
        self.registry = registry
        # Errors that break code, not lint: an unused import is healed when a lint command reports it.
        codes = sorted({t for r in registry.rules for t in r.error_types if t == "F821"})
        # Nothing is re-run to prove a fix on a file (the hook, a log): an error it cannot confirm is
        # not one to fix (see hookwright.heal.evidence).
        self.detect = heal_evidence.ImportAwareDetector(repo.root, codes, timeout=float(settings["timeout"]))
        self.project = _project(repo)
        self.results: dict[str, HealResult] = {}
        self.modified: list[str] = []
        self.unplaced: list[Diagnostic] = []  # diagnostics outside the repository's Python files
        self.diffs: list[str] = []
        self.started_at = reporting.utc_now()
        self.start = time.monotonic()

    @property
    def max_attempts(self) -> int:
        return int(self.settings["max_attempts"])

    def heal_subject(
        self,
        subject: FileSubject,
        dry_run: bool,
        initial: Sequence[Diagnostic] | None = None,
        detected: Sequence[Diagnostic] | None = None,
    ) -> None:
        result = heal_text(
            subject.path, subject.source.text, self.registry, self.detect,
            project=self.project, max_rounds=self.max_attempts, initial=initial, detected=detected,
        )  # fmt: skip
        self.results[subject.path] = result
        if not result.changed:
            return
        problem = None if dry_run else write_fixed(self.repo, subject, result.text, self.detect)
        if problem is not None:  # nothing was written: every fix is still to do
            result.remaining = [*result.fixed, *result.remaining, problem]
            result.fixed = []
            return
        self.diffs.append(_diff(subject.path, subject.source.text, result.text))
        if not dry_run:
            self.modified.append(subject.path)


def _diff(path: str, old: str, new: str) -> str:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    # Only the stretch that changed (and its context) goes to difflib: on a 300k-line file the whole
    # of it took seconds (issue 16). Hunk headers are moved back to the file's own line numbers.
    head, tail = common_ends(a, b)
    skip = max(head - 3, 0)
    lines = difflib.unified_diff(
        a[skip : len(a) - max(tail - 3, 0)], b[skip : len(b) - max(tail - 3, 0)], f"a/{path}", f"b/{path}"
    )
    return "".join(_shift_hunk(line, skip) if line.endswith("\n") else line + "\n" for line in lines)


def _shift_hunk(line: str, by: int) -> str:
    if not by or not line.startswith("@@ "):
        return line
    return re.sub(r"([-+])(\d+)", lambda m: f"{m[1]}{int(m[2]) + by}", line, count=2)


# -- the three ways in -------------------------------------------------------------------------------


def heal_files(session: Session, filenames: Sequence[str], dry_run: bool) -> None:
    """What is being committed: the staged content of each Python file (the file itself if untracked)."""
    subjects = load_subjects(session.repo, [f for f in filenames if f.endswith(PYTHON_SUFFIXES)])
    # One ruff run for every file whose work tree holds what is staged (all of them, under pre-commit).
    on_disk = {
        s.path
        for s in subjects
        if s.source.encoding in ("utf-8", "utf-8-sig") and (s.staged is None or s.worktree == s.staged)
    }
    detected = session.detect.many({s.path: s.source.text for s in subjects}, on_disk)
    for subject in subjects:
        session.heal_subject(subject, dry_run, detected=detected[subject.path])


def heal_log(session: Session, log_text: str, dry_run: bool, base: Path, name: str) -> None:
    """Diagnostics from a saved log; each fix proven by compile and static checks (nothing to re-run).

    A logged error the file no longer shows is not healed again: the log is older than the file.
    """
    by_path, session.unplaced = command_diagnostics(session.repo.root, log_text, base, session.detect)
    if not by_path and not session.unplaced and not diagnostics.says_clean(log_text):
        raise BadInput(
            f"{name}: nothing recognised: no errors from Python, pytest, ruff or mypy and no"
            " `path:line: message` lines (is it the right file?)"
        )
    for subject in load_subjects(session.repo, sorted(by_path), worktree_only=True):
        text = subject.source.text
        now = session.detect(subject.path, text)
        logged = [
            d for d in by_path[subject.path] if heal_evidence.still_there(d, text, now, session.detect.codes)
        ]
        session.heal_subject(subject, dry_run, logged, detected=now)


def heal_command(session: Session, argv: Sequence[str], dry_run: bool, cwd: Path) -> bool:
    """Run, fix what the output names, re-run; rounds up to max_attempts with backoff. True if it passes."""
    runner = CommandRunner(session.repo, argv, cwd, float(session.settings["timeout"]), session.detect)
    backoff = float(session.settings["backoff_s"])
    run = runner.run()  # a command that does not exist is bad input: nothing has been touched yet
    for round_number in range(1, session.max_attempts + 1):
        if run.ok:
            return True
        runner.delay = backoff * 2 ** (round_number - 1)
        by_path, session.unplaced = runner.diagnostics(run)
        progress = False
        for subject in load_subjects(session.repo, sorted(by_path), worktree_only=True):
            validate = None if dry_run else runner.validator(subject, by_path)
            result = heal_text(
                subject.path, subject.source.text, session.registry, session.detect,
                project=session.project, max_rounds=1, initial=by_path[subject.path],
                validate=validate, first_round=round_number,
            )  # fmt: skip
            session.results[subject.path] = _merge_results(session.results.get(subject.path), result)
            if result.changed:
                progress = True
                session.diffs.append(_diff(subject.path, subject.source.text, result.text))
                if not dry_run and subject.path not in session.modified:
                    session.modified.append(subject.path)
        if not progress or dry_run:
            return False
        run = runner.last if runner.fresh and runner.last is not None else runner.run()
    if not run.ok:  # attempts ran out: what the last run still reports is what is left
        by_path, session.unplaced = runner.diagnostics(run)
        for path in set(by_path) | set(session.results):
            left = by_path.get(path, [])
            result = session.results.setdefault(path, HealResult("", seen=list(left)))
            result.remaining = left
    return run.ok


def _merge_results(earlier: HealResult | None, later: HealResult) -> HealResult:
    if earlier is None:
        return later
    later.fixed[:0] = earlier.fixed
    later.attempts[:0] = earlier.attempts
    later.seen[:0] = [d for d in earlier.seen if d not in later.seen]
    later.rounds += earlier.rounds
    return later
