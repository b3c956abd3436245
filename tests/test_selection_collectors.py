"""Test items pytest collects from files that are not test files by name still run when selected out.

A conftest's ``pytest_collect_file`` (or a plugin such as pytest-mypy) makes items of files that
``python_files`` does not match. When a change reaches no test file, hookwright used to start no
pytest at all, so those items never ran: a fresh function appended to such a file passed while
plain pytest failed (found by the lead's review of the new-function rule). Real git repositories,
real pytest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import git
from test_selection import make, verify_tests

SPEC_COLLECTOR = (
    "import pytest\n\n\ndef pytest_collect_file(file_path, parent):\n"
    "    if file_path.name.endswith('_spec.py'):\n"
    "        return pytest.Module.from_parent(parent, path=file_path)\n"
)
SPEC = {
    "conftest.py": SPEC_COLLECTOR,
    "checks/__init__.py": "",
    "checks/util.py": "def helper():\n    return 1\n",
    "tests/test_util.py": "from checks.util import helper\n\n\ndef test_helper():\n    assert helper() == 1\n",
}
FAILING_TEST = "\n\ndef test_bad():\n    assert False\n"
A_SPEC = "def test_ok():\n    assert True\n"
HELPERS_SPEC = "def shared():\n    return 1\n"
IMPORTS_SPEC = "from checks.a_spec import test_ok\n\n\ndef test_imports():\n    assert test_ok() is None\n"


def passes_then_fails_after(repo: Path, files: dict[str, str], change: dict[str, str], **env: str) -> dict:
    environment = {**os.environ, **env} if env else None
    make(repo, {**files})
    first = verify_tests(repo, "--all-files", env=environment)
    assert first["status"] == "passed" and first["exit"] == 0, first
    git(repo, "commit", "-qm", "project")
    make(repo, {**change})
    return verify_tests(repo, env=environment)


@pytest.mark.parametrize(
    ("files", "change"),
    [
        pytest.param(
            {**SPEC, "checks/a_spec.py": A_SPEC},
            {"checks/a_spec.py": A_SPEC + FAILING_TEST},
            id="a-collected-file-nothing-imports",
        ),
        pytest.param(
            {**SPEC, "checks/a_spec.py": A_SPEC, "tests/test_imp.py": IMPORTS_SPEC},
            {"checks/a_spec.py": A_SPEC + FAILING_TEST},
            id="a-collected-file-a-test-imports",
        ),
        pytest.param(
            # No item came from it before: only the collector says it is read as tests.
            {**SPEC, "checks/b_spec.py": HELPERS_SPEC, "tests/test_b.py": "import checks.b_spec\n"},
            {"checks/b_spec.py": HELPERS_SPEC + FAILING_TEST},
            id="a-collected-file-with-no-tests-yet",
        ),
    ],
)
def test_a_new_test_in_a_file_a_conftest_collects_runs(
    committed_repo: Path, files: dict[str, str], change: dict[str, str]
) -> None:
    step = passes_then_fails_after(committed_repo, files, change)
    assert step["status"] == "failed" and step["exit"] == 1, step


# A lint-like plugin from outside the repository (as pytest-mypy or pytest-ruff are): an item per
# module of pkg/, failing when the module holds a marker.
OUTSIDE_PLUGIN = (
    "import pytest\n\n\nclass Marker(pytest.Item):\n    def runtest(self):\n"
    "        assert 'FORBIDDEN' not in self.path.read_text(), 'marker found'\n\n\n"
    "class MarkerFile(pytest.File):\n    def collect(self):\n"
    "        yield Marker.from_parent(self, name='marker')\n\n\n"
    "def pytest_collect_file(file_path, parent):\n"
    "    if file_path.suffix == '.py' and file_path.parent.name == 'pkg':\n"
    "        return MarkerFile.from_parent(parent, path=file_path)\n"
)


def test_an_installed_plugins_items_on_a_source_file_run(committed_repo: Path, tmp_path: Path) -> None:
    plugins = tmp_path / "outside"
    plugins.mkdir()
    (plugins / "marker_plugin.py").write_text(OUTSIDE_PLUGIN)
    files = {
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-p marker_plugin'\n",
        "pkg/__init__.py": "",
        "pkg/mod.py": "def add(a, b):\n    return a + b\n",
        "tests/test_add.py": "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    }
    change = {"pkg/mod.py": files["pkg/mod.py"] + "\n\ndef later():\n    return 'FORBIDDEN'\n"}
    step = passes_then_fails_after(committed_repo, files, change, PYTHONPATH=str(plugins))
    assert step["status"] == "failed" and step["exit"] == 1, step


def test_without_collectors_an_unreached_change_still_starts_no_pytest(committed_repo: Path) -> None:
    files = {
        "pkg/__init__.py": "from pkg import mod\n",
        "pkg/mod.py": "def add(a, b):\n    return a + b\n",
        "tests/test_add.py": "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    }
    make(committed_repo, files)
    assert verify_tests(committed_repo, "--all-files")["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, {"pkg/mod.py": files["pkg/mod.py"] + "\n\ndef later():\n    return 2\n"})
    step = verify_tests(committed_repo)
    assert step["status"] == "passed" and "0 of 1 test files" in step["reason"], step
