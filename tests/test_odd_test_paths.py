"""Test files whose paths hold a newline: what hookwright tells its pytest plugin to leave out is a
list of paths, and one path must never read as two (the second could name a test file that must run).
"""

from __future__ import annotations

from pathlib import Path

from conftest import git
from test_committed_bytes import plain_pytest, verify, write

# Same basenames in two folders without __init__.py: importlib mode lets both be collected.
CONFIG = "[tool.pytest.ini_options]\ntestpaths = ['tests']\naddopts = '--import-mode=importlib'\n"
TEST_ADD = "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"


def test_a_left_out_path_with_a_newline_does_not_leave_out_another_file(
    committed_repo: Path, tmp_path: Path
) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", CONFIG)
    write(repo / "tests" / "test_mod.py", TEST_ADD)
    # One file, in a folder named "x\ntests": its path, split at the newline, ends "tests/test_mod.py".
    write(repo / "tests" / "x\ntests" / "test_mod.py", "def test_other():\n    pass\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "odd path")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return a - b\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the selected file was left out: {result.stdout}"
