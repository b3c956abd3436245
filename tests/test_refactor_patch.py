"""`hookwright patch apply` and `hookwright refactor rename` end to end: real git, ruff, commands, crashes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, git, hookwright, write

from hookwright.hooks import refactor_patch


def snapshot(repo: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo)): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.parts and "__pycache__" not in p.parts
    }


def records(repo: Path) -> list[dict]:
    return [
        json.loads(p.read_text()) for p in sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    ]


def diff_of(repo: Path, change: dict[str, str | None]) -> bytes:
    """The patch git itself makes for ``change`` (path -> new text, None: delete); the tree is restored."""
    before = snapshot(repo)
    for path, text in change.items():
        if text is None:
            (repo / path).unlink()
        else:
            write(repo / path, text)
    git(repo, "add", "-A")
    patch = subprocess.run(
        ["git", "diff", "--cached", "-M", "--no-color"], cwd=repo, capture_output=True, check=True
    ).stdout
    git(repo, "reset", "-q", "--hard")
    git(repo, "clean", "-qfd")
    assert snapshot(repo) == before
    return patch


def numbered(count: int, marks: dict[int, str] | None = None, filler: str = "line {}") -> str:
    """A file of ``count`` lines; ``marks`` replaces some, far enough apart to make one hunk each."""
    marks = marks or {}
    return "".join(f"{marks.get(i, filler.format(i))}\n" for i in range(count))


@pytest.fixture
def project(committed_repo: Path) -> Path:
    write(committed_repo / "notes.txt", numbered(80))
    write(committed_repo / "old.txt", "old\n")
    write(committed_repo / "move_me.txt", "moving\ncontent\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "project")
    return committed_repo


def apply(repo: Path, patch: bytes, *args: str) -> subprocess.CompletedProcess[str]:
    (repo.parent / "change.diff").write_bytes(patch)
    return hookwright("patch", "apply", "../change.diff", *args, cwd=repo)


def test_a_git_patch_applies_every_operation_and_leaves_the_index_alone(project: Path) -> None:
    change = {
        "pkg/mod.py": "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n",
        "pkg/new.py": "from pkg.mod import add\n\nTWO = add(1, 1)\n",
        "old.txt": None,
        "moved.txt": "moving\ncontent\n",
        "move_me.txt": None,
    }
    patch = diff_of(project, change)
    assert b"rename from move_me.txt" in patch
    index_before = (project / ".git" / "index").read_bytes()
    result = apply(project, patch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "applied 3 hunks to 4 files" in result.stdout
    tree = snapshot(project)
    assert tree["pkg/new.py"] == change["pkg/new.py"].encode()  # type: ignore[union-attr]
    assert "old.txt" not in tree and "move_me.txt" not in tree and tree["moved.txt"] == b"moving\ncontent\n"
    assert (project / ".git" / "index").read_bytes() == index_before, "the index is never touched"
    (record,) = records(project)
    assert record["outcome"] == "passed" and record["verification"]["runs"] == 1
    assert sorted(record["files"]["created"]) == ["moved.txt", "pkg/new.py"]
    assert sorted(record["files"]["deleted"]) == ["move_me.txt", "old.txt"]


def test_a_hunk_that_breaks_ruff_is_left_out_and_shown(project: Path) -> None:
    lines = {i * 10: f"VALUE_{i} = {i}" for i in range(8)}
    write(project / "consts.py", numbered(80, lines, "# line {}"))
    git(project, "add", ".")
    git(project, "commit", "-qm", "consts")
    edits = {i * 10: f"VALUE_{i} = {i * 100}" for i in range(8)}
    edits[50] = "VALUE_5 = undefined_thing"
    patch = diff_of(project, {"consts.py": numbered(80, {**lines, **edits}, "# line {}")})
    result = apply(project, patch)
    assert result.returncode == 1
    assert "kept 6 hunks, left out 1 (2 verifier runs)" in result.stdout  # VALUE_0 does not change
    assert "+VALUE_5 = undefined_thing" in result.stdout and "F821" in result.stdout
    text = (project / "consts.py").read_text()
    assert "VALUE_4 = 400" in text and "VALUE_6 = 600" in text and "VALUE_5 = 5\n" in text
    (record,) = records(project)
    rejected = [h for h in record["patch"]["hunks"] if h["status"] == "rejected"]
    assert [(h["number"], h["line"]) for h in rejected] == [(5, 48)]


def check_script(tmp_path: Path) -> list[str]:
    script = tmp_path / "check.py"
    script.write_text("import pathlib, sys\nsys.exit('BAD' in pathlib.Path('notes.txt').read_text())\n")
    return [sys.executable, str(script)]


def test_a_verify_command_failure_is_bisected_without_hints(project: Path, tmp_path: Path) -> None:
    edits = {i * 10: f"edited {i}" for i in range(8)}
    edits[30] = "BAD edit"
    patch = diff_of(project, {"notes.txt": numbered(80, edits)})
    command = " ".join(check_script(tmp_path))
    result = apply(project, patch, "--verify-cmd", command)
    assert result.returncode == 1, result.stderr
    (record,) = records(project)
    assert record["verification"]["runs"] <= 5  # ceil(log2 8) + 1 to isolate, one to confirm
    assert [h["number"] for h in record["patch"]["hunks"] if h["status"] == "rejected"] == [4]
    text = (project / "notes.txt").read_text()
    assert "BAD" not in text and "edited 7" in text and "line 30\n" in text


def test_all_or_nothing_keeps_nothing(project: Path, tmp_path: Path) -> None:
    patch = diff_of(project, {"notes.txt": numbered(80, {5: "fine", 60: "BAD"})})
    before = snapshot(project)
    result = apply(project, patch, "--all-or-nothing", "--verify-cmd", " ".join(check_script(tmp_path)))
    assert result.returncode == 1
    assert snapshot(project) == before
    (record,) = records(project)
    assert record["verification"]["runs"] == 1 and record["files"]["modified"] == []


def test_when_the_command_fails_without_the_patch_nothing_is_kept(project: Path) -> None:
    patch = diff_of(project, {"notes.txt": numbered(80, {5: "a", 40: "b"})})
    before = snapshot(project)
    result = apply(project, patch, "--verify-cmd", f"{sys.executable} -c 'raise SystemExit(3)'")
    assert result.returncode == 1 and snapshot(project) == before
    assert "fails without the patch too" in json.dumps(records(project)[0]["steps"])


def test_hunks_that_do_not_apply_refuse_the_patch_and_name_file_and_line(project: Path) -> None:
    patch = diff_of(project, {"notes.txt": numbered(80, {10: "ten", 70: "seventy"})})
    write(project / "notes.txt", numbered(80, {70: "someone else was here"}))
    before = snapshot(project)
    result = apply(project, patch)
    assert result.returncode == 1
    assert "notes.txt:68: hunk-failed hunk #2 does not apply" in result.stdout
    assert snapshot(project) == before


def test_unstaged_edits_are_kept_and_only_matching_context_is_patched(project: Path) -> None:
    patch = diff_of(project, {"notes.txt": numbered(80, {60: "sixty"})})
    write(project / "notes.txt", numbered(80, {2: "my unstaged edit"}))
    result = apply(project, patch)
    assert result.returncode == 0, result.stdout
    assert (project / "notes.txt").read_text() == numbered(80, {2: "my unstaged edit", 60: "sixty"})
    assert records(project)[0]["patch"]["unstaged"] == ["notes.txt"]
    write(project / "notes.txt", numbered(80, {59: "an unstaged edit inside the hunk's context"}))
    before = snapshot(project)
    assert apply(project, patch).returncode == 1
    assert snapshot(project) == before


def test_dry_run_changes_nothing_and_writes_no_record(project: Path) -> None:
    patch = diff_of(project, {"notes.txt": numbered(80, {1: "one"}), "old.txt": None})
    before = snapshot(project)
    result = apply(project, patch, "--dry-run", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["files"]["deleted"] == ["old.txt"]
    assert snapshot(project) == before and records(project) == []


CRASHING_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from hookwright import transactions

    target, nth, patch = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seen = {}

    def checkpoint(name):
        seen[name] = seen.get(name, 0) + 1
        if name == target and seen[name] == nth:
            os.kill(os.getpid(), signal.SIGKILL)

    transactions._checkpoint = checkpoint
    from hookwright.hooks import refactor_patch
    sys.exit(refactor_patch.main(["patch", "apply", patch]))
    """
)


