"""One file-type identification for every check: identify's answers, read from the committed tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, run_cli, write
from identify import identify

from hookwright import filetypes
from hookwright.git import target
from hookwright.git.repo import Repo

FILES: dict[str, tuple[bytes, int]] = {
    "pkg/mod.py": (b"x = 1\n", 0o644),
    "stubs/mod.pyi": (b"x: int\n", 0o644),
    "bin/tool": (b"#!/usr/bin/env python3\nprint(1)\n", 0o755),
    "bin/notes": (b"#!/usr/bin/env python3\nprint(1)\n", 0o644),  # a shebang counts only when executable
    "bin/run.sh": (b"#!/usr/bin/env python3\n", 0o755),  # the name wins over the shebang
    "bin/quoted": (b'#!"/usr/bin/python3.12" -u\n', 0o755),
    "bin/nix": (b"#!/usr/bin/env nix-shell\n#! nix-shell -i python3 -p python3\n", 0o755),
    "bin/blob": (b"\x7fELF\x02\x01\x01\x00", 0o755),
    "Pipfile": (b"[packages]\n", 0o644),
    ".babelrc": (b"{}\n", 0o644),
    ".clang-format": (b"a: 1\n", 0o644),
    "Dockerfile.dev": (b"FROM x\n", 0o644),
    "n.ipynb": (b"{}\n", 0o644),
    "data.BIN": (b"\x00\x01", 0o644),
    "README": (b"plain words\n", 0o644),
    "latin1.txt": ("caf\u00e9".encode("latin-1"), 0o644),
    "img.png": (b"\x89PNG\r\n", 0o644),
    "empty": (b"", 0o644),
}


@pytest.fixture
def tree(in_git_dir: Path) -> Path:
    for path, (data, mode) in FILES.items():
        write(in_git_dir / path, data).chmod(mode)
    (in_git_dir / "link").symlink_to("README")
    git(in_git_dir, "add", "-A")
    return in_git_dir


def tags_of(repo: Path, paths: list[str]) -> dict[str, frozenset[str]]:
    found = Repo.discover(repo)
    with found.frozen_index() as index, target.staged(found, index, all_files=True) as staged:
        filetypes.prefetch(staged, paths)
        return {p: filetypes.tags(staged, p) for p in paths}


def test_the_tags_of_every_tree_entry_are_identifys(tree: Path) -> None:
    for path, tags in tags_of(tree, [*FILES, "link"]).items():
        assert tags == identify.tags_from_path(str(tree / path)), path


def test_the_tags_are_the_committed_files_not_the_work_tree(tree: Path) -> None:
    (tree / "bin" / "tool").write_bytes(b"plain text now\n")  # unstaged: the index still holds Python
    (tree / "bin" / "notes").chmod(0o755)  # unstaged mode change
    tags = tags_of(tree, ["bin/tool", "bin/notes"])
    assert "python" in tags["bin/tool"]
    assert "python" not in tags["bin/notes"]


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    ran = run_cli(capsys, "verify", "--all-files", "-f", "json", *args)
    return ran.returncode, json.loads(ran.stdout)["findings"] if ran.stdout.strip() else []


@pytest.mark.parametrize(
    ("options", "flagged"),
    [
        pytest.param({}, {"a.md", "b.py", "c.txt"}, id="default-every-file"),
        pytest.param({"types": ["python"]}, {"b.py"}, id="types"),
        pytest.param({"types_or": ["python", "markdown"]}, {"a.md", "b.py"}, id="types-or"),
        pytest.param({"exclude_types": ["markdown"]}, {"b.py", "c.txt"}, id="exclude-types"),
        pytest.param({"types": ["text"], "exclude_types": ["python"]}, {"a.md", "c.txt"}, id="all-three"),
        pytest.param({"types": ["python", "markdown"]}, set(), id="types-need-every-tag"),
    ],
)
def test_types_select_files_as_in_pre_commit(
    in_git_dir: Path, capsys: pytest.CaptureFixture[str], options: dict, flagged: set[str]
) -> None:
    for name in ("a.md", "b.py", "c.txt"):
        write(in_git_dir / name, "# TODO: later\n")
    write(in_git_dir / ".hookwright.yaml", json.dumps({"checks": {"todo": {"policy": "fail", **options}}}))
    git(in_git_dir, "add", "-A")
    _, findings = verify(capsys, "--only", "todo")
    assert {f["path"] for f in findings} == flagged


def test_a_command_takes_types_too(in_git_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_git_dir / "tool", "#!/usr/bin/env python3\n").chmod(0o755)
    write(in_git_dir / "other", "#!/bin/sh\n").chmod(0o755)
    command = {"name": "show", "argv": ["false"], "types": ["python"], "severity": "error"}
    write(in_git_dir / ".hookwright.yaml", json.dumps({"commands": [command]}))
    git(in_git_dir, "add", "-A")
    code, _ = verify(capsys, "--only", "show")
    assert code == 1  # `false` ran: the executable Python file matched
    command["types"] = ["ruby"]
    write(in_git_dir / ".hookwright.yaml", json.dumps({"commands": [command]}))
    git(in_git_dir, "add", ".hookwright.yaml")  # the config is read from what is committed
    assert verify(capsys, "--only", "show")[0] == 0


@pytest.mark.parametrize(
    ("checks", "message"),
    [
        ({"todo": {"types": ["pyhton"]}}, "checks: todo: unknown type tag 'pyhton'"),
        ({"syntax": {"types": ["python", "json"]}}, "checks: syntax: types ['json', 'python'] match no file"),
    ],
)
def test_a_type_filter_that_cannot_work_is_bad_input(
    committed_repo: Path, capsys: pytest.CaptureFixture[str], checks: dict, message: str
) -> None:
    write(committed_repo / ".hookwright.yaml", json.dumps({"checks": checks}))
    git(committed_repo, "add", ".hookwright.yaml")
    ran = run_cli(capsys, "verify", "--all-files")
    assert ran.returncode == 2
    assert ran.stderr.startswith(f"hookwright: error: {message}")
    assert ran.stderr.count("\n") == 1


def test_chmod_x_makes_a_script_python_even_with_a_warm_cache(
    in_git_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(in_git_dir / "tool", "#!/usr/bin/env python3\nif x\n")
    git(in_git_dir, "add", "-A")
    assert verify(capsys, "--only", "syntax")[0] == 0  # not executable: not Python, as in pre-commit
    git(in_git_dir, "update-index", "--chmod=+x", "tool")
    code, findings = verify(capsys, "--only", "syntax")
    assert code == 1 and findings[0]["path"] == "tool" and findings[0]["line"] == 2
