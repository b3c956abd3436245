"""Selection attacked with dependencies no import statement shows, each changed alone with the cache warm
from a pass: the verdict must be plain pytest's on ``git archive`` of the tree. (Each passes today.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PYTEST_CONFIG, git, hookwright
from test_committed_bytes import plain_pytest, write

FIXTURE = "import pytest\n\n\n@pytest.fixture\ndef value():\n    return 1\n"
USES_FIXTURE = "def test_value(value):\n    assert value == 1\n"
READS_TEMPLATE = (
    "import os\n\n\ndef render():\n"
    "    with open(os.path.join(os.path.dirname(__file__), 'template.py')) as f:\n        return f.read()\n"
)
LAZY_INIT = (
    "import importlib\n\n\ndef __getattr__(name):\n    return importlib.import_module('.' + name, __name__)\n"
)

# name: (files of the first state, the file changed alone, its new text, PYTEST_ADDOPTS)
CASES = {
    "pytest_plugins-string": (
        {"helpers/__init__.py": "", "helpers/fixtures.py": FIXTURE, "conftest.py": "pytest_plugins = ['helpers.fixtures']\n",
         "tests/test_value.py": USES_FIXTURE},
        "helpers/fixtures.py", FIXTURE.replace("return 1", "return 2"), "",
    ),
    "plugin-from-env": (
        {"myplugin.py": FIXTURE, "tests/test_value.py": USES_FIXTURE},
        "myplugin.py", FIXTURE.replace("return 1", "return 2"), "-p myplugin",
    ),
    "doctest-modules-from-env": (
        {"pkg/calc.py": 'def two():\n    """\n    >>> two()\n    2\n    """\n    return 2\n', "tests/test_none.py": "def test_none():\n    pass\n"},
        "pkg/calc.py", 'def two():\n    """\n    >>> two()\n    2\n    """\n    return 3\n', "--doctest-modules",
    ),
    "python-file-read-as-data": (
        {"pkg/template.py": "X = 1\n", "pkg/gen.py": READS_TEMPLATE,
         "tests/test_gen.py": "from pkg.gen import render\n\n\ndef test_render():\n    assert render() == 'X = 1\\n'\n"},
        "pkg/template.py", "X = 2\n", "",
    ),
    "lazy-module-getattr": (
        {"pkg/__init__.py": LAZY_INIT, "tests/test_mod.py": "import pkg\n\n\ndef test_add():\n    assert pkg.mod.add(1, 2) == 3\n"},
        "pkg/mod.py", "def add(a, b):\n    return a - b\n", "",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_hidden_reader_runs_when_what_it_reads_changes(
    committed_repo: Path, tmp_path: Path, case: str
) -> None:
    repo = committed_repo
    files, changed, text, addopts = CASES[case]
    write(repo / "pyproject.toml", PYTEST_CONFIG.replace("testpaths = ['tests']", "pythonpath = ['.']"))
    for path, content in files.items():
        write(repo / path, content)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first state")
    env = {**os.environ, "PYTEST_ADDOPTS": addopts}
    first = hookwright("verify", "--only", "tests", "--all-files", cwd=repo, env=env)
    assert first.returncode == 0, first.stdout
    write(repo / changed, text)
    git(repo, "add", ".")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTEST_ADDOPTS", addopts)  # the plain run reads it as pytest would
        assert plain_pytest(repo, tmp_path / "plain") != 0
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"{case}: a reader left out: {result.stdout}"
