"""Which functions each test entered: a call-level recorder for ``_hookwright_pytest`` (issue 22).

On the thread that runs the tests, cProfile's C profiler (``_lsprof``: one C callback per call and
return, no Python frame) collects the code objects entered, once per switch of context; on tomlkit's
suite it costs 10.8 s CPU where a ``sys.settrace`` function that returns None cost 17.7 s (plain
3.7 s; issue 22, branch p22n, ``benchmarks/selection/README.md``). Other threads are traced by
such a function (``threading.settrace``, and a wrapper of ``_thread.start_new_thread``), into
the shared context, from the plugin's import on (a worker a test module starts serves the tests).
Each test's set of code objects becomes, per file of the tree, the lines of the functions it
entered (``MODULE_CODE``: a module or class body ran, that is import-time code).

An audit hook (``sys.addaudithook``) sees what no call shows: a source file of the tree opened as
data (``READ_AS_DATA``: any change to it may matter, the text may be run by ``exec``), a process
started, and a tracer or profiler set from Python or from C (``sys.settrace``/``sys.setprofile``
events: a test's own cProfile, an in-process coverage run; CPython runs their callbacks with tracing
off, so code they run is unseen). A test whose record could be incomplete gets none, so it always
runs: it set a tracer or profiler, entered code that draws random numbers, or started a process
(what runs there is not traced). A process started outside any test (a session fixture, a module
at collection, a thread; multiprocessing's spawn included) leaves no test a record. Threads other
than the tests' record into the shared context (an import they make too): whose test they serve is
unknown. A thread no tracer of ours sees (started by C code, or before the plugin was imported)
leaves no test a record.

Standard library only, Python 3.8 syntax: it runs on the project's interpreter.
"""

from __future__ import annotations

import os
import sys
import threading
from _lsprof import Profiler as _CallProfiler  # cProfile's C half: a profile hook with no Python frame

MODULE_CODE = 0  # the line number that says "a module or class body ran"
READ_AS_DATA = -1  # ... and "the file was opened and read", outside the import system
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty"}
)
_SWAP_EVENTS = frozenset({"sys.settrace", "sys.setprofile"})  # raised from C too (PyEval_SetTrace)
_IMPORT_SYSTEM = ("importlib._bootstrap", "importlib/_bootstrap")  # frozen, or from source
_LOADING = frozenset({"get_code", "source_to_code"})  # its frames that read a module to run it
_CODE = type((lambda: None).__code__)  # types.CodeType, without importing types
_CO_OPTIMIZED = 0x1  # functions (and comprehensions); module and class bodies lack it
_STDLIB = os.path.dirname(os.__file__)
# Entering these means a different run may take another path, or code ran in another process.
_POOL = "concurrent/futures/process.py"  # (a pool of threads records shared, see above)
_UNSURE_FILES = frozenset(
    os.path.join(_STDLIB, *name.split("/"))
    for name in ("random.py", "secrets.py", "uuid.py", "subprocess.py", "pty.py", "multiprocessing", _POOL)
)
_UNSURE_PARTS = (os.sep + "hypothesis" + os.sep, os.sep + "faker" + os.sep)
# multiprocessing's spawn and forkserver start a process with no audit event the hook knows
# (``_posixsubprocess.fork_exec`` raises none): ``BaseProcess.start`` is their one way in. A process
# started so while no test runs (at collection, in a thread, a wide fixture) serves tests unseen.
_PROCESS_START = (os.path.join(_STDLIB, "multiprocessing", "process.py"), "start")
_RANDOM_MODULES = frozenset({"random", "secrets", "uuid", "hypothesis", "faker", "numpy.random"})


