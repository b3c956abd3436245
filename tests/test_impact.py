from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, hookwright, write

from hookwright.testing import import_graph, import_scan, suite


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        pytest.param("pkg/a.py", b"import os, pkg.b as b\n", ["os", "pkg.b"], id="plain"),
        pytest.param(
            "pkg/sub/a.py",
            b"from . import b\nfrom ..c import d\n",
            ["pkg.sub", "pkg.sub.b", "pkg.c", "pkg.c.d"],
            id="relative",
        ),
        pytest.param(
            "pkg/__init__.py",
            b"from .core import (\n    run,\n    stop,\n)\n",
            ["pkg.core", "pkg.core.run", "pkg.core.stop"],
            id="init-multiline",
        ),
        pytest.param(
            "t.py",
            b"    import json  # indented\n# import not_this\nx = 'import nope'\n",
            ["json"],
            id="comments-and-strings",
        ),
    ],
)
def test_imports_are_read_from_the_source(path: str, source: bytes, expected: list[str]) -> None:
    scanned = import_scan.scan(path, source)
    assert list(scanned.names) == expected
    assert not scanned.dynamic


@pytest.mark.parametrize(
    "source",
    [
        b"import importlib\nm = importlib.import_module(name)\n",
        b"mod = __import__(name)\n",
        b"from importlib.metadata import entry_points\n",
        b"import pkgutil\n",
        b"import runpy\nrunpy.run_path(p)\n",
        b"spec = importlib.util.spec_from_file_location('m', p)\n",
        b"exec(open(p).read())\n",
        b"pytest_plugins = plugins\n",
    ],
)
def test_code_loaded_by_name_or_path_is_noticed(source: bytes) -> None:
    assert import_scan.scan("t.py", source).dynamic


def test_named_plugins_doctests_and_patch_targets_are_imports() -> None:
    names = import_scan.scan("conftest.py", b"pytest_plugins = ['fixtures', 'pkg.helpers']\n").names
    assert {"fixtures", "pkg.helpers"} <= set(names)
    assert "pkg.b" in import_scan.scan("m.py", b'"""\n>>> import pkg.b\n"""\n').names
    patched = import_scan.scan("t.py", b'with mock.patch("pkg.mod.func"):\n').names
    assert "pkg.mod.func" in patched  # its prefixes count too
    spawns = import_scan.scan("t.py", b"subprocess.run([sys.executable, '-m', 'pkg'])\n")
    assert spawns.spawns and spawns.runs_python


def test_module_names_for_flat_src_and_package_dir_layouts() -> None:
    assert import_graph.module_names("pkg/mod.py") == ["pkg.mod", "mod"]
    assert import_graph.module_names("pkg/__init__.py") == ["pkg"]
    assert import_graph.module_names("src/pkg/mod.py") == ["src.pkg.mod", "pkg.mod", "mod"]
    assert "hookwright.checks.todo" in import_graph.module_names("lib/checks/todo.py", {"hookwright": "lib"})
    assert import_graph.module_names("README.md") == []


def test_partition_balances_by_last_duration_then_size() -> None:
    files = ["a", "b", "c", "d"]
    shards = suite.partition(files, 2, {"a": 4.0, "b": 1.0, "c": 1.0, "d": 2.0}, {})
    loads = sorted(sum({"a": 4.0, "b": 1.0, "c": 1.0, "d": 2.0}[f] for f in shard) for shard in shards)
    assert loads == [4.0, 4.0]
    by_size = suite.partition(files, 2, {}, {"a": 10, "b": 10, "c": 10, "d": 30})
    assert sorted(map(len, by_size)) == [1, 3]
    assert suite.shard_count(["a", "b"], {}, 0) == 1
    assert suite.shard_count(files, {f: 0.01 for f in files}, 0) == 1, "a quick suite stays in one process"
    assert suite.shard_count(files, {"a": 9.0, "b": 9.0, "c": 9.0}, 0) == 1, "d was never measured"


@pytest.fixture
def layered(committed_repo: Path) -> Path:
    repo = committed_repo
    write(repo / "pkg" / "a.py", "def a():\n    return 1\n")
    write(repo / "pkg" / "b.py", "from pkg.a import a\n\n\ndef b():\n    return a() + 1\n")
    write(repo / "pkg" / "c.py", "def c():\n    return 3\n")
    write(repo / "tests" / "test_a.py", "from pkg.a import a\n\n\ndef test_a():\n    assert a() == 1\n")
    write(repo / "tests" / "test_b.py", "from pkg import b\n\n\ndef test_b():\n    assert b.b() == 2\n")
    write(repo / "tests" / "test_c.py", "import pkg.c\n\n\ndef test_c():\n    assert pkg.c.c() == 3\n")
    write(repo / "data.json", '{"x": 1}\n')
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "layers")
    return repo


