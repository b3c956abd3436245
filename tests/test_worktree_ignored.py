"""Ignored files are deleted by `git worktree remove` without a word: those that are work must stop it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import git, write

from hookwright.hooks import worktree_lifecycle as lifecycle
from hookwright.worktrees import ignored


@pytest.fixture
def worktree(committed_repo: Path, tmp_path: Path) -> Path:
    write(committed_repo / ".gitignore", ".env\n*.sqlite3\n__pycache__/\n.venv/\nbuild/\n")
    git(committed_repo, "add", ".gitignore")
    git(committed_repo, "commit", "-q", "-m", "ignore")
    w = tmp_path / "w"
    git(committed_repo, "worktree", "add", "-q", "-b", "w", str(w))
    return w


def test_an_ignored_file_that_is_work_stops_the_removal(worktree: Path) -> None:
    write(worktree / ".env", "TOKEN=only-here\n")
    write(worktree / "sub" / "local.sqlite3", "data")
    assert lifecycle.main(["remove", str(worktree)]) == 1
    assert (worktree / ".env").read_text() == "TOKEN=only-here\n"
    assert lifecycle.main(["prune", "--merged"]) == 0
    assert (worktree / "sub" / "local.sqlite3").exists()  # prune keeps it too
    assert lifecycle.main(["remove", "--force", str(worktree)]) == 0
    assert not worktree.exists()


def test_build_output_and_caches_do_not_stop_it(worktree: Path) -> None:
    write(worktree / "pkg" / "__pycache__" / "mod.cpython-311.pyc", "x")
    write(worktree / ".venv" / "bin" / "python", "x")
    write(worktree / "build" / "lib" / "mod.py", "x")
    assert lifecycle.main(["remove", str(worktree)]) == 0
    assert not worktree.exists()


def test_the_configured_disposable_patterns_replace_the_default(committed_repo: Path, worktree: Path) -> None:
    write(committed_repo / ".hookwright.yaml", "worktree:\n  disposable: ['*.sqlite3']\n")
    write(worktree / "local.sqlite3", "data")
    write(worktree / "tools" / "__pycache__" / "run.cpython-311.pyc", "x")
    assert lifecycle.main(["remove", str(worktree)]) == 1  # __pycache__ is no longer disposable
    shutil.rmtree(worktree / "tools")
    assert lifecycle.main(["remove", str(worktree)]) == 0


@pytest.mark.parametrize(
    ("path", "work"),
    [
        (".env", True),
        ("data/", True),
        ("pkg/__pycache__/", False),
        ("pkg/mod.pyc", False),
        ("my_pkg.egg-info/", False),
        ("node_modules/", False),
        ("notes/build.txt", True),  # a file named like a folder pattern is not that folder's part
    ],
)
def test_which_ignored_paths_count_as_work(path: str, work: bool) -> None:
    assert (ignored.kept([path]) == [path]) is work


def test_the_documented_default_is_the_one_used() -> None:
    import json

    from hookwright import schemas

    schema = json.loads((Path(schemas.__file__).parent / "config.schema.json").read_text())
    text = schema["properties"]["worktree"]["properties"]["disposable"]["description"]
    assert text.endswith("(" + ", ".join(ignored.DISPOSABLE) + ").")
