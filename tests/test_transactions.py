from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hookwright.errors import BadInput, PathEscape
from hookwright.recovery import recover
from hookwright.transactions import FileTransaction, resolve_inside, safe_relpath

OLD = {"a.txt": b"old a\r\n", "b.bin": b"\x00\x01old", "exec.sh": b"#!/bin/sh\necho old\n"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    for name, data in OLD.items():
        (root / name).write_bytes(data)
    os.chmod(root / "exec.sh", 0o755)
    os.chmod(root / "a.txt", 0o640)
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def stage_all(tx: FileTransaction) -> None:
    tx.write("a.txt", b"new a\n")
    tx.write("exec.sh", b"#!/bin/sh\necho new\n")
    tx.delete("b.bin")
    tx.create("new/dir/c.py", b"print('c')\n")


def test_commit_writes_everything_and_keeps_modes(tree: Path, tmp_path: Path) -> None:
    tx = FileTransaction(tree, tmp_path / "journal")
    stage_all(tx)
    changed = tx.commit()
    assert changed == {
        "created": ["new/dir/c.py"],
        "modified": ["a.txt", "exec.sh"],
        "deleted": ["b.bin"],
    }
    assert (tree / "a.txt").read_bytes() == b"new a\n"
    assert stat.S_IMODE((tree / "exec.sh").stat().st_mode) == 0o755
    assert stat.S_IMODE((tree / "a.txt").stat().st_mode) == 0o640
    assert not (tree / "b.bin").exists()
    assert not any((tmp_path / "journal").iterdir())


def test_rollback_restores_bytes_and_modes(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    tx = FileTransaction(tree, tmp_path / "journal")
    stage_all(tx)
    tx.apply(pending=True)
    assert snapshot(tree) != before
    assert tx.rollback() == []
    assert snapshot(tree) == before
    assert not (tree / "new").exists(), "directories the transaction made are removed again"


def test_exception_inside_context_rolls_back(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    with pytest.raises(RuntimeError), FileTransaction(tree, tmp_path / "j") as tx:
        stage_all(tx)
        tx.apply(pending=True)
        raise RuntimeError("validation crashed")
    assert snapshot(tree) == before


def test_create_refuses_an_existing_file(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    tx = FileTransaction(tree, tmp_path / "j")
    tx.write("exec.sh", b"changed")
    tx.create("a.txt", b"clobber")
    with pytest.raises(BadInput, match="already exists"):
        tx.apply()
    assert snapshot(tree) == before


def test_rollback_leaves_a_file_someone_else_changed(tree: Path, tmp_path: Path) -> None:
    tx = FileTransaction(tree, tmp_path / "j")
    tx.write("a.txt", b"ours")
    tx.apply(pending=True)
    (tree / "a.txt").write_bytes(b"the user's edit")
    assert tx.rollback() == ["a.txt"]
    assert (tree / "a.txt").read_bytes() == b"the user's edit"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("../outside", id="dotdot"),
        pytest.param("a/../../outside", id="nested-dotdot"),
        pytest.param("/etc/passwd", id="absolute"),
        pytest.param("", id="empty"),
        pytest.param("a\0b", id="nul"),
        pytest.param("a\nb", id="newline"),
        pytest.param("link/file", id="through-symlink-dir"),
        pytest.param("linkfile", id="symlink-file"),
    ],
)
def test_paths_outside_the_root_are_refused(tree: Path, tmp_path: Path, path: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("x")
    (tree / "link").symlink_to(outside)
    (tree / "linkfile").symlink_to(outside / "secret")
    tx = FileTransaction(tree, tmp_path / "j")
    with pytest.raises(PathEscape):
        tx.write(path, b"pwned")
    assert (outside / "secret").read_text() == "x"


def test_safe_relpath_normalises() -> None:
    assert safe_relpath("./a//b/./c.py") == "a/b/c.py"
    assert safe_relpath("-rf") == "-rf"  # a leading dash is a legal file name, handled as a path


def test_resolve_inside_accepts_unicode_and_spaces(tree: Path) -> None:
    assert resolve_inside(tree, "dir with space/ünï.py") == tree.resolve() / "dir with space" / "ünï.py"


CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from hookwright import transactions

    root, journal, target, nth, mode = sys.argv[1:6]
    seen = {}

    def checkpoint(name):
        seen[name] = seen.get(name, 0) + 1
        if name == target and seen[name] == int(nth):
            os.kill(os.getpid(), signal.SIGKILL)

    transactions._checkpoint = checkpoint
    tx = transactions.FileTransaction(Path(root), Path(journal))
    tx.write("a.txt", b"new a\\n")
    tx.write("exec.sh", b"#!/bin/sh\\necho new\\n")
    tx.delete("b.bin")
    tx.create("new/dir/c.py", b"print('c')\\n")
    if mode == "pending":
        tx.apply(pending=True)
        tx.finish()
    else:
        tx.commit()
    """
)

CRASH_POINTS = [
    ("backed-up", 1),
    ("prepared", 1),
    ("temp-written", 1),
    ("replaced", 1),
    ("temp-written", 2),
    ("replaced", 2),
    ("replaced", 3),
    ("temp-written", 3),
    ("replaced", 4),
    ("applied", 1),
    ("validated", 1),
]


@pytest.mark.parametrize("mode", ["commit", "pending"])
@pytest.mark.parametrize(("point", "nth"), CRASH_POINTS)
def test_sigkill_at_every_step_recovers_to_all_old_or_all_new(
    tree: Path, tmp_path: Path, point: str, nth: int, mode: str
) -> None:
    if point == "validated" and mode == "commit":
        pytest.skip("plain commits have no validation step")
    journal = tmp_path / "journal"
    before = snapshot(tree)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(journal), point, str(nth), mode],
        capture_output=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    results = recover(journal)
    assert all(r.action in ("undone", "finished", "discarded") for r in results), results
    after = snapshot(tree)
    new_state = {
        "a.txt": (b"new a\n", 0o640),
        "exec.sh": (b"#!/bin/sh\necho new\n", 0o755),
        "new/dir/c.py": (b"print('c')\n", after.get("new/dir/c.py", (b"", 0))[1]),
    }
    assert after in (before, new_state), f"a mix after a crash at {point}#{nth}: {sorted(after)}"
    if mode == "pending" and point != "validated":
        assert after == before, "an unvalidated change is undone"
    leftovers = [p for p in tree.rglob("*.tmp")]
    assert not leftovers
    assert recover(journal) == []


def test_recover_cli_reports_nothing_to_do(tmp_path: Path) -> None:
    from conftest import git, hookwright

    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q")
    result = hookwright("recover", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "nothing to recover" in result.stdout


def test_a_file_that_changed_since_it_was_read_is_not_written(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    tx = FileTransaction(tree, tmp_path / "journal")
    tx.write("exec.sh", b"ours\n", expect=OLD["exec.sh"])
    tx.write("a.txt", b"ours\n", expect=b"what we read before an editor saved")
    with pytest.raises(BadInput, match=r"a\.txt: changed since hookwright read it; nothing was written"):
        tx.apply()
    assert snapshot(tree) == before
    assert not [p for p in (tmp_path / "journal").iterdir() if p.is_dir()]


SIGNALLED_DURING_ROLLBACK = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from hookwright import interrupts, transactions

    root, journal = Path(sys.argv[1]), Path(sys.argv[2])
    tx = transactions.FileTransaction(root, journal)
    tx.write("a.txt", b"new a\\n")
    tx.write("exec.sh", b"#!/bin/sh\\necho new\\n")
    tx.delete("b.bin")
    tx.create("new/dir/c.py", b"print('c')\\n")
    tx.apply(pending=True)
    sent = []

    def checkpoint(name):
        if name == "temp-written" and len(sent) < 2:  # inside the rollback: Ctrl-C, then SIGTERM
            sent.append(name)
            os.kill(os.getpid(), (signal.SIGINT, signal.SIGTERM)[len(sent) - 1])

    transactions._checkpoint = checkpoint
    with interrupts.armed():
        try:
            tx.rollback()
        except KeyboardInterrupt:
            sys.exit(42)  # raised once the rollback is complete
    sys.exit(0)
    """
)


def test_signals_during_a_rollback_wait_until_it_is_complete(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    child = subprocess.run(
        [sys.executable, "-c", SIGNALLED_DURING_ROLLBACK, str(tree), str(tmp_path / "journal")],
        capture_output=True,
        check=False,
    )
    assert child.returncode == 42, child.stderr.decode()
    assert snapshot(tree) == before
    assert not [p for p in (tmp_path / "journal").iterdir() if p.is_dir()]
