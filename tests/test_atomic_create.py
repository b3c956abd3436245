"""atomic_create: one file, every check first, written atomically, verified on disk, kept or undone."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from conftest import files_of as tree
from conftest import git, hookwright, write
from conftest import run_cli as run

from hookwright.hooks import atomic_create


def records(repo: Path) -> list[dict]:
    folder = repo / ".git" / "hookwright" / "records"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def test_creates_one_file_from_a_pack_and_records_it(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = atomic_create.main(["model", "--var", "name=Author", "--var", "fields=[{name: email, type: str}]"])
    assert code == 0, capsys.readouterr()
    text = (committed_repo / "app/models/author.py").read_text()
    assert 'class Author(Base):\n    __tablename__ = "authors"' in text
    assert stat.S_IMODE((committed_repo / "app/models/author.py").stat().st_mode) & 0o600 == 0o600
    (record,) = records(committed_repo)
    assert record["outcome"] == "passed" and record["action"] == "create"
    assert record["files"]["created"] == ["app/models/author.py"]
    assert not list((committed_repo / ".git/hookwright/journal").iterdir())


def test_an_existing_file_is_refused_unless_forced(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["lookup", "--var", "import_path=pkg.mod", "--var", "function=pick", "--var", "values={a: b}"]
    before = tree(committed_repo)
    assert atomic_create.main(args) == 1
    assert "pkg/mod.py: target-exists already exists; pass --force to overwrite it" in capsys.readouterr().out
    assert tree(committed_repo) == before
    assert atomic_create.main([*args, "--force"]) == 0
    assert "def pick(key: str) -> str:" in (committed_repo / "pkg/mod.py").read_text()
    assert atomic_create.main([*args, "--force"]) == 0  # the same bytes again: nothing to do
    assert records(committed_repo)[-1]["action"] == "unchanged"


def test_given_content_and_a_verify_command(committed_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = [
        "--content",
        "VALUE = 1\n",
        "--out",
        "pkg/const.py",
        "--command",
        "python -c 'import sys; sys.exit(0)' {path}",
    ]
    assert atomic_create.main(ok) == 0
    assert (committed_repo / "pkg/const.py").read_text() == "VALUE = 1\n"
    before = tree(committed_repo)
    failing = ["--content", "x = 2\n", "--out", "pkg/other.py", "--command", "grep -q VALUE {path}"]
    assert atomic_create.main(failing) == 1
    out = capsys.readouterr().out
    assert "command grep -q VALUE pkg/other.py exited with 1" in out
    assert tree(committed_repo) == before, "a failed verification undoes the write"
    assert records(committed_repo)[-1]["files"]["created"] == []


def test_ruff_f_rules_and_leftover_markers_stop_the_write(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        committed_repo / "packs/bad/template.yaml",
        "name: bad\nfiles:\n  - {template: m.py.j2, path: '{{ name }}.py'}\n"
        "variables:\n  properties:\n    name: {type: string}\n",
    )
    write(
        committed_repo / "packs/bad/m.py.j2",
        "import os\n\nVALUE = undefined_name\nLABEL = '{{ '{{' }} name }}'\n# {{ name }}\n",
    )
    before = tree(committed_repo)
    assert atomic_create.main(["bad", "--templates", "packs", "--var", "name=thing"]) == 1
    out = capsys.readouterr().out
    assert "thing.py:1:8: F401" in out and "thing.py:3:9: F821 Undefined name `undefined_name`" in out
    assert "thing.py:4:10: leftover-placeholder" in out
    assert tree(committed_repo) == before


def test_dry_run_prints_plan_and_diff_and_changes_nothing(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(committed_repo)
    assert atomic_create.main(["db", "--var", "package=pkg", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("create    pkg/db.py  (db/db.py.j2)\n--- /dev/null\n+++ b/pkg/db.py\n")
    assert "+class Base(DeclarativeBase):" in out
    assert tree(committed_repo) == before and records(committed_repo) == []


def test_run_instance(committed_repo: Path) -> None:
    inputs = {
        "template": "config/settings.json.j2",
        "variables": {"name": "app", "settings": {"debug": True}},
    }
    report = atomic_create.run_instance(inputs, root=committed_repo, dry_run=True)
    assert report.outcome == "passed" and not (committed_repo / "config").exists()
    report = atomic_create.run_instance({**inputs, "out": "app.json"}, root=committed_repo)
    assert report.files_created == ("app.json",)
    assert json.loads((committed_repo / "app.json").read_text()) == {"debug": True}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param([], "give a TEMPLATE or --content", id="nothing"),
        pytest.param(["model", "--content", "x"], "not both", id="both"),
        pytest.param(["nosuch"], "unknown template 'nosuch'; known: config, crud", id="unknown-pack"),
        pytest.param(
            ["crud", "--var", "name=A"], "writes 2 files (router.py.j2, schemas.py.j2)", id="multi-file"
        ),
        pytest.param(
            ["model", "--var", "name=A", "--out", "../x.py"], "'..' would leave the repository", id="escape"
        ),
        pytest.param(["model", "--var", "name"], "--var 'name': expected NAME=VALUE", id="malformed-var"),
        pytest.param(
            ["model", "--var", "name=A", "--out", "my-model.py"], "has a hyphen", id="hyphen-module"
        ),
        pytest.param(
            ["model", "--var", "name=A", "--var", "fields=[oops"], "--var fields: cannot read", id="bad-json"
        ),
        pytest.param(["--content", "x"], "--content needs --out", id="content-no-out"),
        pytest.param(["model", "--frobnicate"], "unrecognized arguments: --frobnicate", id="unknown-flag"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(
    committed_repo: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(committed_repo)
    result = run(capsys, "create", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("hookwright: error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert tree(committed_repo) == before


def test_every_variable_problem_at_once(committed_repo: Path) -> None:
    before = tree(committed_repo)
    result = hookwright(
        "create", "model", "--var", "name=ｕser", "--var", "package=app..db", "--var",
        "fields=[{name: class, type: str}, {name: __init__, type: int}, {name: list, type: str}, {name: 9lives, type: str},"
        " {name: '" + "x" * 70 + "', type: str}]", "--var", "extra=1",
        cwd=committed_repo,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert all(line.startswith("hookwright: error: model: variable ") for line in lines), lines
    joined = "\n".join(lines)
    for expected in (
        "variable extra: is not a variable of this template",
        "fields[0].name: 'class' is a Python keyword",
        "fields[1].name: '__init__' is a dunder name",
        "fields[2].name: 'list' would shadow the Python builtin",
        "fields[3].name: '9lives' starts with a digit",
        "fields[4].name: name is 70 characters long, over the limit of 63",
        "name: 'ｕser' contains look-alike characters; Python and many tools read it as 'user'",
        "package: '' is not a valid Python module name",
    ):
        assert expected in joined, joined
    assert tree(committed_repo) == before
    assert git(committed_repo, "status", "--porcelain") == ""


def test_paths_on_the_command_line_are_relative_to_where_you_stand(
    committed_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(committed_repo / "pkg")
    assert atomic_create.main(["--content", "X = 1\n", "--out", "const.py"]) == 0
    assert (committed_repo / "pkg/const.py").read_text() == "X = 1\n"
    assert atomic_create.main(["db"]) == 0  # a pack's own paths stay relative to the repository
    assert (committed_repo / "app/db.py").is_file()
    assert atomic_create.main(["--content", "x", "--out", "../../outside.py"]) == 2
    assert "would leave the repository" in capsys.readouterr().err
