"""Writing what the creation patterns made: one pending FileTransaction, read back, then kept or undone."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright import transactions
from hookwright.git.repo import Repo
from hookwright.reporting import Finding, StepResult
from hookwright.templates.creation import Action, Output, failed, timed


class Staged:
    """Outputs applied in one FileTransaction, pending until ``keep`` (or undone by ``undo``)."""

    def __init__(
        self, repo: Repo, outputs: Sequence[Output], actions: Mapping[str, Action], label: str
    ) -> None:
        self.repo = repo
        self.outputs = [o for o in outputs if actions.get(o.path) not in (None, "unchanged")]
        self.tx = transactions.FileTransaction(
            repo.root, transactions.journal_dir(repo.state_dir), label=label
        )
        for output in self.outputs:
            if actions[output.path] == "create":
                self.tx.create(output.path, output.data, output.mode)
            else:
                self.tx.write(output.path, output.data, output.mode)
        self.changed: dict[str, list[str]] = {"created": [], "modified": [], "deleted": []}

    def apply(self) -> StepResult:
        start = time.monotonic()
        if not self.outputs:
            return StepResult("write", "passed", 0.0, reason="nothing to change")
        try:
            self.changed = self.tx.apply(pending=True)
        except transactions.WriteFailed as exc:  # the transaction has put every file back already
            where = _relative(self.repo.root, exc.path)
            message = f"cannot write: {exc.reason}; nothing was written"
            finding = Finding(where, None, None, "write-error", message, step="write")
            return StepResult("write", "error", time.monotonic() - start, (finding,), files=len(self.outputs))
        return StepResult("write", "passed", time.monotonic() - start, files=len(self.outputs))

    def read_back(self) -> StepResult:
        """Every written file holds exactly our bytes (nobody raced us)."""

        def check() -> list[Finding]:
            return [
                Finding(o.path, None, None, "changed-under-us", "changed by someone else while being written")
                for o in self.outputs
                if (self.repo.root / o.path).read_bytes() != o.data
            ]

        return timed("verify", check, files=len(self.outputs))

    def keep(self) -> None:
        self.tx.finish()

    def undo(self) -> list[str]:
        conflicts = self.tx.rollback()
        self.changed = {"created": [], "modified": [], "deleted": []}
        return conflicts


@dataclass(frozen=True)
class Written:
    steps: list[StepResult]  # write, then the read-back and what the pattern checks after it
    changed: dict[str, list[str]]
    transaction: str
    rolled_back: bool


def _nothing_more(read_back: StepResult) -> list[StepResult]:
    return []


def write_checked(
    repo: Repo,
    outputs: Sequence[Output],
    actions: Mapping[str, Action],
    label: str,
    after: Callable[[StepResult], list[StepResult]] = _nothing_more,
) -> Written:
    """Apply pending, read back, run the pattern's own checks (given the read-back); keep or undo."""
    staged = Staged(repo, outputs, actions, label)
    write = staged.apply()
    steps = [write]
    rolled_back = False
    if write.status == "passed" and staged.outputs:
        read_back = staged.read_back()
        checks = [read_back, *after(read_back)]
        steps += checks
        if failed(checks):
            staged.undo()
            rolled_back = True
        else:
            staged.keep()
    return Written(steps, staged.changed, staged.tx.id, rolled_back)


def _relative(root: Path, filename: Any) -> str | None:
    if not filename:
        return None
    path = Path(str(filename))
    if not path.is_absolute():
        return path.as_posix()  # already relative to the repository
    name = path.name
    if name.startswith(".") and ".hw-" in name:  # the temp file beside the target
        path = path.with_name(name[1:].split(".hw-", 1)[0])
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
