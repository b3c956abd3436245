"""How a file uses a name it never defines: what the name must be, and where its import belongs.

Read from the AST (and from string annotations, parsed the way type checkers read them): the
attribute chains read off the name (``os.path.join`` -> ``("path", "join")``), whether it is called
or awaited, whether every use is one the interpreter never evaluates (a string annotation, any
annotation under ``from __future__ import annotations``: what ``if TYPE_CHECKING:`` imports serve),
and the one function all uses sit in, if there is one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from hookwright.future_imports import lazy_annotations
from hookwright.heal.import_guards import guard_of

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Usage:
    chains: tuple[tuple[str, ...], ...]  # one per use; () for a bare use
    called: bool
    awaited: bool
    type_only: bool  # never evaluated at run time
    function: Function | None  # the innermost function holding every use, when there is one
    guarded: bool = False  # every use runs only on some interpreters (import_guards)
    versioned: bool = False  # every use is in a branch chosen by the interpreter's version
    probes: int = 0  # `hasattr(name, "x")`, `getattr(name, "x", default)`: "x" may be missing

    @property
    def as_module(self) -> bool:
        """Read only as ``name.attr``: how a module is used (a class or function is called too)."""
        return bool(self.chains or self.probes) and all(self.chains) and not self.called


def _annotations(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            yield node.annotation
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            yield node.returns
        elif isinstance(node, ast.AnnAssign):
            yield node.annotation


def _string_trees(annotation: ast.expr) -> Iterator[ast.expr]:
    for node in ast.walk(annotation):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                yield ast.parse(node.value.strip(), mode="eval").body
            except (SyntaxError, ValueError):
                continue


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _chain(node: ast.Name, parents: dict[int, ast.AST]) -> tuple[tuple[str, ...], ast.AST | None]:
    chain: list[str] = []
    current: ast.AST = node
    parent = parents.get(id(current))
    while isinstance(parent, ast.Attribute) and parent.value is current:
        chain.append(parent.attr)
        current, parent = parent, parents.get(id(parent))
    return tuple(chain), parent if not chain else None


def _read_by_name(node: ast.Name, parent: ast.AST | None) -> tuple[tuple[str, ...] | None, bool]:
    """``getattr(name, "x")`` reads ``name.x`` (the chain ``("x",)``); ``hasattr(name, "x")`` or
    ``getattr(name, "x", default)`` probes for an attribute that may be missing (True: a probe)."""
    if not (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id in ("getattr", "hasattr")
        and len(parent.args) in (2, 3)
        and parent.args[0] is node
        and isinstance(parent.args[1], ast.Constant)
        and isinstance(parent.args[1].value, str)
        and parent.args[1].value.isidentifier()
        and not parent.keywords
    ):
        return None, False
    if parent.func.id == "getattr" and len(parent.args) == 2:
        return (parent.args[1].value,), False
    return None, parent.func.id == "hasattr" or len(parent.args) == 3


def _enclosing_function(node: ast.AST, parents: dict[int, ast.AST]) -> Function | None:
    """The function whose body holds ``node`` (its signature and decorators belong to the scope outside)."""
    previous, current = node, parents.get(id(node))
    while current is not None:
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            previous is s for s in current.body
        ):
            return current
        previous, current = current, parents.get(id(current))
    return None


def _binds_locally(function: Function, name: str) -> bool:
    """The function gives ``name`` a value of its own (a parameter, an import, an assignment)."""
    arguments = function.args
    params = [
        *arguments.posonlyargs,
        *arguments.args,
        *arguments.kwonlyargs,
        arguments.vararg,
        arguments.kwarg,
    ]
    if any(p is not None and p.arg == name for p in params):
        return True
    for node in ast.walk(function):
        if isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            return False
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.Import | ast.ImportFrom) and any(
            (a.asname or a.name.split(".")[0]) == name for a in node.names
        ):
            return True
    return False


def _bound_here(node: ast.AST, name: str, parents: dict[int, ast.AST]) -> bool:
    """A function whose body holds ``node`` binds ``name`` (its signature runs in the scope outside:
    ``def f(d: str | Discriminator)`` reads the module's name even when ``f`` imports its own)."""
    function = _enclosing_function(node, parents)
    while function is not None:
        if _binds_locally(function, name):
            return True
        function = _enclosing_function(function, parents)
    return False


def usage(tree: ast.Module, name: str) -> Usage:
    """How the file reads ``name`` where nothing defines it (uses a function binds itself are left out)."""
    parents = _parents(tree)
    annotation_nodes = {id(n) for a in _annotations(tree) for n in ast.walk(a)}
    block = type_checking_block(tree)
    # What `if TYPE_CHECKING:` holds (`class Visitor(te.Protocol)`) never runs either.
    # (its test runs: `TYPE_CHECKING` itself is read at run time)
    checking_only = {id(n) for s in block.body for n in ast.walk(s)} if block is not None else set()
    future = lazy_annotations(tree)
    chains: list[tuple[str, ...]] = []
    called = awaited = False
    probes = 0
    type_only = True
    guards: set[str | None] = set()
    functions: set[int] = set()
    holders: dict[int, Function | None] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        if _bound_here(node, name, parents):
            continue
        chain, parent = _chain(node, parents)
        named, probe = _read_by_name(node, parent) if not chain else (None, False)
        if probe:
            probes += 1
        else:
            chains.append(named or chain)
        if isinstance(parent, ast.Call) and parent.func is node:
            called = True
            awaited = awaited or isinstance(parents.get(id(parent)), ast.Await)
        function = _enclosing_function(node, parents)
        in_annotation = id(node) in annotation_nodes
        local_variable = (
            in_annotation and function is not None and isinstance(parents.get(id(node)), ast.AnnAssign)
        )
        never_run = id(node) in checking_only or (in_annotation and (future or local_variable))
        type_only = type_only and never_run
        guards.add(guard_of(node, parents))
        functions.add(id(function))
        holders[id(function)] = function
    for annotation in _annotations(tree):
        for parsed in _string_trees(annotation):
            inner = _parents(parsed)
            for node in ast.walk(parsed):
                if isinstance(node, ast.Name) and node.id == name:
                    chains.append(_chain(node, inner)[0])
                    guards.add(guard_of(annotation, parents))
                    owner = _enclosing_function(annotation, parents)
                    functions.add(id(owner))
                    holders[id(owner)] = owner
    only = holders[next(iter(functions))] if len(functions) == 1 else None
    found = bool(chains) or probes > 0
    guarded = found and None not in guards
    versioned = guards == {"version"}
    return Usage(tuple(chains), called, awaited, type_only and found, only, guarded, versioned, probes)


def type_checking_block(tree: ast.Module) -> ast.If | None:
    """The module-level ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``) block, when there is one.

    Its ``else:`` (fsspec's ``P = ParamSpec("P")`` / ``else: P = TypeVar("P")``) runs, and is not
    part of it; the body is still where the file's type-only imports live."""
    for node in tree.body:
        if isinstance(node, ast.If):
            test = node.test
            if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
            ):
                return node
    return None


def nested_imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, Function]]:
    """Imports written inside function bodies, with their function: a file that imports lazily."""
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            function = _enclosing_function(node, parents)
            if function is not None:
                found.append((node, function))
    return found
