"""A file nothing imports (an example, a script) reached by a change: narrowed only when no test can start it.

Each false-pass case is a repository where the whole suite fails the change and a selection that
ignored the example would pass it: verify must exit 1.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import git, hookwright, write

# Run as a script from the root, it finds pkg the way a user's example does: by its own path.
EXAMPLE = (
    "import os, sys\n\nsys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n"
    "from pkg.c import c  # noqa: E402\n\nassert c() == 3, 'the example is broken'\n"
)
BROKEN_C = "def c():\n    return 4\n"


def verify_tests(repo: Path) -> dict:
    result = hookwright("verify", "--only", "tests", cwd=repo)
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    step = json.loads(records[-1].read_text())["steps"][0]
    step["exit"] = result.returncode
    return step


@pytest.fixture
def with_example(committed_repo: Path) -> Path:
    """pkg.a and pkg.b each have a test; pkg.c is used only by examples/demo.py, imported by nothing."""
    repo = committed_repo
    write(repo / "pkg" / "a.py", "def a():\n    return 1\n")
    write(repo / "pkg" / "b.py", "def b():\n    return 2\n")
    write(repo / "pkg" / "c.py", "def c():\n    return 3\n")
    write(repo / "examples" / "demo.py", EXAMPLE + "from pkg.a import a  # noqa: E402\n")
    write(repo / "tests" / "test_a.py", "from pkg.a import a\n\n\ndef test_a():\n    assert a() == 1\n")
    write(repo / "tests" / "test_b.py", "from pkg.b import b\n\n\ndef test_b():\n    assert b() == 2\n")
    return repo


def commit_and_verify(repo: Path) -> None:
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "state")
    first = verify_tests(repo)
    assert first["status"] == "passed", json.dumps(first)


def change(repo: Path, path: str, text: str) -> dict:
    write(repo / path, text)
    git(repo, "add", ".")
    return verify_tests(repo)


def test_an_example_no_test_can_start_narrows_instead_of_running_everything(with_example: Path) -> None:
    commit_and_verify(with_example)
    step = change(with_example, "pkg/a.py", "def a():\n    return 2 - 1\n")
    assert step["status"] == "passed" and step["files"] == 1, step
    assert "1 of 2 test files" in step["reason"]


def test_an_example_run_by_a_conftest_is_not_ignored(with_example: Path) -> None:
    write(
        with_example / "conftest.py",
        "import subprocess, sys\n\n\ndef pytest_sessionstart(session):\n"
        "    if subprocess.run([sys.executable, 'examples/demo.py']).returncode:\n"
        "        raise SystemExit('examples broken')\n",
    )
    commit_and_verify(with_example)
    step = change(with_example, "pkg/c.py", BROKEN_C)
    assert step["exit"] == 1 and step["status"] != "passed", step


def test_a_changed_example_a_test_reads_as_data_is_not_ignored(with_example: Path) -> None:
    write(
        with_example / "tests" / "test_docs.py",
        "import os\n\n\ndef test_no_todo():\n"
        "    root = os.path.dirname(os.path.dirname(__file__))\n"
        "    for folder, _, names in os.walk(root):\n"
        "        for name in names:\n"
        "            if name.endswith('.py') and '.git' not in os.path.relpath(folder, root):\n"
        "                with open(os.path.join(folder, name)) as handle:\n"
        "                    assert 'TO' + 'DO' not in handle.read(), name\n",
    )
    commit_and_verify(with_example)
    step = change(with_example, "examples/demo.py", "# TO" + "DO: more\n" + EXAMPLE)
    assert step["exit"] == 1 and step["status"] == "failed", json.dumps(step)


ROOT_OF_TEST = "from pathlib import Path\n\nROOT = Path(__file__).resolve().parent.parent\n"
MAKE_HELPER = (
    "import subprocess\n" + ROOT_OF_TEST + "\n\ndef make(target):\n"
    "    return subprocess.run(['make', '-s', '-C', str(ROOT), target]).returncode\n"
)
MAKE_TEST = "from helpers import make\n\n\ndef test_check():\n    assert make('check') == 0\n"


def rejected(repo: Path) -> None:
    """The whole suite fails the broken pkg.c: verify must too."""
    commit_and_verify(repo)
    step = change(repo, "pkg/c.py", BROKEN_C)
    assert step["exit"] == 1 and step["status"] == "failed", json.dumps(step)


# A file no test imports, and the way a test still starts it: each case is a false pass if ignored.
STARTED_ANOTHER_WAY = [
    pytest.param(
        {
            "tests/test_examples.py": "import subprocess, sys\n\n\ndef test_demo():\n"
            "    assert subprocess.run([sys.executable, 'examples/demo.py']).returncode == 0\n",
        },
        id="a-test-runs-it-through-python",
    ),
    # The helper starts `sh`, not Python, and the test starts nothing: only the script names the
    # example. (The interpreter is the base one: `sys.executable` in a test marks it as starting Python.)
    pytest.param(
        {
            "tests/helpers.py": "import subprocess\n\n\ndef run_script(path):\n"
            "    return subprocess.run(['sh', path]).returncode\n",
            "scripts/check.sh": 'exec "$PYTHON" examples/demo.py\n',
            "tests/test_scripts.py": "import os, sys\nfrom helpers import run_script\n\n\ndef test_check():\n"
            "    os.environ['PYTHON'] = sys._base_executable\n    assert run_script('scripts/check.sh') == 0\n",
        },
        id="a-script-a-helper-starts",
    ),
    pytest.param(
        {
            "tests/helpers.py": "import subprocess\n\n\ndef run(path):\n"
            "    return subprocess.run(['sh', '-c', '\"$PY\" \"$0\"', path]).returncode\n",
            "tests/test_run.py": "import os, sys\nfrom helpers import run\n\n\ndef test_demo():\n"
            "    os.environ['PY'] = sys._base_executable\n    assert run('examples/demo.py') == 0\n",
        },
        id="a-helper-is-given-it-by-name",
    ),
    pytest.param(
        {
            "conftest.py": "import pytest\n\n\ndef pytest_collect_file(file_path, parent):\n"
            "    if file_path.suffix == '.py' and file_path.parent.name == 'examples':\n"
            "        return pytest.Module.from_parent(parent, path=file_path)\n",
            "examples/demo.py": "from pkg.c import c\n\n\ndef test_demo():\n    assert c() == 3\n",
        },
        id="a-conftest-collects-it",
    ),
    # The helper starts `make`, the test names a target: only `examples/*.py` in the Makefile leads there.
    pytest.param(
        {
            "tests/helpers.py": MAKE_HELPER,
            "Makefile": "check:\n\tfor f in examples/*.py; do python3 $$f || exit 1; done\n",
            "tests/test_make.py": MAKE_TEST,
        },
        id="a-makefile-runs-a-glob-of-its-folder",
    ),
    pytest.param(
        {
            "tests/support/runner.py": "import subprocess\n"
            + ROOT_OF_TEST.replace("parent.parent", "parent.parent.parent")
            + "\n\ndef sh(command):\n    return subprocess.run(['sh', '-c', command], cwd=ROOT).returncode\n",
            "tests/test_pieces.py": "from support.runner import sh\n\n\ndef test_demo():\n"
            "    folder = 'exam' + 'ples'\n"
            "    assert sh('for f in ' + folder + '/*; do python3 $f || exit 1; done') == 0\n",
        },
        id="a-helper-runs-a-path-built-from-pieces",
    ),
    pytest.param(
        {
            "pkg/__main__.py": "from pkg.c import c\n\nassert c() == 3\n",
            "tests/helpers.py": MAKE_HELPER,
            "Makefile": "check:\n\tpython3 -m pkg\n",
            "tests/test_make.py": MAKE_TEST,
        },
        id="a-makefile-runs-a-main-module",
    ),
]


@pytest.mark.parametrize("files", STARTED_ANOTHER_WAY)
def test_an_example_started_another_way_is_not_ignored(with_example: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        write(with_example / path, text)
    rejected(with_example)


@pytest.mark.parametrize(
    # (`tests` too: a run of examples/demo.py alone runs no test, which is no pass.)
    "config",
    ["[pytest]\naddopts = examples/demo.py tests\n", "[pytest]\ntestpaths = tests examples/*.py\n"],
)
def test_an_example_pytest_is_given_by_path_is_not_ignored(with_example: Path, config: str) -> None:
    write(with_example / "pytest.ini", config)
    rejected(with_example)


@pytest.mark.parametrize(
    "test",
    [
        # Runs every example in this process: no import, no runpy, no exec( to see.
        ROOT_OF_TEST + "\n\ndef test_all():\n    for p in (ROOT / 'examples').glob('*.py'):\n"
        "        eval(compile(p.read_text(), str(p), 'exec'), {'__file__': str(p)})\n",
        # Imports it by a bare name the import statements do not show.
        "import sys\n" + ROOT_OF_TEST + "sys.path.insert(0, str(ROOT / 'examples'))\n\n\n"
        "def test_demo():\n    import pytest\n\n    pytest.importorskip('demo')\n",
        # A README's doctest imports it: text, not Python, that the graph never reads.
        "import doctest\nimport os\n" + ROOT_OF_TEST + "\n\ndef test_readme():\n    os.chdir(ROOT)\n"
        "    assert doctest.testfile(str(ROOT / 'README.md'), module_relative=False).failed == 0\n",
    ],
    ids=["eval-compile", "importorskip", "doctest-testfile"],
)
def test_an_example_a_test_runs_in_process_is_not_ignored(with_example: Path, test: str) -> None:
    write(
        with_example / "README.md",
        "# demo\n\n>>> import sys; sys.path.insert(0, 'examples')\n>>> import demo\n",
    )
    write(with_example / "tests" / "test_examples.py", test)
    rejected(with_example)


def test_an_example_a_test_file_links_to_is_not_ignored(with_example: Path) -> None:
    # git stores the link as a blob holding its target's path: no import in it, yet pytest runs the example.
    (with_example / "tests" / "test_demo_link.py").symlink_to("../examples/demo.py")
    rejected(with_example)


@pytest.mark.parametrize("helper", ["tests/helpers.py", "tools/helpers.py"])
def test_a_script_without_py_a_helper_starts_is_not_ignored(with_example: Path, helper: str) -> None:
    # No example: the script is no Python file to the graph, and the helper starts it, not Python.
    (with_example / "examples" / "demo.py").unlink()
    write(with_example / "pkg" / "a.py", "from pkg.c import c  # noqa: F401\n\n\ndef a():\n    return 1\n")
    script = write(with_example / "scripts" / "democheck", "#!/usr/bin/env python3\n" + EXAMPLE)
    script.chmod(0o755)
    write(
        with_example / helper,
        "import subprocess\nfrom pathlib import Path\n\nROOT = Path(__file__).resolve().parent.parent\n"
        "\n\ndef run(name):\n    return subprocess.run([str(ROOT / 'scripts' / name)]).returncode\n",
    )
    write(
        with_example / "tests" / "test_script.py",
        "import sys\n\nsys.path.insert(0, 'tools')\nfrom helpers import run  # noqa: E402\n\n\n"
        "def test_check():\n    assert run('democheck') == 0\n",
    )
    rejected(with_example)


def test_doctest_modules_in_the_environment_runs_every_module(with_example: Path) -> None:
    # pytest reads PYTEST_ADDOPTS as well as the ini: the changed module's own doctest fails.
    env = dict(os.environ, PYTEST_ADDOPTS="--doctest-modules")
    write(with_example / "pkg" / "c.py", 'def c():\n    """\n    >>> c()\n    3\n    """\n    return 3\n')
    git(with_example, "add", ".")
    git(with_example, "commit", "-qm", "state")
    assert hookwright("verify", "--only", "tests", cwd=with_example, env=env).returncode == 0
    write(with_example / "pkg" / "c.py", 'def c():\n    """\n    >>> c()\n    3\n    """\n    return 4\n')
    git(with_example, "add", ".")
    result = hookwright("verify", "--only", "tests", cwd=with_example, env=env)
    assert result.returncode == 1, result.stdout + result.stderr


@pytest.mark.parametrize(
    "reader",
    [
        pytest.param(
            "import os\n\n\ndef test_no_todo():\n"
            "    root = os.path.join(os.path.dirname(os.path.dirname(__file__)), 'pkg')\n"
            "    for folder, _, names in os.walk(root):\n"
            "        for name in names:\n"
            "            with open(os.path.join(folder, name)) as handle:\n"
            "                assert 'TO' + 'DO' not in handle.read(), name\n",
            id="walk",
        ),
        pytest.param(
            "from pathlib import Path\n\n\ndef test_no_todo():\n"
            "    source = Path(__file__).resolve().parent.parent / 'pkg' / 'b.py'\n"
            "    assert 'TO' + 'DO' not in source.read_text()\n",
            id="path-from-file",
        ),
    ],
)
def test_a_module_a_test_reads_as_data_but_does_not_import_reaches_that_test(
    with_example: Path, reader: str
) -> None:
    # test_docs imports nothing of pkg: only reading its files shows that a change to pkg/b.py reaches it.
    write(with_example / "tests" / "test_docs.py", reader)
    commit_and_verify(with_example)
    step = change(with_example, "pkg/b.py", "# TO" + "DO: later\ndef b():\n    return 2\n")
    assert step["exit"] == 1 and step["status"] == "failed", json.dumps(step)
