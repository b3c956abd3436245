"""Which test framework a repository uses, and how pytest is configured there.

Cheap on purpose (no report parsers, no process): the tests check asks on every commit.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection
from pathlib import Path

from hookwright.testing import go_modules, js_suites

_SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__", "build", "dist", "site-packages"})
_SCAN_BUDGET = 2000  # directory entries: detection stays cheap on a 5,000-file repository


def detect_framework(root: Path) -> str | None:
    """The test framework of ``root``; pytest, then jest, then go when several fit."""
    root = Path(root)
    if _uses_pytest(root):
        return "pytest"
    if _uses_jest(root):
        return "jest"
    if (root / "go.mod").is_file():
        return "go"
    return None


def detect_in_tree(paths: Collection[str], read: Callable[[str], bytes | None]) -> str | None:
    """``detect_framework`` for a committed tree: its paths are known, only root files are read."""
    return next(iter(every_in_tree(paths, read)), None)


def every_in_tree(paths: Collection[str], read: Callable[[str], bytes | None]) -> tuple[str, ...]:
    """Every framework a committed tree has tests for, in ``detect_framework``'s order.

    pytest when the tree has a conftest.py, a pytest config at its root, or a file pytest would
    collect (by its rules: ``testpaths``, ``python_files``, tests inside packages).
    """
    from hookwright.testing import pytest_layout

    found = []
    layout = pytest_layout.layout(read)
    if layout.inifile is not None or any(
        p.endswith(".py") and (p.rsplit("/", 1)[-1] == "conftest.py" or layout.is_test_file(p)) for p in paths
    ):
        found.append("pytest")
    if jest_suites(paths, read):
        found.append("jest")
    if go_modules.module_folders(paths, read):
        found.append("go")
    return tuple(found)


def jest_suites(paths: Collection[str], read: Callable[[str], bytes | None]) -> js_suites.JsSuites:
    """Where a committed tree's jest suites run (its root, its workspaces), and what cannot run."""
    package = read("package.json") if "package.json" in paths else None
    root_is_jest = any(p.startswith("jest.config.") for p in paths) or _jest_package(package or b"")
    return js_suites.plan(paths, read, root_is_jest)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _uses_pytest(root: Path) -> bool:
    if any((root / name).is_file() for name in ("conftest.py", "pytest.ini", "pytest.toml", ".pytest.toml")):
        return True
    for name, section in (
        ("pyproject.toml", "[tool.pytest.ini_options]"),
        ("setup.cfg", "[tool:pytest]"),
        ("tox.ini", "[pytest]"),
    ):
        if re.search(rf"^\s*{re.escape(section)}", _read_text(root / name), re.M):
            return True
    budget = [_SCAN_BUDGET]
    return _has_python_tests(root, 2, budget) or any(
        _has_python_tests(root / name, 4, budget) for name in ("tests", "test")
    )


def _has_python_tests(directory: Path, depth: int, budget: list[int]) -> bool:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return False
    subdirs = []
    for entry in entries:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        name = entry.name
        if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")):
            if entry.is_file():
                return True
        elif (
            depth > 1
            and not name.startswith(".")
            and name not in _SKIP_DIRS
            and entry.is_dir(follow_symlinks=False)
        ):
            subdirs.append(Path(entry.path))
    return any(_has_python_tests(sub, depth - 1, budget) for sub in subdirs)


def _uses_jest(root: Path) -> bool:
    if any(root.glob("jest.config.*")):
        return True
    return _jest_package(_read_text(root / "package.json").encode())


def _jest_package(raw: bytes) -> bool:
    try:
        package = json.loads(raw or b"null")
    except ValueError:
        return False
    if not isinstance(package, dict):
        return False
    if "jest" in package:
        return True
    for key in ("devDependencies", "dependencies"):
        deps = package.get(key)
        if isinstance(deps, dict) and "jest" in deps:
            return True
    scripts = package.get("scripts")
    test_script = scripts.get("test") if isinstance(scripts, dict) else None
    # `jest`, `npx jest`, `cross-env CI=1 jest --coverage`, `tsc && jest`: jest is run somewhere.
    return isinstance(test_script, str) and js_suites.RUNS_JEST.search(test_script) is not None
