"""What an ``__init__`` parameter without a type holds, read from every construction of the class (ast).

``Match.__init__(self, parser, match)`` stores ``self.parser = parser`` and says nothing of ``parser``;
but the repository builds a ``Match`` only as ``Match(self, m)`` in ``Parser`` and
``Match(self.parser, m)`` in ``ResultIterator`` (whose own ``parser`` comes from
``ResultIterator(self, ...)`` in ``Parser``). When every use of the class's name is one we can read
(a call, ``isinstance``, an annotation, a base, ``C.attr``), every call passes a value we can type (or
leaves the parameter to a default we can type), and every subclass that overrides ``__init__`` passes
a typed value to ``super().__init__``, the parameter holds one of those types. Anything else (the class
passed as a value, ``*args`` in a call, its name in a string, a decorator, a metaclass, a ``__new__``,
a cycle through another such attribute): None, and the site stays unsure with its reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from hookwright.refactor.param_callers import _uses
from hookwright.refactor.return_inference import _Function

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_IN_PROGRESS: set[tuple[str, str]] = set()  # (class, parameter) being read: a cycle is a doubt
_TYPE_TESTS = {"isinstance", "issubclass"}
_NEUTRAL_BASES = {"object", "abc.ABC", "typing.Generic", "typing.Protocol", "builtins.object"}


def constructed_types(index: Index, cls: str, param: str) -> list[str] | None:
    """The types every construction of ``cls`` in the repository passes as ``__init__``'s ``param``."""
    if (cls, param) in _IN_PROGRESS:
        return None
    _IN_PROGRESS.add((cls, param))
    try:
        return _constructed(index, cls, param)
    finally:
        _IN_PROGRESS.discard((cls, param))


def _constructed(index: Index, cls: str, param: str) -> list[str] | None:
    from hookwright.refactor.symbol_index import ancestors

    located, init = index.located(cls), index.located(f"{cls}.__init__")
    if located is None or init is None or not isinstance(init[1], ast.FunctionDef):
        return None
    statement, function = located[1], init[1]
    if not isinstance(statement, ast.ClassDef) or statement.decorator_list or statement.keywords:
        return None  # @dataclass, a metaclass: something else may build the instance
    if function.decorator_list or function.args.vararg or function.args.kwarg:
        return None
    hierarchy = index.subclasses({cls}) | ancestors(index, cls)
    if any(_defines(index, name, "__new__") or not _plain_bases(index, name) for name in hierarchy):
        return None
    where = _position(function, param)
    if where is None:
        return None
    overriders = {name for name in index.subclasses({cls}) - {cls} if _defines(index, name, "__init__")}
    family = index.subclasses({cls})
    building = family - index.subclasses(overriders) if overriders else family  # they run this __init__
    found: set[str] = set()
    calls = 0
    for call, facts, enclosing, owner in _constructions(index, building, hierarchy):
        if call is None:
            return None  # the class used as a value: it may be called anywhere
        types = _argument(index, facts, call, where, enclosing, owner, init[0], function)
        if types is None:
            return None
        found |= types
        calls += 1
    return sorted(found) if calls and found else None


def _defines(index: Index, cls: str, member: str) -> bool:
    located = index.located(cls)
    body = getattr(located[1], "body", []) if located else []
    return any(isinstance(s, ast.FunctionDef) and s.name == member for s in body)


def _plain_bases(index: Index, cls: str) -> bool:
    """Bases of the project or ``object``-like ones: ``dict.fromkeys`` or ``copy`` of a base from
    outside could build the instance in code we do not read."""
    located = index.located(cls)
    if located is None or not isinstance(located[1], ast.ClassDef):
        return cls in _NEUTRAL_BASES
    facts, statement = located
    for base in statement.bases:
        plain = base.value if isinstance(base, ast.Subscript) else base  # Generic[T]
        name = facts.resolve(_dotted(plain) or "") or _dotted(plain) or ""
        if not index.is_class(name) and name not in _NEUTRAL_BASES:
            return False
    return True


def _position(function: ast.FunctionDef, param: str) -> tuple[int | None, str] | None:
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)][1:]
    if param in positional:
        return positional.index(param), param
    return (None, param) if param in [a.arg for a in function.args.kwonlyargs] else None


Construction = tuple[
    "ast.Call | None", "FileFacts", "ast.FunctionDef | ast.AsyncFunctionDef | None", "str | None"
]


def _constructions(index: Index, building: set[str], hierarchy: set[str]) -> Iterator[Construction]:
    """Every call that runs the ``__init__`` (None first: a use that is not one we can read)."""
    # object (every class's base) is not looked for: a string "object" builds nothing of the hierarchy
    shorts = sorted({name.rsplit(".", 1)[-1] for name in (building | hierarchy) - _NEUTRAL_BASES})
    for path in index.containing(*shorts):
        tree, facts = index.parsed(path), index.facts(path)
        if tree is None or facts is None:
            yield None, facts, None, None  # type: ignore[misc]
            return
        parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        typing_only, listed = _annotation_nodes(tree), _all_strings(tree)
        for node, enclosing, owner in _uses(tree, facts):
            this = enclosing.args.args[0].arg if enclosing is not None and enclosing.args.args else ""
            parent = parents.get(id(node))
            made = _built_by_the_hierarchy(node, parent, parents, this, owner, hierarchy, facts)
            if made is not None:
                yield made, facts, enclosing, owner
                continue
            if _dotted(node) is None or facts.resolve(_dotted(node) or "") not in building:
                continue
            if isinstance(parent, ast.Call) and parent.func is node:
                yield parent, facts, enclosing, owner
            elif not _only_read(node, parent, parents, typing_only):
                yield None, facts, enclosing, owner
                return
        if any(_names_in_a_string(node, shorts) and id(node) not in listed for node in ast.walk(tree)):
            yield None, facts, None, None  # type: ignore[misc]  # getattr(module, "Match"): a call unseen
            return


