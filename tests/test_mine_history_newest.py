"""benchmarks/self_heal/mine_history.py on long histories: ``--newest N`` and the cheap first test.

Histories of 10,000-19,000 commits took more than ten minutes each under load (compiling and diffing
whole files for every small change), so the ninth round's miner reads only the newest N commits when
asked, and drops a change at once when no removed and added line could form a repair
(``may_hold_repair``). That test must not lose a repair: every kind below is still found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, git, write

sys.path.insert(0, str(ROOT / "benchmarks" / "self_heal"))

import mine_history

BODY = "def run(items):\n    total = 0\n    for item in items:\n        total += item\n    return total\n"
# (file, broken text, repaired text, kind the miner should call the repair); one commit each
REPAIRS = [
    ("imp.py", "\n\ndef here():\n    return os.getcwd()\n", "import os\n\n\ndef here():\n    return os.getcwd()\n",
     "added-import"),
    ("tabs.py", BODY.replace("        total += item", "\ttotal += item"), BODY, "tabs"),
    ("colon.py", BODY.replace("for item in items:", "for item in items"), BODY, "colon"),
    ("keyword.py", BODY.replace("    return total", "    retrun total"), BODY, "keyword"),
]  # fmt: skip
BIG = "".join(f"def f{n}(x):\n    return x + {n}\n\n\n" for n in range(12))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = tmp_path_factory.mktemp("mined") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    for name, broken, _, _ in REPAIRS:
        write(repo / name, broken)
    write(repo / "big.py", BIG.replace("def f3(x):", "def f3(x)"))
    write(repo / "other.py", "VALUE = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    for name, _, repaired, _ in REPAIRS:
        write(repo / name, repaired)
        git(repo, "commit", "-q", "-am", f"repair {name}")
    # a bigger change holding one colon repair (a partial case), then a change that repairs nothing
    write(repo / "big.py", BIG.replace("return x + 1\n", "return x + 100\n").replace("x + 2\n", "x * 2\n"))
    git(repo, "commit", "-q", "-am", "rework big")
    write(repo / "other.py", "VALUE = 2\n")
    git(repo, "commit", "-q", "-am", "unrelated")
    return repo, git(repo, "rev-parse", "HEAD").strip()


def _mined(history: tuple[Path, str], tmp_path: Path, *extra: str) -> dict[str, object]:
    repo, head = history
    out = tmp_path / "history.json"
    assert mine_history.main(["--repo", f"me/project@{head}={repo / '.git'}", "--out", str(out), *extra]) == 0
    manifest: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return manifest


def _kinds(manifest: dict[str, object]) -> dict[str, str]:
    cases = manifest["cases"]
    assert isinstance(cases, list)
    return {case["path"]: case["kind"] for case in cases}


def test_every_kind_is_still_found(history: tuple[Path, str], tmp_path: Path) -> None:
    manifest = _mined(history, tmp_path)
    assert _kinds(manifest) == {**{name: kind for name, _, _, kind in REPAIRS}, "big.py": "partial-colon"}
    assert manifest["repos"] == [f"me/project@{history[1]}"] and "newest" not in manifest


def test_newest_reads_only_the_newest_commits(history: tuple[Path, str], tmp_path: Path) -> None:
    manifest = _mined(history, tmp_path, "--newest", "3")  # unrelated, rework big, repair keyword.py
    assert _kinds(manifest) == {"big.py": "partial-colon", "keyword.py": "keyword"}
    assert manifest["newest"] == 3


def test_the_first_test_keeps_repairs_and_drops_other_changes() -> None:
    for _, broken, repaired, _ in REPAIRS:
        assert mine_history.may_hold_repair(broken, repaired)
    assert not mine_history.may_hold_repair("VALUE = 1\nname = 'a'\n", "VALUE = 12345\nname = 'b'\n")
