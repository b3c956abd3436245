"""Test selection never misses what the whole suite would catch (issue 15, items 5 and 6).

Each case is a project whose previous state was verified (so selection has a state to compare
with), then a staged change that breaks a test reachable only in a way an import graph cannot see.
The whole suite fails; `hookwright verify --only tests` must fail too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import git, hookwright, write


class Link(str):
    """A symbolic link to this target (a file's content in the tables below is a str)."""


def make(repo: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        elif isinstance(text, Link):
            path.symlink_to(str(text))
        else:
            write(path, text)
    git(repo, "add", "-A")


def verify_tests(repo: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    result = hookwright("verify", "--only", "tests", *args, cwd=repo, env=env)
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    step = json.loads(records[-1].read_text())["steps"][0]
    step["exit"], step["stdout"] = result.returncode, result.stdout
    return step


MOD_FIXTURE = (
    "import pytest\nfrom pkg.helper import value\n\n\n@pytest.fixture\ndef thing():\n    return value()\n"
)
ANSWER_PLUGIN = "import pytest\n\n\n@pytest.fixture\ndef answer():\n    return 42\n"
DOCTESTED = 'def double(x):\n    """\n    >>> double(2)\n    4\n    """\n    return x * {}\n'
OTHER_TEST = "def test_other():\n    assert True\n"

CASES = [
    pytest.param(
        {
            "pkg/helper.py": "def value():\n    return 1\n",
            "conftest.py": MOD_FIXTURE,
            "tests/test_thing.py": "def test_thing(thing):\n    assert thing == 1\n",
            "tests/test_other.py": OTHER_TEST,
        },
        {"pkg/helper.py": "def value():\n    return 2\n"},
        id="conftest-fixture-hands-a-project-object",
    ),
    pytest.param(
        {
            "pkg/registry.py": "import importlib\n\n\ndef load(name):\n"
            "    return importlib.import_module('pkg.plugins.' + name).run()\n",
            "pkg/plugins/__init__.py": "",
            "pkg/plugins/foo.py": "def run():\n    return 'foo'\n",
            "tests/test_registry.py": "from pkg.registry import load\n\n\n"
            "def test_load():\n    assert load('foo') == 'foo'\n",
        },
        {"pkg/plugins/foo.py": "def run():\n    return 'bar'\n"},
        id="dynamic-import-in-the-source",
    ),
    pytest.param(
        {
            "pkg/cli.py": "print('hello')\n",
            "tests/test_cli.py": "import subprocess\nimport sys\n\n\ndef test_cli():\n"
            "    done = subprocess.run([sys.executable, '-m', 'pkg.cli'], capture_output=True, text=True)\n"
            "    assert done.stdout == 'hello\\n'\n",
        },
        {"pkg/cli.py": "print('bye')\n"},
        id="subprocess-python-m",
    ),
    pytest.param(
        {
            # An installed distribution (found on sys.path) whose pytest11 entry point pytest loads.
            "pyproject.toml": "[project]\nname = 'pkg'\nversion = '0.1'\n\n"
            "[project.entry-points.pytest11]\nanswers = 'pkg.plugin'\n",
            "pkg-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: pkg\nVersion: 0.1\n",
            "pkg-0.1.dist-info/entry_points.txt": "[pytest11]\nanswers = pkg.plugin\n",
            "pkg/plugin.py": ANSWER_PLUGIN,
            "pkg/api.py": "from pkg import plugin\n\nNAME = 'api'\n",
            "tests/test_api.py": "from pkg.api import NAME\n\n\ndef test_api():\n    assert NAME == 'api'\n",
            "tests/test_answer.py": "def test_answer(answer):\n    assert answer == 42\n",
        },
        {"pkg/plugin.py": ANSWER_PLUGIN.replace("42", "41")},
        id="entry-point",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--doctest-modules'\n",
            "pkg/mod.py": DOCTESTED.format(2),
            "tests/test_other.py": OTHER_TEST,
        },
        {"pkg/mod.py": DOCTESTED.format(3)},
        id="doctest-modules-in-addopts",
    ),
    pytest.param(
        {
            ".pytest.ini": "[pytest]\npython_files = check_*.py test_*.py\n",
            "pkg/thing.py": "def f():\n    return 1\n",
            "tests/check_thing.py": "from pkg.thing import f\n\n\ndef test_f():\n    assert f() == 1\n",
            "tests/test_other.py": OTHER_TEST,
        },
        {"pkg/thing.py": "def f():\n    return 2\n"},
        id="python-files",
    ),
    pytest.param(
        {
            "pkg/core.py": "def f():\n    return 1\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/tests/__init__.py": "",
            "pkg/sub/tests/test_core.py": "from pkg.core import f\n\n\ndef test_f():\n    assert f() == 1\n",
        },
        {"pkg/core.py": "def f():\n    return 2\n"},
        id="tests-inside-a-package",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "VALUE = 1\n",
            "pkg/tests/__init__.py": "",
            "pkg/tests/test_inside.py": "def test_inside():\n    assert True\n",
            "tests/test_value.py": "def test_value():\n    assert True\n\n\ndef later():\n    import pkg\n",
        },
        {"pkg/__init__.py": "raise ImportError('broken')\n"},
        id="package-init-above-a-test-that-never-imports-it",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--doctest-glob=*.md'\n",
            "README.md": "# demo\n\n    >>> 1 + 1\n    2\n",
            "tests/test_other.py": OTHER_TEST,
        },
        {"README.md": "# demo\n\n    >>> 1 + 1\n    3\n"},
        id="doctest-glob-markdown",
    ),
    pytest.param(
        {
            "pkg/old.py": "def f():\n    return 1\n",
            "pkg/user.py": "from pkg.old import f\n\n\ndef g():\n    return f()\n",
            "tests/test_user.py": "from pkg.user import g\n\n\ndef test_g():\n    assert g() == 1\n",
        },
        {"pkg/old.py": None},
        id="deleted-module",
    ),
    pytest.param(
        {
            # setup.cfg maps the import name mylib onto lib/ (the link stands for the install).
            "setup.cfg": "[options]\npackage_dir =\n    mylib = lib\n",
            "mylib": Link("lib"),
            "lib/__init__.py": "",
            "lib/core.py": "def f():\n    return 1\n",
            "tests/test_core.py": "from mylib.core import f\n\n\ndef test_f():\n    assert f() == 1\n",
        },
        {"lib/core.py": "def f():\n    return 2\n"},
        id="package-dir-layout",
    ),
]


