"""Names that hold a class itself, not an instance, and what calling them makes (ast only).

Test suites often build the object under test through a helper: ``cls = self._getTargetClass();
return cls(*arg, **kw)``, where ``_getTargetClass`` does ``from pkg.mod import Cls; return Cls``, or
``from pkg.mod import Cls as Profile; return Profile(name)(request)``. return_inference reads a
function's returns as instances; here an expression is read as the class objects it may be: a class
the module or a ``from ... import`` inside the function binds, a local assigned only such values, or
a call of a method whose every ``return`` gives one. Calling such a name makes an instance of the
class; ``cls.blank(...)`` is the class's classmethod or staticmethod. Anything else (a parameter, a
name bound twice in other ways, a relative import, a bare ``return``) is a doubt: None.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hookwright.refactor.return_inference import _Function
    from hookwright.refactor.symbol_index import Index

_CALLED_ON_THE_CLASS = {"classmethod", "staticmethod"}


def instances_made(function: _Function, func: ast.Name, depth: int) -> set[str] | None:
    """``cls(...)`` where the local ``cls`` holds a class: an instance of it (None: not known)."""
    from hookwright.refactor.return_inference import _called

    classes = denoted(function, func, depth, frozenset())
    if not classes:
        return None
    found: set[str] = set()
    for cls in sorted(classes):
        made = _called(function.index, cls, depth)
        if made is None:
            return None
        found |= made
    return found


def class_method_returns(function: _Function, func: ast.Attribute, depth: int) -> set[str] | None:
    """``cls.blank(...)`` where the local ``cls`` holds one class: what ``Cls.blank`` returns, when it
    is a classmethod or a staticmethod (an instance method called on the class has no ``self`` we know)."""
    from hookwright.refactor.return_inference import MAX_DEPTH
    from hookwright.refactor.symbol_index import returned

    if not isinstance(func.value, ast.Name) or not function.is_local(func.value.id):
        return None
    classes = denoted(function, func.value, depth, frozenset())
    if classes is None or len(classes) != 1:
        return None
    method = f"{min(classes)}.{func.attr}"
    located = _member(function.index, method)
    if located is None or not isinstance(located, ast.FunctionDef):
        return None
    decorators = {ast.unparse(d) for d in located.decorator_list}
    if not decorators & _CALLED_ON_THE_CLASS or depth >= MAX_DEPTH:
        return None
    return returned(function.index, method, depth + 1)  # a base's classmethod: cls is this class


def denoted(function: _Function, node: ast.expr, depth: int, seen: frozenset[str]) -> set[str] | None:
    """The classes ``node`` may be as an object (``Request``, not ``Request()``), or None."""
    from hookwright.refactor.return_inference import MAX_DEPTH

    if isinstance(node, ast.Name):
        if node.id in function.params or node.id in seen:
            return None
        if function.is_local(node.id):
            return _local(function, node.id, depth, seen | {node.id})
        return _a_class(function.index, function.facts.resolve(node.id))
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if function.is_local(node.value.id):  # self.Target, cls.Target: set to anything; not read here
            return None
        return _a_class(function.index, function.facts.resolve(ast.unparse(node)))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == function.this
        and function.owner
        and depth < MAX_DEPTH
    ):
        return returned_classes(function.index, f"{function.owner}.{node.func.attr}", depth + 1)
    return None


def returned_classes(index: Index, method: str, depth: int) -> set[str] | None:
    """The classes every ``return`` of ``method`` gives as objects (``return Request``), or None."""
    from hookwright.refactor.return_inference import _Function, own_nodes

    owner = method.rpartition(".")[0]
    statement = _member(index, method)
    if not isinstance(statement, ast.FunctionDef):
        return None
    if any(ast.unparse(d) not in _CALLED_ON_THE_CLASS for d in statement.decorator_list):
        return None  # a decorator may replace the function
    nodes = own_nodes(statement)
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes):
        return None
    located = index.located(owner)
    if located is None:
        return None
    function = _Function(index, located[0], statement, owner)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Return):
            classes = denoted(function, node.value, depth, frozenset()) if node.value is not None else None
            if classes is None:
                return None  # a bare return, None or anything unread: not always a class
            found |= classes
    return found or None


def _member(index: Index, qualified: str) -> ast.AST | None:
    """The statement defining a class member, in the class or the nearest base the index shows."""
    from hookwright.refactor.symbol_index import ancestors

    owner, _, name = qualified.rpartition(".")
    for cls in [owner, *sorted(ancestors(index, owner))]:
        located = index.located(f"{cls}.{name}")
        if located is not None:
            return located[1]  # type: ignore[no-any-return]
    return None


def _local(function: _Function, name: str, depth: int, seen: frozenset[str]) -> set[str] | None:
    """A local bound only by ``from module import Cls [as name]`` or assignments of classes."""
    from hookwright.refactor.return_inference import _binds_otherwise

    imported = {id(a) for n in function.nodes if isinstance(n, ast.ImportFrom) for a in n.names}
    found: set[str] = set()
    for node in function.nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    classes = _a_class(function.index, f"{node.module}.{alias.name}")
                    if classes is None:
                        return None
                    found |= classes
        elif isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            return None  # a relative import: its module is not read here
        elif isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            value = function._assigned(node)[0]
            classes = denoted(function, value, depth, seen) if value is not None else None
            if classes is None:
                return None
            found |= classes
        elif id(node) not in imported and _binds_otherwise(node, name):
            return None
    return found or None


def _a_class(index: Index, qualified: str | None) -> set[str] | None:
    return {qualified} if qualified and index.is_class(qualified) else None
