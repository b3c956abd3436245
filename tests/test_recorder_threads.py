"""Per-test records and threads no tracer of the recorder sees (t32).

With ``checks.tests.record_lines``, a test is left out when its record misses what changed. A
thread started by C code (an extension's worker; here ``PyThread_start_new_thread`` through ctypes)
runs no ``threading`` bootstrap and no wrapper of ``_thread``: the tree code it ran for a test was in
no record, and a change to it passed with that test left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import git, hookwright, write

SERVICE = """import ctypes
import queue

from pkg import worker

REQUESTS = queue.Queue()
RESULTS = queue.Queue()
_STARTED = []


def _serve(_):
    while True:
        RESULTS.put(worker.handle(REQUESTS.get()))


def call(x):
    if not _STARTED:  # a server thread started by C code, as an extension module's would be
        _STARTED.append(ctypes.CFUNCTYPE(None, ctypes.c_void_p)(_serve))
        start = ctypes.pythonapi.PyThread_start_new_thread
        start.restype, start.argtypes = ctypes.c_ulong, [ctypes.c_void_p, ctypes.c_void_p]
        start(ctypes.cast(_STARTED[0], ctypes.c_void_p), None)
    REQUESTS.put(x)
    return RESULTS.get(timeout=30)
"""


def last_reason(repo: Path) -> str:
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"), key=os.path.getmtime)
    steps = json.loads(records[-1].read_text())["steps"]
    return str(steps[0].get("reason"))


def test_a_change_reached_only_through_a_thread_started_by_c_code_runs_its_test(in_git_dir: Path) -> None:
    repo = in_git_dir
    write(repo / "pkg" / "__init__.py", "")
    write(repo / "pkg" / "worker.py", "def handle(x):\n    return x * 2\n")
    write(repo / "pkg" / "service.py", SERVICE)
    write(
        repo / "tests" / "test_service.py",
        "from pkg import service\n\n\ndef test_call():\n    assert service.call(2) == 4\n",
    )
    write(repo / "tests" / "test_other.py", "def test_other():\n    assert True\n")
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    _a_change_to_the_worker_fails(repo)


BACKGROUND = """import threading

from pkg import service


def _serve():
    while True:
        service.RESULTS.put(service.worker.handle(service.REQUESTS.get()))


threading.Thread(target=_serve, daemon=True).start()
"""
QUEUES = """import queue

from pkg import worker

REQUESTS = queue.Queue()
RESULTS = queue.Queue()


def call(x):
    REQUESTS.put(x)
    return RESULTS.get(timeout=30)
"""


def test_a_thread_a_plugin_starts_before_the_recorder_is_imported_leaves_no_record(in_git_dir: Path) -> None:
    """``-p pkg.bgplugin`` in the ini's addopts is imported before hookwright's plugin: the thread it
    starts then is traced by nothing (two tests were left out: "their records miss the change")."""
    repo = in_git_dir
    write(repo / "pkg" / "__init__.py", "")
    write(repo / "pkg" / "worker.py", "def handle(x):\n    return x * 2\n")
    write(repo / "pkg" / "service.py", QUEUES)
    write(repo / "pkg" / "bgplugin.py", BACKGROUND)
    write(
        repo / "tests" / "test_service.py",
        "from pkg import service\n\n\ndef test_call():\n    assert service.call(2) == 4\n",
    )
    write(
        repo / "pyproject.toml",
        "[tool.pytest.ini_options]\ntestpaths = ['tests']\naddopts = '-p pkg.bgplugin'\n",
    )
    _a_change_to_the_worker_fails(repo)


def _a_change_to_the_worker_fails(repo: Path) -> None:
    """Record with the tests passing, then break the worker: the verdict must be a failure."""
    write(repo / ".hookwright.yaml", "checks:\n  tests:\n    record_lines: true\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    assert hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode == 0
    write(repo / "pkg" / "worker.py", "def handle(x):\n    return x * 3\n")
    git(repo, "add", ".")
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"left out ({last_reason(repo)}): {result.stdout}"
