"""False passes hunted as a hostile user would: each verdict is compared with a plain run of the same
tool on a clean export of the committed tree (``git archive`` of the tree the commit records).

Kept even where hookwright answers right today: each of these can fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import git, hookwright, write


def plain_pytest(repo: Path, tmp: Path, links_out: bool = False) -> int:
    """pytest's exit code on exactly the tree the next commit records, in a directory of its own.

    ``links_out``: the tree holds symlinks that lead out of it (tar's "data" filter refuses them).
    """
    tree = git(repo, "write-tree").strip()
    tmp.mkdir(parents=True, exist_ok=True)
    archive = tmp / "tree.tar"
    archive.write_bytes(
        subprocess.run(["git", "archive", tree], cwd=repo, capture_output=True, check=True).stdout
    )
    clean = tmp / "clean"
    clean.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(clean, filter="fully_trusted" if links_out else "data")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(argv, cwd=clean, env=env, capture_output=True, check=False).returncode


def verify(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return hookwright("verify", *args, cwd=repo, env=env)


def test_a_ruff_config_in_the_work_tree_but_not_committed_is_never_read(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "pkg" / "mod.py", "import sys\n\n\ndef add(a, b):\n    return a + b\n")
    git(repo, "add", "pkg/mod.py")
    # Untracked, at the top of the work tree: the private copy of the tree lives below it.
    write(repo / "ruff.toml", "[lint]\nignore = ['F']\n")
    lenient = verify(repo, "--only", "lint")
    assert lenient.returncode == 1, f"F401 hidden by an uncommitted config: {lenient.stdout}"
    (repo / "ruff.toml").unlink()
    again = verify(repo, "--only", "lint")
    assert again.returncode == 1 and "F401" in again.stdout, again.stdout


def test_a_ruff_config_the_tree_commits_still_counts(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "ruff.toml", "[lint]\nignore = ['F']\n")
    write(repo / "pkg" / "mod.py", "import sys\n\n\ndef add(a, b):\n    return a + b\n")
    git(repo, "add", ".")
    assert verify(repo, "--only", "lint").returncode == 0
    write(repo / "ruff.toml", "[lint]\nignore = []\n")  # unstaged: the committed one holds
    assert verify(repo, "--only", "lint").returncode == 0


def test_intent_to_add_files_are_not_part_of_the_commit(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    # Two test files of the same name: pytest needs packages to tell them apart.
    for folder in ("a", "b"):
        write(repo / "tests" / folder / "test_same.py", "def test_same():\n    pass\n")
    git(repo, "add", "tests")
    for init in ("tests/__init__.py", "tests/a/__init__.py", "tests/b/__init__.py"):
        write(repo / init, "")
    git(repo, "add", "-N", "tests/__init__.py", "tests/a/__init__.py", "tests/b/__init__.py")
    assert plain_pytest(repo, tmp_path) != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"passed with files the commit does not hold: {result.stdout}"


def test_a_changed_gitattributes_changes_the_bytes_the_tests_read(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    write(repo / "tests" / "data.txt", "abc\n")
    write(
        repo / "tests" / "test_data.py",
        "import pathlib\n\n\ndef test_data():\n"
        "    assert pathlib.Path(__file__).with_name('data.txt').read_bytes() == b'abc\\n'\n",
    )
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    # Checked out with CRLF from now on: the same blobs, other bytes on disk.
    write(repo / ".gitattributes", "tests/data.txt text eol=crlf\n")
    git(repo, "add", ".gitattributes")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    cached = verify(repo, "--only", "tests")
    assert cached.returncode == 1, f"a pass for other bytes: {cached.stdout}"
    uncached = verify(repo, "--only", "tests", "--no-cache")
    assert uncached.returncode == 1, f"the private copy kept the old line endings: {uncached.stdout}"


def test_an_unstaged_gitattributes_does_not_change_the_bytes(tested_repo: Path) -> None:
    repo = tested_repo
    write(repo / ".gitattributes", "tests/data.txt text eol=crlf\n")
    write(repo / "tests" / "data.txt", "abc\n")
    write(
        repo / "tests" / "test_data.py",
        "import pathlib\n\n\ndef test_data():\n"
        "    assert pathlib.Path(__file__).with_name('data.txt').read_bytes() == b'abc\\r\\n'\n",
    )
    git(repo, "add", ".")
    write(repo / ".gitattributes", "")  # not staged: the commit still says CRLF
    result = verify(repo, "--only", "tests", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def _interpreter(repo: Path, deps: Path) -> None:
    """The project's ``.venv/bin/python``: ours, with ``deps`` on its path (its installed packages)."""
    python = write(
        repo / ".venv" / "bin" / "python",
        f'#!/bin/sh\nPYTHONPATH="$PYTHONPATH:{deps}" exec {sys.executable} "$@"\n',
    )
    python.chmod(0o755)


def test_a_pass_made_with_another_interpreter_is_not_replayed(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    write(repo / ".gitignore", ".venv/\n")
    for version in ("1", "2"):
        write(tmp_path / f"deps{version}" / "dep.py", f"VERSION = {version}\n")
    write(repo / "tests" / "test_dep.py", "import dep\n\n\ndef test_dep():\n    assert dep.VERSION == 1\n")
    git(repo, "add", ".")
    _interpreter(repo, tmp_path / "deps1")
    assert verify(repo, "--only", "tests").returncode == 0
    # The virtualenv is rebuilt with another version of the dependency: the same tree now fails.
    _interpreter(repo, tmp_path / "deps2")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"replayed a pass made with another interpreter: {result.stdout}"


def test_the_one_process_run_after_a_failed_split_starts_from_the_committed_tree(
    tested_repo: Path, tmp_path: Path
) -> None:
    repo = tested_repo
    write(repo / ".hookwright.yaml", "checks:\n  tests:\n    shards: 2\n    select: all\n")
    # Fails on a clean tree; passes where an earlier run left its marker behind.
    write(
        repo / "tests" / "test_marker.py",
        "import pathlib\n\n\ndef test_marker():\n    marker = pathlib.Path('marker')\n"
        "    if marker.exists():\n        return\n    marker.touch()\n    assert False, 'a clean tree'\n",
    )
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the re-run read what the split run wrote: {result.stdout}"


def test_git_commit_with_paths_or_all_verifies_the_index_git_hands_the_hook(tested_repo: Path) -> None:
    repo = tested_repo
    assert hookwright("install", cwd=repo).returncode == 0
    broken, fixed = "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b + 0\n"
    # Staged fixed, saved broken: `commit -a` records the broken bytes and must be blocked.
    write(repo / "pkg" / "mod.py", fixed)
    git(repo, "add", "pkg/mod.py")
    write(repo / "pkg" / "mod.py", broken)
    assert git(repo, "commit", "-qam", "all", check=False) == ""
    assert git(repo, "log", "-1", "--format=%s").strip() == "tests"
    # Staged broken, saved fixed: `commit -- path` records the saved bytes and may pass.
    git(repo, "add", "pkg/mod.py")
    write(repo / "pkg" / "mod.py", fixed)
    git(repo, "commit", "-qm", "only", "--", "pkg/mod.py")
    assert git(repo, "show", "HEAD:pkg/mod.py") == fixed
    # `--amend` with a broken staged file is blocked like any commit.
    write(repo / "pkg" / "mod.py", broken)
    git(repo, "add", "pkg/mod.py")
    git(repo, "commit", "-q", "--amend", "--no-edit", check=False)
    assert git(repo, "show", "HEAD:pkg/mod.py") == fixed


def test_a_test_that_reads_the_readme(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    write(
        repo / "tests" / "test_readme.py",
        "import pathlib\n\n\ndef test_readme():\n    assert '# demo' in pathlib.Path('README.md').read_text()\n",
    )
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    write(repo / "README.md", "# renamed\n")
    git(repo, "add", "README.md")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    assert verify(repo, "--only", "tests").returncode == 1


@pytest.mark.parametrize("variable", ["HOOKWRIGHT_PYTEST_DESELECT", "HOOKWRIGHT_PYTEST_SKIP"])
def test_the_plugins_variables_in_the_users_environment_choose_no_tests(
    tested_repo: Path, tmp_path: Path, variable: str
) -> None:
    """Left exported by an earlier session (or set on purpose): the run's plugin read them as its
    own and deselected the failing test."""
    repo = tested_repo
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return a - b\n")
    git(repo, "add", ".")
    names = ["tests/test_mod.py::test_add"] if variable.endswith("DESELECT") else ["tests/test_mod.py"]
    listing = write(tmp_path / "list.json", json.dumps(names))
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    result = hookwright("verify", "--only", "tests", cwd=repo, env={**env, variable: str(listing)})
    assert result.returncode == 1, f"the user's {variable} chose the tests: {result.stdout}"
