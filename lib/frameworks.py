"""Which test framework a repository uses, and how pytest is configured there.

Cheap on purpose (no report parsers, no process): the tests check asks on every commit.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

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


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _uses_pytest(root: Path) -> bool:
    if (root / "conftest.py").is_file() or (root / "pytest.ini").is_file():
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
    try:
        package = json.loads(_read_text(root / "package.json") or "null")
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
    return isinstance(test_script, str) and re.match(r"\s*jest\b", test_script) is not None


def pytest_settings(root: Path) -> dict[str, list[str]]:
    """``testpaths`` and ``python_files`` from the pytest configuration pytest itself would read."""
    import configparser

    candidates = [
        ("pytest.ini", "pytest"),
        ("pyproject.toml", None),
        ("tox.ini", "pytest"),
        ("setup.cfg", "tool:pytest"),
    ]
    for name, section in candidates:
        path = root / name
        if not path.is_file():
            continue
        if section is None:
            from hookwright import tomlfile

            try:
                table = tomlfile.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("pytest", {})
            except (ValueError, OSError):
                return {}
            options = table.get("ini_options")
            if options is None:
                continue
            return {
                key: _as_list(options.get(key)) for key in ("testpaths", "python_files") if key in options
            }
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error:
            return {}
        if parser.has_section(section):
            return {
                key: _as_list(parser.get(section, key))
                for key in ("testpaths", "python_files")
                if parser.has_option(section, key)
            }
    return {}


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").split()
