"""Which ruff configuration a committed file gets: the tree's own, else what a fresh clone would use.

ruff looks for its configuration in the file's folder and then in every folder above it. The private
copy of the tree lives under ``.git/hookwright/snapshots/``, inside the user's work tree, so for a
file no committed configuration covers, that walk went on into the work tree: an untracked
``ruff.toml`` there (``ignore = ["F"]``) passed a commit that ruff rejects on a clean checkout, and
the pass was cached. Such files are checked with the configuration a clone would find outside any
project (ruff's user-level one, else none), never with whatever lies above the copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

NAMES = ("pyproject.toml", "ruff.toml", ".ruff.toml")


def _configures_ruff(name: str, data: bytes | None) -> bool:
    """ruff takes any ruff.toml, and a pyproject.toml only when it has a ``tool.ruff`` table."""
    if name != "pyproject.toml":
        return True
    if data is None:
        return False
    # Parsed even without "ruff" in it: ruff parses every pyproject.toml on its walk and stops at one
    # that is not valid TOML, so a commit whose pyproject.toml does not parse fails ruff's own run.
    from hookwright.toml_memory import document

    parsed = document(data.decode("utf-8", "replace"))
    if parsed is None:
        return True  # ruff stops at it and reports the error: so does the check
    tool = parsed.get("tool")
    return isinstance(tool, dict) and "ruff" in tool


def covering_folders(configs: Sequence[str], read: Callable[[str], bytes | None]) -> frozenset[str]:
    """The tree's folders ("" for its top) holding a configuration ruff would stop at."""
    found = set()
    for path in configs:
        folder, _, name = path.rpartition("/")
        if name in NAMES and _configures_ruff(name, read(path) if name == "pyproject.toml" else None):
            found.add(folder)
    return frozenset(found)


def covered(path: str, folders: frozenset[str]) -> bool:
    """Some folder of the tree above ``path`` (or its own) holds a ruff configuration."""
    parts = path.split("/")[:-1]
    return "" in folders or any("/".join(parts[:depth]) in folders for depth in range(1, len(parts) + 1))


def user_config(env: Mapping[str, str] | None = None) -> Path | None:
    """ruff's user-level configuration (what it uses when no project configuration is found)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or (str(Path(env["HOME"]) / ".config") if env.get("HOME") else "")
    if not base:
        return None
    for name in ("ruff.toml", ".ruff.toml", "pyproject.toml"):
        candidate = Path(base) / "ruff" / name
        if candidate.is_file() and _configures_ruff(name, _read(candidate)):
            return candidate
    return None


def outside_arguments(extra: Sequence[str], env: Mapping[str, str] | None = None) -> list[str]:
    """ruff's arguments for a file no committed configuration covers: never one found above the copy."""
    if any(a in {"--isolated", "--config"} or a.startswith("--config=") for a in extra):
        return []  # the user chose the configuration already
    chosen = user_config(env)
    return [f"--config={chosen}"] if chosen is not None else ["--isolated"]


def user_config_bytes(env: Mapping[str, str] | None = None) -> bytes:
    """Part of the lint cache key: findings made under one user-level configuration are its own."""
    chosen = user_config(env)
    return (_read(chosen) or b"") if chosen is not None else b""


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
