"""benchmarks/self_heal/mine_history.py --budget: a history too big for its time still gives a manifest.

Big histories were mined under ``timeout`` and killed with nothing written (freeipa, ckan, yt, swift,
Pyomo and vdsm in the eleventh round): with ``--budget`` the miner stops reading candidates when the
seconds are spent and writes what it found, saying so.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, git, write

sys.path.insert(0, str(ROOT / "benchmarks" / "self_heal"))

import mine_history

BODY = "\n\ndef here():\n    return os.getcwd()\n"


def test_a_spent_budget_writes_the_manifest_with_what_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo / "mod.py", "x = 1" + BODY)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    write(repo / "mod.py", "import os\n\nx = 1" + BODY)  # one import repair
    git(repo, "commit", "-q", "-am", "repair")
    spec = f"me/project@{git(repo, 'rev-parse', 'HEAD').strip()}={repo / '.git'}"
    spent, ample = tmp_path / "spent.json", tmp_path / "ample.json"

    assert mine_history.main(["--repo", spec, "--out", str(spent), "--budget", "0"]) == 0
    assert mine_history.main(["--repo", spec, "--out", str(ample), "--budget", "600"]) == 0

    assert json.loads(spent.read_text(encoding="utf-8"))["cases"] == []
    assert "budget of 0 s spent after 0 of 1 candidates" in capsys.readouterr().err
    manifest = json.loads(ample.read_text(encoding="utf-8"))
    assert manifest["budget"] == 600 and [case["kind"] for case in manifest["cases"]] == ["added-import"]
