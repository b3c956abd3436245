"""Local git settings that change the bytes a checkout writes (``core.autocrlf``, a smudge filter) change
what the tests read, with the same blobs: a pass made under the old settings is not replayed.

``git archive`` applies them as a checkout does, and so does the private copy the tests run in.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import PYTEST_CONFIG, git, hookwright
from test_committed_bytes import plain_pytest, verify, write

READS_DATA = (
    "import pathlib\n\n\ndef test_data():\n"
    "    assert pathlib.Path(__file__).with_name('data.txt').read_bytes() == b'abc\\n'\n"
)


@pytest.fixture
def data_repo(committed_repo: Path) -> Path:
    write(committed_repo / "pyproject.toml", PYTEST_CONFIG)
    write(committed_repo / "tests" / "data.txt", "abc\n")
    write(committed_repo / "tests" / "test_data.py", READS_DATA)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "data")
    return committed_repo


def test_a_local_autocrlf_is_not_answered_by_a_pass_made_without_it(data_repo: Path, tmp_path: Path) -> None:
    repo = data_repo
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    git(repo, "config", "core.autocrlf", "true")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests", "--all-files")
    assert "from cache" not in result.stdout, f"a pass made under other line endings: {result.stdout}"
    assert "b'abc\\r\\n'" in result.stdout, result.stdout


def test_a_changed_smudge_filter_is_not_answered_by_a_pass_made_before(
    data_repo: Path, tmp_path: Path
) -> None:
    repo = data_repo
    git(repo, "config", "filter.same.clean", "cat")
    git(repo, "config", "filter.same.smudge", "cat")
    write(repo / ".gitattributes", "tests/data.txt filter=same\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "filter")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    git(repo, "config", "filter.same.smudge", "tr a-z A-Z")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests", "--all-files")
    assert "from cache" not in result.stdout, f"a pass made under another filter: {result.stdout}"
    assert "b'ABC\\n'" in result.stdout, result.stdout


def test_a_run_reads_the_checkout_settings_once_for_the_copy_and_the_cache_key(
    data_repo: Path, tmp_path: Path
) -> None:
    # A real git, with every call written down: the private copy and the tests check's cache key
    # depend on the same settings, so one read serves both (and they cannot disagree mid-run).
    log, shim = tmp_path / "calls", tmp_path / "bin" / "git"
    write(shim, f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{shutil.which("git")}" "$@"\n')
    shim.chmod(0o755)
    write(data_repo / "tests" / "data.txt", "abc\n\n")
    write(data_repo / "tests" / "test_data.py", READS_DATA.replace("abc\\n'", "abc\\n\\n'"))
    git(data_repo, "add", ".")
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"}
    done = hookwright("verify", "--only", "tests", cwd=data_repo, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    reads = [line for line in log.read_text().splitlines() if "--get-regexp" in line]
    assert len(reads) == 1, reads
