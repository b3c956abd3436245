"""Where hookwright keeps its own state (records, cache, journals), and what happens when it cannot.

The home is ``hookwright/`` in the git common dir. When that cannot be used (a file in the way, a
read-only or immutable folder) a commit must not be blocked by our bookkeeping: the run keeps its
state in a private folder under the temp directory instead, with one warning line. That folder's name
is derived from the repository, so the next command (``pending.settle``) finds a journal left there.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from hookwright.errors import report_warning
from hookwright.hashing import sha256


def _temp_root() -> Path:
    # tempfile's own answer when it is loaded; its rule otherwise (importing it costs every command
    # start a few milliseconds, for a folder almost no run ever needs).
    tempfile = sys.modules.get("tempfile")
    if tempfile is not None:
        return Path(tempfile.gettempdir())
    return Path(next((os.environ[n] for n in ("TMPDIR", "TEMP", "TMP") if os.environ.get(n)), "/tmp"))


def fallback_dir(common_dir: Path) -> Path:
    digest = sha256(str(common_dir).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return _temp_root() / f"hookwright-state-{os.getuid()}-{digest}"


def usable(directory: Path) -> bool:
    return directory.is_dir() and os.access(directory, os.W_OK | os.X_OK)


def private_dir(path: Path) -> Path:
    """``path`` made (mode 0700) or found, and only if it is a real folder of ours: temp is shared."""
    import tempfile

    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return Path(tempfile.mkdtemp(prefix="hookwright-state-"))
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return Path(tempfile.mkdtemp(prefix="hookwright-state-"))  # someone else's: not ours to use
    return path


def state_dir(common_dir: Path) -> Path:
    home = common_dir / "hookwright"
    try:
        home.mkdir(exist_ok=True)
        problem = "" if usable(home) else "not writable"
    except OSError as exc:
        problem = exc.strerror or str(exc)
    if not problem:
        return home
    fallback = private_dir(fallback_dir(common_dir))
    report_warning(f"{home}: {problem}; records, cache and journals go to {fallback} for this run")
    return fallback


def journal_roots(common_dir: Path) -> list[Path]:
    """Where an interrupted run's journal can be, without creating anything."""
    return [common_dir / "hookwright" / "journal", fallback_dir(common_dir) / "journal"]
