"""What a crash leaves is put right: by the next command of any kind, or by `hookwright recover`."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import files_of, git, hookwright, run_cli, write

from hookwright import recovery, transactions

# Killed with a transaction applied but not validated: the file holds bytes nobody accepted yet.
KILLED_MID_TRIAL = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from hookwright import transactions

    root = Path(sys.argv[1])
    tx = transactions.FileTransaction(root, root / ".git" / "hookwright" / "journal", label="a trial")
    tx.write("pkg/mod.py", b"trial bytes\\n")
    tx.create("pkg/new.py", b"new\\n")
    tx.apply(pending=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def kill_mid_trial(repo: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_MID_TRIAL, str(repo)], capture_output=True, check=False
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert (repo / "pkg" / "mod.py").read_bytes() == b"trial bytes\n"


def journal_root(repo: Path) -> Path:
    return repo / ".git" / "hookwright" / "journal"


def journals(repo: Path) -> list[Path]:
    return [p for p in journal_root(repo).iterdir() if p.is_dir()] if journal_root(repo).is_dir() else []


@pytest.mark.parametrize(
    "command",
    [
        ["records", "list"],
        ["verify", "--only", "todo"],
        ["config"],
        ["templates", "list"],
        ["worktree", "list"],
    ],
    ids=lambda c: c[0],
)
def test_the_next_command_of_any_kind_recovers_first(committed_repo: Path, command: list[str]) -> None:
    before = files_of(committed_repo)
    kill_mid_trial(committed_repo)
    result = hookwright(*command, cwd=committed_repo)
    assert result.returncode in (0, 1), result.stderr
    assert "hookwright: warning: recovered an interrupted `a trial`: undone (pending)\n" in result.stderr
    assert files_of(committed_repo) == before
    assert not journals(committed_repo)


def test_the_console_hooks_recover_first_too(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hookwright.hooks import self_heal, verify_commit, worktree_lifecycle

    before = files_of(committed_repo)
    for main, argv in ((verify_commit.main, []), (self_heal.main, []), (worktree_lifecycle.main, ["list"])):
        kill_mid_trial(committed_repo)
        main(argv)
        assert "recovered an interrupted `a trial`" in capsys.readouterr().err, main
        assert files_of(committed_repo) == before


def test_a_file_changed_since_makes_every_command_refuse_until_recover(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kill_mid_trial(committed_repo)
    write(committed_repo / "pkg" / "mod.py", "the user's own edit after the crash\n")
    refused = run_cli(capsys, "verify")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "pkg/mod.py changed since; run `hookwright recover`" in refused.stderr
    assert (committed_repo / "pkg" / "mod.py").read_text() == "the user's own edit after the crash\n"
    shown = run_cli(capsys, "recover")
    assert shown.returncode == 1
    assert "pkg/mod.py: changed since; left as it is" in shown.stdout
    assert "--keep-current" in shown.stdout
    kept = run_cli(capsys, "recover", "--keep-current")
    assert kept.returncode == 0, kept.stdout
    assert "kept as it is now" in kept.stdout
    assert (committed_repo / "pkg" / "mod.py").read_text() == "the user's own edit after the crash\n"
    assert not (committed_repo / "pkg" / "new.py").exists(), "what could be undone was undone"
    assert run_cli(capsys, "records", "list").returncode == 0
    backups = list((committed_repo / ".git" / "hookwright" / "journal-kept").rglob("backups/*"))
    assert [b.read_bytes() for b in backups] == [b"def add(a, b):\n    return a + b\n"]


def test_concurrent_commands_recover_once(committed_repo: Path) -> None:
    before = files_of(committed_repo)
    kill_mid_trial(committed_repo)
    argv = [sys.executable, "-m", "hookwright", "records", "list"]
    runs = [
        subprocess.Popen(argv, cwd=committed_repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outcomes = [(run.wait(60), run.stderr.read() if run.stderr else "") for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert sum("recovered" in err for _, err in outcomes) == 1, outcomes
    assert files_of(committed_repo) == before


def test_a_live_writers_journal_is_left_alone(committed_repo: Path) -> None:
    """Another hookwright still running its transaction: not ours to undo."""
    tx = transactions.FileTransaction(committed_repo, journal_root(committed_repo), label="mine")
    tx.write("pkg/mod.py", b"being verified\n")
    tx.apply(pending=True)
    try:
        result = hookwright("records", "list", cwd=committed_repo)
        assert result.returncode == 0, result.stderr
        assert (committed_repo / "pkg" / "mod.py").read_bytes() == b"being verified\n"
        assert journals(committed_repo)
    finally:
        tx.rollback()


ROLLBACK_ON_A_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from hookwright import transactions
    from hookwright.errors import TransactionError

    root, journal = Path(sys.argv[1]), Path(sys.argv[2])
    tx = transactions.FileTransaction(root, journal, label="big")
    tx.create("new.txt", b"created\\n")
    tx.write("small.txt", b"s\\n")
    tx.write("big.txt", b"b\\n")
    tx.apply(pending=True)
    # From here no file may grow past 100 bytes: restoring big.txt fails as on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
    try:
        tx.rollback()
    except TransactionError as exc:
        print(exc)
        sys.exit(3)
    """
)


