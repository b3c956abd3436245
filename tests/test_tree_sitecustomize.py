"""A sitecustomize.py the tree commits is not run at the start of the tests' interpreter, as it is
not under plain `pytest` at the root (the root joins sys.path only after start-up).

hookwright puts the copy's folders on PYTHONPATH, so the interpreter ran the tree's sitecustomize.py
first: on 998c6cc a test that only passes after it ran passed, where the user's pytest fails it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import git, write
from test_committed_bytes import plain_pytest, verify

SETS_MAGIC = "import builtins\n\nbuiltins.MAGIC = 3\n"
USES_MAGIC = "def test_magic():\n    assert MAGIC == 3  # noqa: F821\n"
CHILD_USES_MAGIC = (
    "import subprocess\nimport sys\n\n\ndef test_magic_in_a_child():\n"
    '    subprocess.run([sys.executable, "-c", "MAGIC"], check=True)\n'
)


@pytest.mark.parametrize("where", ["sitecustomize.py", "src/sitecustomize.py"])
@pytest.mark.parametrize("test", [USES_MAGIC, CHILD_USES_MAGIC], ids=["in-pytest", "in-a-child"])
def test_the_trees_sitecustomize_is_not_run_at_start(
    in_git_dir: Path, tmp_path: Path, where: str, test: str
) -> None:
    repo = in_git_dir
    write(repo / where, SETS_MAGIC)
    write(repo / "src" / "pkg" / "__init__.py", "")
    write(repo / "tests" / "test_magic.py", test)
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") == 1
    result = verify(repo, "--only", "tests", "--all-files")
    assert result.returncode == 1, f"passed on what the tree's sitecustomize set up: {result.stdout}"


def test_a_sitecustomize_on_the_users_pythonpath_still_runs(in_git_dir: Path, tmp_path: Path) -> None:
    """The one a plain run has is the one that runs, in pytest and its children (on 998c6cc the
    tree's ran instead and ended pytest)."""
    repo = in_git_dir
    outside = tmp_path / "outside"
    write(outside / "sitecustomize.py", SETS_MAGIC)
    write(repo / "sitecustomize.py", "raise SystemExit('the tree sitecustomize ran')\n")
    write(repo / "tests" / "test_magic.py", USES_MAGIC + "\n\n" + CHILD_USES_MAGIC)
    git(repo, "add", ".")
    os.environ["PYTHONPATH"] = str(outside)  # (the autouse fixture restores the environment)
    try:
        assert plain_pytest(repo, tmp_path / "plain") == 0
        result = verify(repo, "--only", "tests", "--all-files")
    finally:
        del os.environ["PYTHONPATH"]
    assert result.returncode == 0, result.stdout
