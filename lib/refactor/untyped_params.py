"""What ``self.x = x`` stores when the parameter ``x`` has no annotation (ast only).

Four sources, in this order, each declining on doubt: the module's stub (``.pyi``) annotating the
parameter (stub_declarations), the function's own guard at the top of its
body (``assert isinstance(x, T)``, ``if not isinstance(x, T): raise ...`` before any other statement),
then what every construction of the class passes (``__init__``: constructor_callers), or every call of
the function (param_callers). Where ``self.x = x`` stores a parameter the method binds again
(``x = Parser(x)``), the value is not what it received: None.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

_IN_PROGRESS: set[tuple[str, str]] = set()  # (function, parameter) being read
_MAX_CHAIN = 6  # parameters passed on through this many functions; deeper is a doubt, not an answer

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index


def stored_parameter(index: Index, owner: str, method: ast.FunctionDef, param: str) -> list[str] | None:
    """The types ``self.x = param`` in ``owner.method`` stores."""
    return None if _rebound(method, param) else parameter_holds(index, f"{owner}.{method.name}", param)


def parameter_holds(index: Index, function: str, param: str) -> list[str] | None:
    """The types the untyped ``param`` of ``function`` holds on entry, when the code says."""
    if (function, param) in _IN_PROGRESS or len(_IN_PROGRESS) >= _MAX_CHAIN:
        return None  # f passes x to g, which passes it back to f: a cycle (or a long chain) is a doubt
    _IN_PROGRESS.add((function, param))
    try:
        return _holds(index, function, param)
    finally:
        _IN_PROGRESS.discard((function, param))


def _holds(index: Index, function: str, param: str) -> list[str] | None:
    from hookwright.refactor.constructor_callers import constructed_types
    from hookwright.refactor.param_callers import passed_types
    from hookwright.refactor.stub_declarations import stub_parameter

    said = stub_parameter(index, function, param)  # core.pyi: def f(self, event_data: EventData)
    if said is not None:
        return said
    located = index.located(function)
    if located is None or not isinstance(located[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    narrowed = _narrowed(located[0], located[1], param)
    if narrowed is not None:
        return narrowed
    owner, _, name = function.rpartition(".")
    if name == "__init__" and index.is_class(owner):
        return constructed_types(index, owner, param)
    return passed_types(index, function, param)


def _rebound(method: ast.FunctionDef, param: str) -> bool:
    return any(
        (isinstance(node, ast.Name) and node.id == param and not isinstance(node.ctx, ast.Load))
        or (isinstance(node, (ast.Global, ast.Nonlocal)) and param in node.names)
        for node in ast.walk(method)
    )


def _narrowed(
    facts: FileFacts, function: ast.FunctionDef | ast.AsyncFunctionDef, param: str
) -> list[str] | None:
    """``assert isinstance(x, T)`` or ``if not isinstance(x, T): raise`` among the guards opening the body."""
    from hookwright.refactor.symbol_types import annotation

    for statement in function.body:
        docstring = isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
        test = _required(statement)
        if test is None:
            if docstring:
                continue
            return None  # past the guards: a test further down holds only after it
        if not _tests(test, param):
            continue
        kinds = test.args[1]
        found: list[str] = []
        for kind in kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]:
            names = annotation(facts, kind) if isinstance(kind, (ast.Name, ast.Attribute)) else None
            if names is None:
                return None
            found += names
        return sorted(set(found)) or None
    return None


def _required(statement: ast.stmt) -> ast.Call | None:
    """The ``isinstance`` call a statement makes sure of: an assert, or an ``if not ...: raise``."""
    if isinstance(statement, ast.Assert) and isinstance(statement.test, ast.Call):
        return statement.test
    if (
        isinstance(statement, ast.If)
        and not statement.orelse
        and isinstance(statement.test, ast.UnaryOp)
        and isinstance(statement.test.op, ast.Not)
        and isinstance(statement.test.operand, ast.Call)
        and all(isinstance(inner, ast.Raise) for inner in statement.body)
    ):
        return statement.test.operand
    return None


def _tests(call: ast.Call, param: str) -> bool:
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "isinstance"
        and len(call.args) == 2
        and not call.keywords
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == param
    )
