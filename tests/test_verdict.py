"""A verdict is about exactly the bytes being committed: never another run's, never the live work tree's.

Each test here reproduces a way a pass could be about other bytes than the committed ones (issue 15),
through real git and real pytest; a run is held in the middle by a test that waits for a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, git, hookwright, write

FIXED = "def add(a, b):\n    return a + b\n"
BROKEN = "def add(a, b):\n    return a - b\n"
# A test that says it started, then waits for a go-ahead before it imports the code under test.
WAITING_TEST = """\
import os, pathlib, time


def test_add():
    pathlib.Path(os.environ["HW_READY"]).touch()
    deadline = time.time() + 120
    while not pathlib.Path(os.environ["HW_GO"]).exists() and time.time() < deadline:
        time.sleep(0.05)
    from pkg.mod import add

    assert add(1, 2) == 3
"""


@pytest.fixture
def waiting_project(committed_repo: Path) -> Path:
    write(committed_repo / "tests" / "test_mod.py", WAITING_TEST)
    write(committed_repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "tests")
    return committed_repo


def start_verify(repo: Path, tmp: Path, name: str, *args: str) -> tuple[subprocess.Popen[str], Path, Path]:
    """A `hookwright verify` whose test waits until the returned go-file exists."""
    ready, go = tmp / f"{name}.ready", tmp / f"{name}.go"
    env = {**os.environ, "HW_READY": str(ready), "HW_GO": str(go)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hookwright", "verify", "--only", "tests", *args],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    while not ready.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, "the run never reached its test"
        time.sleep(0.05)
    return proc, ready, go


def run_through(repo: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A `hookwright verify` whose waiting test goes straight through."""
    go = tmp / "always.go"
    go.touch()
    env = {**os.environ, "HW_READY": str(tmp / "always.ready"), "HW_GO": str(go)}
    return hookwright("verify", "--only", "tests", *args, cwd=repo, env=env)


def finish(proc: subprocess.Popen[str], go: Path) -> tuple[int, str]:
    go.touch()
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out + err


def last_tree(repo: Path) -> str:
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"), key=os.path.getmtime)
    return json.loads(records[-1].read_text())["target"]["tree"]


def staged_tree(repo: Path) -> str:
    return git(repo, "write-tree").strip()


