"""A Python file as its import-time skeleton and its function bodies, for test selection by coverage.

Only a function's *body* runs when it is called; everything else in a file (module statements,
class bodies, decorators, default arguments, signatures, docstrings) runs when the module is
imported, and so reaches every test that imports it. A change that leaves the skeleton alone
and edits bodies can be matched to the tests that ran those bodies; any other change cannot.

Bodies are compared as syntax trees, not text: comments and blank lines change nothing a test can
run. A function is named by its qualified name (``Class.method``), a second definition of the same
name by ``#2``, and functions nested in a body belong to the outermost one.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterable, Iterator, Sequence

from hookwright.frozen import dataclass

# Decorators that neither remember results nor run the body at import time: the body of a function
# wearing only these runs exactly when it is called. Any other (functools.cache, a registry, a
# framework's command) may hand one test what another test's call computed: not matched by lines.
_PLAIN_DECORATORS = frozenset(
    {
        "property",
        "setter",
        "getter",
        "deleter",
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "contextmanager",
        "asynccontextmanager",
        "wraps",
        "overload",
        "override",
        "final",
    }
)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Body:
    key: str
    first: int  # line of the first statement after the docstring
    last: int
    shape: str  # the statements' syntax tree, without positions
    plain: bool  # no decorator that could remember or pre-run it


@dataclass(frozen=True)
class Units:
    skeleton: str  # the module's syntax tree with every body emptied, without positions
    bodies: tuple[Body, ...]

    def line_map(self) -> LineMap:
        return LineMap(self.bodies)


class LineMap:
    """Line number -> the body it lies in (None: not inside any body)."""

    def __init__(self, bodies: Sequence[Body]) -> None:
        ordered = sorted(bodies, key=lambda b: b.first)
        self._firsts = [b.first for b in ordered]
        self._bodies = ordered

    def key(self, line: int) -> str | None:
        at = bisect.bisect_right(self._firsts, line) - 1
        if at < 0:
            return None
        body = self._bodies[at]
        return body.key if line <= body.last else None

    def keys(self, lines: Iterable[int]) -> set[str]:
        """The bodies these lines lie in."""
        return {k for k in map(self.key, lines) if k is not None}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


_Function = ast.FunctionDef | ast.AsyncFunctionDef


def _outermost(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, _Function]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, _FUNCTIONS):
            yield f"{prefix}{node.name}", node
        elif isinstance(node, ast.ClassDef):
            yield from _outermost(node, f"{prefix}{node.name}.")
        elif not isinstance(node, ast.expr):
            # if/try/with blocks at module or class level: definitions inside them count too.
            yield from _outermost(node, prefix)


def _split(func: _Function) -> list[ast.stmt] | None:
    """The statements after the docstring, when they start below the ``def`` line (else None)."""
    body = func.body
    has_doc = isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant)
    rest = body[1:] if has_doc and isinstance(body[0].value.value, str) else body  # type: ignore[attr-defined]
    if not rest or rest[0].lineno <= func.lineno:
        return None
    return rest


def units(source: bytes | str) -> Units | None:
    """The skeleton and bodies of a module; None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    bodies: list[Body] = []
    seen: dict[str, int] = {}
    for name, func in list(_outermost(tree)):
        rest = _split(func)
        if rest is None:
            continue  # a one-line function: its body is on the line that runs at import
        seen[name] = seen.get(name, 0) + 1
        key = name if seen[name] == 1 else f"{name}#{seen[name]}"
        shape = ast.dump(ast.Module(body=rest, type_ignores=[]))
        plain = all(_decorator_name(d) in _PLAIN_DECORATORS for d in func.decorator_list)
        last = max(getattr(n, "end_lineno", None) or n.lineno for n in rest)
        bodies.append(Body(key, rest[0].lineno, last, shape, plain))
        func.body = func.body[: len(func.body) - len(rest)] or [ast.Pass()]
    return Units(ast.dump(tree), tuple(bodies))


def changed_bodies(old: bytes | str, new: bytes | str) -> set[str] | None:
    """The bodies a change edits; None when it edits more than bodies (or either side is unsure).

    Unsure: the skeleton differs, a file does not parse, or an edited body has a decorator that may
    remember results (its body need not run in a test that depends on it).
    """
    before, after = units(old), units(new)
    if before is None or after is None or before.skeleton != after.skeleton:
        return None
    now = {b.key: b for b in after.bodies}
    changed = set()
    for body in before.bodies:
        other = now.get(body.key)
        if other is None:
            return None
        if other.shape != body.shape:
            if not (body.plain and other.plain):
                return None
            changed.add(body.key)
    if len(now) != len(before.bodies):
        return None
    return changed


ONE_LINE = "\0one-line"  # a one-line function remembers: its calls are in no record (no body)
# Methods that change the container they are called on.
_MUTATORS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "remove", "discard"}
    | {"clear", "appendleft", "extendleft", "put", "put_nowait", "__setitem__", "register", "connect"}
)


def _module_names(tree: ast.Module) -> set[str]:
    """Names module-level statements bind (in ``if``/``try``/``with``/``for`` blocks there too)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)  # (what its body binds is its own)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return names


def _root(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _changes_shared(node: ast.AST, shared: set[str]) -> bool:
    """``node`` rebinds a global, or changes what a shared name holds (item, attribute, contents)."""
    if isinstance(node, ast.Global | ast.Nonlocal):
        return True
    if isinstance(node, ast.Attribute | ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
        return _root(node.value) in shared
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Attribute):
        return node.func.attr in _MUTATORS and _root(node.func.value) in shared
    setter = isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr")
    return setter and bool(node.args) and _root(node.args[0]) in shared


def remembering_bodies(source: bytes | str) -> set[str] | None:
    """Bodies that may keep what they compute past their call, for the tests after: a decorator that
    may remember (``functools.cache``), a ``global`` or ``nonlocal``, or a change to what a
    module-level name (or ``cls``) holds. ``ONE_LINE`` when a one-line function does; None when the
    file does not parse. Not seen: state kept through another name (``self.cache``, an alias).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    shared = _module_names(tree) | {"cls"}
    found: set[str] = set()
    seen: dict[str, int] = {}
    for name, func in list(_outermost(tree)):
        plain = all(_decorator_name(d) in _PLAIN_DECORATORS for d in func.decorator_list)
        remembers = not plain or any(_changes_shared(n, shared) for n in ast.walk(func))
        if _split(func) is None:
            if remembers:
                found.add(ONE_LINE)
            continue
        seen[name] = seen.get(name, 0) + 1
        if remembers:
            found.add(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return found
