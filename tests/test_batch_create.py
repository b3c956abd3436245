"""batch_create: many files rendered in memory, checked together, written all-or-nothing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import files_of as tree
from conftest import git, hookwright, write
from conftest import run_cli as run

from hookwright import recovery, transactions
from hookwright.hooks import batch_create

CONST_PACK = (
    "name: const\ntype: python\nfiles:\n  - {template: mod.py.j2, path: 'pkg/m{{ n }}.py'}\n"
    "variables:\n  type: object\n  additionalProperties: false\n  required: [n]\n  properties:\n"
    "    n: {type: integer}\n    value: {type: string, default: '1'}\n"
)


@pytest.fixture
def const_repo(committed_repo: Path) -> Path:
    write(committed_repo / "packs/const/template.yaml", CONST_PACK)
    write(committed_repo / "packs/const/mod.py.j2", "VALUE = {{ value }}\nN = {{ n }}\n")
    write(committed_repo / "pkg/m10.py", "OLD = 'kept unless the batch lands'\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-q", "-m", "packs")
    return committed_repo


def thousand(**special: dict[str, object]) -> dict[str, object]:
    items = [{"template": "const", "variables": {"n": n}} for n in range(1000)]
    for index, change in special.items():
        items[int(index.lstrip("i"))].update(change)
    return {"templates": ["packs"], "items": items, "force": True}


def test_fastapi_app_from_generated_files_serves_real_requests(committed_repo: Path) -> None:
    fields = [{"name": "title", "type": "str"}, {"name": "pages", "type": "int", "optional": True}]
    instance = {
        "schema_version": "1",
        "pattern": "batch_create",
        "inputs": {
            "items": [
                {"template": "db"},
                {"template": "model", "variables": {"name": "Book", "fields": fields}},
                {"template": "crud", "variables": {"name": "Book", "fields": fields}},
                {
                    "template": "test",
                    "variables": {
                        "import_path": "app.schemas.book",
                        "function": "validate_book",
                        "cases": [
                            {
                                "args": [{"title": "Dune", "pages": "412"}],
                                "expected": {"title": "Dune", "pages": 412},
                            },
                            {
                                "kwargs": {"data": {"title": "Emma"}},
                                "expected": {"title": "Emma", "pages": None},
                            },
                        ],
                        "raises": [{"args": [{"pages": 3}], "exception": "ValueError", "match": "title"}],
                    },
                },
            ]
        },
    }
    write(committed_repo / "make-book.json", json.dumps(instance))
    result = hookwright("batch", "make-book.json", cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    write(committed_repo / "app/main.py", textwrap.dedent(
        """
        from fastapi import FastAPI

        from app.db import Base, engine
        from app.routers.book import router

        Base.metadata.create_all(engine)
        app = FastAPI()
        app.include_router(router)
        """
    ))  # fmt: skip
    write(committed_repo / "tests/test_app.py", textwrap.dedent(
        """
        from fastapi.testclient import TestClient

        from app.main import app


        def test_book_endpoints() -> None:
            client = TestClient(app)
            created = client.post("/books", json={"title": "Dune", "pages": 412})
            assert created.status_code == 201, created.text
            book = created.json()
            assert book == {"title": "Dune", "pages": 412, "id": book["id"]}
            assert client.get("/books/9999").status_code == 404
            client.post("/books", json={"title": "Emma"})
            assert [b["title"] for b in client.get("/books").json()] == ["Dune", "Emma"]
            assert client.get("/books", params={"offset": 1}).json()[0]["title"] == "Emma"
            updated = client.patch(f"/books/{book['id']}", json={"pages": 500})
            assert updated.status_code == 200 and updated.json()["pages"] == 500
            assert client.post("/books", json={"pages": 1}).status_code == 422
            assert client.delete(f"/books/{book['id']}").status_code == 204
            assert client.get(f"/books/{book['id']}").status_code == 404
            assert client.patch("/books/9999", json={"pages": 1}).status_code == 404
        """
    ))  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error::DeprecationWarning", "tests"],
        cwd=committed_repo, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout, run.stdout  # the app test and the generated module's three cases


def test_each_makes_one_item_per_group(committed_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "batch", "model", "--var", "fields=[{name: title, type: str}]", "--each", "name=Book", "--each", "name=Author",
        "package=lib",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert (committed_repo / "app/models/book.py").is_file() and (
        committed_repo / "lib/models/author.py"
    ).is_file()


def test_thousand_files_in_one_transaction(const_repo: Path) -> None:
    report = batch_create.run_instance(thousand(), root=const_repo)
    assert report.outcome == "passed", [s.to_dict() for s in report.steps]
    assert len(report.files_created) == 999 and report.files_modified == ("pkg/m10.py",)
    assert (const_repo / "pkg/m999.py").read_text() == "VALUE = 1\nN = 999\n"


@pytest.mark.parametrize(
    ("special", "step", "finding"),
    [
        pytest.param(
            {"i998": {"variables": {"n": 998, "value": "1 +"}}},
            "syntax",
            "pkg/m998.py:1:",
            id="syntax-999-of-1000",
        ),
        pytest.param({"i500": {"variables": {"n": 500, "value": "undefined"}}}, "ruff", "F821", id="f821"),
        pytest.param(
            {"i7": {"variables": {"n": 7, "value": "'{{ x }}'"}}}, "placeholders", "leftover", id="leftover"
        ),
        pytest.param({"i3": {"variables": {"n": 4}}}, "paths", "written twice", id="duplicate"),
        pytest.param({"i3": {"target": "PKG/.."}}, "paths", "", id="dotdot-target"),
    ],
)
def test_one_bad_file_of_a_thousand_writes_nothing(
    const_repo: Path, special: dict, step: str, finding: str
) -> None:
    before = tree(const_repo)
    if "target" in special.get("i3", {}):
        from hookwright.errors import BadInput

        with pytest.raises(BadInput, match=r"'\.\.' would leave the repository"):
            batch_create.run_instance(thousand(**special), root=const_repo)
    else:
        report = batch_create.run_instance(thousand(**special), root=const_repo)
        assert report.outcome == "failed"
        failed = {s.name: s for s in report.steps if s.status == "failed"}
        assert list(failed) == [step]
        assert any(finding in f"{f.location()}: {f.code} {f.message}" for f in failed[step].findings)
        assert not any(s.name == "write" for s in report.steps)
    assert tree(const_repo) == before


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """A folder nobody may create files in: chattr +i as root (who ignores modes), else chmod."""
    folder.mkdir(parents=True, exist_ok=True)
    as_root = os.geteuid() == 0
    if as_root:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i not supported here: {done.stderr.decode().strip()}")
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_permission_error_while_writing_puts_everything_back(const_repo: Path) -> None:
    before = tree(const_repo)
    inputs = thousand(i500={"target": "locked"})  # pkg/m500.py goes to locked/pkg/, which refuses it
    with unwritable(const_repo / "locked" / "pkg"):
        report = batch_create.run_instance(inputs, root=const_repo)
    write_step = next(s for s in report.steps if s.name == "write")
    assert write_step.status == "error"
    assert write_step.findings[0].path == "locked/pkg/m500.py"
    assert "nothing was written" in write_step.findings[0].message
    assert report.outcome == "failed" and report.files_created == ()
    assert tree(const_repo) == before, "499 files written before the error are gone, m10.py is old again"


CRASH_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from hookwright import transactions
    from hookwright.hooks import batch_create

    target, nth = sys.argv[1], int(sys.argv[2])
    seen = {}

    def checkpoint(name):
        seen[name] = seen.get(name, 0) + 1
        if name == target and seen[name] == nth:
            os.kill(os.getpid(), signal.SIGKILL)

    transactions._checkpoint = checkpoint
    sys.exit(batch_create.main(["batch.json", "--force"]))
    """
)


