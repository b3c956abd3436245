"""Fixtures whose value is a factory: what calling it makes (ast only).

``@pytest.fixture(params=(Serializer, partial(Serializer, serializer=pickle)))`` with
``return partial(request.param, secret_key="k")`` gives a test a callable; ``serializer_factory()``
makes a Serializer whichever param runs. A fixture's value is read as a factory of classes when each
of its returns is ``functools.partial(X, ...)`` (or X itself) and X is a class, ``request.param`` over
``params`` that are all classes or partials of classes, another fixture it requests that is such
a factory, or a call of a function building a class with ``type(name, bases, namespace)``
(class_builders: what calling that class makes). Anything else: None (not known).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hookwright.refactor.class_builders import bases_built_by_call
from hookwright.refactor.return_inference import own_nodes

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_MAX_DEPTH = 4  # fixtures requesting fixtures: deeper is a doubt
Function = ast.FunctionDef | ast.AsyncFunctionDef


def made_by_a_fixture(
    index: Index, function: Function, node: ast.expr, test: tuple[str, str | None]
) -> list[str] | None:
    """``return signer_factory()`` in a fixture requesting ``signer_factory``: what that one makes."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    if node.func.id not in _requested(function):
        return None
    return fixture_factory(index, test[0], test[1], node.func.id)


def fixture_factory(index: Index, path: str, cls: str | None, name: str, depth: int = 0) -> list[str] | None:
    """The classes the value of the fixture ``name`` (as a test in ``path`` of ``cls`` gets it) makes."""
    from hookwright.refactor.symbol_fixtures import find_fixture

    found = find_fixture(index, path, cls, name) if depth <= _MAX_DEPTH else None
    if found is None:
        return None
    facts, function, _ = found
    given = [n.value for n in own_nodes(function) if isinstance(n, (ast.Return, ast.Yield)) and n.value]
    classes: set[str] = set()
    for value in given:
        made = _made(index, facts, function, value, (path, cls), depth)
        if made is None:
            return None
        classes |= made
    return sorted(classes) if given and classes else None


def _made(
    index: Index,
    facts: FileFacts,
    function: Function,
    node: ast.expr,
    test: tuple[str, str | None],
    depth: int,
) -> set[str] | None:
    """What calling ``node`` makes: ``partial(X, ...)`` or X, for X a class, a param or a fixture."""
    target = node.args[0] if _is_partial(facts, node) and node.args else node  # type: ignore[attr-defined]
    if _is_request_param(function, target):
        return _params(index, facts, function)
    if isinstance(target, ast.Name) and target.id in _requested(function):
        found = fixture_factory(index, test[0], test[1], target.id, depth + 1)
        return None if found is None else set(found)
    if isinstance(target, ast.Call):  # return make_form("F1", ...): a class built by type(...)
        return bases_built_by_call(index, facts, target)
    return _class(index, facts, target)


def _class(index: Index, facts: FileFacts, node: ast.expr) -> set[str] | None:
    from hookwright.refactor.receiver_types import is_stdlib_class

    if not isinstance(node, (ast.Name, ast.Attribute)):
        return None
    name = facts.resolve(ast.unparse(node))
    return {name} if name and (index.is_class(name) or is_stdlib_class(name)) else None


def _params(index: Index, facts: FileFacts, function: Function) -> set[str] | None:
    """The classes of ``@pytest.fixture(params=(A, partial(B, ...)))``."""
    for decorator in function.decorator_list:
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        for keyword in keywords:
            if keyword.arg != "params" or not isinstance(keyword.value, (ast.Tuple, ast.List)):
                continue
            found: set[str] = set()
            for element in keyword.value.elts:
                inner = element.args[0] if _is_partial(facts, element) and element.args else element  # type: ignore[attr-defined]
                made = _class(index, facts, inner)
                if made is None:
                    return None
                found |= made
            return found or None
    return None


def _is_partial(facts: FileFacts, node: ast.expr) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, (ast.Name, ast.Attribute)):
        return False
    return facts.resolve(ast.unparse(node.func)) == "functools.partial"


def _is_request_param(function: Function, node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "param"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
        and "request" in _requested(function)
    )


def _requested(function: Function) -> set[str]:
    """The fixtures a fixture function asks for: its parameters but ``self``/``cls``."""
    names = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
    return set(names) - {"self", "cls"}
