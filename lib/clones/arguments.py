"""Which of a template's variables a call would pass: not the names the fragment binds itself.

A copy renamed consistently (its locals, parameters, its own name) needs a variable per renamed
name to be rebuilt exactly, but once the members become one definition those names are the
definition's own: only the rest (names read from outside, attributes, literals) are arguments.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from hookwright.clones.hole_variables import Variable

_NAMED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler)  # each binds its .name


def arguments(variables: Sequence[Variable], members: Sequence[Sequence[ast.stmt]]) -> int:
    """The variables that are not a name each member binds itself."""
    bound = [_bound_names(statements) for statements in members]
    return sum(not _bound_everywhere(variable, bound) for variable in variables)


def _bound_everywhere(variable: Variable, bound: list[set[str]]) -> bool:
    if variable.kind not in ("ident", "word") or len(variable.values) != len(bound):
        return False
    for value, names in zip(variable.values, bound, strict=True):
        if not isinstance(value, str) or not value:
            return False
        if value not in names and (variable.kind != "word" or not any(value in name for name in names)):
            return False
    return True


def _bound_names(statements: Sequence[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, _NAMED) and node.name:
                names.add(node.name)
    return names