@pytest.mark.parametrize(
    ("point", "nth"),
    [
        ("prepared", 1),
        ("temp-written", 2),
        ("replaced", 3),
        ("replaced", 5),
        ("applied", 1),
        ("validated", 1),
    ],
)
def test_sigkill_during_the_write_recovers_to_all_old_or_all_new(project: Path, point: str, nth: int) -> None:
    change = {"notes.txt": numbered(80, {3: "three"}), "new/b.txt": "b\n", "old.txt": None}
    change |= {"moved.txt": "moving\ncontent\n", "move_me.txt": None}
    patch = diff_of(project, change)
    (project.parent / "crash.diff").write_bytes(patch)
    before = snapshot(project)
    child = subprocess.run(
        [sys.executable, "-c", CRASHING_CHILD, point, str(nth), "../crash.diff"],
        cwd=project,
        capture_output=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    recovered = hookwright("recover", cwd=project)
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    after = snapshot(project)
    expected_new = {k: v for k, v in before.items() if k not in ("old.txt", "move_me.txt")}
    expected_new |= {k: v.encode() for k, v in change.items() if v is not None}
    assert after in (before, expected_new), sorted(after)
    if point != "validated":
        assert after == before, "a change that was not verified yet is undone"
    assert git(project, "status", "--porcelain") == "" or after != before


RENAME_PROJECT = {
    "pkg/__init__.py": "from .mod import add\n\n__all__ = ['add']\n",
    "use.py": "from pkg import add\nimport pkg.mod as m\n\nprint(add(1, 2), m.add(3, 4))\n",
}


def rename_add_verified_by_use_py(repo: Path) -> subprocess.CompletedProcess[str]:
    """Commit what the test wrote, then rename pkg.mod.add to plus with `python use.py` as the proof."""
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "use")
    command = f"{sys.executable} use.py"
    return hookwright("refactor", "rename", "pkg.mod.add", "plus", "--verify-cmd", command, cwd=repo)


