"""What the per-test recorder (``_hookwright_calls``) must see, checked on its own records.

One real pytest run of a small project with hookwright's plugin recording: each test enters one
function of the tree by one way a call-level recorder could miss (resumed generators, coroutines,
calls from C, ``__del__``, weakref callbacks, a thread's import), and its record must hold that
function. Then, through ``hookwright verify``, two functions that Python's code equality takes for
one (it ignores the file) must stay two: a record that kept one let a change to the other through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, write
from test_selection import make, verify_tests

from hookwright.testing.run_env import PLUGIN_DIR

# Each function is entered by one test only, and only the way its name says.
ROUTES = (
    "import gc\nimport weakref\n\n\n"
    "def resumed():\n    yield 1\n    yield 2\n\n\n"
    "async def awaited():\n    return 3\n\n\n"
    "def mapped(x):\n    return x\n\n\n"
    "def key(x):\n    return -x\n\n\n"
    "class Dropped:\n    def __del__(self):\n        pass\n\n\n"
    "class Target:\n    pass\n\n\n"
    "def on_drop(ref):\n    pass\n\n\n"
    "def drop_with_callback():\n    target = Target()\n    ref = weakref.ref(target, on_drop)\n"
    "    del target\n    gc.collect()\n    return ref\n"
)
TESTS = (
    "import asyncio\nimport cProfile\nimport threading\n\nfrom pkg import routes\n\n\n"
    "def test_generator():\n    gen = routes.resumed()\n    assert next(gen) == 1\n"
    "    assert next(gen) == 2\n\n\n"
    "def test_coroutine():\n    assert asyncio.run(routes.awaited()) == 3\n\n\n"
    "def test_map():\n    assert list(map(routes.mapped, [1])) == [1]\n\n\n"
    "def test_sorted_key():\n    assert sorted([1, 2], key=routes.key) == [2, 1]\n\n\n"
    "def test_del():\n    routes.Dropped()\n\n\n"
    "def test_weakref_callback():\n    routes.drop_with_callback()\n\n\n"
    "def test_own_profiler():\n    profiler = cProfile.Profile()\n    profiler.enable()\n"
    "    routes.key(1)\n    profiler.disable()\n\n\n"
    "def test_thread_import():\n"
    "    done = threading.Thread(target=lambda: __import__('pkg.late'))\n"
    "    done.start()\n    done.join()\n    assert routes.mapped(1) == 1\n"
)
# Imported for the first time in a thread while a test runs: the thread's calls stay shared, and
# the test running then is not the thread's (its record still holds its own calls).
LATE = "def late_helper():\n    return 1\n\n\nVALUE = late_helper()\n"


def bodies(record: dict, context: str) -> set[tuple[str, int]]:
    """(path, first line) of each function the context entered."""
    units = record["units"]
    return {(units[i][0], units[i][1]) for i in record["contexts"].get(context, [])}


def recorded(root: Path, files: dict[str, str], from_tests: bool = False) -> dict:
    """Write FILES under ROOT, run its pytest with the recorder as ``pytest_check`` starts it, return the record."""
    for name, text in files.items():
        write(root / name, text)
    lines = root / "lines"
    lines.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PLUGIN_DIR), str(root)]),
        "HOOKWRIGHT_PYTEST_LINES": str(lines),
        "HOOKWRIGHT_PYTEST_ROOT": str(root),
    }
    if from_tests:
        env["HOOKWRIGHT_PYTEST_LINES_FROM_TESTS"] = "1"
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "_hookwright_pytest",
        "tests",
    ]
    done = subprocess.run(argv, cwd=root, env=env, capture_output=True, check=False, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    [written] = lines.glob("lines-*.json")
    return json.loads(written.read_text())


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("routes").resolve()
    files = {
        "pkg/__init__.py": "",
        "pkg/routes.py": ROUTES,
        "pkg/late.py": LATE,
        "tests/test_routes.py": TESTS,
    }
    return recorded(root, files)


@pytest.mark.parametrize(
    ("test", "line"),
    [
        ("test_generator", 5),  # resumed(): entered again at each next()
        ("test_coroutine", 10),
        ("test_map", 14),
        ("test_sorted_key", 18),
        ("test_del", 23),  # Dropped.__del__
        ("test_weakref_callback", 31),  # on_drop, called by the weakref machinery
    ],
)
def test_a_function_entered_from_c_or_resumed_is_recorded(record: dict, test: str, line: int) -> None:
    node = f"tests/test_routes.py::{test}"
    assert node in record["passed"], record["passed"]
    assert ("pkg/routes.py", line) in bodies(record, node), bodies(record, node)


def test_a_test_that_profiles_itself_has_no_record(record: dict) -> None:
    # Set from C, where no wrapper of sys.setprofile sees it: the audit event does.
    assert "tests/test_routes.py::test_own_profiler" not in record["passed"]
    assert "tests/test_routes.py::test_sorted_key" in record["passed"]


def test_a_module_a_thread_imports_during_a_test_runs_shared(record: dict) -> None:
    node = "tests/test_routes.py::test_thread_import"
    assert ("pkg/late.py", 1) in bodies(record, ""), "late_helper ran in a thread: shared"
    assert ("pkg/late.py", 1) not in bodies(record, node)
    # The test's own calls after the thread's import are still its own.
    assert ("pkg/routes.py", 14) in bodies(record, node), bodies(record, node)


HELPER = "def helper():\n    return 1\n"  # the same code object, whatever file holds it
THREAD = (
    "import threading\n\nRESULT = []\n\n\ndef compute():\n    return {value}\n\n\n"
    "def work():\n    import pkg.late  # noqa: F401  (imported first here, in the thread)\n\n"
    "    RESULT.append(compute())\n\n\n"
    "def start():\n    worker = threading.Thread(target=work)\n    worker.start()\n    worker.join()\n"
)
CASES = [
    pytest.param(
        {
            "pkg/a.py": HELPER,
            "pkg/b.py": HELPER,
            "tests/test_a.py": "from pkg.a import helper\n\n\ndef test_a():\n    assert helper() == 1\n",
            "tests/test_b.py": "from pkg.b import helper\n\n\ndef test_b():\n    assert helper() == 1\n",
        },
        {"pkg/b.py": "def helper():\n    return 2\n"},
        id="equal-functions-of-two-files-two-tests",
    ),
    pytest.param(
        {
            "pkg/a.py": HELPER,
            "pkg/b.py": HELPER,
            "tests/test_both.py": "from pkg import a, b\n\n\n"
            "def test_both():\n    assert a.helper() == 1\n    assert b.helper() == 1\n",
        },
        {"pkg/b.py": "def helper():\n    return 2\n"},
        id="equal-functions-of-two-files-one-test",
    ),
    pytest.param(
        {
            # A profile function of the tree: CPython runs it with tracing off, no tracer sees it.
            "pkg/a.py": "SEEN = []\n\n\ndef hook(frame, event, arg):\n    SEEN.append(event)\n",
            "tests/test_hook.py": "import sys\n\nfrom pkg.a import SEEN, hook\n\n\ndef test_hook():\n"
            "    sys.setprofile(hook)\n    len([])\n    sys.setprofile(None)\n    assert 'c_call' in SEEN\n",
            "tests/test_other.py": "def test_other():\n    assert True\n",
        },
        {"pkg/a.py": "SEEN = []\n\n\ndef hook(frame, event, arg):\n    SEEN.append(event.upper())\n"},
        id="a-profile-function-of-the-tree",
    ),
    pytest.param(
        {
            # The thread's import switched it to the main thread's recording: what it ran after
            # the import went to the test running then (and lost its record), not to shared.
            "pkg/a.py": THREAD.format(value=1),
            "pkg/late.py": "VALUE = 1\n",
            "tests/test_1_start.py": "from pkg.a import start\n\n\ndef test_start():\n    start()\n",
            "tests/test_2_value.py": "from pkg.a import RESULT\n\n\ndef test_value():\n"
            "    assert RESULT == [1]\n",
        },
        {"pkg/a.py": THREAD.format(value=2)},
        id="a-thread-that-imports-while-a-test-runs",
    ),
]


@pytest.mark.parametrize(("files", "change"), CASES)
def test_a_change_the_whole_suite_fails_fails(
    committed_repo: Path, files: dict[str, str | None], change: dict[str, str | None]
) -> None:
    recording = {".hookwright.yaml": "checks:\n  tests:\n    record_lines: true\n", "pkg/mod.py": None}
    make(committed_repo, {**recording, **files})
    first = verify_tests(committed_repo)
    assert first["status"] == "passed" and first["exit"] == 0, first
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, change)
    step = verify_tests(committed_repo)
    assert step["status"] == "failed" and step["exit"] == 1, step
