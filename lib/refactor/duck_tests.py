"""Duck tests that cannot see the rename: ``hasattr(o, 'write') and hasattr(o, 'flush')``.

A lookup by name on an object of unknown type refuses a member rename: leaving the string would
break it if the object is one of ours, renaming it would break another type's. But when the same
conjunction also asks the same object for a name the renamed class's family has not got, an
instance of the family fails that other test whatever the first one answers: the outcome is the
same before and after the rename, so the string is left alone, as for another type.

"Has not got" is read strictly: no class of the family, no base of theirs the repository shows, and
no standard-library base defines or assigns the name; no ``__getattr__`` or ``__getattribute__``
among them; no ``x.name = ...`` or ``setattr(..., 'name', ...)`` anywhere in the repository.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

_DYNAMIC = {"__getattr__", "__getattribute__"}
_NEUTRAL = {"builtins.object", "object"}


def tested_together(cst: Any, node: Any) -> dict[int, set[str]]:
    """For an ``and`` of ``hasattr(o, "a")`` tests: id(each string) -> the other names asked of ``o``."""
    if not isinstance(node, cst.BooleanOperation) or not isinstance(node.operator, cst.And):
        return {}
    operands, todo = [], [node]
    while todo:
        part = todo.pop()
        if isinstance(part, cst.BooleanOperation) and isinstance(part.operator, cst.And):
            todo += [part.left, part.right]
        else:
            operands.append(part)
    asked: dict[str, list[tuple[Any, str]]] = {}  # the object's code -> (string node, name)
    for part in operands:
        if (
            isinstance(part, cst.Call)
            and isinstance(part.func, cst.Name)
            and part.func.value == "hasattr"
            and len(part.args) == 2
            and isinstance(part.args[1].value, cst.SimpleString)
            and isinstance(part.args[1].value.evaluated_value, str)
        ):
            code = cst.Module([]).code_for_node(part.args[0].value)
            asked.setdefault(code, []).append((part.args[1].value, part.args[1].value.evaluated_value))
    found: dict[int, set[str]] = {}
    for tests in asked.values():
        for string, name in tests:
            found[id(string)] = {other for _, other in tests if other != name}
    return found


def family_lacks(index: Index, family: set[str], name: str) -> bool:
    """No instance of ``family`` can have an attribute ``name`` (read strictly, as above)."""
    from hookwright.refactor.receiver_types import is_stdlib_class, stdlib_defines
    from hookwright.refactor.symbol_facts import class_members
    from hookwright.refactor.symbol_index import ancestors

    classes = set(family)
    for cls in family:
        classes |= ancestors(index, cls)
    for cls in sorted(classes - _NEUTRAL):
        located = index.located(cls)
        if located is None or not isinstance(located[1], ast.ClassDef):
            if not is_stdlib_class(cls) or stdlib_defines(cls, name):
                return False  # a base from outside the repository may have it
            continue
        members = class_members(located[1]) or {}
        if name in members or _DYNAMIC & set(members):
            return False
    setattr_call = re.compile(rb"setattr\([^)]*['\"]" + re.escape(name.encode()) + rb"['\"]")
    for path in index.containing(name):
        tree = index.parsed(path)
        if tree is None or setattr_call.search(index.data(path)):
            return False
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == name and not isinstance(node.ctx, ast.Load):
                return False  # self.flush = ..., obj.flush = ...: any object may get it
    return True