def test_a_second_run_cannot_change_what_the_first_one_tests(waiting_project: Path, tmp_path: Path) -> None:
    repo = waiting_project
    write(repo / "notes.txt", "an untracked file: the work tree differs from the index\n")
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", "pkg/mod.py")
    broken_tree = staged_tree(repo)
    first, _, go = start_verify(repo, tmp_path, "first")
    # While the first run waits, the fix is staged and verified by a second run, start to end.
    write(repo / "pkg" / "mod.py", FIXED)
    git(repo, "add", "pkg/mod.py")
    second = run_through(repo, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    code, out = finish(first, go)
    assert code == 1, f"the broken tree passed: {out}"
    # Nothing false was cached: the broken tree fails again, the fixed one passes from the cache.
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", "pkg/mod.py")
    assert staged_tree(repo) == broken_tree
    again = run_through(repo, tmp_path)
    assert again.returncode == 1, again.stdout
    assert "from cache" not in again.stdout


def test_an_editor_save_during_the_run_changes_nothing(waiting_project: Path, tmp_path: Path) -> None:
    repo = waiting_project
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", "pkg/mod.py")  # the work tree equals the index when the run starts
    run, _, go = start_verify(repo, tmp_path, "run")
    write(repo / "pkg" / "mod.py", FIXED)  # saved in the editor, not staged
    code, out = finish(run, go)
    assert code == 1, f"the committed (broken) bytes passed: {out}"
    assert (repo / "pkg" / "mod.py").read_text() == FIXED  # the user's save is untouched


def test_commit_records_the_verified_tree_or_nothing(waiting_project: Path, tmp_path: Path) -> None:
    repo = waiting_project
    write(repo / "pkg" / "extra.py", "VALUE = 1\n")
    git(repo, "add", "pkg/extra.py")
    head = git(repo, "rev-parse", "HEAD").strip()
    run, _, go = start_verify(repo, tmp_path, "run", "--commit", "-m", "add extra")
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", "pkg/mod.py")  # staged while the checks ran: never verified
    code, out = finish(run, go)
    assert code == 1, out
    assert "the index changed" in out
    assert git(repo, "rev-parse", "HEAD").strip() == head
    # Once the index is back to the verified state, the commit holds exactly the verified tree.
    git(repo, "reset", "-q", "pkg/mod.py")
    write(repo / "pkg" / "mod.py", FIXED)
    verified = run_through(repo, tmp_path, "--commit", "-m", "add extra")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert git(repo, "rev-parse", "HEAD^{tree}").strip() == last_tree(repo)
    assert git(repo, "log", "-1", "--format=%s").strip() == "add extra"
    assert git(repo, "rev-parse", "HEAD^").strip() == head


def test_config_comes_from_the_index_not_the_work_tree(committed_repo: Path) -> None:
    write(committed_repo / ".hookwright.yaml", "checks:\n  todo:\n    policy: fail\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "config")
    # A sparse checkout that leaves the configuration out of the work tree.
    git(committed_repo, "sparse-checkout", "set", "--no-cone", "/pkg/")
    assert not (committed_repo / ".hookwright.yaml").exists()
    write(committed_repo / "pkg" / "mod.py", "def add(a, b):\n    return a + b  # TODO: later\n")
    git(committed_repo, "add", "--sparse", "pkg/mod.py")
    result = hookwright("verify", "--only", "todo", cwd=committed_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pkg/mod.py:2:" in result.stdout


def test_a_relative_index_file_is_read_as_git_reads_it(committed_repo: Path) -> None:
    write(committed_repo / "pkg" / "broken.py", "def f(:\n")
    index = committed_repo / ".git" / "other-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    subprocess.run(["git", "read-tree", "HEAD"], cwd=committed_repo, env=env, check=True)
    subprocess.run(["git", "add", "pkg/broken.py"], cwd=committed_repo, env=env, check=True)
    # git reads a relative GIT_INDEX_FILE from the top of the work tree, wherever it runs.
    relative = {**os.environ, "GIT_INDEX_FILE": ".git/other-index"}
    result = hookwright("verify", "--only", "syntax", cwd=committed_repo / "pkg", env=relative)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pkg/broken.py:1:" in result.stdout
    missing = {**os.environ, "GIT_INDEX_FILE": "no-such-index"}
    refused = hookwright("verify", cwd=committed_repo / "pkg", env=missing)
    assert refused.returncode == 2
    assert refused.stderr.startswith("hookwright: error: GIT_INDEX_FILE")


def test_a_repository_named_by_git_dir_is_verified_whole(tested_repo: Path, tmp_path: Path) -> None:
    """`git --git-dir=../.git commit` in pkg/ (and its hook) commits the whole index; on d8c1084
    hookwright found the repository through GIT_DIR, then ran git without it from pkg/, listed pkg/
    alone, found no test, and passed."""
    write(tested_repo / "pkg" / "mod.py", "def add(a, b):\n    return a - b\n")
    git(tested_repo, "add", "pkg/mod.py")
    inside = hookwright(
        "verify", "--only", "tests", cwd=tested_repo / "pkg", env={**os.environ, "GIT_DIR": "../.git"}
    )
    assert inside.returncode == 1 and "test_add" in inside.stdout, inside.stdout + inside.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    named = {**os.environ, "GIT_DIR": str(tested_repo / ".git"), "GIT_WORK_TREE": str(tested_repo)}
    outside = hookwright("verify", "--only", "tests", cwd=elsewhere, env=named)
    assert outside.returncode == 1 and "test_add" in outside.stdout, outside.stdout + outside.stderr


def test_named_files_must_be_in_the_index(committed_repo: Path) -> None:
    result = hookwright("verify", "nosuch.py", cwd=committed_repo)
    assert result.returncode == 2
    assert result.stderr == "hookwright: error: nosuch.py: not in the index (`git add` it to verify it)\n"
    folder = hookwright("verify", "--only", "syntax", "pkg", cwd=committed_repo)
    assert folder.returncode == 0, folder.stderr


def test_output_to_a_directory_is_bad_input(committed_repo: Path) -> None:
    (committed_repo / "out").mkdir()
    result = hookwright("verify", "-o", "out", cwd=committed_repo)
    assert result.returncode == 2
    assert result.stderr == "hookwright: error: --output out: is a directory; name a file\n"


def test_a_skipped_check_is_on_the_summary_line(committed_repo: Path) -> None:
    result = hookwright("verify", "--only", "syntax,lint", cwd=committed_repo)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].endswith(
        "; skipped: syntax (no matching files); lint (no matching files)"
    ), result.stdout


@pytest.fixture(scope="module")
def hookwright_rev() -> str:
    return git(ROOT, "rev-parse", "HEAD").strip()


def test_file_names_are_never_options_under_pre_commit(committed_repo: Path, hookwright_rev: str) -> None:
    repo = committed_repo
    write(
        repo / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {ROOT}\n    rev: {hookwright_rev}\n    hooks:\n      - id: verify-commit\n",
    )
    write(repo / ".gitignore", ".env\n")
    write(repo / ".env", "SECRET=kept\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "pre-commit config")
    install = subprocess.run(["pre-commit", "install"], cwd=repo, capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr
    # File names that argparse would take for options; a broken file beside them.
    for name in ("--skip=syntax,lint,tests", "--output=.env", "-o"):
        write(repo / name, "data\n")
    write(repo / "pkg" / "broken.py", "def f(:\n")
    git(repo, "add", "--", "--skip=syntax,lint,tests", "--output=.env", "-o", "pkg/broken.py")
    blocked = subprocess.run(
        ["git", "commit", "-m", "x"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "pkg/broken.py:1:" in blocked.stdout + blocked.stderr
    assert (repo / ".env").read_text() == "SECRET=kept\n"


def test_concurrent_runs_on_different_index_states_each_judge_their_own(
    committed_repo: Path, tmp_path: Path
) -> None:
    """8 runs at once, each on its own index (GIT_INDEX_FILE), three rounds (the cache warm in the
    later ones): every verdict and every record is about its own tree, never a neighbour's."""
    repo = committed_repo
    write(
        repo / "tests" / "test_value.py",
        "from pkg.mod import VALUE\n\n\ndef test_even():\n    assert VALUE % 2 == 0\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "tests")
    states = []
    for number in range(8):
        index = tmp_path / f"index-{number}"
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        subprocess.run(["git", "read-tree", "HEAD"], cwd=repo, env=env, check=True)
        blob = git(repo, "hash-object", "-w", "--stdin", input=f"VALUE = {number}\n".encode()).strip()
        subprocess.run(
            ["git", "update-index", "--cacheinfo", f"100644,{blob},pkg/mod.py"], cwd=repo, env=env, check=True
        )
        tree = subprocess.run(
            ["git", "write-tree"], cwd=repo, env=env, check=True, capture_output=True, text=True
        )
        states.append((number, env, tree.stdout.strip()))
    for _round in range(3):
        runs = [
            (
                number,
                tree,
                subprocess.Popen(
                    [sys.executable, "-m", "hookwright", "verify", "--only", "tests", "--format", "json"],
                    cwd=repo,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
            for number, env, tree in states
        ]
        for number, tree, proc in runs:
            out, err = proc.communicate(timeout=300)
            report = json.loads(out)
            assert report["target"]["tree"] == tree, err
            expected = 0 if number % 2 == 0 else 1
            assert proc.returncode == expected, f"VALUE = {number}: {report['steps']}"
