"""SIGINT, SIGTERM and SIGKILL at every journal checkpoint of the writing patterns, then the next command.

A census run lists every checkpoint a pattern passes; then, for each one and each signal, a real child
process is stopped exactly there. A process that can still act (SIGINT, SIGTERM) must leave the tree
all-old or all-new itself; after SIGKILL the next hookwright command of any kind must get it there.
The state compared is every file's bytes and every index entry: index and work tree always in step.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import files_of, git, run_cli, write

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from hookwright import transactions

    entry, target, sig, argv = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    seen, hits = {}, []

    def checkpoint(name):
        seen[name] = seen.get(name, 0) + 1
        hits.append(f"{name}#{seen[name]}")
        if hits[-1] == target:
            os.kill(os.getpid(), sig)

    transactions._checkpoint = checkpoint
    from hookwright.commands import console  # holds signals first, as the console scripts do

    sys.argv = ["hookwright", *argv]
    code = getattr(console, entry)()
    if target == "census":
        sys.stderr.write("\\nCENSUS " + json.dumps(hits) + "\\n")
    sys.exit(code)
    """
)
EXITS = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -signal.SIGKILL}

State = tuple[dict[str, bytes], str]


def state(repo: Path) -> State:
    return files_of(repo), git(repo, "ls-files", "-s")


def run_child(
    repo: Path, entry: str, argv: list[str], target: str, sig: int
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, entry, target, str(sig), *argv],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def journals(repo: Path) -> list[Path]:
    root = repo / ".git" / "hookwright" / "journal"
    return [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []


def patch_scenario(repo: Path) -> tuple[str, list[str]]:
    write(repo / "notes.txt", "".join(f"line {n}\n" for n in range(1, 40)))
    write(repo / "old.txt", "to be deleted\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "more")
    diff = write(
        repo.parent / "change.diff",
        "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a + b\n"
        "+    return b + a\n--- a/notes.txt\n+++ b/notes.txt\n@@ -30,3 +30,3 @@\n line 30\n-line 31\n"
        "+line thirty-one\n line 32\n--- /dev/null\n+++ b/new/made.txt\n@@ -0,0 +1 @@\n+made\n"
        "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-to be deleted\n",
    )
    return "hookwright", ["patch", "apply", str(diff), "--verify-cmd", "true", "--no-ruff"]


def rename_scenario(repo: Path) -> tuple[str, list[str]]:
    write(repo / "use.py", "from pkg.mod import add\n\nprint(add(1, 2))\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "use")
    return "hookwright", ["refactor", "rename", "pkg.mod.add", "plus", "--verify-cmd", "true", "--no-ruff"]


def batch_scenario(repo: Path) -> tuple[str, list[str]]:
    write(
        repo / "packs/const/template.yaml",
        "name: const\ntype: python\nfiles:\n  - {template: mod.py.j2, path: 'pkg/m{{ n }}.py'}\n"
        "variables:\n  type: object\n  required: [n]\n  properties:\n    n: {type: integer}\n",
    )
    write(repo / "packs/const/mod.py.j2", "N = {{ n }}\n")
    write(repo / "pkg/m2.py", "OLD = 'replaced by the batch'\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "packs")
    argv = ["batch", "const", "--templates", "packs", "--force"]
    return "hookwright", [*argv, "--each", "n=1", "--each", "n=2", "--each", "n=3"]


def heal_scenario(repo: Path) -> tuple[str, list[str]]:
    """A partially staged file: the fix goes to the index and, merged, to the work tree."""
    write(repo / "pkg/broken.py", "def f()\n    return 1\n")
    git(repo, "add", "pkg/broken.py")
    write(repo / "pkg/broken.py", "def f()\n    return 1\n\n\nUNSTAGED = True\n")
    return "self_heal", ["pkg/broken.py"]


SCENARIOS: dict[str, Callable[[Path], tuple[str, list[str]]]] = {
    "patch": patch_scenario,
    "rename": rename_scenario,
    "batch": batch_scenario,
    "self_heal": heal_scenario,
}


@pytest.mark.parametrize("sig", list(EXITS), ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_stopped_at_every_checkpoint_the_tree_is_all_old_or_all_new(
    committed_repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    scenario: str,
    sig: int,
) -> None:
    entry, argv = SCENARIOS[scenario](committed_repo)
    pristine = tmp_path / "pristine"
    shutil.copytree(committed_repo, pristine, symlinks=True)
    before = state(committed_repo)
    census = run_child(committed_repo, entry, argv, "census", 0)
    assert census.returncode in (0, 1), census.stderr
    hits: list[str] = json.loads(census.stderr.rsplit("CENSUS ", 1)[1])
    assert len(hits) >= 4, hits
    finished = state(committed_repo)
    assert finished != before, "the census run changed nothing"
    for number, hit in enumerate(hits):
        repo = tmp_path / f"run{number}" / "repo"
        shutil.copytree(pristine, repo, symlinks=True)
        monkeypatch.chdir(repo)
        where = f"{signal.Signals(sig).name} at {hit}"
        child = run_child(repo, entry, argv, hit, sig)
        assert child.returncode == EXITS[sig], f"{where}: {child.returncode} {child.stderr}"
        if sig != signal.SIGKILL:
            name = "" if sig == signal.SIGINT else " (SIGTERM)"
            assert child.stderr.endswith(f"hookwright: interrupted{name}\n"), f"{where}: {child.stderr}"
            assert not journals(repo), f"{where}: the process left a journal"
            assert state(repo) in (before, finished), f"{where}: a mix before the next command"
        after = run_cli(capsys, "records", "list")
        assert after.returncode == 0, f"{where}: {after.stderr}"
        assert state(repo) in (before, finished), f"{where}: a mix after the next command"
        assert not journals(repo), where
        assert not list(repo.rglob("*.hw-*.tmp")), where