def test_a_write_error_during_rollback_restores_the_rest_and_names_what_it_could_not(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "small.txt", "small\n")
    write(root / "big.txt", "B" * 5000)
    child = subprocess.run(
        [sys.executable, "-c", ROLLBACK_ON_A_FULL_DISK, str(root), str(tmp_path / "journal")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 3, child.stderr
    assert child.stdout.startswith("could not restore big.txt (File too large); the old bytes are kept in ")
    assert "run `hookwright recover`" in child.stdout
    assert (root / "small.txt").read_text() == "small\n"
    assert not (root / "new.txt").exists()
    assert (root / "big.txt").read_text() == "b\n"
    results = recovery.recover(tmp_path / "journal")
    assert [r.action for r in results] == ["undone"]
    assert (root / "big.txt").read_text() == "B" * 5000
    assert not list(root.rglob("*.tmp"))


def test_recover_after_a_self_heal_crash_keeps_index_and_work_tree_in_step(committed_repo: Path) -> None:
    write(committed_repo / "pkg" / "broken.py", "def f()\n    return 1\n")
    git(committed_repo, "add", "pkg/broken.py")
    write(committed_repo / "pkg" / "broken.py", "def f()\n    return 1\n\n\nUNSTAGED = True\n")
    child = subprocess.run(
        [sys.executable, "-c", KILL_AT_INDEX_UPDATED],
        cwd=committed_repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert git(committed_repo, "show", ":pkg/broken.py") == "def f():\n    return 1\n", (
        "the index holds the fix"
    )
    recovered = hookwright("recover", cwd=committed_repo)
    assert recovered.returncode == 0, recovered.stdout
    assert git(committed_repo, "show", ":pkg/broken.py") == "def f()\n    return 1\n"
    assert (
        committed_repo / "pkg" / "broken.py"
    ).read_text() == "def f()\n    return 1\n\n\nUNSTAGED = True\n"


KILL_AT_INDEX_UPDATED = textwrap.dedent(
    """
    import os, signal, sys
    from hookwright import transactions

    def checkpoint(name):
        if name == "index-updated":
            os.kill(os.getpid(), signal.SIGKILL)

    transactions._checkpoint = checkpoint
    from hookwright.hooks import self_heal
    sys.exit(self_heal.main(["pkg/broken.py"]))
    """
)


def test_two_writers_at_once_never_mix(committed_repo: Path) -> None:
    """A second patch started while the first one's trial is on disk waits, and never builds on it."""
    lines = [f"line {n}\n" for n in range(1, 21)]
    write(committed_repo / "notes.txt", "".join(lines))
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "notes")
    started = committed_repo.parent / "first-is-verifying"
    first_patch = write(
        committed_repo.parent / "first.diff",
        "--- a/notes.txt\n+++ b/notes.txt\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+line two\n line 3\n",
    )
    second_patch = write(
        committed_repo.parent / "second.diff",
        "--- a/notes.txt\n+++ b/notes.txt\n@@ -14,3 +14,3 @@\n line 14\n-line 15\n+line fifteen\n line 16\n",
    )
    argv = [sys.executable, "-m", "hookwright", "patch", "apply", "--no-ruff", "--all-or-nothing"]
    first = subprocess.Popen(
        [*argv, str(first_patch), "--verify-cmd", f"sh -c 'touch {started}; sleep 2; exit 1'"],
        cwd=committed_repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = 0
    while not started.exists() and deadline < 6000:
        deadline += 1
        subprocess.run(["sleep", "0.01"], check=False)
    assert started.exists()
    second = subprocess.run(
        [*argv, str(second_patch)], cwd=committed_repo, capture_output=True, text=True, check=False
    )
    assert second.returncode == 2, second.stdout + second.stderr
    assert "another hookwright (pid " in second.stderr
    first.communicate(timeout=60)
    assert first.returncode == 1  # its verify command failed: rolled back
    assert (committed_repo / "notes.txt").read_text() == "".join(lines), (
        "the first run's rejected change stays out"
    )
    assert hookwright("patch", "apply", str(second_patch), cwd=committed_repo).returncode == 0


def test_parallel_self_heal_chunks_all_finish(committed_repo: Path) -> None:
    """pre-commit runs a hook on chunks of the files in parallel: they take turns, none fails."""
    names = [f"pkg/broken{n}.py" for n in range(4)]
    for name in names:
        write(committed_repo / name, "def f()\n    return 1\n")
    git(committed_repo, "add", ".")
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "hookwright.hooks.self_heal", name],
            cwd=committed_repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    outcomes = [(run.wait(120), run.stderr.read() if run.stderr else "") for run in runs]
    assert [code for code, _ in outcomes] == [1] * len(names), outcomes  # 1: files were fixed
    for name in names:
        assert (committed_repo / name).read_text() == "def f():\n    return 1\n"
