"""Nothing is imported from the user's work trees: run in pytest (``_hookwright_pytest``) and at the
start of every Python process a test or a command starts (``child_start/sitecustomize.py``).

hookwright puts the private copy's folders before those an editable install or PYTHONPATH takes from
a work tree, but those stay on the path after them: a module only the work tree holds (never
``git add``-ed) was still found there, and so was a new sub-module of a package the editable finder
maps (hookwright links those packages into the copy). ``HOOKWRIGHT_PYTEST_HIDDEN`` names the folders,
``HOOKWRIGHT_PYTEST_WORK_TREES`` the work trees whose editable finders are removed.

A child process (``subprocess.run([sys.executable, "-m", "pkg"])``) reads the interpreter's ``.pth``
files again at its start: without the same removal there, it imported what pytest no longer could.

Standard library only, Python 3.8 syntax: it runs on the project's interpreter.
"""

from __future__ import annotations

import os
import sys


def _in_any(path: object, roots: list) -> bool:
    real = os.path.realpath(path) if isinstance(path, str) else ""
    return any(real == r or real.startswith(r + os.sep) for r in roots)


# What a child needs to hide the work trees as this process does (``PYTHONPATH`` is joined).
_CHILD_VARIABLES = ("HOOKWRIGHT_PYTEST_HIDDEN", "HOOKWRIGHT_PYTEST_WORK_TREES", "MESONPY_EDITABLE_SKIP")
_WATCHING = []  # type: list[bool]  # an audit hook is never removed: added once per process


def _ignores_environment(executable: object, argv: object) -> bool:
    """``argv`` starts a Python with ``-I`` or ``-E``: no PYTHONPATH, no sitecustomize of ours."""
    if isinstance(argv, (str, bytes)) or not isinstance(argv, (list, tuple)) or len(argv) < 2:
        return False
    name = os.path.basename(os.fsdecode(executable)) if isinstance(executable, (str, bytes)) else ""
    if not (name.startswith("python") or os.path.realpath(name) == os.path.realpath(sys.executable)):
        return False
    rest = [os.fsdecode(a) if isinstance(a, (str, bytes)) else "" for a in argv[1:]]
    while rest:
        arg = rest.pop(0)
        if arg == "--" or not arg.startswith("-"):
            return False  # the script: options end
        if arg.startswith("--"):
            continue
        for at, flag in enumerate(arg[1:], start=1):
            if flag in "IE":
                return True
            if flag in "cm":  # the code or module: options end
                return False
            if flag in "WX":  # a value follows, in this argument or as the next one
                if at == len(arg) - 1 and rest:
                    rest.pop(0)
                break
    return False


def _child_environment(event: str, args: tuple) -> None:
    """A process started with an environment of its own (``env={"PATH": ...}``) gets the run's
    import path first and the variables that hide the work trees, put into that mapping before
    it is read: without them a Python child read the ``.pth`` files and imported the work tree.

    A Python child started with ``-I`` or ``-E`` reads no environment: it would import the work
    tree whatever is set, so it is not started (the test fails, saying why)."""
    if event == "subprocess.Popen":
        executable, argv, env = args[0], args[1], args[3]
    elif event in ("os.posix_spawn", "os.exec"):
        executable, argv, env = args[0], args[1], args[2]
    else:
        return
    if _ignores_environment(executable, argv):
        raise RuntimeError(
            "hookwright: a Python started with -I or -E ignores the run's PYTHONPATH and would import the"
            " user's work tree through its editable install, not the committed files"
        )
    if not isinstance(env, dict) or "HOOKWRIGHT_PYTEST_WORK_TREES" in env:
        return
    for name in _CHILD_VARIABLES:
        if name in os.environ:
            env[name] = os.environ[name]
    first = os.environ.get("HOOKWRIGHT_PYTEST_PATH", "")
    own = env.get("PYTHONPATH", "")
    if first:
        env["PYTHONPATH"] = os.pathsep.join([first, own]) if own else first


def hide_work_trees() -> None:
    hidden = {h for h in os.environ.get("HOOKWRIGHT_PYTEST_HIDDEN", "").split(os.pathsep) if h}
    roots = [r for r in os.environ.get("HOOKWRIGHT_PYTEST_WORK_TREES", "").split(os.pathsep) if r]
    if not hidden and not roots:
        return
    if not _WATCHING:
        _WATCHING.append(True)
        sys.addaudithook(_child_environment)
    if hidden:
        kept = [p for p in sys.path if not (isinstance(p, str) and os.path.realpath(p or ".") in hidden)]
        sys.path[:] = kept
    for finder in list(sys.meta_path) if roots else ():
        module = sys.modules.get(str(getattr(finder, "__module__", "")))
        mapping = getattr(module, "MAPPING", None)
        editable = module is not None and module.__name__.startswith("__editable___")
        if module is not None and module.__name__ == "editables.redirector":  # hatchling's exact mode
            editable, mapping = True, getattr(finder, "_redirections", None)
        elif type(finder).__name__ == "ScikitBuildRedirectingFinder":  # first on sys.meta_path
            editable, mapping = True, getattr(finder, "known_source_files", None)
        if editable and isinstance(mapping, dict) and all(_in_any(m, roots) for m in mapping.values()):
            sys.meta_path.remove(finder)
            # A namespace's placeholder entry, which its path hook answers from the work tree.
            placeholder = getattr(module, "PATH_PLACEHOLDER", None)
            sys.path[:] = [p for p in sys.path if p != placeholder]
    sys.path_importer_cache.clear()
