"""Which functions each test entered: a call-level recorder for ``_hookwright_pytest`` (issue 22).

``sys.settrace`` with a global function that returns None sees one event per Python frame started
and no line events: about 2x the suite's CPU on Python 3.11 (jinja2, tomlkit), against 2.3-2.5x
for coverage.py's C tracer with per-test contexts, and it needs nothing the project's interpreter
may lack. Each test's set of code objects becomes, per file of the tree, the lines of the
functions it entered (``MODULE_CODE``: a module or class body ran, that is import-time code).

A test whose record could be incomplete gets none, so it always runs: it replaced the tracer,
entered code that draws random numbers, or started a process (what runs there is not traced).
Threads other than the main one record into the shared context: whose test they serve is unknown.

Standard library only, Python 3.8 syntax: it runs on the project's interpreter.
"""

from __future__ import annotations

import os
import sys
import threading

MODULE_CODE = 0  # the line number that says "a module or class body ran"
_CO_OPTIMIZED = 0x1  # functions (and comprehensions); module and class bodies lack it
_STDLIB = os.path.dirname(os.__file__)
# Entering these means a different run may take another path, or code ran in another process.
_UNSURE_FILES = frozenset(
    os.path.join(_STDLIB, name) for name in ("random.py", "secrets.py", "uuid.py", "subprocess.py", "pty.py")
) | frozenset([os.path.join(_STDLIB, "multiprocessing"), os.path.join(_STDLIB, "concurrent")])
_UNSURE_PARTS = (os.sep + "hypothesis" + os.sep, os.sep + "faker" + os.sep)
# Global names that start a process or draw randomness without a Python frame (C functions).
_UNSURE_NAMES = frozenset(
    {"system", "fork", "forkpty", "posix_spawn", "posix_spawnp", "urandom", "getrandom", "popen"}
    | {"execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "execlpe", "spawnv"}
)
_RANDOM_MODULES = frozenset({"random", "secrets", "uuid", "hypothesis", "faker", "numpy.random"})


class Recorder:
    def __init__(self) -> None:
        self.contexts = {}  # type: dict[str, set]
        self.broken = set()  # type: set[str]
        self.current = self.contexts.setdefault("", set())
        self.name = ""
        self._settrace = sys.settrace
        self._tracer = self._make_tracer()

    def _make_tracer(self):  # type: ignore[no-untyped-def]
        shared = self.contexts[""]
        recorder = self

        def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
            recorder.current.add(frame.f_code)  # returns None: no line events for this frame

        def thread_tracer(frame, event, arg):  # type: ignore[no-untyped-def]
            shared.add(frame.f_code)

        self._thread_tracer = thread_tracer
        return tracer

    def start(self) -> None:
        sys.settrace(self._tracer)
        threading.settrace(self._thread_tracer)
        original = self._settrace

        def watched_settrace(function):  # type: ignore[no-untyped-def]
            # A test that swaps the tracer, even for a moment, ran code this record did not see.
            if function is not self._tracer:
                self.broken.add(self.name)
            original(function)

        sys.settrace = watched_settrace

    def switch(self, name: str) -> str:
        """Record into ``name`` ("" is shared) from now on; the name it replaces."""
        before = self.name
        if sys.gettrace() is not self._tracer:
            # Replaced from C (an in-process coverage run): the test that ran last saw too little.
            self.broken.add(before)
            self._settrace(self._tracer)
        self.name = name
        self.current = self.contexts.setdefault(name, set())
        return before

    def stop(self) -> None:
        self._settrace(None)
        sys.settrace = self._settrace
        threading.settrace(None)  # type: ignore[arg-type]

    def lines(self, relative) -> tuple[dict, set[str]]:  # type: ignore[no-untyped-def]
        """context -> path -> lines of what ran; and the contexts whose record may be incomplete."""
        unsure = set(self.broken)
        names = _random_names()
        result = {}  # type: dict[str, dict[str, set]]
        paths = {}  # type: dict[str, str]
        for context, codes in self.contexts.items():
            files = result.setdefault(context, {})
            for code in codes:
                filename = code.co_filename
                if filename not in paths:
                    paths[filename] = relative(filename)
                path = paths[filename]
                if _unsure(code, names.get(filename, ())):
                    unsure.add(context)
                if not path:
                    continue
                found = files.setdefault(path, set())
                if code.co_flags & _CO_OPTIMIZED:
                    found.update(line for _, _, line in _lines(code) if line)
                else:
                    found.add(MODULE_CODE)
        return result, unsure


def _lines(code):  # type: ignore[no-untyped-def]
    if hasattr(code, "co_lines"):
        return code.co_lines()
    import dis  # Python 3.8 and 3.9

    return ((0, 0, line) for _, line in dis.findlinestarts(code))


def _unsure(code, random_names) -> bool:  # type: ignore[no-untyped-def]
    filename = code.co_filename
    if any(filename == f or filename.startswith(f + os.sep) for f in _UNSURE_FILES):
        return True
    if any(part in filename for part in _UNSURE_PARTS):
        return True
    names = code.co_names
    return bool(_UNSURE_NAMES.intersection(names) or (random_names and set(random_names).intersection(names)))


def _random_names() -> dict[str, frozenset]:
    """file -> its global names bound to a random-number module or to what one defines."""
    found = {}
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if not filename:
            continue
        names = set()
        try:
            for name, value in list(vars(module).items()):
                if _origin(value) in _RANDOM_MODULES:
                    names.add(name)
        except Exception:  # a module object that misbehaves: its names stay unknown
            continue
        if names:
            found[filename] = frozenset(names)
    return found


def _origin(value) -> str:  # type: ignore[no-untyped-def]
    """The module a global's value comes from ("random" for ``from random import choice``)."""
    if type(value) is type(sys):
        origin = value.__name__
    else:
        owner = getattr(value, "__self__", None)  # a bound method of random's hidden Random()
        origin = type(owner).__module__ if owner is not None else getattr(value, "__module__", "")
    origin = origin if isinstance(origin, str) else ""
    return origin.split(".")[0] if origin.split(".")[0] in ("hypothesis", "faker") else origin
