"""Symlinks resolved inside the committed tree; what counts as a large addition."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, run_cli, write

from hookwright.git import symlinks
from hookwright.git.repo import IndexEntry


def tree(**entries: str) -> tuple[dict[str, IndexEntry], dict[str, str]]:
    """Entries from ``path="file"`` / ``path="-> target"`` / ``path="submodule"`` (``__`` is ``/``)."""
    found, targets = {}, {}
    for key, value in entries.items():
        path = key.replace("__", "/")
        if value.startswith("-> "):
            found[path] = IndexEntry("120000", f"{len(found):040d}", 0, path)
            targets[path] = value[3:]
        else:
            mode = "160000" if value == "submodule" else "100644"
            found[path] = IndexEntry(mode, f"{len(found):040d}", 0, path)
    return found, targets


@pytest.mark.parametrize(
    ("entries", "link", "broken"),
    [
        pytest.param({"t": "file", "l": "-> t"}, "l", False, id="file"),
        pytest.param({"d__t": "file", "l": "-> d/"}, "l", False, id="folder-with-slash"),
        pytest.param({"t": "file", "l": "-> t/"}, "l", True, id="file-as-folder"),
        pytest.param({"t": "file", "a__l": "-> ../t"}, "a__l", False, id="dotdot-inside"),
        pytest.param({"a__l": "-> ../../t"}, "a__l", True, id="dotdot-outside"),
        pytest.param({"l": "-> /etc/hosts"}, "l", True, id="absolute"),
        pytest.param({"l": "-> "}, "l", True, id="empty"),
        pytest.param({"l": "-> ."}, "l", False, id="the-root"),
        pytest.param({"a": "-> b", "b": "-> c", "c": "file"}, "a", False, id="chain"),
        pytest.param({"a": "-> b", "b": "-> gone"}, "a", True, id="chain-to-nothing"),
        pytest.param({"a": "-> b", "b": "-> /abs"}, "a", True, id="chain-to-absolute"),
        pytest.param({"a": "-> a"}, "a", True, id="self-loop"),
        pytest.param({"a": "-> b/x", "b": "-> a"}, "a", True, id="loop-through-a-folder"),
        # `..` after a link is taken from where the link led (x/y/..), not from its own name
        pytest.param(
            {"x__y__f": "file", "x__z": "file", "b": "-> x/y", "l": "-> b/../z"},
            "l",
            False,
            id="dotdot-after-link",
        ),
        pytest.param(
            {"z": "file", "x__y__f": "file", "b": "-> x/y", "l": "-> b/../z"}, "l", True, id="not-lexical"
        ),
        pytest.param({"sub": "submodule", "l": "-> sub/inner/file"}, "l", False, id="into-a-submodule"),
    ],
)
def test_a_link_exists_only_inside_the_tree(entries: dict[str, str], link: str, broken: bool) -> None:
    found, targets = tree(**entries)
    problems = symlinks.broken([link.replace("__", "/")], found, targets)
    assert bool(problems) is broken, problems


def git_state(capsys: pytest.CaptureFixture[str], **options: object) -> list[dict]:
    options = {"case_conflicts": False, "private_keys": False, **options}
    Path(".git/hw.json").write_text(json.dumps({"checks": {"git_state": options}}))
    ran = run_cli(capsys, "verify", "--only", "git_state", "-c", ".git/hw.json", "-f", "json")
    return json.loads(ran.stdout)["findings"]


def test_removing_what_an_unchanged_link_leads_to_breaks_it(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(committed_repo / "docs" / "guide.md", "guide\n")
    (committed_repo / "GUIDE.md").symlink_to("docs/guide.md")
    (committed_repo / "old").symlink_to("never-there")  # broken before: not this change's doing
    git(committed_repo, "add", "-A")
    git(committed_repo, "commit", "-qm", "links")
    git(committed_repo, "rm", "-q", "docs/guide.md")
    (finding,) = git_state(capsys)
    assert (finding["path"], finding["code"]) == ("GUIDE.md", "broken-symlink")
    git(committed_repo, "reset", "-q", "--hard")
    git(committed_repo, "mv", "docs", "manual")  # a rename removes the old path too
    assert [f["path"] for f in git_state(capsys)] == ["GUIDE.md"]


def test_a_large_file_is_new_weight_only_when_added(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(committed_repo / "big.bin", b"x" * 3000)
    git(committed_repo, "add", "-A")
    assert [f["code"] for f in git_state(capsys, max_file_kb=2)] == ["large-file"]
    git(committed_repo, "commit", "-qm", "big")
    write(committed_repo / "copy.bin", b"x" * 3000)  # the same blob: no new weight
    git(committed_repo, "mv", "big.bin", "renamed.bin")
    git(committed_repo, "add", "-A")
    assert git_state(capsys, max_file_kb=2) == []
    write(committed_repo / "other.bin", b"y" * 3000)  # new content
    git(committed_repo, "add", "-A")
    assert [f["path"] for f in git_state(capsys, max_file_kb=2)] == ["other.bin"]


def test_a_link_replaced_by_a_large_file_is_an_addition(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (committed_repo / "data").symlink_to("README.md")
    git(committed_repo, "add", "-A")
    git(committed_repo, "commit", "-qm", "link")
    (committed_repo / "data").unlink()
    write(committed_repo / "data", b"z" * 3000)
    git(committed_repo, "add", "-A")
    assert [f["path"] for f in git_state(capsys, max_file_kb=2)] == ["data"]


@pytest.mark.parametrize(
    ("entries", "link", "outside"),
    [
        pytest.param({"l": "-> ../shared/x.py"}, "l", "../shared/x.py", id="from-the-top"),
        pytest.param({"t__l": "-> ../../shared/x"}, "t__l", "../shared/x", id="from-a-folder"),
        pytest.param({"l": "-> d", "d": "-> ../out"}, "l", "../out", id="through-a-link"),
        # `..` after a link is taken from where the link led: x/y/../.. is the top, one more leaves it
        pytest.param(
            {"x__y__f": "file", "b": "-> x/y", "l": "-> b/../../../o"}, "l", "../o", id="after-a-link"
        ),
        pytest.param({"l": "-> /etc/hosts"}, "l", "/etc/hosts", id="absolute"),
        pytest.param({"t": "file", "a__l": "-> ../t"}, "a__l", None, id="inside"),
        pytest.param({"l": "-> gone"}, "l", None, id="nowhere-inside"),
    ],
)
def test_where_a_link_leaves_the_tree(entries: dict[str, str], link: str, outside: str | None) -> None:
    found, targets = tree(**entries)
    assert symlinks.leaves_to(link.replace("__", "/"), found, symlinks.directories(found), targets) == outside
