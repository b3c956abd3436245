"""The result cache: work whose inputs have not changed is looked up, not redone.

One SQLite file under the git common dir, shared by every worktree. Keys are digests of everything
a result depends on (check name, its configuration, tool versions, the blob ids it read); values are
JSON. SQLite gives atomic writes and safe concurrent readers for free.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from hookwright.atomic import atomic_write
from hookwright.errors import report_warning
from hookwright.hashing import sha256

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    import sqlite3
    from typing import Any

_MAX_ROWS = 200_000
_CHUNK = 500  # SQLite's bound-parameter limit is 999 on old builds
_WRITE = "INSERT OR REPLACE INTO results VALUES (?, ?, ?)"


def _row(key: str, value: Any, now: float) -> tuple[str, str, float]:
    return key, json.dumps(value, separators=(",", ":")), now


def key(*parts: str) -> str:
    """A cache key from strings (no NUL inside); cheaper than ``digest`` where it runs per file."""
    return sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def digest(*parts: object) -> str:
    h = sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def read_snapshot(path: Path) -> Any | None:
    """A large piece of per-repository state (an import table, a baseline), or None.

    marshal, not JSON: these hold thousands of entries and are read on every commit; the files are
    our own, under the git directory, and a damaged one is simply rebuilt.
    """
    import marshal

    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write_snapshot(path: Path, value: Any) -> None:
    import marshal

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, marshal.dumps(value), durable=False)
    except OSError:
        pass  # a read-only or full disk costs speed next time, never a verdict


class ResultCache:
    def __init__(self, path: Path | None) -> None:
        """``path`` None: a cache that remembers nothing (``--no-cache``)."""
        self.path = path
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        # Checks run in threads and share this cache: one connection, used by one thread at a time.
        self._lock = threading.RLock()

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        with self._lock:
            return self._get_many(keys)

    def put_many(self, items: Mapping[str, Any]) -> None:
        with self._lock:
            self._put_many(items)

    def prune(self, max_rows: int = _MAX_ROWS) -> None:
        with self._lock:
            self._prune(max_rows)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            import sqlite3

            try:
                self._db = self._open(self.path)
            except (OSError, sqlite3.Error) as exc:
                # A folder where the file should be, a read-only or full disk: slower, never blocked.
                why = exc.strerror if isinstance(exc, OSError) else str(exc)
                report_warning(f"{self.path}: cannot use the result cache ({why}); running uncached")
                self.path = None
        return self._db

    def _open(self, path: Path) -> sqlite3.Connection:
        import sqlite3

        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT, at REAL)")
        except sqlite3.DatabaseError:
            if not path.is_file():
                raise
            # A corrupt cache is worth nothing: start over rather than fail a commit.
            path.unlink()
            db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT, at REAL)")
        return db

    def _get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = list(dict.fromkeys(keys))
        db = self._connect()
        found: dict[str, Any] = {}
        if db is not None:
            import sqlite3

            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                try:
                    rows = db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk)
                    found.update((key, json.loads(value)) for key, value in rows)
                except (sqlite3.Error, ValueError):
                    break
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def get(self, key: str) -> Any | None:
        return self.get_many([key]).get(key)

    def _put_many(self, items: Mapping[str, Any]) -> None:
        db = self._connect()
        if db is None or not items:
            return
        import sqlite3

        now = time.time()
        rows = [_row(key, value, now) for key, value in items.items()]
        try:
            with db:
                db.executemany(_WRITE, rows)
        except sqlite3.Error:
            return  # a full disk or a locked database costs speed, never a verdict

    def put(self, key: str, value: Any) -> None:
        self.put_many({key: value})

    def update(self, key: str, change: Callable[[Any | None], Any | None]) -> None:
        """Read, change and write one row in one write transaction: two runs finishing at once
        each see the other's write (a plain get then put lost one of them). ``change`` returning
        None writes nothing."""
        with self._lock:
            db = self._connect()
            if db is None:
                return
            import sqlite3

            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    row = db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
                    value = change(json.loads(row[0]) if row else None)
                    if value is not None:
                        db.execute(_WRITE, _row(key, value, time.time()))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            except (sqlite3.Error, ValueError):
                return  # a full disk or a locked database costs speed, never a verdict

    def _prune(self, max_rows: int) -> None:
        db = self._connect()
        if db is None:
            return
        import sqlite3

        try:
            (count,) = db.execute("SELECT COUNT(*) FROM results").fetchone()
            if count > max_rows:
                db.execute(
                    "DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY at LIMIT ?)",
                    (count - max_rows // 2,),
                )
        except sqlite3.Error:
            pass

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
