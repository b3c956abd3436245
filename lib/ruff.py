"""Running ruff: found once, run on exactly the files given, its JSON turned into Findings."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright import parallel
from hookwright.frozen import replace
from hookwright.reporting import Finding

PYTHON_SUFFIXES = (".py", ".pyi")
SYNTAX_CODE = "invalid-syntax"  # what ruff calls a parse error (it has no rule code)
_ARG_BYTES = 100_000  # well under ARG_MAX with any environment


@functools.cache
def executable() -> str | None:
    # Prefer the ruff installed beside this interpreter (the hook's own venv), then PATH.
    beside = Path(sys.executable).parent / "ruff"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    import shutil  # here: bz2 and lzma come with it, and ruff is usually beside the interpreter

    return shutil.which("ruff")


@functools.cache
def version() -> str:
    """What ruff's findings depend on, for cache keys: the binary's identity, or its ``--version``.

    A binary's path, size, mtime and inode change whenever it is replaced (an upgrade rewrites
    it), and reading them costs no process. A script (a shim, a wrapper) may run any ruff: asked.
    """
    exe = executable()
    if exe is None:
        return "missing"
    try:
        real = Path(exe).resolve()
        with real.open("rb") as handle:
            binary = handle.read(4) == b"\x7fELF"
        info = real.stat()
    except OSError:
        binary = False
    if binary:
        return f"{real} {info.st_size} {info.st_mtime_ns} {info.st_ino}"
    result = parallel.run((exe, "--version"), timeout=30)
    return result.out.strip() or "unknown"


def child_env(env: Mapping[str, str] | None = None) -> Mapping[str, str] | None:
    """``env`` (None: ours) as ruff must get it: without ``RUFF_OUTPUT_FILE``, which sends the JSON
    we read from stdout to a file instead. Left in, every file read as clean (a lint pass, cached)."""
    given = os.environ if env is None else env
    if "RUFF_OUTPUT_FILE" not in given:
        return env
    return {name: value for name, value in given.items() if name != "RUFF_OUTPUT_FILE"}


def _chunks(paths: Sequence[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for path in paths:
        if size + len(path) + 1 > _ARG_BYTES and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(path)
        size += len(path) + 1
    return chunks


class RuffFailed(Exception):
    pass


def _argv(
    exe: str, select: Sequence[str], ignore: Sequence[str], extra: Sequence[str], respect_excludes: bool
) -> list[str]:
    argv = [exe, "check", "--output-format=json", "--no-cache", "--exit-zero", "--no-fix"]
    if respect_excludes:
        argv.append("--force-exclude")  # the project's `exclude` holds for files passed by name
    if select:
        argv.append("--select=" + ",".join(select))
    if ignore:
        argv.append("--ignore=" + ",".join(ignore))
    argv.extend(extra)
    return argv


def _findings(result: parallel.Completed, root: Path, timeout: float) -> list[Finding]:
    if result.timed_out:
        raise RuffFailed(f"ruff timed out after {timeout:g}s")
    if result.returncode != 0:
        lines = result.err.strip().splitlines()
        raise RuffFailed(f"ruff failed: {lines[-1] if lines else result.returncode}")
    try:
        diagnostics = json.loads(result.stdout or b"[]")
    except ValueError:
        raise RuffFailed("ruff printed output that is not JSON") from None
    resolved_root = root.resolve()
    found = []
    for item in diagnostics:
        filename = Path(item["filename"])
        try:
            rel = filename.resolve().relative_to(resolved_root).as_posix()
        except ValueError:
            rel = filename.as_posix()
        location = item.get("location") or {}
        code = item.get("code") or SYNTAX_CODE
        found.append(Finding(rel, location.get("row"), location.get("column"), code, item.get("message", "")))
    return found


def check(
    root: Path,
    paths: Sequence[str],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    respect_excludes: bool = True,
) -> dict[str, list[Finding]]:
    """``ruff check`` the given repository-relative paths; findings per path (every path present)."""
    exe = executable()
    if exe is None:
        raise RuffFailed("ruff is not installed (pip install ruff)")
    found: dict[str, list[Finding]] = {p: [] for p in paths}
    argv = _argv(exe, select, ignore, extra, respect_excludes)
    for chunk in _chunks(paths):
        # `--` and ./-prefixed paths: a file named `--fix` stays a file.
        result = parallel.run([*argv, "--", *chunk], cwd=root, env=child_env(env), timeout=timeout)
        for finding in _findings(result, root, timeout):
            found.setdefault(finding.path or "", []).append(finding)
    return found


def check_source(
    root: Path,
    path: str,
    data: bytes,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> list[Finding]:
    """``check`` for other bytes of ``path`` (an older version), with the configuration at ``root``."""
    exe = executable()
    if exe is None:
        raise RuffFailed("ruff is not installed (pip install ruff)")
    argv = [*_argv(exe, select, ignore, extra, True), "--stdin-filename", path, "-"]
    result = parallel.run(argv, cwd=root, env=child_env(env), timeout=timeout, input=data)
    return [replace(f, path=path) for f in _findings(result, root, timeout)]
