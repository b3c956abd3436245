"""Boilerplate: reported when copied exactly or renamed consistently, never as an edited clone or a template.

Plain assignments (``self.x = x``, field declarations), ``pass`` or ``...`` bodies and dunder
methods with a few lines of work (clone_units.is_trivial_range) repeat between classes that have
nothing to do with each other: two constructors that store other names alike are not copies. What
makes a copy of boilerplate is its names, so it counts only as a T1 clone (the same names and
literals in the same places) or, for a function or class, as a T2c clone whose only change is a
consistent renaming of what it binds itself (its name, methods, parameters and local variables): a
constructor pasted as ``_setup(self, items, source)`` from ``__init__(self, items, gen)`` still
stores the same attributes from the same calls. Attribute names, literals and the names it reads
from outside must stay exact, so two constructors that store other fields are never linked.
Imports, ``__all__`` and docstrings are out of scope altogether:
every tool that reads Python repeats them by design, and nobody would extract them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from hookwright.clones.leaves import Leaf, entry_leaves
from hookwright.clones.units import STMT, Table, is_class, is_def

REASON = "boilerplate (plain assignments, stubs, small dunder methods): reported, not made a template"
_DECLARATIONS = (ast.Import, ast.ImportFrom, ast.Pass, ast.Global, ast.Nonlocal)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_OWN = frozenset({"param", "def"})  # bound wherever they are; "store" too, except a class's fields
_VARIABLE = frozenset({"name", "store", "param", "def", "call"})  # one namespace: a variable's roles


def out_of_scope(table: Table, a: int, b: int) -> bool:
    """Only imports, ``__all__``, docstrings and ``pass``: never a clone worth reporting."""
    return all(table.kind[i] == STMT and _declaration(table.node[i]) for i in range(a, b))


def _declaration(node: ast.AST) -> bool:
    if isinstance(node, _DECLARATIONS):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant)
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)
    return False


class ExactKeys:
    """A hash of a boilerplate statement with its names and literals, computed only when asked.

    Runs of ``self.x = x`` share one blind hash with every other constructor, too common to seed a
    window; with their names they are as rare as real copies.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self._keys: dict[int, int] = {}

    def __getitem__(self, index: int) -> int:
        found = self._keys.get(index)
        if found is None:
            names = tuple((leaf.role, leaf.value) for leaf in entry_leaves(self.table.node[index]))
            found = self._keys[index] = hash((self.table.key[index], names))
        return found


def copy_key(table: Table, span: tuple[int, int], entry: Callable[[int], list[Leaf]]) -> tuple[object, ...]:
    """What two copies of boilerplate share: every leaf, except a definition's own names numbered.

    A function or class binds its name, its methods' names, parameters and local variables; a
    class body's own statements bind its fields, and fields stored under other names are other
    fields. A run of statements renames nothing, and neither do stubs: an interface's methods
    (``def has_table(...): ...``, ``raise NotImplementedError()``) differ by their names alone.
    """
    a, b = span
    rows = range(a, b)
    if not (is_def(table, a) and table.span_end[a] == b) or not _works(table.node[a]):
        return tuple(leaf.value for i in rows for leaf in entry(i))
    fields = (
        {i for i in rows if table.parent[i] == a and not is_def(table, i)} if is_class(table, a) else set()
    )
    bound = {
        leaf.value
        for i in rows
        for leaf in entry(i)
        if leaf.role in _OWN or (leaf.role == "store" and i not in fields)
    }
    numbers: dict[str, int] = {}
    key: list[object] = []
    for i in rows:
        for leaf in entry(i):
            own = leaf.role in _VARIABLE and leaf.value in bound
            key.append(numbers.setdefault(leaf.value, len(numbers)) if own else leaf.value)
    return tuple(key)


def _works(node: ast.AST) -> bool:
    """A function that is not a stub, or a class with such a method."""
    if isinstance(node, ast.ClassDef):
        return any(_works(child) for child in node.body if isinstance(child, _FUNCTIONS))
    body = node.body if isinstance(node, _FUNCTIONS) else []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) > 1:
        return True
    return bool(body) and not isinstance(body[0], ast.Pass | ast.Expr | ast.Raise | ast.Return)
