"""A pytest process started before hookwright knows what it will run, told once it does.

Starting pytest (the interpreter, then pytest's own imports) costs about as much as a small
project's whole suite. hookwright plans a run (which tests, the private export) in the meantime:
the process imports pytest, waits for one line on its standard input, and then runs exactly as
``python -m pytest ARGS`` would. An empty line (or a closed pipe) ends it without running anything.

Only what pytest reads later may differ from the start: the argument list and the
``HOOKWRIGHT_PYTEST_*`` variables. Anything else (another interpreter, another working directory,
any other variable) and the started process is dismissed and a plain run takes its place.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

from hookwright import parallel

# Runs on the project's interpreter (Python 3.8 syntax, standard library only). pytest is imported
# with the tree's own folders off the path: the tree is still being exported while this runs.
# The line is read on a thread of its own: a dismissed process ends at once, not after its imports
# (os._exit: nothing of the run has started, there is nothing to clean up).
_LAUNCHER = """\
import os, sys
cwd = os.getcwd()
saved = list(sys.path)
sys.path[:] = [p for p in sys.path if p and not os.path.realpath(p).startswith(cwd)]
import json, threading
told = []
def listen():
    line = sys.stdin.readline()
    if not line.strip():
        os._exit(0)
    told.append(line)
listener = threading.Thread(target=listen, daemon=True)
listener.start()
try:
    import pytest, _pytest.python, _pytest.fixtures, _pytest.runner, _pytest.main, _pytest.terminal
    import _pytest.junitxml, _pytest.capture, _pytest.assertion.rewrite, _pytest.skipping
except Exception:
    pass
sys.path[:] = saved
listener.join()
# Told only once the tree is in place: what the path finders saw before (a missing src/, kept as
# "nothing here" for the process's lifetime) is forgotten, as a plain run never saw it.
sys.path_importer_cache.clear()
plan = json.loads(told[0])
os.environ.update(plan["env"])
sys.argv = ["pytest", *plan["args"]]
sys.path[0] = cwd  # as `python -m` sets it
import runpy
runpy.run_module("pytest", run_name="__main__", alter_sys=True)
"""
_LATE = "HOOKWRIGHT_PYTEST_"
# Modules the launcher imports before the tree is in place: a tree that has its own copy of one of
# them (pytest's own repository) gets a plain run, which imports the tree's.
_PRE_IMPORTED = frozenset(
    {"pytest", "_pytest", "pluggy", "iniconfig", "packaging", "exceptiongroup", "tomli", "pygments"}
)
# The launcher and pytest import dozens of standard modules too: a tree's own ``json.py`` or
# ``inspect/__init__.py`` at its root would take their place in a plain run. A folder without
# ``__init__.py`` (``site/``, ``types/``) never shadows them, and nothing at start-up imports ``test``.
_STANDARD = frozenset(sys.stdlib_module_names) - {"test"}


def shadows_pytest(paths: Sequence[str]) -> bool:
    """The tree has a top-level (or ``src/``) module named like one pytest imports at start-up."""
    for path in paths:
        parts = path.split("/", 2)
        inner = parts[1:] if parts[0] == "src" and len(parts) > 1 else parts
        top = inner[0].removesuffix(".py")
        if top in _PRE_IMPORTED:
            return True
        module = inner[0].endswith(".py") and len(inner) == 1
        package = len(inner) > 1 and inner[1] == "__init__.py"
        if top in _STANDARD and (module or package):
            return True
    return False


class Prestart:
    """One pytest process, started now in ``cwd``; ``take`` hands it a run, ``close`` ends it unused."""

    def __init__(self, python: str, cwd: str, env: Mapping[str, str], timeout: float) -> None:
        self.python, self.cwd = python, cwd
        self._env = {k: v for k, v in env.items() if not k.startswith(_LATE)}
        self._plan = b""
        self._told = threading.Event()
        self._done: parallel.Completed | None = None
        self._thread = threading.Thread(
            target=self._run, args=(dict(env), timeout), daemon=True, name="pytest-prestart"
        )
        self._thread.start()

    def _run(self, env: dict[str, str], timeout: float) -> None:
        self._done = parallel.run(
            [self.python, "-c", _LAUNCHER], cwd=self.cwd, env=env, timeout=timeout, input=self._wait
        )

    def _wait(self) -> bytes:
        self._told.wait()
        return self._plan

    def take(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str]) -> parallel.Completed | None:
        """The finished run of ``argv``, or None when the started process cannot be it."""
        same_env = {k: v for k, v in env.items() if not k.startswith(_LATE)} == self._env
        if self._told.is_set() or list(argv[:3]) != [self.python, "-m", "pytest"]:
            return None
        if cwd != self.cwd or not same_env:
            self.dismiss()
            return None
        late = {k: v for k, v in env.items() if k.startswith(_LATE)}
        self._plan = (json.dumps({"args": list(argv[3:]), "env": late}) + "\n").encode()
        started = time.monotonic()
        self._told.set()
        self._thread.join()
        if self._done is None:  # pragma: no cover - the thread died before it could start the process
            return None
        # The time the run took from the moment it was told, as a plain run's would be counted.
        return replace(self._done, argv=tuple(argv), duration=time.monotonic() - started)

    def dismiss(self) -> None:
        """End the waiting process without running anything; nothing happens when it was told."""
        self._told.set()

    def close(self) -> None:
        """Dismiss it if it was never told; a dismissed process ends on its own once its imports
        are done, and nothing waits for that."""
        self.dismiss()