class Recorder:
    def __init__(self) -> None:
        self.contexts = {}  # type: dict[str, set]  # context -> (code object, its file)
        self.broken = set()  # type: set[str]
        self.reads = {}  # type: dict[str, set[str]]  # context -> files opened as data
        self.name = ""
        self.thread = threading.get_ident()  # the thread that runs the tests: the profiler's
        self._settrace, self._setprofile = sys.settrace, sys.setprofile
        self._setting = None  # type: int | None  # the thread setting the recorder's own hook
        # Entries per code object; no C functions (builtins=False), no callers (subcalls=False).
        self._profiler = _CallProfiler(subcalls=False, builtins=False)
        shared = self.contexts.setdefault("", set())

        def thread_tracer(frame, event, arg):  # type: ignore[no-untyped-def]
            code = frame.f_code
            shared.add((code, code.co_filename))  # returns None: no line events for this frame

        self._thread_tracer = thread_tracer
        self._wrapped_threads = set()  # type: set[int]  # alive, started by the _thread wrapper

    def trace_threads(self) -> None:
        """Every thread started from now on records into the shared context.

        Called when the plugin is imported, also when the tests' own recording starts only after
        collection (``HOOKWRIGHT_PYTEST_LINES_FROM_TESTS``): a thread a test module or conftest
        starts while it is imported (a worker serving the tests) runs on while the tests run, and
        what it runs then would be in no record. Costs nothing on the thread that runs the tests.
        """
        threading.settrace(self._thread_tracer)
        if set(sys._current_frames()) - {self.thread}:
            # Started before this import (by a `.pth`, a sitecustomize, a `-p` plugin): untraced.
            self.broken.add("")
        import _thread

        # ``threading`` holds its own reference to the original; only direct callers come here.
        original = _thread.start_new_thread
        own, tracer, wrapped = self._own, self._thread_tracer, self._wrapped_threads

        def start_new_thread(function, args, kwargs=None):  # type: ignore[no-untyped-def]
            def traced(*positional, **named):  # type: ignore[no-untyped-def]
                own(self._settrace, tracer)  # the thread's first act: threading does the same
                wrapped.add(threading.get_ident())
                try:
                    return function(*positional, **named)
                finally:
                    wrapped.discard(threading.get_ident())

            return original(traced, args, {} if kwargs is None else kwargs)

        _thread.start_new_thread = _thread.start_new = start_new_thread  # type: ignore[attr-defined]

    def start(self, root: str) -> None:
        sys.addaudithook(self._audit_hook(root))
        self._watch_linecache(root)
        self._own(self._profiler.enable)
        threading.settrace(self._thread_tracer)
        sys.settrace = self._watched(self._settrace)
        sys.setprofile = self._watched(self._setprofile)

    def _own(self, setter, *args):  # type: ignore[no-untyped-def]
        """Set or unset the recorder's own hook: the audit event this raises breaks no record."""
        self._setting = threading.get_ident()
        try:
            setter(*args)
        finally:
            self._setting = None

    def _watched(self, original):  # type: ignore[no-untyped-def]
        def watched(function):  # type: ignore[no-untyped-def]
            # threading sets the recorder's thread tracer in each new thread through here.
            if function is self._thread_tracer:
                self._own(original, function)
            else:
                original(function)

        return watched

    def _read_as_data(self, path: str, prefix: str) -> None:
        if path.endswith(".py") and os.path.abspath(path).startswith(prefix):
            self.reads.setdefault(self.name, set()).add(os.path.abspath(path))

    def _watch_linecache(self, root: str) -> None:
        """``inspect.getsource`` reads through ``linecache``, which opens a file once per process:
        the test that asks second reads the source with no ``open`` the audit hook could see."""
        import linecache

        prefix, original = root + os.sep, linecache.getlines

        def getlines(filename, module_globals=None):  # type: ignore[no-untyped-def]
            if isinstance(filename, str):
                self._read_as_data(filename, prefix)
            return original(filename, module_globals)

        linecache.getlines = getlines

    def _audit_hook(self, root: str):  # type: ignore[no-untyped-def]
        prefix = root + os.sep

        def hook(event, args):  # type: ignore[no-untyped-def]
            if event in _PROCESS_EVENTS:
                self.broken.add(self.name)
            elif event in _SWAP_EVENTS and self._setting != threading.get_ident():
                # A tracer or profiler set, even for a moment, from Python or C (a test's own
                # cProfile, an in-process coverage run): while it was on, or while its callbacks
                # ran (CPython runs them with tracing off), calls went unseen.
                self.broken.add(self.name)
            elif event == "open" and isinstance(args[0], (str, bytes)) and not _importing():
                self._read_as_data(os.fsdecode(args[0]), prefix)

        return hook

    def switch(self, name: str) -> str:
        """Record into ``name`` ("" is shared) from now on; the name it replaces."""
        before = self.name
        if sys.getprofile() is not self._profiler or sys.gettrace() is not None:
            # Replaced, or a tracer left on: the test that ran last saw too little.
            self.broken.add(before)
        if "" not in self.broken and self._untraced_thread():
            self.broken.add("")  # what it runs may serve any test: no test keeps a record
        self._collect(before)
        self.name = name
        self._own(self._profiler.enable)
        return before

    def _untraced_thread(self) -> bool:
        """A thread runs Python code that no tracer of ours sees: started by C code (an extension's
        worker, ``PyThread_start_new_thread`` through ctypes: no audit event, no ``threading``), or
        by ``threading`` after something took its trace hook away. A change reached only through
        the code it runs was in no record, and the test it served was left out (t32). Seen at each
        switch of context; a thread started and ended by C within one test is not."""
        if getattr(threading, "_trace_hook", self._thread_tracer) is not self._thread_tracer:
            return True
        ours = {t.ident for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}
        return bool(set(sys._current_frames()) - ours - self._wrapped_threads - {self.thread})

    def _collect(self, name: str) -> None:
        profiler = self._profiler
        self._own(profiler.disable)  # (it forgets the calls still running: no return is awaited)
        codes = self.contexts.setdefault(name, set())
        for entry in profiler.getstats():
            code = entry.code
            # Code objects compare by content, not by file: the same function at the same line of
            # two files is one code object to a set. With its file beside it, each stays its own.
            if isinstance(code, _CODE):
                codes.add((code, code.co_filename))
        profiler.clear()

    def stop(self) -> None:
        self._collect(self.name)
        sys.settrace, sys.setprofile = self._settrace, self._setprofile
        threading.settrace(None)  # type: ignore[arg-type]

    def units(self, relative):  # type: ignore[no-untyped-def]
        """What ran, compactly: units ``[path, line, ...]`` (a function's lines, ``MODULE_CODE``
        or ``READ_AS_DATA``), context -> the indexes of its units, and the contexts whose record
        may be incomplete."""
        unsure = set(self.broken)
        names = _random_names()
        units = []  # type: list[list]
        unit_of = {}  # type: dict  # (code object, its file) or (file, READ_AS_DATA) -> index, or None
        paths = {}  # type: dict[str, str]
        contexts = {}  # type: dict[str, list[int]]

        def unit(key, path, lines):  # type: ignore[no-untyped-def]
            if key not in unit_of:
                unit_of[key] = len(units) if path else None
                if path:
                    units.append([path, *lines])
            return unit_of[key]

        # Judged once per code object, not once per test that entered it: most of what tests
        # enter is shared by all of them (pytest's own machinery).
        unsure_code = {}  # type: dict  # (code, file) -> it may draw random numbers or start a process
        for context, codes in self.contexts.items():
            found = contexts.setdefault(context, [])
            for key in codes:
                if key not in unit_of:
                    code, filename = key
                    if filename not in paths:
                        paths[filename] = relative(filename)
                    unsure_code[key] = _unsure(code, names.get(filename, ()))
                    if not paths[filename]:
                        unit(key, "", [])  # outside the tree: no unit, its lines are not needed
                    elif code.co_flags & _CO_OPTIMIZED:
                        unit(key, paths[filename], sorted({line for _, _, line in _lines(code) if line}))
                    else:
                        unit(key, paths[filename], [MODULE_CODE])
                # (Randomness at import or collection time decides nothing a record keeps.)
                if context and unsure_code[key]:
                    unsure.add(context)
                elif (key[1], key[0].co_name) == _PROCESS_START:
                    unsure.add(context)  # the shared context too: no test keeps a record
                if unit_of[key] is not None:
                    found.append(unit_of[key])
        for context, read in self.reads.items():
            for filename in read:
                index = unit((filename, READ_AS_DATA), relative(filename), [READ_AS_DATA])
                if index is not None:
                    contexts.setdefault(context, []).append(index)
        return units, contexts, unsure


def _importing() -> bool:
    """The import system is reading a module's source to run it (not a test reading it as data).

    A loader's ``get_data`` or ``get_source`` asked from outside the import system
    (``pkgutil.get_data``, ``inspect``) reads the file as data.
    """
    try:
        frame = sys._getframe(2)  # 0: here, 1: the hook, 2: who opened the file
    except ValueError:
        return False
    in_loader = False
    for _ in range(8):
        if any(marker in frame.f_code.co_filename for marker in _IMPORT_SYSTEM):
            if frame.f_code.co_name in _LOADING:
                return True
            in_loader = True
        elif in_loader:
            return False  # a loader's method, called by code outside the import system
        if frame.f_back is None:
            return in_loader
        frame = frame.f_back
    return in_loader


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
    return bool(random_names and set(random_names).intersection(code.co_names))


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