@pytest.mark.parametrize(
    ("point", "nth"),
    [("backed-up", 1), ("prepared", 1), ("temp-written", 1), ("replaced", 1), ("temp-written", 3),
     ("replaced", 4), ("applied", 1), ("validated", 1)],
)  # fmt: skip
def test_sigkill_at_each_step_then_recover_loses_nothing(const_repo: Path, point: str, nth: int) -> None:
    items = [{"template": "const", "variables": {"n": n}} for n in (1, 10, 2, 3)]  # m10.py exists
    write(const_repo / "batch.json", json.dumps({"templates": ["packs"], "items": items}))
    git(const_repo, "add", "batch.json")
    git(const_repo, "commit", "-q", "-m", "batch")
    before = tree(const_repo)
    child = subprocess.run(
        [sys.executable, "-c", CRASH_CHILD, point, str(nth)], cwd=const_repo, capture_output=True, check=False
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    recovered = hookwright("recover", cwd=const_repo)
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    after = tree(const_repo)
    if point == "validated":  # past the commit point: the whole batch stands
        assert after == {
            **before,
            **{f"pkg/m{n}.py": f"VALUE = 1\nN = {n}\n".encode() for n in (1, 10, 2, 3)},
        }
    else:
        assert after == before, f"killed at {point}#{nth}: {sorted(set(after) ^ set(before))}"
    assert not [p for p in const_repo.rglob("*.tmp") if ".git" not in p.parts]
    assert recovery.recover(transactions.journal_dir(const_repo / ".git" / "hookwright")) == []


def test_paths_that_collide_or_exist_are_refused(
    const_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(const_repo / "pkg/Readme.py", "")
    write(const_repo / "packs/case/template.yaml", "name: case\nfiles:\n  - {template: a.py.j2, path: '{{ name }}.py'}\n"
          "variables:\n  properties:\n    name: {type: string}\n")  # fmt: skip
    write(const_repo / "packs/case/a.py.j2", "X = {{ name | json }}\n")
    before = tree(const_repo)
    items = [
        {"template": "case", "variables": {"name": "Report"}, "target": "pkg"},
        {"template": "case", "variables": {"name": "report"}, "target": "pkg"},
        {"template": "case", "variables": {"name": "README"}, "target": "pkg"},
        {"template": "const", "variables": {"n": 10}},
    ]
    write(const_repo / "items.yaml", json.dumps({"templates": ["packs"], "items": items}))
    result = run(capsys, "batch", "items.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "pkg/report.py: case-collision differs from pkg/Report.py only in case" in out
    assert "pkg/README.py: case-collision an existing file Readme.py differs only in case" in out
    assert "pkg/m10.py: target-exists already exists; pass --force to overwrite it" in out
    assert tree(const_repo) == {**before, "items.yaml": (const_repo / "items.yaml").read_bytes()}


def test_dry_run_prints_plan_and_diff(const_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(const_repo)
    result = run(
        capsys,
        "batch",
        "const",
        "-t",
        "packs",
        "--each",
        "n=10",
        "--each",
        "n=11",
        "--dry-run",
        "--force",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "overwrite pkg/m10.py  (const/mod.py.j2)\ncreate    pkg/m11.py  (const/mod.py.j2)\n"
        "--- a/pkg/m10.py\n+++ b/pkg/m10.py\n"
    )  # fmt: skip
    assert "-OLD = 'kept unless the batch lands'\n+VALUE = 1\n+N = 10\n" in result.stdout
    assert "--- /dev/null\n+++ b/pkg/m11.py\n" in result.stdout
    assert tree(const_repo) == before
    assert not list((const_repo / ".git/hookwright").rglob("records/*.json"))


def test_variable_problems_of_every_item_at_once(
    const_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(const_repo)
    items = [
        {"template": "model", "variables": {"name": "def"}},
        {
            "template": "lookup",
            "variables": {"import_path": "my-pkg.mod", "function": "f", "values": {"a": "b"}},
        },
        {"template": "config", "variables": {"name": "s", "directory": "../up", "settings": {"k": "v"}}},
        {"template": "crud", "variables": {"name": "", "bogus": 1}},
    ]
    write(const_repo / "items.json", json.dumps({"items": items}))
    result = run(capsys, "batch", "items.json")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "hookwright: error: items[0] model: variable name: 'def' is a Python keyword; it cannot be a name",
        "hookwright: error: items[1] lookup: variable import_path: 'my-pkg' has a hyphen; a module name cannot"
        " (use 'my_pkg')",
        "hookwright: error: items[2] config: variable directory: '../up' contains '..', which would leave the target folder",
        "hookwright: error: items[3] crud: variable bogus: is not a variable of this template (declared: fields, name, package)",
        "hookwright: error: items[3] crud: variable name: is empty; give it a value",
    ]
    assert tree(const_repo) == {**before, "items.json": (const_repo / "items.json").read_bytes()}


@pytest.mark.parametrize(
    ("template", "message"),
    [
        pytest.param("X = {{ nmae }}\n", "undef/a.py.j2:1: 'nmae' is used but not declared", id="undeclared"),
        pytest.param("{% for f in fields %}X = {{ f.nmae }}\n{% endfor %}", "undef/a.py.j2:1: 'dict object' has no attribute 'nmae'", id="undefined-attribute"),
    ],
)  # fmt: skip
def test_an_undefined_variable_stops_everything(
    const_repo: Path, template: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(const_repo / "packs/undef/template.yaml", "name: undef\nfiles:\n  - {template: a.py.j2, path: u.py}\n"
          "variables:\n  properties:\n    fields: {type: array}\n")  # fmt: skip
    write(const_repo / "packs/undef/a.py.j2", template)
    before = tree(const_repo)
    result = run(capsys, "batch", "undef", "-t", "packs", "--var", "fields=[{name: a}]")
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"hookwright: error: {message}"), result.stderr
    assert tree(const_repo) == before


def test_an_instance_of_another_pattern_is_refused(
    const_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(const_repo / "other.yaml", "schema_version: '1'\npattern: atomic_create\ninputs: {template: db}\n")
    result = run(capsys, "batch", "other.yaml")
    assert result.returncode == 2 and "pattern is 'atomic_create'" in result.stderr
    write(const_repo / "typo.yaml", "items: [{template: db, variabels: {}}]\n")
    result = run(capsys, "batch", "typo.yaml")
    assert result.returncode == 2 and "typo.yaml:1:" in result.stderr and "variabels" in result.stderr
