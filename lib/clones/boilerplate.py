"""Boilerplate: reported when copied exactly, never as a renamed or edited clone, never made a template.

Plain assignments (``self.x = x``, field declarations), ``pass`` or ``...`` bodies and dunder
methods with a few lines of work (clone_units.is_trivial_range) repeat between classes that have
nothing to do with each other: two constructors that store other names alike are not copies. What
makes a copy of boilerplate is its names, so it counts only as a T1 clone (the same names and
literals in the same places). Imports, ``__all__`` and docstrings are out of scope altogether:
every tool that reads Python repeats them by design, and nobody would extract them.
"""

from __future__ import annotations

import ast

from hookwright.clones.leaves import entry_leaves
from hookwright.clones.units import STMT, Table

REASON = "boilerplate (plain assignments, stubs, small dunder methods): reported, not made a template"
_DECLARATIONS = (ast.Import, ast.ImportFrom, ast.Pass, ast.Global, ast.Nonlocal)


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
