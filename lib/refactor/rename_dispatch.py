"""Members a class finds by a name it builds at run time: ``getattr(self, 'visit_' + kind)``.

jmespath's ``Visitor.visit`` calls ``getattr(self, 'visit_%s' % node['type'])``: no line names
``visit_field``, yet renaming it breaks every search. A rename of a member whose name starts with the
literal part of such a name, looked up on ``self`` or ``cls`` in the family or a base, is refused.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

LOOKUPS = frozenset({"getattr", "hasattr"})


def literal_prefix(key: ast.expr) -> str | None:
    """The text a string built at run time starts with: 'visit_' + x, 'visit_%s' % x, f'visit_{x}'."""
    if isinstance(key, ast.BinOp) and isinstance(key.left, ast.Constant) and isinstance(key.left.value, str):
        if isinstance(key.op, ast.Add):
            return key.left.value
        if isinstance(key.op, ast.Mod):
            return key.left.value.split("%", 1)[0]
    if isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant):
        first = key.values[0].value
        return first if isinstance(first, str) else None
    if (
        isinstance(key, ast.Call)
        and isinstance(key.func, ast.Attribute)
        and key.func.attr == "format"
        and isinstance(key.func.value, ast.Constant)
        and isinstance(key.func.value.value, str)
    ):
        return key.func.value.value.split("{", 1)[0]
    return None


def built_lookups(classes: Iterable[tuple[str, Any]], name: str) -> list[tuple[str, int]]:
    """(class, line) of each ``getattr(self, PREFIX...)`` in ``classes`` whose PREFIX begins ``name``."""
    found = []
    for qualified, statement in classes:
        for node in ast.walk(statement):
            if not (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS
            ):
                continue
            if len(node.args) < 2 or not (
                isinstance(node.args[0], ast.Name) and node.args[0].id in ("self", "cls")
            ):
                continue
            prefix = literal_prefix(node.args[1])
            if prefix and name.startswith(prefix) and prefix != name:
                found.append((qualified, node.lineno))
    return found