def _built_by_the_hierarchy(
    node: ast.expr,
    parent: ast.AST | None,
    parents: dict[int, ast.AST],
    this: str,
    owner: str | None,
    hierarchy: set[str],
    facts: FileFacts,
) -> ast.Call | None:
    """``cls(...)``, ``type(self)(...)``, ``self.__class__(...)``, ``super().__init__(...)`` in the
    hierarchy, ``C.__init__(self, ...)`` anywhere: calls that may run the ``__init__``."""
    if not isinstance(parent, ast.Call):
        return None
    if isinstance(node, ast.Attribute) and node.attr == "__init__" and parent.func is node:
        if _super(parent):
            return parent if owner in hierarchy else None
        return parent if facts.resolve(_dotted(node.value) or "") in hierarchy else None
    if owner not in hierarchy or not this:
        return None
    outer = parents.get(id(parent))
    if isinstance(node, ast.Name) and node.id == "type" and parent.func is node:
        return outer if isinstance(outer, ast.Call) and outer.func is parent else None  # type(self)(...)
    if isinstance(node, (ast.Name, ast.Attribute)) and parent.func is node:
        mine = isinstance(node, ast.Name) and node.id == this
        return parent if mine or (isinstance(node, ast.Attribute) and node.attr == "__class__") else None
    return None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and _dotted(node.value) is not None:
        return f"{_dotted(node.value)}.{node.attr}"
    return None


def _only_read(
    node: ast.expr, parent: ast.AST | None, parents: dict[int, ast.AST], typing_only: set[int]
) -> bool:
    """A use that cannot build an instance elsewhere: a type test, an annotation, a base, ``C.attr``."""
    if id(node) in typing_only or isinstance(parent, ast.Compare):
        return True
    if isinstance(parent, ast.ClassDef):
        return node in parent.bases  # a decorator would call it
    if isinstance(parent, ast.ExceptHandler) or (isinstance(parent, ast.Attribute) and parent.value is node):
        return True  # C.from_data(...) builds through cls(...), read above
    if isinstance(parent, ast.Tuple):  # isinstance(x, (A, C)), except (A, C):
        parent, node = parents.get(id(parent)), parent  # type: ignore[assignment]
        if isinstance(parent, ast.ExceptHandler):
            return True
    return isinstance(parent, ast.Call) and _dotted(parent.func) in _TYPE_TESTS and parent.args[-1:] == [node]


def _annotation_nodes(tree: ast.Module) -> set[int]:
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            roots.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            roots.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
    return {id(inner) for root in roots for inner in ast.walk(root)}


def _all_strings(tree: ast.Module) -> set[int]:
    """The strings of ``__all__``: they name the class for ``import *``, which we read as names."""
    found: set[int] = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        named = any(_dotted(t) == "__all__" for t in targets if t)
        if isinstance(node, (ast.Assign, ast.AugAssign)) and named:
            found |= {id(inner) for inner in ast.walk(node.value)}
    return found


def _names_in_a_string(node: ast.AST, shorts: list[str]) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in shorts


def _argument(
    index: Index,
    facts: FileFacts,
    call: ast.Call,
    where: tuple[int | None, str],
    enclosing: ast.FunctionDef | ast.AsyncFunctionDef | None,
    owner: str | None,
    init_facts: FileFacts,
    init: ast.FunctionDef,
) -> set[str] | None:
    from hookwright.refactor.symbol_types import value

    position, param = where
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    explicit = isinstance(call.func, ast.Attribute) and call.func.attr == "__init__" and not _super(call)
    offset = 1 if explicit else 0  # C.__init__(self, ...)
    given = [k.value for k in call.keywords if k.arg == param]
    if position is not None and position + offset < len(call.args):
        given.append(call.args[position + offset])
    if len(given) > 1:
        return None
    if not given:  # left to its default
        default = _default(init, param)
        found = None if default is None else value(index, init_facts, default, {})
        return None if found is None else set(found)
    if enclosing is not None:
        typed = _Function(index, facts, enclosing, owner).expression(given[0], 0, set())
        if typed is not None:
            return typed
    found = value(index, facts, given[0], {}) if not isinstance(given[0], ast.Name) else None
    return None if found is None else set(found)


def _super(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and "super(" in ast.unparse(call.func.value)


def _default(function: ast.FunctionDef, param: str) -> ast.expr | None:
    positional = [*function.args.posonlyargs, *function.args.args]
    with_defaults = positional[len(positional) - len(function.args.defaults) :]
    defaults = dict(zip([a.arg for a in with_defaults], function.args.defaults, strict=True))
    keywords = zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
    defaults |= {a.arg: d for a, d in keywords if d is not None}
    return defaults.get(param)
