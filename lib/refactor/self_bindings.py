"""Instance attributes a class's own methods bind on ``self`` (``self._ignore = ignore`` in ``__init__``).

Most attributes of real classes have no statement in the class body: they exist because a method
assigns them. ``refactor rename pkg.mod.Class.attr`` accepts such an attribute; its sites are then
found exactly as a class-body attribute's are (the definition is the first binding statement).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites
    from hookwright.refactor.symbol_index import Index

_METHODS = (ast.FunctionDef, ast.AsyncFunctionDef)
# A decorator after which the first parameter is not the instance.
_NOT_INSTANCE = {"staticmethod", "classmethod"}


def self_binding(statement: Any, name: str) -> ast.stmt | None:
    """The first statement of a class's methods that binds ``self.NAME`` (None: none does, or not ast)."""
    if not isinstance(statement, ast.ClassDef):
        return None  # libcst's tree (syntax newer than ours): unknowable here, refused as before
    for method in _methods(statement.body):
        receiver = _instance_parameter(method)
        if receiver is None:
            continue
        for node in _statements(method.body):
            if any(_binds(target, receiver, name) for target in _targets(node)):
                return node
    return None


def binds_on_self(index: Index, cls: str, name: str) -> bool:
    """Whether a class of the repository binds ``self.NAME`` in one of its own methods."""
    located = index.located(cls)
    return located is not None and self_binding(located[1], name) is not None


def bound_elsewhere(index: Index, classes: set[str], new: str) -> str | None:
    """``path:line`` where a method of one of ``classes`` binds ``self.NEW``: renaming onto it would
    merge two attributes into one."""
    for cls in sorted(classes):
        located = index.located(cls)
        binding = None if located is None else self_binding(located[1], new)
        if located is not None and binding is not None:
            return f"{located[0].module.path}:{binding.lineno}"
    return None


def _methods(body: list[ast.stmt]) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for statement in body:
        if isinstance(statement, _METHODS):
            yield statement
        elif isinstance(statement, (ast.If, ast.Try)):  # methods defined under `if TYPE_CHECKING` etc.
            blocks = [statement.body, statement.orelse, *[h.body for h in getattr(statement, "handlers", [])]]
            for block in blocks:
                yield from _methods(block)


def _instance_parameter(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    decorators = {ast.unparse(d).rsplit(".", 1)[-1] for d in method.decorator_list}
    parameters = method.args.posonlyargs + method.args.args
    if decorators & _NOT_INSTANCE or not parameters:
        return None
    return parameters[0].arg


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a method, nested blocks included; not those of nested functions or classes,
    whose ``self`` may be another object."""
    for statement in body:
        yield statement
        if isinstance(statement, (*_METHODS, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(statement, field, None) or [])
        for clause in [*getattr(statement, "handlers", []), *getattr(statement, "cases", [])]:
            yield from _statements(clause.body)  # `except ...:` and `case ...:` blocks


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []


def _binds(target: ast.expr, receiver: str, name: str) -> bool:
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_binds(element, receiver, name) for element in target.elts)
    if isinstance(target, ast.Starred):
        return _binds(target.value, receiver, name)
    return (
        isinstance(target, ast.Attribute)
        and target.attr == name
        and isinstance(target.value, ast.Name)
        and target.value.id == receiver
    )


def slot_entries(sites: FileSites, value: Any) -> None:
    """A family class's ``__slots__`` names its instance attributes: each entry naming the old name is
    renamed with them (else ``self.NEW = ...`` fails), and one already naming the new one is a collision."""
    for element in getattr(value, "elements", None) or [value]:
        string = getattr(element, "value", element)
        if not isinstance(string, sites.cst.SimpleString):
            continue
        if string.evaluated_value == sites.target.name:
            sites.rename_string(string, "__slots__", sure=True)
        elif string.evaluated_value == sites.target.new:
            sites.note(string, "already-bound", sites.conflicts)
