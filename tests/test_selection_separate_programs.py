"""A console script is a program of its own: a change reaching it narrows unless a test can see it.

Each hostile case is a project whose ``examples/demo.py`` is a console script (``[project.scripts]``)
and a way a test still sees it: a test starts it, a test runs it with ``runpy``, a conftest puts
``examples/`` on ``sys.path`` and imports it, it is a ``pytest11`` plugin too, a test reads it as
text, a ``-p`` plugin in ``addopts`` loads it. The project is verified once, then a change that only
that way can see breaks a test: ``hookwright verify --only tests`` must fail as the whole suite does.
The narrowing case is click's: an example that reads files by a run-time path and that nothing
imports no longer sends a new function to the whole suite. Real git repositories, real pytest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from test_selection import make, passes_then_fails, verify_tests

from hookwright.testing import packaging_names

# pkg/__init__.py imports every module it has, as click's does; pkg/fmt.py only the example uses.
PACKAGE = {
    "pkg/__init__.py": "from pkg import mod\n",
    "pkg/mod.py": "def add(a, b):\n    return a + b\n",
    "pkg/fmt.py": "def show(value):\n    return str(value)\n",
    "tests/test_add.py": "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    "pyproject.toml": "[project]\nname = 'demo'\nversion = '0.1'\n\n[project.scripts]\ndemo = 'demo:main'\n",
}
DEMO = (
    "from pkg.fmt import show\n\n\ndef main():\n    print(show(3))\n\n\n"
    "if __name__ == '__main__':\n    main()\n"
)
BROKEN_FMT = {"pkg/fmt.py": "def show(value):\n    return str(value) + '!'\n"}
# Appended after every old statement, called by nothing: fresh_names judges it fresh.
FRESH_DEMO = {"examples/demo.py": DEMO + "\n\ndef later():\n    return 1\n"}
SUBPROCESS = (
    "import os\nimport subprocess\nimport sys\n\n\ndef test_demo():\n"
    "    env = {**os.environ, 'PYTHONPATH': os.getcwd()}\n"
    "    done = subprocess.run([sys.executable, 'examples/demo.py'], capture_output=True, text=True, env=env)\n"
    "    assert done.stdout == '3\\n', done.stderr\n"
)
RUNPY = (
    "import runpy\n\n\ndef test_demo(capsys):\n    runpy.run_path('examples/demo.py', run_name='__main__')\n"
    "    assert capsys.readouterr().out == '3\\n'\n"
)
SYS_PATH_CONFTEST = (
    "import sys\n\nimport pytest\n\nsys.path.insert(0, 'examples')\nimport demo  # noqa: E402\n\n\n"
    "@pytest.fixture\ndef shown():\n    return demo.show(3)\n"
)
USES_SHOWN = "def test_shown(shown):\n    assert shown == '3'\n"
PLUGIN_DEMO = (
    DEMO + "\n\nimport pytest  # noqa: E402\n\n\n@pytest.fixture\ndef shown():\n    return show(3)\n"
)
READS_TEXT = (
    "def test_demo_defines_one_entry():\n    assert open('examples/demo.py').read().count('def ') == 1\n"
)


def case(files: dict[str, str], change: dict[str, str], name: str) -> object:
    return pytest.param({**PACKAGE, "examples/demo.py": DEMO, **files}, change, id=name)


HOSTILE = [
    case({"tests/test_demo.py": SUBPROCESS}, BROKEN_FMT, "a-test-starts-the-script"),
    case({"tests/test_demo.py": RUNPY}, BROKEN_FMT, "a-test-runs-it-with-runpy"),
    case(
        {"conftest.py": SYS_PATH_CONFTEST, "tests/test_shown.py": USES_SHOWN},
        BROKEN_FMT,
        "a-conftest-imports-it",
    ),
    case(
        {
            "pyproject.toml": PACKAGE["pyproject.toml"]
            + "\n[project.entry-points.pytest11]\ndemo = 'examples.demo'\n",
            "demo-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: demo\nVersion: 0.1\n",
            "demo-0.1.dist-info/entry_points.txt": "[pytest11]\ndemo = examples.demo\n",
            "examples/demo.py": PLUGIN_DEMO,
            "tests/test_shown.py": USES_SHOWN,
        },
        BROKEN_FMT,
        "it-is-a-pytest11-plugin-too",
    ),
    case({"tests/test_text.py": READS_TEXT}, FRESH_DEMO, "a-test-reads-it-as-text"),
    case(
        {
            "tests/test_text.py": READS_TEXT.replace("'examples/demo.py'", "'demo.py'").replace(
                "open(", "open('examples/' + "
            )
        },
        FRESH_DEMO,
        "a-test-reads-it-by-its-name",
    ),
    case(
        {
            "pyproject.toml": PACKAGE["pyproject.toml"]
            + "\n[tool.pytest.ini_options]\naddopts = '-p examples.demo'\n",
            "examples/demo.py": PLUGIN_DEMO,
            "tests/test_shown.py": USES_SHOWN,
        },
        BROKEN_FMT,
        "a-p-plugin-in-addopts-loads-it",
    ),
]


@pytest.mark.plugins_autoloaded  # (pytest11 entry points, pytest-cov: tests/conftest.py)
@pytest.mark.parametrize(("files", "change"), HOSTILE)
def test_a_change_a_test_sees_through_a_console_script_is_caught(
    committed_repo: Path, files: dict[str, str], change: dict[str, str]
) -> None:
    passes_then_fails(committed_repo, files, change)


def test_a_test_reading_an_imported_module_by_its_path_runs_when_the_module_changes(
    committed_repo: Path,
) -> None:
    """The import graph sees who imports pkg/mod.py, not who opens it: a false pass at 998c6cc."""
    reads = "def test_source():\n    assert 'a + b' in open('pkg/mod.py').read()\n"
    passes_then_fails(
        committed_repo,
        {**PACKAGE, "tests/test_source.py": reads},
        {"pkg/mod.py": "def add(a, b):\n    return b + a\n"},
    )


def test_a_fresh_function_beside_a_console_script_that_may_read_anything_narrows(
    committed_repo: Path,
) -> None:
    """click's examples/aliases/aliases.py: nothing imports it, it reads files by a run-time path."""
    reads_anything = DEMO.replace("def main():\n", "def main():\n    open(__file__.replace('.py', '.ini'))\n")
    make(
        committed_repo,
        {
            **PACKAGE,
            "examples/demo.py": reads_anything,
            "tests/test_other.py": "def test_other():\n    assert True\n",
        },
    )
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, {"pkg/mod.py": PACKAGE["pkg/mod.py"] + "\n\ndef later():\n    return 1\n"})
    step = verify_tests(committed_repo)
    assert step["exit"] == 0 and "0 of 2 test files" in step["reason"], step


def test_script_groups_are_no_plugins() -> None:
    files = {
        "pyproject.toml": b"[project.scripts]\ndemo = 'demo:main'\n[project.gui-scripts]\nui = 'ui:run'\n"
        b"[project.entry-points.pytest11]\nplug = 'pkg.plug'\n[project.entry-points.'other.group']\nx = 'pkg.x:y'\n",
        "setup.cfg": b"[options.entry_points]\nconsole_scripts =\n    tool = pkg.tool:main\n"
        b"pytest11 =\n    cfgplug = pkg.cfgplug\n",
    }
    assert packaging_names.entry_point_modules(files.get) == {"pkg.plug", "pkg.x", "pkg.cfgplug"}
    # setup.py's groups are not told apart: every entry counts, a module named alone too.
    setup_py = (
        b"setup(entry_points={'pytest11': ['p = pkg.setupplug'], 'console_scripts': ['t = pkg.t:main']})"
    )
    assert packaging_names.entry_point_modules({"setup.py": setup_py}.get) == {"pkg.setupplug", "pkg.t"}