def run_tests_check(repo: Path) -> dict:
    result = hookwright("verify", "--only", "tests", cwd=repo)
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    record = json.loads(records[-1].read_text())
    step = record["steps"][0]
    step["exit"] = result.returncode
    return step


def test_only_the_tests_a_change_can_reach_run(layered: Path) -> None:
    first = run_tests_check(layered)
    assert first["status"] == "passed" and first["files"] == 3

    write(layered / "pkg" / "c.py", "def c():\n    return 1 + 2\n")
    git(layered, "add", ".")
    step = run_tests_check(layered)
    assert step["files"] == 1 and "1 of 3 test files" in step["reason"]

    write(layered / "pkg" / "a.py", "def a():\n    return 2 - 1\n")
    git(layered, "add", ".")
    step = run_tests_check(layered)
    assert step["files"] == 2 and "2 of 3 test files" in step["reason"], "b imports a: both its tests run"

    write(layered / "README.md", "# docs\n")
    git(layered, "add", ".")
    assert run_tests_check(layered)["cached"], "nothing a test reads changed"

    write(layered / "data.json", '{"x": 2}\n')
    git(layered, "add", ".")
    step = run_tests_check(layered)
    assert step["files"] == 3, "a data file: the import graph cannot tell, everything runs"


def test_a_reached_failure_still_fails_and_the_baseline_holds(layered: Path) -> None:
    assert run_tests_check(layered)["status"] == "passed"
    write(layered / "pkg" / "a.py", "def a():\n    return 5\n")
    git(layered, "add", ".")
    step = run_tests_check(layered)
    assert step["status"] == "failed" and step["exit"] == 1
    write(layered / "pkg" / "c.py", "def c():\n    return 3 + 0\n")
    git(layered, "add", ".")
    again = run_tests_check(layered)
    assert again["status"] == "failed", "the last passing state is still the baseline: a's change runs again"


def test_dynamic_imports_in_tests_run_everything(layered: Path) -> None:
    run_tests_check(layered)
    write(
        layered / "tests" / "test_dyn.py",
        "import importlib\n\n\ndef test_d():\n    assert importlib.import_module('pkg.c').c() == 3\n",
    )
    git(layered, "add", ".")
    run_tests_check(layered)
    write(layered / "pkg" / "a.py", "def a():\n    return 2 - 1\n")
    git(layered, "add", ".")
    step = run_tests_check(layered)
    assert step["files"] == 3 and "3 of 4 test files" in step["reason"], "test_a, test_b and test_dyn"


def test_shards_run_side_by_side_and_merge(layered: Path) -> None:
    for index in range(4):
        write(
            layered / "tests" / f"test_more{index}.py",
            f"def test_more():\n    assert {index} == {index if index != 2 else 9}\n",
        )
    write(layered / ".hookwright.yaml", "checks:\n  tests:\n    shards: 2\n    select: all\n")
    git(layered, "add", ".")
    step = run_tests_check(layered)
    assert step["status"] == "failed"
    assert step["files"] == 7
    assert "2 shards" in step["reason"], step["reason"]
    records = sorted((layered / ".git" / "hookwright" / "records").glob("*.json"))
    findings = json.loads(records[-1].read_text())["findings"]
    assert [f["path"] for f in findings] == ["tests/test_more2.py"]


def test_no_cache_runs_every_test_whatever_the_last_pass(layered: Path) -> None:
    assert run_tests_check(layered)["files"] == 3
    result = hookwright("verify", "--only", "tests", "--no-cache", cwd=layered)
    assert result.returncode == 0
    records = sorted((layered / ".git" / "hookwright" / "records").glob("*.json"))
    step = json.loads(records[-1].read_text())["steps"][0]
    assert step["files"] == 3 and not step["cached"]


@pytest.mark.parametrize(
    ("source", "dynamic", "runs_python"),
    [
        pytest.param(b'"""Call importlib.import_module."""\nX = 1\n', False, False, id="docstring"),
        pytest.param(b"X = 1  # sys.modules[name] would load it\n", False, False, id="comment"),
        pytest.param(b"import sys\nMAIN = sys.modules['__main__']\n", False, False, id="the-running-script"),
        pytest.param(b"import sys\nM = sys.modules[name]\n", True, False, id="a-module-by-name"),
        pytest.param(
            b'import subprocess, sys\nsubprocess.run(f"""{sys.executable} -m pkg""", shell=True)\n',
            False,
            True,
            id="a-command-in-a-triple-quoted-string",
        ),
        pytest.param(b'"""Doc."""\nexec(CODE)\n', True, False, id="code-after-a-docstring"),
    ],
)
def test_words_in_prose_load_nothing(source: bytes, dynamic: bool, runs_python: bool) -> None:
    scanned = import_scan.scan("pkg/a.py", source)
    assert (scanned.dynamic, scanned.runs_python) == (dynamic, runs_python)
