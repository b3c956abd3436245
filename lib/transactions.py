"""FileTransaction: every write to a user's files, all-or-nothing, undoable, recoverable after a crash.

Order of operations (the journal is the commit point):

1. ``stage``: writes, creates and deletes are collected in memory; paths are checked to stay inside
   the root (no ``..``, no absolute paths, nothing through a symlink).
2. ``apply``: the old bytes and mode of every touched file go to a backup folder, the journal is
   written and fsync'd (state ``prepared``), then each file is replaced atomically (temp file +
   ``os.replace``). The journal then says ``applied`` (kept) or ``pending`` (the caller still has to
   validate the result).
3. ``finish`` removes the journal; ``rollback`` restores every file byte for byte, modes included.

``hookwright.recovery`` (``hookwright recover``) undoes ``prepared`` and ``pending`` transactions and finishes
``applied`` ones, so an interrupted run ends all-old or all-new, never a mix. A file that was changed
by someone else since is never overwritten: it is reported instead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from hookwright.errors import BadInput, PathEscape, TransactionError

Kind = Literal["write", "create", "delete"]
JOURNAL = "journal.json"


def safe_relpath(relpath: str) -> str:
    """Normalise a repository-relative path or refuse it (absolute, ``..``, NUL, newline, empty)."""
    if not relpath or "\0" in relpath or "\n" in relpath or "\r" in relpath:
        raise PathEscape(f"invalid path {relpath!r}")
    if relpath.startswith(("/", "\\")) or (len(relpath) > 1 and relpath[1] == ":"):
        raise PathEscape(f"{relpath}: absolute paths are not allowed; give a path inside the repository")
    parts = PurePosixPath(relpath.replace("\\", "/")).parts
    if ".." in parts:
        raise PathEscape(f"{relpath}: '..' would leave the repository")
    cleaned = "/".join(p for p in parts if p not in ("", "."))
    if not cleaned:
        raise PathEscape(f"invalid path {relpath!r}")
    return cleaned


def resolve_inside(root: Path, relpath: str) -> Path:
    """``relpath`` under ``root``; refused if it leaves root or goes through a symlink."""
    cleaned = safe_relpath(relpath)
    root = root.resolve()
    current = root
    for part in cleaned.split("/"):
        current = current / part
        if current.is_symlink():
            raise PathEscape(f"{relpath}: goes through a symlink ({current.relative_to(root)}); refused")
    if not current.resolve().is_relative_to(root):
        raise PathEscape(f"{relpath}: resolves outside the repository")
    return current


def _checkpoint(name: str) -> None:
    """A named point between two durable steps; the crash tests kill the process here."""


def journal_dir(state_dir: Path) -> Path:
    return state_dir / "journal"


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _replace_file(target: Path, data: bytes, mode: int | None) -> None:
    tmp = target.with_name(f".{target.name}.hw-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        _checkpoint("temp-written")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold Ctrl-C for the few microseconds of a replace, so one file is never half-handled."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


@functools.cache
def _umask() -> int:
    # os.umask can only be read by setting it; do it once, not around every write.
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclass
class _Op:
    kind: Kind
    path: str
    data: bytes | None
    mode: int | None


class FileTransaction:
    """Stage changes to files under ``root``; apply them all, then keep or roll back all of them."""

    def __init__(self, root: Path, journal_root: Path, *, label: str = "") -> None:
        self.root = root.resolve()
        self.journal_root = journal_root
        self.label = label
        self.id = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(4)
        self._ops: dict[str, _Op] = {}
        self._state = "staging"
        self._dir = journal_root / self.id

    # -- staging ----------------------------------------------------------------------------------

    def _stage(self, op: _Op) -> None:
        if self._state != "staging":
            raise TransactionError(f"transaction {self.id} is {self._state}; nothing more can be staged")
        op.path = safe_relpath(op.path)
        resolve_inside(self.root, op.path)
        self._ops[op.path] = op

    def write(self, path: str, data: bytes, mode: int | None = None) -> None:
        """Create or overwrite ``path``; an existing file keeps its mode unless ``mode`` is given."""
        self._stage(_Op("write", path, data, mode))

    def create(self, path: str, data: bytes, mode: int | None = None) -> None:
        """Create ``path``; refused at apply time if it exists."""
        self._stage(_Op("create", path, data, mode))

    def delete(self, path: str) -> None:
        self._stage(_Op("delete", path, None, None))

    @property
    def paths(self) -> list[str]:
        return list(self._ops)

    def staged(self, path: str) -> bytes | None:
        op = self._ops.get(path)
        return op.data if op else None

    # -- applying ---------------------------------------------------------------------------------

    def apply(self, *, pending: bool = False) -> dict[str, list[str]]:
        """Write everything. ``pending``: the caller will validate, so recovery undoes it."""
        if self._state != "staging":
            raise TransactionError(f"transaction {self.id} is already {self._state}")
        entries = self._prepare()
        self._state = "prepared"
        _checkpoint("prepared")
        changed: dict[str, list[str]] = {"created": [], "modified": [], "deleted": []}
        try:
            for entry in entries:
                op = self._ops[entry["path"]]
                target = self.root / entry["path"]
                with _no_interrupt():
                    if op.kind == "delete":
                        if entry["old_sha"] is not None:
                            target.unlink()
                            changed["deleted"].append(op.path)
                    else:
                        for directory in entry["made_dirs"]:
                            (self.root / directory).mkdir(exist_ok=True)
                        assert op.data is not None
                        _replace_file(target, op.data, entry["new_mode"])
                        changed["created" if entry["old_sha"] is None else "modified"].append(op.path)
                _checkpoint("replaced")
        except BaseException:
            self._undo(entries)
            self._discard_journal()
            self._state = "rolled back"
            raise
        self._entries = entries
        self._set_state("pending" if pending else "applied")
        _checkpoint("applied")
        return changed

    def _prepare(self) -> list[dict[str, Any]]:
        self._dir.mkdir(parents=True)
        backups = self._dir / "backups"
        backups.mkdir()
        entries = []
        for index, op in enumerate(self._ops.values()):
            target = resolve_inside(self.root, op.path)  # again: the tree may have changed
            old: bytes | None = None
            old_mode: int | None = None
            if target.exists():
                if not target.is_file():
                    raise BadInput(f"{op.path}: exists and is not a regular file")
                if op.kind == "create":
                    self._discard_journal()
                    raise BadInput(f"{op.path}: already exists (refusing to overwrite it)")
                old = target.read_bytes()
                old_mode = stat.S_IMODE(target.stat().st_mode)
                backup = backups / str(index)
                backup.write_bytes(old)
                with backup.open("rb") as handle:
                    os.fsync(handle.fileno())
            made_dirs = []
            parent = target.parent
            while not parent.exists():
                made_dirs.append(str(parent.relative_to(self.root)))
                parent = parent.parent
            entries.append(
                {
                    "path": op.path,
                    "kind": op.kind,
                    "backup": str(index) if old is not None else None,
                    "old_sha": _sha(old),
                    "old_mode": old_mode,
                    "new_sha": _sha(op.data),
                    "new_mode": op.mode if op.mode is not None else old_mode,
                    "made_dirs": list(reversed(made_dirs)),
                }
            )
        _fsync_dir(backups)
        _checkpoint("backed-up")
        self._journal = {
            "id": self.id,
            "label": self.label,
            "root": str(self.root),
            "pid": os.getpid(),
            "created": time.time(),
            "state": "prepared",
            "entries": entries,
        }
        _write_json_atomic(self._dir / JOURNAL, self._journal)
        return entries

    def _set_state(self, state: str) -> None:
        self._state = state
        self._journal["state"] = state
        _write_json_atomic(self._dir / JOURNAL, self._journal)

    def finish(self) -> None:
        if self._state in ("applied", "pending"):
            if self._state == "pending":
                self._set_state("applied")  # validated: from here recovery keeps the new bytes
                _checkpoint("validated")
            self._discard_journal()
            self._state = "finished"

    def rollback(self) -> list[str]:
        """Restore every file to its bytes and mode before ``apply``; returns conflicts left alone."""
        if self._state in ("staging", "finished", "rolled back"):
            self._state = "rolled back"
            return []
        conflicts = self._undo(self._entries)
        self._discard_journal()
        self._state = "rolled back"
        return conflicts

    def commit(self) -> dict[str, list[str]]:
        changed = self.apply()
        self.finish()
        return changed

    def _undo(self, entries: list[dict[str, Any]]) -> list[str]:
        return undo_entries(self.root, self._dir, entries)

    def _discard_journal(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> FileTransaction:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.rollback()
        elif self._state == "staging" and self._ops:
            self.commit()
        elif self._state in ("applied", "pending"):
            self.finish()


def _current(target: Path) -> bytes | None:
    try:
        return target.read_bytes() if target.is_file() and not target.is_symlink() else None
    except OSError:
        return None


def undo_entries(root: Path, journal_dir: Path, entries: list[dict[str, Any]]) -> list[str]:
    """Bring every entry back to its old bytes; a file changed by someone else is left and reported."""
    conflicts = []
    for entry in reversed(entries):
        target = root / entry["path"]
        now = _current(target)
        now_sha = _sha(now)
        if now_sha == entry["old_sha"]:
            if entry["old_mode"] is not None and stat.S_IMODE(target.stat().st_mode) != entry["old_mode"]:
                os.chmod(target, entry["old_mode"])
            continue
        if now_sha != entry["new_sha"]:
            conflicts.append(entry["path"])
            continue
        with _no_interrupt():
            if entry["old_sha"] is None:
                target.unlink()
            else:
                data = (journal_dir / "backups" / entry["backup"]).read_bytes()
                _replace_file(target, data, entry["old_mode"])
    for entry in reversed(entries):
        for directory in reversed(entry.get("made_dirs", [])):
            with contextlib.suppress(OSError):
                (root / directory).rmdir()
    remove_temp_files(root, entries)
    return conflicts


def remove_temp_files(root: Path, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        target = root / entry["path"]
        if target.parent.is_dir():
            for leftover in target.parent.glob(f".{glob_escape(target.name)}.hw-*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)
