"""FileTransaction: every write to a user's files, all-or-nothing, undoable, recoverable after a crash.

Order of operations (the journal is the commit point):

1. ``stage``: writes, creates and deletes are collected in memory; paths are checked to stay inside
   the root (no ``..``, no absolute paths, nothing through a symlink, nothing inside ``.git``).
2. ``apply``: the old bytes and mode of every touched file go to a backup folder, the journal is
   written and fsync'd (state ``prepared``), then each file is replaced atomically (temp file +
   ``os.replace``). The journal then says ``applied`` (kept) or ``pending`` (the caller still has to
   validate the result).
3. ``finish`` removes the journal; ``rollback`` restores every file byte for byte, modes included,
   and the index entries the caller recorded with ``track_index`` (self-heal's partially staged files).

A rollback holds signals until it is done. A transaction applied and neither finished nor rolled back
when the command ends (an exception, a signal) is rolled back by the error funnel (``settle_open``).

``hookwright.recovery`` (``hookwright recover``) undoes ``prepared`` and ``pending`` transactions and finishes
``applied`` ones, so an interrupted run ends all-old or all-new, never a mix. A file that was changed
by someone else since is never overwritten: it is reported instead.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import shutil
import stat
import threading
import time
from pathlib import Path
from typing import Any, Literal

from hookwright import interrupts, rollback, writer_lock
from hookwright.errors import BadInput, TransactionError
from hookwright.safe_paths import resolve_inside, safe_relpath

Kind = Literal["write", "create", "delete"]
JOURNAL = "journal.json"

# Applied in this process and neither finished nor rolled back yet: what settle_open undoes.
_open: dict[str, FileTransaction] = {}
_open_lock = threading.Lock()


def _checkpoint(name: str) -> None:
    """A named point between two durable steps; the crash tests stop the process here."""


def checkpoint(name: str) -> None:
    _checkpoint(name)  # looked up at call time, so a test can replace it


def journal_dir(state_dir: Path) -> Path:
    return state_dir / "journal"


def new_id() -> str:
    # The process id in the name: recovery can tell a live writer's half-made journal from a dead one's.
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(4)}"


def settle_open() -> None:
    """Undo (or, past their commit point, finish) the transactions this process left open."""
    with _open_lock:
        left = list(_open.values())
    problems = []
    for transaction in left:
        try:
            if transaction._state == "applied":  # past its commit point: kept
                transaction.finish()
            else:
                transaction.rollback()
        except TransactionError as exc:
            problems.append(str(exc))
    writer_lock.release_all()
    if problems:
        raise TransactionError("; ".join(problems))


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


def replace_file(target: Path, data: bytes, mode: int | None) -> None:
    tmp = target.with_name(f".{target.name}.hw-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        checkpoint("temp-written")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@functools.cache
def _umask() -> int:
    # os.umask can only be read by setting it; do it once, not around every write.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_ANY = object()  # no expectation about the bytes a file holds before it is written


class WriteFailed(TransactionError):
    """A file could not be written; every file of the transaction was put back."""

    def __init__(self, path: str, reason: str, outcome: str = "every file was put back as it was") -> None:
        super().__init__(f"cannot write {path}: {reason}; {outcome}")
        self.path = path
        self.reason = reason


class _Op:
    __slots__ = ("data", "expect", "kind", "mode", "path")

    def __init__(
        self, kind: Kind, path: str, data: bytes | None, mode: int | None, expect: object = _ANY
    ) -> None:
        self.kind, self.path, self.data, self.mode, self.expect = kind, path, data, mode, expect


class FileTransaction:
    """Stage changes to files under ``root``; apply them all, then keep or roll back all of them."""

    def __init__(self, root: Path, journal_root: Path, *, label: str = "") -> None:
        self.root = root.resolve()
        self.journal_root = journal_root
        self.label = label
        self.id = new_id()
        self._ops: dict[str, _Op] = {}
        self._state = "staging"
        self._dir = journal_root / self.id
        self._entries: list[dict[str, Any]] = []
        self._journal: dict[str, Any] = {}
        self._index: list[dict[str, str]] = []
        self._index_file: str | None = None

    # -- staging ----------------------------------------------------------------------------------

    def _stage(self, op: _Op) -> None:
        if self._state != "staging":
            raise TransactionError(f"transaction {self.id} is {self._state}; nothing more can be staged")
        op.path = safe_relpath(op.path)
        resolve_inside(self.root, op.path)
        self._ops[op.path] = op

    def write(self, path: str, data: bytes, mode: int | None = None, *, expect: object = _ANY) -> None:
        """Create or overwrite ``path``; an existing file keeps its mode unless ``mode`` is given.

        ``expect``: the bytes (None: no file) the caller read and built on; if the file holds anything
        else when the transaction applies, nothing is written (an editor saved, another run wrote).
        """
        self._stage(_Op("write", path, data, mode, expect))

    def create(self, path: str, data: bytes, mode: int | None = None) -> None:
        """Create ``path``; refused at apply time if it exists."""
        self._stage(_Op("create", path, data, mode))

    def delete(self, path: str, *, expect: object = _ANY) -> None:
        self._stage(_Op("delete", path, None, None, expect))

    def track_index(
        self, path: str, mode: str, old_blob: str, new_blob: str, index_file: Path | None
    ) -> None:
        """The caller will set ``path``'s index entry to ``new_blob``: undo and recovery cover it too."""
        self._index.append({"path": safe_relpath(path), "mode": mode, "old": old_blob, "new": new_blob})
        self._index_file = str(index_file) if index_file else None
        if self._state in ("applied", "pending"):
            self._set_state(self._state)  # into the journal before the caller touches the index

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
        writer_lock.acquire(self.journal_root, self.root)
        try:
            entries = self._prepare()
        except OSError as exc:  # the backups or the journal: a full disk, an unwritable state folder
            self._discard_journal()
            where = exc.filename or self._dir
            raise WriteFailed(str(where), exc.strerror or str(exc), "nothing was changed") from exc
        except BaseException:
            self._discard_journal()  # nothing was written yet
            raise
        self._state = "prepared"
        with _open_lock:
            _open[self.id] = self
        checkpoint("prepared")
        changed: dict[str, list[str]] = {"created": [], "modified": [], "deleted": []}
        try:
            for entry in entries:
                op = self._ops[entry["path"]]
                target = self.root / entry["path"]
                with interrupts.deferred():  # one file is never half handled
                    if op.kind == "delete":
                        if entry["old_sha"] is not None:
                            target.unlink()
                            changed["deleted"].append(op.path)
                    else:
                        for directory in entry["made_dirs"]:
                            (self.root / directory).mkdir(exist_ok=True)
                        assert op.data is not None
                        replace_file(target, op.data, entry["new_mode"])
                        changed["created" if entry["old_sha"] is None else "modified"].append(op.path)
                checkpoint("replaced")
        except OSError as exc:  # a full disk, a read-only folder: put everything back, say which file
            self._undo(cause=exc)
            raise WriteFailed(op.path, exc.strerror or str(exc)) from exc
        except BaseException as exc:
            self._undo(cause=exc)
            raise
        self._set_state("pending" if pending else "applied")
        checkpoint("applied")
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
                    raise BadInput(f"{op.path}: already exists (refusing to overwrite it)")
                old = target.read_bytes()
                old_mode = stat.S_IMODE(target.stat().st_mode)
            if op.expect is not _ANY and old != op.expect:
                raise BadInput(f"{op.path}: changed since hookwright read it; nothing was written")
            if old is not None:
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
                    "old_sha": rollback.sha(old),
                    "old_mode": old_mode,
                    "new_sha": rollback.sha(op.data),
                    "new_mode": op.mode if op.mode is not None else old_mode,
                    "made_dirs": list(reversed(made_dirs)),
                }
            )
        _fsync_dir(backups)
        checkpoint("backed-up")
        self._entries = entries
        self._journal = {
            "id": self.id,
            "label": self.label,
            "root": str(self.root),
            "pid": os.getpid(),
            "created": time.time(),
            "state": "prepared",
            "entries": entries,
            "index": self._index,
            "index_file": self._index_file,
        }
        _write_json_atomic(self._dir / JOURNAL, self._journal)
        return entries

    def _set_state(self, state: str) -> None:
        self._state = state
        self._journal.update(state=state, index=self._index, index_file=self._index_file)
        _write_json_atomic(self._dir / JOURNAL, self._journal)

    def finish(self) -> None:
        if self._state in ("applied", "pending"):
            if self._state == "pending":
                self._set_state("applied")  # validated: from here recovery keeps the new bytes
                checkpoint("validated")
            self._discard_journal()
            self._state = "finished"

    def rollback(self) -> list[str]:
        """Restore every file to its bytes and mode before ``apply``; returns conflicts left alone.

        A file that cannot be written back raises TransactionError naming it; its backup is kept.
        """
        if self._state not in ("prepared", "pending", "applied"):
            self._state = "rolled back" if self._state == "staging" else self._state
            return []
        return self._undo()

    def commit(self) -> dict[str, list[str]]:
        changed = self.apply()
        self.finish()
        return changed

    def _undo(self, cause: BaseException | None = None) -> list[str]:
        with interrupts.deferred():  # a rollback, once started, finishes, journal and all
            files = rollback.undo_entries(self.root, self._dir, self._entries, replace_file)
            index = rollback.settle_index(self._journal, to_new=False) if self._index else rollback.Outcome()
            failed = files.failed + index.failed
            if failed:
                with _open_lock:
                    _open.pop(self.id, None)
                self._state = "failed"  # the journal stays: `hookwright recover` finishes the job
            else:
                self._discard_journal()
                self._state = "rolled back"
        if failed:
            listed = ", ".join(f"{path} ({why})" for path, why in failed)
            raise TransactionError(
                f"could not restore {listed}; the old bytes are kept in {self._dir / 'backups'}: "
                "fix that and run `hookwright recover`"
            ) from cause
        return files.conflicts + index.conflicts

    def _discard_journal(self) -> None:
        with _open_lock:
            _open.pop(self.id, None)
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
