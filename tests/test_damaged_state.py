"""Our own state damaged or unwritable: one warning line, and the run goes on with the same verdict.

Root ignores file permissions, so where a test needs "cannot write" it puts a file where a folder is
expected (or the reverse), which stops root too; a read-only folder is tried only when not root.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import git, hookwright, run_cli, write


def state(repo: Path) -> Path:
    return repo / ".git" / "hookwright"


def file_instead_of_state(repo: Path) -> None:
    shutil.rmtree(state(repo), ignore_errors=True)
    write(state(repo), "not a folder\n")


def file_instead_of_cache(repo: Path) -> None:
    shutil.rmtree(state(repo) / "cache", ignore_errors=True)
    write(state(repo) / "cache", "not a folder\n")


def folder_instead_of_cache_file(repo: Path) -> None:
    shutil.rmtree(state(repo) / "cache", ignore_errors=True)
    (state(repo) / "cache" / "results.sqlite").mkdir(parents=True)


def file_instead_of_records(repo: Path) -> None:
    shutil.rmtree(state(repo) / "records", ignore_errors=True)
    write(state(repo) / "records", "not a folder\n")


def garbage_cache(repo: Path) -> None:
    write(state(repo) / "cache" / "results.sqlite", b"\0garbage" * 100)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "state-is-a-file": file_instead_of_state,
    "cache-is-a-file": file_instead_of_cache,
    "cache-db-is-a-folder": folder_instead_of_cache_file,
    "records-is-a-file": file_instead_of_records,
    "cache-db-is-garbage": garbage_cache,
}


@pytest.fixture
def staged_change(committed_repo: Path) -> Path:
    write(committed_repo / "pkg" / "extra.py", "def sub(a, b):\n    return a - b\n")
    write(committed_repo / "pkg" / "bad.py", "def f(:\n")
    git(committed_repo, "add", "pkg/extra.py")
    assert hookwright("verify", cwd=committed_repo).returncode == 0  # the state exists and is in use
    return committed_repo


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_state_costs_one_warning_never_the_verdict(staged_change: Path, damage: str) -> None:
    DAMAGE[damage](staged_change)
    passed = hookwright("verify", cwd=staged_change)
    assert passed.returncode == 0, passed.stderr
    warnings = [line for line in passed.stderr.splitlines() if line]
    assert all(line.startswith("hookwright: warning: ") for line in warnings), passed.stderr
    if damage != "cache-db-is-garbage":  # a corrupt cache is rebuilt silently
        assert len(warnings) == 1, passed.stderr
    git(staged_change, "add", "pkg/bad.py")
    failed = hookwright("verify", cwd=staged_change)
    assert failed.returncode == 1, failed.stderr
    assert "pkg/bad.py:1:7: SyntaxError" in failed.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_state_folder_costs_one_warning(staged_change: Path) -> None:
    os.chmod(state(staged_change), 0o555)
    try:
        result = hookwright("verify", cwd=staged_change)
    finally:
        os.chmod(state(staged_change), 0o755)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("hookwright: warning: ") == 1


def test_a_writer_without_its_state_folder_still_writes_safely(committed_repo: Path) -> None:
    """The journal goes to the private fallback folder, and a crash there is still recovered."""
    file_instead_of_state(committed_repo)
    result = hookwright("create", "--content", "x = 1\n", "--out", "made.py", cwd=committed_repo)
    assert result.returncode == 0, result.stderr
    assert (committed_repo / "made.py").read_text() == "x = 1\n"
    assert "hookwright: warning: " in result.stderr
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER], cwd=committed_repo, capture_output=True, check=False
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (committed_repo / "made.py").read_text() == "trial\n"
    after = hookwright("records", "list", cwd=committed_repo)
    assert after.returncode == 0, after.stderr
    assert "recovered an interrupted" in after.stderr
    assert (committed_repo / "made.py").read_text() == "x = 1\n"


KILLED_WRITER = """
import os, signal
from hookwright.git.repo import Repo
from hookwright.transactions import FileTransaction, journal_dir

repo = Repo.discover()
tx = FileTransaction(repo.root, journal_dir(repo.state_dir), label="a trial")
tx.write("made.py", b"trial\\n")
tx.apply(pending=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_truncated_record_is_skipped_with_a_warning(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        assert run_cli(capsys, "verify", "--all-files").returncode == 0
    paths = sorted((state(committed_repo) / "records").glob("*.json"))
    paths[1].write_bytes(paths[1].read_bytes()[:100])
    write(state(committed_repo) / "records" / "zz-foreign.json", json.dumps({"hello": "world"}))
    listed = run_cli(capsys, "records", "list")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 2
    assert listed.stderr.count("hookwright: warning: skipped ") == 2
    assert paths[1].name in listed.stderr
    paths[1].unlink()  # what the harness checks afterwards is what hookwright wrote
    (state(committed_repo) / "records" / "zz-foreign.json").unlink()
