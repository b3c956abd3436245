"""Who else has a name: the test that lets a member rename take every ``x.name`` site for the family's.

When no class of the repository outside the renamed class's family, no built-in type and no class of
the standard library has a member of that name, an attribute site of that name cannot be anyone
else's. Split from symbol_index, which finds where symbols live; this asks who owns a name.
"""

from __future__ import annotations

import ast
import functools
import importlib
import sys
from typing import TYPE_CHECKING

from hookwright.refactor.symbol_facts import class_members

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

# The built-in types whose members an untyped receiver may have (`x.get`, `x.items`)
BUILTIN_TYPES = (str, bytes, list, dict, set, frozenset, tuple, int, float, object, type, BaseException)


_NOT_IMPORTED = {"antigravity", "this", "tkinter", "turtle", "turtledemo", "idlelib", "webbrowser"}


@functools.cache
def _stdlib_class_has(module: str, name: str) -> bool:
    """Some class of a standard-library module (``os``: ``DirEntry``) has an attribute ``name``."""
    top = module.partition(".")[0]
    if top not in sys.stdlib_module_names or top in _NOT_IMPORTED:
        return False
    try:
        found = importlib.import_module(module)
    except Exception:  # not a module (os.scandir), or one that does not import here
        return False
    return any(isinstance(value, type) and hasattr(value, name) for value in vars(found).values())


def _some_stdlib_class_has(name: str) -> bool:
    """Any class of the standard library, imported or not (more-itertools reaches a
    ``concurrent.futures.Future`` through ``__import__``, and ``future.done()`` is not ours).
    When the index cannot be built here, every name may be one."""
    from hookwright import stdlib_index

    index = stdlib_index.load()
    return index is None or index.some_class_has(name)


def only_the_family_has(index: Index, name: str, family: set[str]) -> bool:
    """No class of the repository outside ``family``, no module, no built-in type has a ``name``."""
    if any(hasattr(kind, name) for kind in BUILTIN_TYPES) or _some_stdlib_class_has(name):
        return False
    for path in index.containing(name):
        tree, facts = index.parsed(path), index.facts(path)
        if tree is None or facts is None or name in facts.defined:
            return False
        # nor a class of the standard-library modules it imports: os.DirEntry.is_dir, random.Random.choice
        modules = {m for bound in facts.bindings.values() for m in (bound, bound.rpartition(".")[0]) if m}
        if any(_stdlib_class_has(module, name) for module in sorted(modules)):
            return False
        for fqn, statement, _ in facts.classes:
            if fqn in family:
                continue
            # a method, a class-level name, or self.NAME = ... (a method's local NAME is none of these)
            if name in (class_members(statement) or {}):
                return False
            for node in ast.walk(statement):
                defines = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name
                stores = (
                    isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.ctx, ast.Store)
                )
                if defines or stores:
                    return False
    return True
