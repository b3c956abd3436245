"""Code that lists a namespace or looks a name up by a value built at run time (``fresh_names``).

A new function can be reached without being spelled only by such code: ``dir(m)``, ``vars(m)``,
``m.__dict__`` read other than by a spelled key, ``getattr(m, built)``, ``from m import *``,
``inspect.getmembers``, a doctest finder, a mock specced on a module, source read by ``inspect``.
Read with ``ast`` (a prefilter on bytes first: most files hold none of the hints and are not parsed).
Two lookups by a computed name are followed instead of refused, because the name is spelled where
it starts: ``__getattr__(self, name)`` forwarding ``name`` (it comes from an attribute access), and a
module function whose name parameter every caller spells (``forwarders_spelled`` checks the callers).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

# Calls whose argument at this index is an attribute name: computed, they reach any name.
_NAME_ARGUMENT = {
    "getattr": 1,
    "hasattr": 1,
    "setattr": 1,
    "delattr": 1,
    "getattr_static": 1,
    "__getattribute__": 0,
    "attrgetter": 0,
    "methodcaller": 0,
}
# Names and attributes that list a namespace, read a module's source, or find its functions.
_LISTS_NAMES = frozenset(
    {
        "getmembers",
        "getmembers_static",
        "pkgutil",
        "get_objects",
        "get_referrers",
        "getsource",
        "getsourcelines",
        "findsource",
        "getsourcefile",
        "linecache",
        "doctest",
        "DocTestFinder",
        "testmod",
        "autospec",
        "create_autospec",
        "pydoc",
    }
)
# A namespace as a dict: read by a spelled key it is a lookup; any other use lists names.
_NAMESPACES = frozenset({"__dict__", "f_globals", "f_locals"})
# Bytes one of which a file that lists names must hold: only such files are parsed.
_HINTS = (
    b"attr", b"__getattribute__", b"methodcaller", b"members", b"pkgutil", b"get_objects", b"get_referrers",
    b"source", b"linecache", b"doctest", b"DocTest", b"testmod", b"spec", b"pydoc", b"__dict__", b"f_globals",
    b"f_locals", b"__all__", b"dir", b"vars", b"globals", b"locals", b"help", b"*",
)  # fmt: skip
_FORWARDING_METHODS = frozenset({"__getattr__", "__getattribute__", "__setattr__", "__delattr__"})

Forwarder = tuple[str, int, str]  # a module function, the position and name of its name parameter


def lists_names(source: bytes) -> tuple[str | None, list[Forwarder]]:
    """Why this file may list or compute a module's names (None: it only spells them), and the
    functions that look up a name their callers pass (safe when every call spells it: ``forwarders_spelled``).
    """
    if not any(hint in source for hint in _HINTS):
        return None, []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return "it does not parse", []
    lister = _NameLister(tree)
    lister.visit(tree)
    return lister.found or _namespace_listed(tree, lister.parents), lister.forwarders


class _NameLister(ast.NodeVisitor):
    """Finds the first construct that lists names or looks one up by a value built at run time."""

    def __init__(self, tree: ast.AST) -> None:
        self.found: str | None = None
        self.forwarders: list[Forwarder] = []
        self.parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []

    def _flag(self, node: ast.AST, why: str) -> None:
        if self.found is None:
            self.found = f"line {getattr(node, 'lineno', '?')}: {why}"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if any(alias.name == "*" for alias in node.names):
            self._flag(node, f"from {node.module or '.'} import *")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _LISTS_NAMES:
            self._flag(node, node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in _LISTS_NAMES or node.attr == "__all__":
            self._flag(node, node.attr)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if node.value in _NAMESPACES:
            self._flag(node, f"{node.value!r} as a string")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        called = (
            func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        )
        if called in ("dir", "vars", "help") and isinstance(func, ast.Name) and node.args:
            self._flag(node, f"{called}() of an object")
        at = _NAME_ARGUMENT.get(called)
        if at is not None and len(node.args) > at and not self._spelled(node.args[at]):
            self._flag(node, f"{called}() with a name built at run time")
        if any(k.arg in ("spec", "spec_set", "autospec") for k in node.keywords):
            self._flag(node, "a mock specced on an object")
        self.generic_visit(node)

    def _spelled(self, node: ast.expr) -> bool:
        """A literal, or a name its callers hand in (who spells or builds it is checked there)."""
        if _literal(node):
            return True
        if not isinstance(node, ast.Name) or not self.functions:
            return False
        func = self.functions[-1]
        params = [a.arg for a in func.args.args]
        if node.id not in params or _stored(func, node.id):
            return False
        if func.name in _FORWARDING_METHODS and params.index(node.id) == 1:
            # obj.__getattr__(self, name): the name comes from an attribute access, which spells it
            # (the word search sees it) or computes it (that site is visited too).
            return True
        if (
            len(self.functions) == 1
            and self.parents.get(func) is not None
            and isinstance(self.parents[func], ast.Module)
        ):
            self.forwarders.append((func.name, params.index(node.id), node.id))
            return True
        return False


def _stored(func: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store | ast.Del)
        for n in ast.walk(func)
    )


def _literal(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _keyed(node: ast.AST, parents: Mapping[ast.AST, ast.AST]) -> bool:
    """A namespace dict read only by a spelled key (``d["k"]``, ``d.get("k")``) or tested for None."""
    up = parents.get(node)
    if isinstance(up, ast.Subscript) and up.value is node:
        return _literal(up.slice)
    if isinstance(up, ast.Attribute) and up.attr in ("get", "setdefault", "pop"):
        call = parents.get(up)
        return isinstance(call, ast.Call) and call.func is up and bool(call.args) and _literal(call.args[0])
    if isinstance(up, ast.Compare) and all(isinstance(op, ast.Is | ast.IsNot) for op in up.ops):
        return all(
            isinstance(c, ast.Constant) and c.value is None
            for c in [up.left, *up.comparators]
            if c is not node
        )
    return isinstance(up, ast.Delete)


def _namespace_listed(tree: ast.AST, parents: Mapping[ast.AST, ast.AST]) -> str | None:
    """``x.__dict__`` (or a frame's globals) used other than by spelled keys, also through a local name."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in _NAMESPACES) or _keyed(node, parents):
            continue
        held: ast.AST = node
        up = parents.get(node)
        while isinstance(up, ast.IfExp) and held is not up.test:
            held, up = up, parents.get(up)
        if isinstance(up, ast.Assign) and len(up.targets) == 1 and isinstance(up.targets[0], ast.Name):
            name, scope = up.targets[0].id, held
            while scope in parents and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
                scope = parents[scope]
            uses = [
                n
                for n in ast.walk(scope)
                if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
            ]
            if all(_keyed(use, parents) for use in uses):
                continue
        return f"line {node.lineno}: {node.attr}"
    return None


def forwarders_spelled(forwarders: Iterable[Forwarder], sources: Iterable[bytes]) -> bool:
    """Every use of each forwarding function, in every file that spells it, is a call spelling the name."""
    wanted = {name: (at, param) for name, at, param in forwarders}
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return False
        defined = {n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name in wanted}
        calls: dict[ast.AST, ast.Call] = {n.func: n for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for node in ast.walk(tree):
            name = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else None
            )
            if name not in wanted or node in defined:
                continue
            call = calls.get(node)
            if call is None:
                return False  # handed on as a value, imported under another name: not followed
            at, param = wanted[name]
            given = [k.value for k in call.keywords if k.arg == param] or call.args[at : at + 1]
            if len(given) != 1 or not _literal(given[0]):
                return False
        if any(isinstance(n, ast.alias) and n.name in wanted and n.asname for n in ast.walk(tree)):
            return False
    return True
