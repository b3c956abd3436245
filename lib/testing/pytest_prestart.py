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
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence

from hookwright import parallel
from hookwright.frozen import replace

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
if "cwd" in plan:  # started outside the tree, before it was exported: now in it, as a plain run
    os.chdir(plan["cwd"])
    cwd = os.getcwd()
sys.argv = ["pytest", *plan["args"]]
# The tree's PYTHONPATH entries, at their place among those it started with, no entry twice (as
# site leaves them); [0] as `python -m` sets it.
at, tree = plan.get("at", 0), []
for entry in plan.get("path", []):
    entry = os.path.abspath(entry)
    if entry not in tree and entry not in sys.path[1 : 1 + at]:
        tree.append(entry)
sys.path[:] = [cwd, *sys.path[1 : 1 + at], *tree, *(p for p in sys.path[1 + at :] if p not in tree)]
import runpy
try:
    runpy.run_module("pytest", run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as stop:
    code = 0 if stop.code is None else stop.code
# The run is over, its report and outcomes written. The interpreter's teardown (every test module
# and object freed one by one) took 40-150 ms more on a small suite: it is skipped, after what it
# does that anyone sees (atexit handlers, the streams flushed). A thread of the tests still going,
# an exit that is not a number, or a stream that cannot be flushed: the ordinary exit.
if not isinstance(code, int) or any(
    t is not threading.main_thread() and not t.daemon and t.is_alive() for t in threading.enumerate()
):
    raise SystemExit(code)
import atexit
atexit._run_exitfuncs()
try:
    sys.stdout.flush()
    sys.stderr.flush()
except Exception:
    raise SystemExit(code)
os._exit(code)
"""
_LATE = "HOOKWRIGHT_PYTEST_"
# How long ``close`` waits for a dismissed process: its start-up on a loaded machine, with room.
_CLOSE_WAIT = 10.0
# Modules the launcher imports before the tree is in place: a tree that has its own copy of one of
# them (pytest's own repository) gets a plain run, which imports the tree's.
# `sitecustomize` / `usercustomize`: the interpreter imports them at start, from the tree when it is on
# PYTHONPATH, which it is not (or not yet exported) when the launcher starts.
_PRE_IMPORTED = frozenset(
    {
        "pytest",
        "_pytest",
        "pluggy",
        "iniconfig",
        "packaging",
        "exceptiongroup",
        "tomli",
        "pygments",
        "sitecustomize",
        "usercustomize",
    }
)
# The launcher and pytest import dozens of standard modules too: a tree's own ``json.py`` or
# ``inspect/__init__.py`` at its root would take their place in a plain run. A folder without
# ``__init__.py`` (``site/``, ``types/``) never shadows them, and nothing at start-up imports ``test``.
_STANDARD = frozenset(sys.stdlib_module_names) - {"test"}


def absolute_entries(search_path: str) -> bool:
    """Every entry of a PYTHONPATH-style value is an absolute path (none depends on the cwd)."""
    return all(os.path.isabs(entry) for entry in search_path.split(os.pathsep))


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

    def __init__(
        self, python: str, cwd: str, env: Mapping[str, str], timeout: float, *, outside: bool = False
    ) -> None:
        """``outside``: ``cwd`` is not the tree (not exported yet); ``retarget`` says where it is."""
        self.python, self.cwd = python, cwd
        self._env = {k: v for k, v in env.items() if not k.startswith(_LATE)}
        self._outside = outside
        self._timeout = timeout
        self._moved: dict[str, object] = {}
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
        if self._moved:
            late["PYTHONPATH"] = env["PYTHONPATH"]  # what the tests' own subprocesses inherit
        plan = {"args": list(argv[3:]), "env": late, **self._moved}
        self._plan = (json.dumps(plan) + "\n").encode()
        started = time.monotonic()
        self._told.set()
        self._thread.join()
        if self._done is None:  # pragma: no cover - the thread died before it could start the process
            return None
        # The time the run took from the moment it was told, as a plain run's would be counted.
        return replace(self._done, argv=tuple(argv), duration=time.monotonic() - started)

    def retarget(self, cwd: str, env: Mapping[str, str]) -> bool:
        """Point a process started ``outside`` at the tree; False (then dismiss it) if it cannot be a
        plain run there: only PYTHONPATH may differ, by absolute entries let in among its own.

        A relative entry is resolved against the directory the interpreter starts in, and that one
        was not the tree.
        """
        if not self._outside or self._told.is_set():
            return False
        same = {k: v for k, v in env.items() if not k.startswith(_LATE) and k != "PYTHONPATH"}
        if same != {k: v for k, v in self._env.items() if k != "PYTHONPATH"}:
            return False
        started = self._env.get("PYTHONPATH", "").split(os.pathsep)
        final = env.get("PYTHONPATH", "").split(os.pathsep)
        # The started entries as site leaves them (absolute, normalised, once each) are the process's
        # sys.path[1:]; the tree's are let in at one place among them.
        if not absolute_entries(os.pathsep.join(final)) or len(set(started)) < len(started):
            return False
        if any(os.path.normpath(entry) != entry for entry in started):
            return False
        extra = len(final) - len(started)
        at = next((i for i, (a, b) in enumerate(zip(started, final, strict=False)) if a != b), len(started))
        if extra <= 0 or final[at + extra :] != started[at:]:
            return False
        self.cwd, self._outside = cwd, False
        self._env = {**same, "PYTHONPATH": env["PYTHONPATH"]}
        self._moved = {"cwd": cwd, "path": final[at : at + extra], "at": at}
        return True

    def twin(self) -> Prestart | None:
        """Another such process, started now in the tree this one was told of (another shard of the
        same run, which then ends as quickly); None while this one waits outside the tree."""
        if self._outside:
            return None
        return Prestart(self.python, self.cwd, self._env, self._timeout)

    def dismiss(self) -> None:
        """End the waiting process without running anything; nothing happens when it was told."""
        self._told.set()

    def close(self) -> None:
        """Dismiss it if it was never told, and wait (briefly) for it to end.

        A dismissed process ends as soon as its listener starts, a few milliseconds into the
        interpreter's start-up; by the end of a run that has nearly always happened. Not waiting let
        it outlive the hook, still writing bytecode under the state folder after hookwright exited
        (a user's `rm -rf .git/hookwright` right after a commit could then fail).
        """
        self.dismiss()
        self._thread.join(_CLOSE_WAIT)
