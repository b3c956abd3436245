"""Fixing what is being committed: read a file's staged content, write a fix without losing unstaged work.

A file whose work tree matches the index (or that git does not track) gets the fix in its work tree.
A partially staged file gets the fix in the index and, merged with ``git merge-file``, in the work
tree, where its unstaged hunks stay unstaged; a fix that overlaps them is refused, nothing written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.git.target import normalise
from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.engine import SourceText
from hookwright.safe_paths import resolve_inside
from hookwright.transactions import FileTransaction, checkpoint, journal_dir

_CONTENT_MODES = ("100644", "100755")


@dataclass(frozen=True)
class FileSubject:
    path: str  # repository-relative
    source: SourceText  # what is healed: the staged content, or the work-tree file
    worktree: bytes | None
    staged: bytes | None  # None: not tracked, or the caller asked for the work tree
    mode: str = "100644"
    blob: str = ""  # the staged blob id, where there is one

    @property
    def partial(self) -> bool:
        return self.staged is not None and self.worktree != self.staged


def load_subjects(repo: Repo, filenames: Sequence[str], *, worktree_only: bool = False) -> list[FileSubject]:
    """Every file read and decoded before any is touched: one bad file stops the run with nothing changed."""
    paths = list(dict.fromkeys(normalise(f, repo.root) for f in filenames))
    for path in paths:
        resolve_inside(repo.root, path)  # no escape through `..` or a symlink
    entries = {}
    if paths and not worktree_only:
        entries = {e.path: e for e in repo.index_entries() if e.path in set(paths)}
        unmerged = sorted(p for p, e in entries.items() if e.stage != 0)
        if unmerged:
            raise BadInput(
                f"{unmerged[0]}: has unresolved merge conflicts; resolve them and `git add` it first"
            )
    blobs = repo.read_blobs(e.blob for e in entries.values() if e.mode in _CONTENT_MODES)
    subjects = []
    for path in paths:
        file = repo.root / path
        worktree = file.read_bytes() if file.is_file() else None
        entry = entries.get(path)
        staged = blobs.get(entry.blob) if entry is not None and entry.mode in _CONTENT_MODES else None
        if entry is not None and entry.mode not in _CONTENT_MODES:
            continue  # a symlink or submodule in the index: not source to edit
        data = staged if staged is not None else worktree
        if data is None:
            raise BadInput(f"{path}: no such file")
        if staged is not None and worktree is None:
            continue  # deleted in the work tree: nothing there to fix
        mode, blob = (entry.mode, entry.blob) if entry else ("100644", "")
        subjects.append(FileSubject(path, SourceText.decode(path, data), worktree, staged, mode, blob))
    return subjects


def _merge(repo: Repo, current: bytes, base: bytes, other: bytes) -> bytes | None:
    """``git merge-file``: the unstaged edits on top of the fixed staged content; None on a conflict."""
    with tempfile.TemporaryDirectory(dir=repo.state_dir) as tmp:
        names = []
        for name, data in (("current", current), ("base", base), ("other", other)):
            (Path(tmp) / name).write_bytes(data)
            names.append(str(Path(tmp) / name))
        result = repo.run("merge-file", "-p", "-q", *names, max_output=None)  # the file itself
    if result.returncode != 0:
        return None
    return result.stdout


def write_fixed(
    repo: Repo, subject: FileSubject, text: str, detect: Callable[[str, str], list[Diagnostic]]
) -> Diagnostic | None:
    """Write the fixed ``text`` for ``subject``; a Diagnostic saying why nothing was written, or None."""
    fixed = subject.source.encode(text)
    target = fixed
    if subject.partial:
        assert subject.staged is not None and subject.worktree is not None
        merged = _merge(repo, subject.worktree, subject.staged, fixed)
        if merged is None:
            why = "the fix overlaps unstaged changes in this file; stage or stash them and run again"
            return Diagnostic(subject.path, None, None, "unstaged-overlap", why, "self_heal")
        target = merged
    transaction = FileTransaction(repo.root, journal_dir(repo.state_dir), label=f"self_heal {subject.path}")
    transaction.write(subject.path, target, expect=subject.worktree)
    blob = ""
    if subject.partial:
        # In the journal before the index changes: undo and recovery put both back, or keep both.
        blob = repo.check("hash-object", "-w", "--stdin", "--no-filters", input=fixed).decode().strip()
        transaction.track_index(subject.path, subject.mode, subject.blob, blob, repo.index_file)
    transaction.apply(pending=True)
    try:
        problem = _check_written(repo, subject, target, detect)
        if problem is None and subject.partial:
            repo.check("update-index", "--cacheinfo", f"{subject.mode},{blob},{subject.path}")
            checkpoint("index-updated")
    except BaseException:
        transaction.rollback()
        raise
    if problem is not None:
        transaction.rollback()
        return problem
    transaction.finish()
    return None


def _check_written(
    repo: Repo, subject: FileSubject, written: bytes, detect: Callable[[str, str], list[Diagnostic]]
) -> Diagnostic | None:
    """Read back what is on disk; in a partial file, the unstaged version must not have gained errors."""
    if (repo.root / subject.path).read_bytes() != written:
        return Diagnostic(
            subject.path,
            None,
            None,
            "changed-meanwhile",
            "the file changed while it was being fixed",
            "self_heal",
        )
    if not subject.partial or subject.worktree is None:
        return None
    try:
        before = SourceText.decode(subject.path, subject.worktree).text
        after = SourceText.decode(subject.path, written).text
    except BadInput:
        return None
    known = {d.key() for d in detect(subject.path, before)}
    for found in detect(subject.path, after):
        if found.key() not in known:
            why = f"merging the fix into the unstaged version gives: {found.message}"
            return Diagnostic(subject.path, found.line, found.column, found.error_type, why, "self_heal")
    return None
