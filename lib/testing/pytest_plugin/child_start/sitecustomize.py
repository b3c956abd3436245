"""Run by ``site`` at the start of every Python process that inherits a test run's PYTHONPATH
(hookwright puts this folder first on it): the work trees are hidden there as in pytest itself.

It takes the name of any other ``sitecustomize`` on the path (the distribution's, one on the user's
PYTHONPATH): that one runs right after, as it would have without this folder. The tree's own, in a
folder hookwright put on PYTHONPATH (``HOOKWRIGHT_PYTEST_TREE_PATH``), does not: a plain run never runs it.

Standard library only, Python 3.8 syntax: it runs on the project's interpreter.
"""

from __future__ import annotations

import os
import sys


def _run(spec) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


def _start() -> None:
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.realpath(__file__))
    if "_hookwright_hide" not in sys.modules:
        hider = os.path.join(os.path.dirname(here), "_hookwright_hide.py")
        _run(importlib.util.spec_from_file_location("_hookwright_hide", hider))
    sys.modules["_hookwright_hide"].hide_work_trees()
    # Nor the tree's own: hookwright put its folders on PYTHONPATH, a plain run has them on the path
    # only after start-up (`python -m pytest` at the root never runs the root's sitecustomize.py).
    tree = os.environ.get("HOOKWRIGHT_PYTEST_TREE_PATH", "").split(os.pathsep)
    skipped = {here, *(os.path.realpath(p) for p in tree if p)}
    others = [p for p in sys.path if not (isinstance(p, str) and os.path.realpath(p or ".") in skipped)]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", others)
    if spec is not None and spec.loader is not None:
        _run(spec)


if __name__ == "sitecustomize":
    _start()