def passes_then_fails(repo: Path, files: Mapping[str, str | None], change: Mapping[str, str | None]) -> None:
    """The project passes and is committed; after ``change`` the tests check must fail as the suite does."""
    make(repo, dict(files))
    first = verify_tests(repo)
    assert first["status"] == "passed" and first["exit"] == 0, first
    git(repo, "commit", "-qm", "project")
    make(repo, dict(change))
    step = verify_tests(repo)
    assert step["status"] == "failed" and step["exit"] == 1, step


@pytest.mark.plugins_autoloaded  # (pytest11 entry points, pytest-cov: tests/conftest.py)
@pytest.mark.parametrize(("files", "change"), CASES)
def test_a_change_the_import_graph_cannot_see_still_runs_its_tests(
    committed_repo: Path, files: dict[str, str | None], change: dict[str, str | None]
) -> None:
    passes_then_fails(committed_repo, files, change)


def test_pytest_9_table_sets_testpaths_and_a_file_it_never_collects_is_not_run(committed_repo: Path) -> None:
    make(
        committed_repo,
        {
            "pyproject.toml": '[tool.pytest]\ntestpaths = ["tests"]\n',
            "tests/test_mod.py": "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
            "benchmarks/test_bench.py": "from pkg.mod import add\n\n\n"
            "def test_bench():\n    raise RuntimeError('needs the benchmark machine')\n",
        },
    )
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "tests")
    make(committed_repo, {"pkg/mod.py": "def add(a, b):\n    # a comment\n    return a + b\n"})
    assert verify_tests(committed_repo)["exit"] == 0, "benchmarks/ is outside testpaths: pytest never runs it"
    make(committed_repo, {"pkg/mod.py": "def add(a, b):\n    return a - b\n"})
    assert verify_tests(committed_repo)["exit"] == 1


def test_tests_without_a_runnable_pytest_are_an_error_naming_the_fix(
    committed_repo: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "no-pytest"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    make(
        committed_repo,
        {
            ".hookwright.yaml": f"checks:\n  tests:\n    python: {venv / 'bin' / 'python'}\n",
            "tests/test_mod.py": "def test_mod():\n    assert True\n",
        },
    )
    step = verify_tests(committed_repo)
    assert step["status"] == "error" and step["exit"] == 1
    assert "checks.tests.python" in step["reason"]


def test_a_failing_run_never_runs_the_suite_twice(committed_repo: Path, tmp_path: Path) -> None:
    ran = tmp_path / "ran.log"
    record = "import os\n\n\ndef test_{i}():\n    open(os.environ['RAN_LOG'], 'a').write('{i}\\n')\n"
    files = {f"tests/test_{i}.py": record.format(i=i) for i in range(4)}
    files["tests/test_3.py"] += "    assert False\n"
    files[".hookwright.yaml"] = "baseline: none\nchecks:\n  tests:\n    shards: 2\n    select: all\n"
    make(committed_repo, files)
    env = {**os.environ, "RAN_LOG": str(ran)}
    assert verify_tests(committed_repo, env=env)["exit"] == 1  # the first split failure may be checked once
    for attempt in range(2):
        ran.write_text("")
        make(committed_repo, {"data.txt": f"{attempt}\n"})
        step = verify_tests(committed_repo, env=env)
        assert step["exit"] == 1
        assert sorted(ran.read_text().split()) == ["0", "1", "2", "3"], "each test ran once"


def test_a_failing_doctest_names_its_file_line_and_example(committed_repo: Path) -> None:
    make(
        committed_repo,
        {
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--doctest-modules'\n",
            "pkg/mod.py": DOCTESTED.format(3),
        },
    )
    step = verify_tests(committed_repo)
    assert step["exit"] == 1
    expected = (
        "pkg/mod.py:3: test-failure pkg/mod.py::pkg.mod.double: doctest >>> double(2): expected 4, got 6"
    )
    assert expected in step["stdout"]


def test_a_pytest_config_in_the_work_tree_cannot_change_the_run(committed_repo: Path) -> None:
    make(committed_repo, {"tests/test_mod.py": "def test_mod():\n    assert False\n"})
    # Untracked, above the private copy under .git: pytest would walk up to it and deselect all.
    write(committed_repo / "pytest.ini", "[pytest]\naddopts = -k nothing\n")
    write(committed_repo / "conftest.py", "raise SystemExit('the work tree conftest was loaded')\n")
    step = verify_tests(committed_repo)
    assert step["status"] == "failed" and "test_mod" in step["stdout"], step