def test_rename_end_to_end_with_a_verify_command(committed_repo: Path) -> None:
    for path, text in RENAME_PROJECT.items():
        write(committed_repo / path, text)
    result = rename_add_verified_by_use_py(committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "renamed pkg.mod.add -> plus: 6 sites on 5 lines in 3 files (1 verifier run)" in result.stdout
    assert (committed_repo / "use.py").read_text() == (
        "from pkg import plus\nimport pkg.mod as m\n\nprint(plus(1, 2), m.plus(3, 4))\n"
    )
    assert "__all__ = ['plus']" in (committed_repo / "pkg" / "__init__.py").read_text()
    (record,) = records(committed_repo)
    assert record["rename"]["definition"] == {"path": "pkg/mod.py", "line": 1}


def test_a_rename_that_does_not_verify_is_rolled_back(committed_repo: Path) -> None:
    write(committed_repo / "use.py", "from pkg.mod import add\n\nassert add.__name__ == 'add'\n")
    before = snapshot(committed_repo)  # committing changes nothing snapshot reads
    result = rename_add_verified_by_use_py(committed_repo)
    assert result.returncode == 1
    assert "rolled back pkg.mod.add -> plus" in result.stdout and "verify-cmd" in result.stdout
    assert snapshot(committed_repo) == before


def test_a_refused_rename_is_one_line_and_exit_2(committed_repo: Path) -> None:
    result = hookwright("refactor", "rename", "pkg.mod.add", "lambda", cwd=committed_repo)
    assert result.returncode == 2
    assert result.stderr == "hookwright: error: 'lambda' is a Python keyword; pick another name\n"


def test_instances_run_through_hookwright_run_and_run_instance(committed_repo: Path) -> None:
    result = hookwright("run", str(ROOT / "examples" / "refactor_patch.yaml"), cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (committed_repo / "docs" / "refactor-patch-example.md").is_file()
    report = refactor_patch.run_instance(
        {
            "rename": {"old": "pkg.mod.add", "new": "plus"},
            "verify_cmd": [sys.executable, "-c", "import pkg.mod"],
        },
        root=committed_repo,
    )
    assert report.outcome == "passed" and report.extra["rename"]["sites"] == 1
    assert (committed_repo / "pkg" / "mod.py").read_text().startswith("def plus(a, b):")
    dry = refactor_patch.run_instance(
        {"rename": {"old": "pkg.mod.plus", "new": "add"}}, root=committed_repo, dry_run=True
    )
    assert dry.extra["rename"]["dry_run"] and (committed_repo / "pkg" / "mod.py").read_text().startswith(
        "def plus"
    )


def test_include_and_exclude_choose_the_files_of_a_patch(project: Path) -> None:
    patch = diff_of(project, {"notes.txt": numbered(80, {4: "four"}), "old.txt": None})
    result = apply(project, patch, "--exclude", "old*")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "old.txt").exists() and "four" in (project / "notes.txt").read_text()
    assert records(project)[0]["patch"]["excluded"] == ["old.txt"]
    nothing = apply(project, patch, "--include", "*.md")
    assert nothing.returncode == 2
    assert nothing.stderr == "hookwright: error: --include / --exclude leave no file of the patch to apply\n"


def test_no_ruff_still_checks_syntax(project: Path) -> None:
    write(project / "calc.py", "def f():\n    return 1\n")
    git(project, "add", ".")
    git(project, "commit", "-qm", "calc")
    undefined = diff_of(project, {"calc.py": "def f():\n    return missing_name\n"})
    broken = diff_of(project, {"calc.py": "def f(:\n    return 1\n"})
    result = apply(project, broken, "--no-ruff")
    assert result.returncode == 1 and "SyntaxError" in result.stdout
    assert apply(project, undefined, "--no-ruff").returncode == 0
    assert records(project)[-1]["verification"]["ruff"] is False
