"""Running a project's suite well: the right interpreter, and the test files split across cores."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright import parallel

# Below this much expected work a second pytest process costs more (its start-up, its imports)
# than it saves.
_SHARD_MIN_SECONDS = 3.0
_SHARD_MIN_FILES = 4


def project_python(work_tree: Path, chosen: str | None = None) -> str:
    """The interpreter that has the project's dependencies, not necessarily hookwright's own."""
    if chosen:
        path = Path(chosen) if Path(chosen).is_absolute() else work_tree / chosen
        return str(path) if path.exists() else chosen
    for venv in (".venv", "venv", "env"):
        candidate = work_tree / venv / "bin" / "python"
        if candidate.is_file():
            return str(candidate)
    if os.environ.get("PRE_COMMIT") == "1":
        # pre-commit runs us in its own isolated virtualenv: the project's python is the first one
        # on PATH outside it.
        ours = Path(sys.prefix) / "bin"
        search = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != ours)
        found = find_program("python3", path=search) or find_program("python", path=search)
        if found:
            return found
    return sys.executable


def find_program(name: str, path: str | None = None) -> str | None:
    """``shutil.which``, imported only when a program is named without its path."""

    import shutil  # here: bz2 and lzma come with it, and an interpreter named by its path needs no search

    return shutil.which(name, path=path)


def executable_identity(program: str, search_path: str | None = None) -> list[object]:
    """What tells a program (by path, or a name found on ``search_path``) from another without
    starting it: where it is, and the size and times of it and of what it links to."""
    found: list[object] = [program]
    path = Path(program if os.sep in program else (find_program(program, path=search_path) or program))
    for candidate in (path, path.resolve()):
        try:
            st = candidate.stat()
        except OSError:
            continue
        found.append((str(candidate), st.st_size, st.st_mtime_ns, st.st_ino))
    return found


def interpreter_identity(python: str) -> list[object]:
    """What tells this interpreter, and the packages it has, from another, without starting it.

    Part of the tests check's cache key: a virtualenv rebuilt (another Python, another version of
    a dependency) runs other code on the same tree, and its pass was replayed from the cache.
    """
    found = executable_identity(python)
    path = Path(python if os.sep in python else (find_program(python) or python))
    # bin/python -> the environment: installing or removing a package changes its folder's mtime.
    # Without a virtualenv, the system's dist-packages and the user's site-packages too.
    from hookwright.testing.editable_installs import site_dirs

    prefix = path.parent.parent
    folders = [*sorted(prefix.glob("lib*/python*/site-packages")), *site_dirs(python)]
    distinct: dict[tuple[int, int], Path] = {}  # a venv's lib64 is its lib: listed once below
    for folder in [prefix / "pyvenv.cfg", *dict.fromkeys(folders)]:
        with contextlib.suppress(OSError):  # not a virtualenv, or no such folder
            st = folder.stat()
            found.append((str(folder), st.st_mtime_ns))
            distinct.setdefault((st.st_dev, st.st_ino), folder)
    # What `site` runs at every start, edited in place or not (a venv runs its base's sitecustomize).
    from hookwright.testing.interpreter_inputs import startup_files, venv_settings

    home = (venv_settings(prefix) or {}).get("home")
    sites = [f for f in distinct.values() if f.name != "pyvenv.cfg"]
    found.extend(startup_files([prefix, *([Path(home).parent] if home else [])], sites))
    return found


def shard_count(files: Sequence[str], durations: Mapping[str, float], wanted: int) -> int:
    """``wanted`` 0 means automatic: split only when measured durations say it wins.

    Every file must have a measured duration (a first run is never split: it measures), and the
    expected time must be worth a second interpreter's start-up and imports.
    """
    if wanted:
        return max(1, min(wanted, len(files)))
    if len(files) < _SHARD_MIN_FILES or any(f not in durations for f in files):
        return 1
    if sum(durations[f] for f in files) < _SHARD_MIN_SECONDS:
        return 1
    return max(1, min(parallel.default_jobs(), len(files) // 2))


def partition(
    files: Sequence[str],
    shards: int,
    durations: Mapping[str, float],
    sizes: Mapping[str, int],
    pinned: Mapping[str, int] | None = None,
) -> list[list[str]]:
    """Longest first onto the least loaded shard; a file's weight is its last duration, else its size.

    ``pinned``: file -> shard of a split that passed; those files keep their shard, the rest fill in.
    """
    known = [durations[f] for f in files if f in durations]
    per_byte = (sum(known) / max(1, sum(sizes.get(f, 1) for f in files if f in durations))) if known else 1.0

    def weight(path: str) -> float:
        return durations.get(path, sizes.get(path, 1) * per_byte)

    bins: list[list[str]] = [[] for _ in range(shards)]
    loads = [0.0] * shards
    kept = {f: i for f, i in (pinned or {}).items() if f in files and isinstance(i, int) and 0 <= i < shards}
    for path, i in kept.items():
        bins[i].append(path)
        loads[i] += weight(path)
    for path in sorted((f for f in files if f not in kept), key=weight, reverse=True):
        lightest = loads.index(min(loads))
        bins[lightest].append(path)
        loads[lightest] += weight(path)
    # Each shard runs its files in the order pytest would have: sorted.
    return [sorted(b) for b in bins if b]
