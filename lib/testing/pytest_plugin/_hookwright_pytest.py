"""A pytest plugin hookwright loads into a project's own pytest (``-p _hookwright_pytest``).

It never chooses what pytest collects, it only subtracts: the test files named in
``HOOKWRIGHT_PYTEST_SKIP`` are not collected (with ``HOOKWRIGHT_PYTEST_KEEP``, only the files
named there are), and with ``HOOKWRIGHT_PYTEST_ONLY`` every test but
the node ids listed there is deselected. Files pytest collects that hookwright does not know as
tests (custom ``python_files``, doctest files, plugins' collectors) are collected as always.
Every failed node id (test or collection) is appended to ``HOOKWRIGHT_PYTEST_OUTCOMES``, and so is
every test file that leaves the process's environment or working directory other than it found them
(a later test may read that state: leaving files out, or splitting them, is then not a plain run).

With ``HOOKWRIGHT_PYTEST_DESELECT``, the node ids listed there are deselected (their records show
they ran nothing that changed); every other test runs, new ones too.

With ``HOOKWRIGHT_PYTEST_LINES`` (a folder) it records which functions of the tree each test
entered (``_hookwright_calls``): code run at import or collection time, in fixtures wider than a
function, in teardown and while a module is first imported is recorded apart as shared (it may
serve any test), and so is what other threads run. Only passing tests' records are kept. Nothing
is recorded when another tracer (pytest-cov, a debugger) or a profiler is already active.

It runs on the project's interpreter, which may not have hookwright installed: standard library
and pytest only, Python 3.8 syntax.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading

import pytest
from _hookwright_hide import hide_work_trees  # type: ignore[import-not-found]  # beside this file

_ROOT = os.environ.get("HOOKWRIGHT_PYTEST_ROOT", "")

# Child processes do it at their start (``child_start``), and so does this process unless it was
# started before it knew the run (``pytest_prestart``): nothing is imported from the work trees.
hide_work_trees()


def _read_list(variable: str) -> set[str] | None:
    """The JSON list of paths or node ids the variable names (a path may hold a newline)."""
    name = os.environ.get(variable)
    if not name:
        return None
    with open(name, encoding="utf-8") as handle:
        return set(json.load(handle))


_SKIP = _read_list("HOOKWRIGHT_PYTEST_SKIP") or set()
_KEEP = _read_list("HOOKWRIGHT_PYTEST_KEEP")  # a shard after the first: only these files
_ONLY = _read_list("HOOKWRIGHT_PYTEST_ONLY")
_DESELECT = _read_list("HOOKWRIGHT_PYTEST_DESELECT") or set()  # node ids whose records miss the change
_ROOT_REAL = os.path.realpath(_ROOT) if _ROOT else ""
_SHARED = ""  # the recorder's context for code no single test owns


# Set when the records of the state compared with already hold what import and collection run here
# (``pytest_check``): the tracer then starts once collection is done, where most of its cost is.
_FROM_TESTS = bool(os.environ.get("HOOKWRIGHT_PYTEST_LINES_FROM_TESTS"))


def _start_recording():  # type: ignore[no-untyped-def]
    folder = os.environ.get("HOOKWRIGHT_PYTEST_LINES")
    if not folder or not _ROOT_REAL or sys.gettrace() is not None or sys.getprofile() is not None:
        return None  # another tracer (pytest-cov, a debugger) or profiler is active: nothing is recorded
    from _hookwright_calls import Recorder  # type: ignore[import-not-found]  # beside this file

    recorder = Recorder()
    recorder.trace_threads()  # (before any conftest or test module can start one)
    if not _FROM_TESTS:
        recorder.start(_ROOT_REAL)
    return recorder


_RECORDER = _start_recording()
_RAN: set[str] = set()  # node ids that ran
_FAILED: set[str] = set()
_COLLECTED: dict[str, list[str]] = {}  # test file -> its node ids, as collected


def _relative(path: str) -> str:
    if not os.path.isabs(path) and not os.path.exists(path):
        return ""  # code compiled from text ("<template>", "<string>"): no file of the tree
    real = os.path.realpath(path)
    if not _ROOT_REAL or not real.startswith(_ROOT_REAL + os.sep):
        return ""
    return real[len(_ROOT_REAL) + 1 :].replace(os.sep, "/")


def _ignored(path: str) -> bool | None:
    # None, never False: False would overrule --ignore, collect_ignore and the other plugins.
    relative = _relative(path)
    if relative in _SKIP:
        return True
    if _KEEP is not None and relative not in _KEEP and not os.path.isdir(path):
        # The first shard collects every file no shard was given by name (files hookwright does
        # not know as tests): the others collect only their own.
        return True if os.path.basename(path) not in ("conftest.py", "__init__.py") else None
    return None


# tryfirst: a conftest's own pytest_ignore_collect that answers False (boltons' does) would
# otherwise end the call before this one is asked.
if int(pytest.__version__.split(".")[0]) >= 7:

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(collection_path, config):  # type: ignore[no-untyped-def]
        return _ignored(str(collection_path))

else:  # pragma: no cover - pytest 6 names the argument `path`

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(path, config):  # type: ignore[no-untyped-def]
        return _ignored(str(path))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):  # type: ignore[no-untyped-def]
    if _RECORDER is not None and _FROM_TESTS:
        if sys.gettrace() is not None or sys.getprofile() is not None:
            # A tracer or profiler started while collecting: nothing is kept.
            _RECORDER.broken.add(_SHARED)
        _RECORDER.start(_ROOT_REAL)


def pytest_collection_modifyitems(session, config, items):  # type: ignore[no-untyped-def]
    if _RECORDER is not None:
        for item in items:
            _COLLECTED.setdefault(item.nodeid.split("::", 1)[0], []).append(item.nodeid)
    if _ONLY is None and not _DESELECT:
        return
    kept = [i for i in items if (_ONLY is None or i.nodeid in _ONLY) and i.nodeid not in _DESELECT]
    dropped = [i for i in items if i not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _record(entry: dict) -> None:
    name = os.environ.get("HOOKWRIGHT_PYTEST_OUTCOMES")
    if name:
        # Appended line by line: pytest-xdist workers and their controller may all write here.
        with open(name, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


# pytest's own marker of the running test: set and removed by pytest around every phase.
_PYTEST_OWN = frozenset({"PYTEST_CURRENT_TEST"})
_WATCHED: list = ["", None]  # the test file running now, and the process state it started with
_MANAGED: set = set()  # variables (and "cwd") a session or package fixture sets: its to restore


def _process_state():  # type: ignore[no-untyped-def]
    try:
        cwd = os.getcwd()
    except OSError:  # a test removed the folder it ran in
        cwd = ""
    return dict(os.environ), cwd


def _differences(before, after):  # type: ignore[no-untyped-def]
    env_before, cwd_before = before
    env_after, cwd_after = after
    changed = {k for k in env_before.keys() | env_after.keys() if env_before.get(k) != env_after.get(k)}
    return changed | ({"cwd"} if cwd_before != cwd_after else set())


def _check_left_state(file, before):  # type: ignore[no-untyped-def]
    left = sorted(_differences(before, _process_state()) - _PYTEST_OWN - _MANAGED)
    if left:
        _record({"left_state": file, "what": left[:5]})


def pytest_runtest_logreport(report):  # type: ignore[no-untyped-def]
    if report.failed:
        _FAILED.add(report.nodeid)
        _record({"failed": report.nodeid, "when": report.when})


def pytest_collectreport(report):  # type: ignore[no-untyped-def]
    if report.failed:
        _record({"failed": report.nodeid, "when": "collect"})


def pytest_keyboard_interrupt(excinfo):  # type: ignore[no-untyped-def]
    # KeyboardInterrupt or pytest.exit(): the session ended before its last test whatever its exit
    # code (pytest.exit("...", returncode=0) in a test exits 0 with a JUnit report of what ran).
    _record({"interrupted": f"{excinfo.typename}: {str(excinfo.value)[:200]}"})


_CURRENT = [_SHARED]  # the context lines are recorded in now


def _switch(context: str) -> str:
    """Record into ``context`` from now on; the context it replaces."""
    before = _CURRENT[0]
    # Another thread's calls are recorded as shared whatever runs (an import a thread makes).
    if _RECORDER is not None and context != before and threading.get_ident() == _RECORDER.thread:
        _RECORDER.switch(context)
        _CURRENT[0] = context
    return before


def _imports_nothing(name, globals_, fromlist, level):  # type: ignore[no-untyped-def]
    """True when an import statement finds everything it names already imported (runs no code)."""
    if level:
        package = (globals_ or {}).get("__package__") or ""
        parts = package.split(".") if package else []
        if level - 1 > len(parts):
            return False
        base = ".".join(parts[: len(parts) - (level - 1)])
        name = f"{base}.{name}" if name and base else (name or base)
    module = sys.modules.get(name)
    if module is None:
        return False
    return all(item != "*" and hasattr(module, item) for item in fromlist or ())


def _shared_imports():  # type: ignore[no-untyped-def]
    """``import`` records what a module runs while it is first imported as shared.

    A test that imports a module first runs its import-time code, which every later test may rely
    on (a table it built, a registry it filled): recorded as the test's own, a change there would
    reach only that test.
    """
    import builtins

    original = builtins.__import__

    def recorded_import(name, globals=None, locals=None, fromlist=(), level=0):  # type: ignore[no-untyped-def]
        if _CURRENT[0] == _SHARED or _imports_nothing(name, globals, fromlist, level):
            return original(name, globals, locals, fromlist, level)
        before = _switch(_SHARED)
        try:
            return original(name, globals, locals, fromlist, level)
        finally:
            _switch(before)

    builtins.__import__ = recorded_import


if _RECORDER is not None:
    _shared_imports()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):  # type: ignore[no-untyped-def]
    path = getattr(item, "path", None)
    relative = _relative(str(path)) if path is not None else ""
    if relative and _RECORDER is not None:
        _RAN.add(item.nodeid)
    _switch(item.nodeid if relative else _SHARED)
    file = item.nodeid.split("::", 1)[0]
    if _WATCHED[0] != file:
        _WATCHED[:] = [file, _process_state()]
    yield
    _switch(_SHARED)
    if nextitem is None or nextitem.nodeid.split("::", 1)[0] != file:
        _check_left_state(file, _WATCHED[1])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):  # type: ignore[no-untyped-def]
    # Teardown also finishes fixtures wider than a function, whichever test happens to be last:
    # what it runs is shared.
    before = _switch(_SHARED)
    yield
    _switch(before)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):  # type: ignore[no-untyped-def]
    # A fixture wider than a function is set up once for the tests of many files: what it runs
    # is shared, whichever test happened to ask first.
    before = _switch(_SHARED) if fixturedef.scope != "function" else None
    # What a session or package fixture sets, its own teardown restores, at another file's end.
    wide = fixturedef.scope in ("session", "package")
    state = _process_state() if wide else None
    yield
    if before is not None:
        _switch(before)
    if state is not None:
        _MANAGED.update(_differences(state, _process_state()))


def pytest_sessionfinish(session):  # type: ignore[no-untyped-def]
    _switch(_SHARED)  # what runs from here on (hooks, cleanups, exit handlers) serves no single test


def _write_records() -> None:
    """At the interpreter's exit, after every hook: ``pytest_sessionfinish`` (a conftest's may
    run after this plugin's), ``pytest_unconfigure``, cleanups and the exit handlers registered
    after this one can still run a changed body that fails the run; the tracer sees them as shared.
    """
    if _RECORDER is None:
        return
    _switch(_SHARED)
    _RECORDER.stop()
    units, contexts, unsure = _RECORDER.units(_relative)
    # A process started outside every test (a session fixture, a plugin) may serve any test.
    passed = sorted(_RAN - _FAILED - unsure) if _SHARED not in unsure else []
    record = {"ran": sorted(_RAN), "passed": passed, "collected": _COLLECTED}
    record.update(units=units, contexts={c: u for c, u in contexts.items() if u})
    folder = os.environ["HOOKWRIGHT_PYTEST_LINES"]
    with open(os.path.join(folder, f"lines-{os.getpid()}.json"), "w", encoding="utf-8") as handle:
        json.dump(record, handle)


if _RECORDER is not None:
    # Registered before any conftest is imported: exit handlers run last first, so this one ends
    # the interpreter's Python code (a killed run writes nothing: its tests lose their records).
    atexit.register(_write_records)
