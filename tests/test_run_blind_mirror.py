"""benchmarks/self_heal/run_blind.py finds a fetched project's git directory in either layout.

``fetch`` leaves most snapshots bare (``MIRROR/owner+name/repo``) and some as a work-tree layout with
no work tree (``MIRROR/owner+name/repo/.git``: Limnoria, LegacyCura and mylar in the eighth round).
``git --git-dir=.../repo`` fails on the second, so ``run_blind.py --mirror`` and ``reachable.py
--mirror`` used to need a ``--git`` argument for each such project.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, git, write

sys.path.insert(0, str(ROOT / "benchmarks" / "self_heal"))

from gitsource import GitSource
from run_blind import HELDOUT, git_dir_for, set_folder


def _project(where: Path) -> str:
    where.mkdir(parents=True)
    git(where, "init", "-q")
    git(where, "config", "user.email", "t@example.com")
    git(where, "config", "user.name", "t")
    write(where / "mod.py", "x = 1\n")
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", "start")
    return git(where, "rev-parse", "HEAD").strip()


def test_work_tree_layout_reads_through_its_git_folder(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    head = _project(mirror / "owner+name" / "repo")
    found = git_dir_for("owner/name", mirror, {})
    assert found == mirror / "owner+name" / "repo" / ".git"
    assert GitSource(found).text(head, "mod.py") == "x = 1\n"


def test_bare_layout_is_the_repo_folder(tmp_path: Path) -> None:
    work = tmp_path / "work"
    head = _project(work)
    mirror = tmp_path / "mirror"
    (mirror / "owner+name").mkdir(parents=True)
    git(tmp_path, "clone", "-q", "--bare", str(work), str(mirror / "owner+name" / "repo"))
    found = git_dir_for("owner/name", mirror, {})
    assert found == mirror / "owner+name" / "repo"
    assert GitSource(found).text(head, "mod.py") == "x = 1\n"


def test_a_set_is_one_folder_under_heldout(capsys: pytest.CaptureFixture[str]) -> None:
    # `--sets .` ran heldout/ itself and wrote its rows to a hidden OUT/..json
    assert set_folder("fresh10/") == set_folder("fresh10") == HELDOUT.resolve() / "fresh10"
    for name in (".", "..", "../heldout", "fresh10/..", "no-such-set"):
        with pytest.raises(SystemExit) as stopped:
            set_folder(name)
        assert stopped.value.code == 2
        assert capsys.readouterr().err.count("\n") == 1
