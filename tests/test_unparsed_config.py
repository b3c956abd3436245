"""A config file pytest or ruff reads but that does not parse: their own runs stop with an error.

The model of pytest's config search took such a file for "no config here", went on to the next
candidate and at the end ran the suite under ``-c /dev/null``: the tests passed, and the pass was
cached, where the user's ``pytest`` exits 4. ruff parses every ``pyproject.toml`` on its walk, with or
without a ``[tool.ruff]`` table; the lint check skipped one without "ruff" in it. Each case is
compared with a plain run on the same tree.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, write
from test_committed_bytes import plain_pytest, verify

BROKEN = {
    "pyproject-key-twice": ("pyproject.toml", "[tool.pytest.ini_options]\naddopts = '-q'\naddopts = '-x'\n"),
    "pyproject-no-pytest-table": ("pyproject.toml", "[project]\nname = 'demo'\nversion = \n"),
    "setup-cfg-line-outside-a-section": ("setup.cfg", "stray line\n[tool:pytest]\naddopts = -q\n"),
    "tox-ini-key-twice": ("tox.ini", "[tox]\nenvlist = py\n[pytest]\naddopts = -q\naddopts = -x\n"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_config_pytest_cannot_parse_is_an_error_not_a_pass(
    tested_repo: Path, tmp_path: Path, case: str
) -> None:
    repo = tested_repo
    if case == "pyproject-key-twice":  # once from a known state, where selection may narrow
        assert verify(repo, "--only", "tests").returncode == 0
    name, text = BROKEN[case]
    write(repo / name, text)
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return b + a\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") == 4
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout
    assert re.search(r"tests +error", result.stdout), result.stdout
    assert verify(repo, "--only", "tests").returncode == 1  # nor is a pass cached


def test_a_pyproject_ruff_cannot_parse_fails_lint_without_a_ruff_table(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", "[project]\nname = 'demo'\nname = 'twice'\n")
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return b + a\n")
    git(repo, "add", ".")
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "pkg/mod.py"],
        check=False,
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 2, ruff.stderr
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1, result.stdout
    assert re.search(r"lint +error", result.stdout), result.stdout
