"""benchmarks/self_heal/mine_history.py needs ``ruff`` on PATH: without it, say so at once, exit 2.

The miner reads a whole history before its one ruff run, so a missing ruff used to surface minutes
later as a FileNotFoundError traceback, with every candidate of that history lost.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, git, write

sys.path.insert(0, str(ROOT / "benchmarks" / "self_heal"))

import mine_history


def test_missing_ruff_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    body = "\n\ndef here():\n    return os.getcwd()\n"
    write(repo / "mod.py", "x = 1" + body)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    write(repo / "mod.py", "import os\n\nx = 1" + body)  # an import repair: the miner wants ruff for it
    git(repo, "commit", "-q", "-am", "repair")
    head = git(repo, "rev-parse", "HEAD").strip()
    only_git = tmp_path / "bin"
    only_git.mkdir()
    git_path = shutil.which("git")
    assert git_path is not None
    (only_git / "git").symlink_to(git_path)
    monkeypatch.setenv("PATH", str(only_git))
    out = tmp_path / "history.json"

    code = mine_history.main(["--repo", f"me/project@{head}={repo / '.git'}", "--out", str(out)])

    assert code == 2
    err = capsys.readouterr().err
    assert "ruff" in err and "PATH" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
