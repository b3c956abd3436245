"""The private copy of the tree checks read: after any sequence of index changes it equals a fresh export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, write

from hookwright.git import snapshot
from hookwright.git.repo import Repo


def tree(root: Path) -> dict[str, tuple[bytes, bool]]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file() or path.is_symlink():
            data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            found[path.relative_to(root).as_posix()] = (data, path.is_symlink() or os.access(path, os.X_OK))
    return found


def fresh_export(repo: Repo, tmp: Path) -> dict[str, tuple[bytes, bool]]:
    out = tmp / "fresh"
    git(repo.root, "checkout-index", "-a", f"--prefix={out}/")
    return tree(out)


def test_incremental_updates_match_a_fresh_export(committed_repo: Path, tmp_path: Path) -> None:
    repo = Repo.discover(committed_repo)
    steps = [
        lambda: write(committed_repo / "a.py", "a = 1\n"),
        (committed_repo / "pkg" / "mod.py").unlink,
        lambda: write(committed_repo / "pkg" / "mod.py", "replaced = True\n"),
        (committed_repo / "pkg" / "__init__.py").unlink,
        # A file becomes a directory and a directory a file.
        lambda: (committed_repo / "a.py").unlink() or write(committed_repo / "a.py" / "inner.py", "x = 2\n"),
        lambda: git(committed_repo, "rm", "-rq", "--cached", "pkg") and None,
        lambda: (committed_repo / "link").symlink_to("README.md"),
        lambda: os.chmod(write(committed_repo / "run.sh", "#!/bin/sh\n"), 0o755),
    ]
    for index, step in enumerate(steps):
        step()
        git(committed_repo, "add", "-A")
        with snapshot.exported(repo, repo.index_entries()) as export:
            # A file check asks for some paths first; a test run then for the whole tree.
            export.ensure([e.path for e in repo.index_entries()][:2])
            copy = export.whole()
            assert tree(copy) == fresh_export(repo, tmp_path / str(index)), f"after step {index}"


def test_a_copy_someone_changed_is_restored(committed_repo: Path) -> None:
    repo = Repo.discover(committed_repo)
    with snapshot.exported(repo, repo.index_entries()) as export:
        copy = export.whole()
        (copy / "pkg" / "mod.py").write_text("tampered\n")
        (copy / "README.md").unlink()
        write(copy / "pkg" / "left_by_a_test.py", "x = 1\n")
    with snapshot.exported(repo, repo.index_entries()) as export:
        assert export.ensure(["pkg/mod.py"]) == copy  # the same slot, brought back to the tree
        assert (copy / "pkg" / "mod.py").read_text() == "def add(a, b):\n    return a + b\n"
        again = export.whole()
        assert (again / "pkg" / "mod.py").read_text() == "def add(a, b):\n    return a + b\n"
        assert (again / "README.md").read_text() == "# demo\n"
        assert not (again / "pkg" / "left_by_a_test.py").exists()


def test_runs_at_the_same_time_never_share_a_copy(committed_repo: Path) -> None:
    repo = Repo.discover(committed_repo)
    entries = repo.index_entries()
    with snapshot.exported(repo, entries) as one, snapshot.exported(repo, entries) as two:
        first, second = one.whole(), two.whole()
        assert first != second
        (first / "README.md").write_text("first run's own bytes\n")
        assert (second / "README.md").read_text() == "# demo\n"


def _python(runner: list[str], root: Path, env: dict[str, str]) -> str:
    return subprocess.run(runner, cwd=root, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("prefix", [False, True], ids=["beside-the-source", "pycache-prefix"])
def test_a_rewritten_module_never_runs_from_a_stale_compiled_copy(committed_repo: Path, prefix: bool) -> None:
    # Python trusts compiled code whose recorded mtime (whole seconds) and size match: a same-size
    # edit exported in the same second as the last run's copy ran the old code, and tests passed.
    repo = Repo.discover(committed_repo)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # compile, as pytest does
    if prefix:  # where the tests check keeps bytecode
        env["PYTHONPYCACHEPREFIX"] = str(snapshot.bytecode_prefix(repo))
    runner = [sys.executable, "-c", "import pkg.mod; print(pkg.mod.add(2, 3))"]
    with snapshot.exported(repo, repo.index_entries()) as export:
        root = export.ensure(["pkg/mod.py"])
        where = root / "pkg" / "__pycache__"
        if prefix:
            where = snapshot.bytecode_prefix(repo) / (root / "pkg").relative_to("/")
        assert _python(runner, root, env) == "5\n"
        assert list(where.glob("mod.*.pyc"))
        mtime = (root / "pkg" / "mod.py").stat().st_mtime_ns
    write(committed_repo / "pkg" / "mod.py", "def add(a, b):\n    return a * b\n")  # the same size
    git(committed_repo, "add", "pkg/mod.py")
    with snapshot.exported(repo, repo.index_entries()) as export:
        root = export.ensure(["pkg/mod.py"])
        os.utime(root / "pkg" / "mod.py", ns=(mtime, mtime))  # the same second, for certain
        assert not list(where.glob("mod.*.pyc"))
        assert _python(runner, root, env) == "6\n"
