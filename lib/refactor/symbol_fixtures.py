"""What a pytest fixture gives a test, read from the fixture's own code (ast only).

``def test_x(app): app.test_client()`` types nothing at the site, but pytest passes the fixture named
``app``: the closest one (a method of the test's class, a function of its module, then ``conftest.py``
from the test's folder up). Its type is its return annotation (``Iterator[X]`` for a yield fixture)
or, without one, what every ``return`` / ``yield`` of it gives: a constructor, a local assigned one,
``self.Schema()`` for a class the test class defines. One answer we cannot read makes it unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from hookwright.refactor.fixture_factories import made_by_a_fixture
from hookwright.refactor.symbol_types import annotation, value

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_GENERATORS = {"Iterator", "Generator", "Iterable", "AsyncIterator", "AsyncGenerator"}


def fixture_name(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The name pytest knows a fixture function by (``@pytest.fixture(name=...)``), None: not one."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        if ast.unparse(target).rsplit(".", 1)[-1] != "fixture":
            continue
        for keyword in call.keywords if call is not None else ():
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
        return function.name
    return None


def _defined(body: list[ast.stmt], name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for statement in body:
        if isinstance(statement, _FUNCTIONS) and fixture_name(statement) == name:
            return statement
    return None


def find_fixture(
    index: Index, path: str, cls: str | None, name: str
) -> tuple[FileFacts, ast.FunctionDef | ast.AsyncFunctionDef, bool] | None:
    """The fixture ``name`` pytest gives a test in ``path`` of class ``cls``: the test class and its
    bases first (an override in a subclass wins), then the module, then ``conftest.py`` upwards.
    The flag says whether it was found in a class (its ``self`` is then the test class)."""
    places: list[tuple[str, list[ast.stmt], bool]] = []
    tree = index.parsed(path)
    for where, statement in _class_chain(index, cls) if tree is not None else []:
        places.append((where, statement.body, True))
    if tree is not None:
        places.append((path, tree.body, False))
    folder = PurePosixPath(path).parent
    for parent in [folder, *folder.parents]:
        conftest = str(parent / "conftest.py") if str(parent) != "." else "conftest.py"
        parsed = index.parsed(conftest) if conftest in index.paths else None
        if parsed is not None:
            places.append((conftest, parsed.body, False))
    for where, body, in_class in places:
        found = _defined(body, name)
        facts = index.facts(where) if found is not None else None
        if found is not None:
            return None if facts is None else (facts, found, in_class)
    return None


def _class_chain(index: Index, cls: str | None) -> list[tuple[str, ast.ClassDef]]:
    """``cls`` and the classes of the repository it derives from, depth first, left to right."""
    from hookwright.refactor.symbol_index import _bases

    chain: list[tuple[str, ast.ClassDef]] = []
    todo, seen = [cls] if cls else [], set()
    while todo and len(chain) < 16:
        name = todo.pop(0)
        located = index.located(name) if name not in seen else None
        seen.add(name)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        facts, statement = located
        chain.append((facts.module.path, statement))
        todo[:0] = [facts.resolve(base) or base for base in _bases(statement)]
    return chain


def across_subclasses(
    index: Index, path: str, cls: str | None, name: str, read: Callable[..., list[str] | None]
) -> list[str] | None:
    """``read`` for a test of ``cls`` and for every subclass of it: pytest runs an inherited test in
    each subclass too, with the fixtures that subclass (or its module) overrides."""
    if cls is None:
        return read(index, path, None, name)
    found: set[str] = set()
    for sub in sorted(index.subclasses({cls})):
        located = index.located(sub)
        answer = read(index, path if sub == cls else located[0].module.path, sub, name) if located else None
        if answer is None:
            return None
        found |= set(answer)
    return sorted(found)


def fixture_types(index: Index, path: str, cls: str | None, name: str) -> list[str] | None:
    """The types the fixture ``name`` gives a test in ``path`` (of class ``cls``), None: not known."""
    found = find_fixture(index, path, cls, name)
    if found is None:
        return None
    facts, function, in_class = found
    return _given(index, facts, function, cls if in_class else None, (path, cls))


def _given(
    index: Index,
    facts: FileFacts,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    cls: str | None,
    test: tuple[str, str | None],
) -> list[str] | None:
    returns = function.returns
    if isinstance(returns, ast.Subscript) and ast.unparse(returns.value).rsplit(".", 1)[-1] in _GENERATORS:
        inner = returns.slice.elts[0] if isinstance(returns.slice, ast.Tuple) else returns.slice
        return annotation(facts, inner)
    if returns is not None:
        return annotation(facts, returns)
    locals_: dict[str, list[ast.expr]] = {}
    given: list[ast.expr] = []
    for node in _own_nodes(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    locals_.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
            given.append(node.value)
    found: list[str] = []
    for expr in given:
        values = locals_.get(expr.id, [expr]) if isinstance(expr, ast.Name) else [expr]
        for item in values:
            answer = made_by_a_fixture(index, function, item, test) or _value(index, facts, item, cls)
            if answer is None:
                return None
            found += answer
    return sorted(set(found)) if given else None


def _value(index: Index, facts: FileFacts, node: ast.expr, cls: str | None) -> list[str] | None:
    """``self.StringSchema()``: a class the test class defines; anything else as symbol_types reads it."""
    func = node.func if isinstance(node, ast.Call) else None
    is_self = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
    if is_self and cls is not None and index.is_class(f"{cls}.{func.attr}"):  # type: ignore[union-attr]
        return [f"{cls}.{func.attr}"]  # type: ignore[union-attr]
    return value(index, facts, node, {})


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's body, not those of functions or classes nested in it."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return found
