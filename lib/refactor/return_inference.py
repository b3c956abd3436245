"""What an unannotated function returns, when every ``return`` of it says which type (ast only).

``Table.from_data(...)`` (a classmethod ending in ``return cls(...)``) and ``Parser().parse(...)``
(``return cached`` from a dict it fills with ``self._do_parse(...)``, which returns
``self._parse(...)``, which returns ``ParsedResult(...)``) have no annotation, but their code says
what they give. Every return must be one of: ``cls(...)`` in a classmethod, ``self`` (or
``type(self)(...)``, ``self.__class__(...)``: toolz's ``curry.bind``), a call of a
class, a call of a function of the repository whose own return is known (by annotation or by these
rules, a few calls deep), a local assigned only such values, or a value read from a dict of the class
that this function alone fills with such values, or ``self.x`` where the class says what ``x`` holds.
``return`` / ``return None`` add nothing (an ``Optional`` is read as its one type). Returns of several
types give their union, as the annotation ``A | B`` would (``parse.parse`` gives a ``Result`` or a
``Match``: a receiver of neither family is left alone, one of both stays unsure). Anything else, a
generator, a coroutine or a decorator that may replace the function: None, and the call stays unknown.
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

from hookwright.refactor.class_objects import class_method_returns, instances_made

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

MAX_DEPTH = 4  # calls followed through unannotated functions; deeper is a doubt, not an answer
_KEPT_DECORATORS = {"classmethod", "staticmethod"}
_FILLING = {"setdefault", "update", "__setitem__", "fromkeys"}  # calls that store into a dict
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's body, without those of functions, lambdas or classes inside it."""
    found: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        found.append(node)
        if not isinstance(node, _SCOPES):
            todo.extend(ast.iter_child_nodes(node))
    return found


class _Function:
    def __init__(
        self,
        index: Index,
        facts: FileFacts,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        owner: str | None,
    ) -> None:
        self.index, self.facts, self.owner = index, facts, owner
        decorators = {ast.unparse(d) for d in function.decorator_list}
        self.classmethod = "classmethod" in decorators
        first = function.args.posonlyargs + function.args.args
        method = owner is not None and "staticmethod" not in decorators and bool(first)
        self.this = first[0].arg if method else None
        self.params = {
            a.arg for a in (*first, *function.args.kwonlyargs, function.args.vararg, function.args.kwarg) if a
        }
        self.named = {a.arg: a for a in (*first, *function.args.kwonlyargs)}  # not *args, **kwargs
        self.function = function
        self.nodes = own_nodes(function)

    def returns(self, depth: int) -> set[str] | None:
        found: set[str] = set()
        for node in self.nodes:
            if isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
                types = self.expression(node.value, depth, set())
                if types is None:
                    return None
                found |= types
        return found or None  # one of these types, as an annotation `A | B` says; none said is a doubt

    def expression(self, node: ast.expr, depth: int, seen: set[str]) -> set[str] | None:
        if isinstance(node, ast.IfExp):
            left, right = self.expression(node.body, depth, seen), self.expression(node.orelse, depth, seen)
            return None if left is None or right is None else left | right
        if isinstance(node, ast.Name) and node.id == self.this and not self.classmethod:
            return {self.owner} if self.owner else None
        if isinstance(node, ast.Name):
            return self.local(node.id, depth, seen)
        if isinstance(node, ast.Attribute) and _named(node.value, self.this or "") and not self.classmethod:
            return self.attribute(node.attr)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        return None

    def call(self, node: ast.Call, depth: int) -> set[str] | None:
        func = node.func
        if isinstance(func, ast.Name) and func.id == self.this and self.classmethod:
            return {self.owner} if self.owner else None
        if self._own_class(func):  # type(self)(...), self.__class__(...): what `self` is, as `return self`
            return {self.owner} if self.owner else None
        if isinstance(func, ast.Name) and self.local_class(func.id) is not None:
            return self.bases(self.local_class(func.id), depth)  # type: ignore[arg-type]
        if isinstance(func, ast.Name) and self.is_local(func.id) and func.id not in self.params:
            return instances_made(self, func, depth)  # cls = self._getTargetClass(); cls(...)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == self.this
        ):
            called = f"{self.owner}.{func.attr}"  # self.m(...) / cls.m(...): that method's return
        elif isinstance(func, (ast.Name, ast.Attribute)) and _plain(func) and not self.is_local(_head(func)):
            dotted = ast.unparse(func)
            called = self.facts.resolve(dotted) or (f"builtins.{dotted}" if hasattr(builtins, dotted) else "")
        elif isinstance(func, ast.Call):  # Middleware(Storage)(): what the instance's __call__ returns
            from hookwright.refactor.instance_calls import called_instance

            return called_instance(self.index, self.expression(func, depth, set()), depth + 1)
        elif isinstance(func, ast.Attribute):  # Parser().parse(...), parser.parse(...): by the receiver
            receiver = self.expression(func.value, depth, set())
            if receiver is None or len(receiver) != 1 or not self.index.is_class(min(receiver)):
                return class_method_returns(self, func, depth)  # cls = self._getTargetClass(); cls.blank(...)
            called = f"{min(receiver)}.{func.attr}"
        else:
            return None
        return _called(self.index, called, depth)

    def _own_class(self, func: ast.expr) -> bool:
        if self.this is None or self.classmethod:
            return False
        if isinstance(func, ast.Attribute):
            return func.attr == "__class__" and _named(func.value, self.this)
        return (
            isinstance(func, ast.Call)
            and _named(func.func, "type")
            and len(func.args) == 1
            and not func.keywords
            and _named(func.args[0], self.this)
            and not self.is_local("type")
        )

    def parameter(self, name: str) -> set[str] | None:
        """A parameter the function does not bind again: its annotation, else what its callers pass."""
        from hookwright.refactor.symbol_types import annotation
        from hookwright.refactor.untyped_params import parameter_holds

        arg = self.named.get(name)
        if arg is None or any(
            isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in self.nodes
        ):
            return None
        if arg.annotation is not None:
            found = annotation(self.facts, arg.annotation)
            return set(found) if found else None
        module = self.facts.module.name
        qualified = f"{self.owner}.{self.function.name}" if self.owner else f"{module}.{self.function.name}"
        located = self.index.located(qualified)
        if located is None or located[1] is not self.function:
            return None  # a function inside a function: its callers are not read
        found = parameter_holds(self.index, qualified, name)
        return set(found) if found else None

    def attribute(self, attr: str) -> set[str] | None:
        """``self.parser``: what the class declares or stores there (symbol_types), when all is known."""
        from hookwright.refactor.symbol_types import instance_attribute

        found = instance_attribute(self.index, self.owner, attr) if self.owner else None
        return set(found) if found else None

    def local_class(self, name: str) -> ast.ClassDef | None:
        """The class this function defines under ``name``, when nothing else binds the name."""
        classes = [n for n in self.nodes if isinstance(n, ast.ClassDef) and n.name == name]
        others = [
            n
            for n in self.nodes
            if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
        ]
        return classes[0] if len(classes) == 1 and not others and name not in self.params else None

    def bases(self, cls: ast.ClassDef, depth: int) -> set[str] | None:
        """An instance of a local class is one of its bases' (``class Cache(self.Cache)``): their union."""
        found: set[str] = set()
        for base in cls.bases:
            on_self = isinstance(base, ast.Attribute) and _named(base.value, self.this or "")
            if on_self and self.owner:
                types = _called(self.index, f"{self.owner}.{base.attr}", depth)  # type: ignore[attr-defined]
            elif (
                isinstance(base, (ast.Name, ast.Attribute))
                and _plain(base)
                and not self.is_local(_head(base))
            ):
                resolved = self.facts.resolve(ast.unparse(base))
                types = {resolved} if resolved and self.index.is_class(resolved) else None
            else:
                types = None
            if types is None:
                return None
            found |= types
        return found or None

    def is_local(self, name: str) -> bool:
        """A parameter or a name the function binds: not the module-level name it may shadow."""
        return name in self.params or any(
            (isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load))
            or _binds_otherwise(n, name)
            for n in self.nodes
        )

    def local(self, name: str, depth: int, seen: set[str]) -> set[str] | None:
        """A local name: every binding of it in the function is an assignment of a known type."""
        if name in self.params:
            return self.parameter(name)
        if name in seen:
            return None
        values: list[ast.expr] = []
        for node in self.nodes:
            if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
                values += self._assigned(node)
            elif _binds_otherwise(node, name):
                return None
        if not values or any(v is None for v in values):
            return None
        found: set[str] = set()
        for value in values:
            types = self.cached_read(value, depth) if _reads_a_dict(value) else None
            types = types or self.expression(value, depth, seen | {name})
            if types is None:
                return None
            found |= types
        return found

    def _assigned(self, target: ast.Name) -> list[ast.expr]:
        for node in self.nodes:
            if isinstance(node, ast.Assign) and any(t is target for t in node.targets):
                return [node.value]
        return [None]  # type: ignore[list-item]  # a loop, a with, an unpacking, a walrus: not read

    def cached_read(self, node: ast.expr, depth: int) -> set[str] | None:
        """``self._CACHE.get(key)`` / ``self._CACHE[key]``: what this function alone stores in it."""
        holder = node.func.value if isinstance(node, ast.Call) else node.value  # type: ignore[attr-defined]
        if not (isinstance(holder, ast.Attribute) and isinstance(holder.value, ast.Name)):
            return None
        if holder.value.id != self.this or self.owner is None or not _only_filled_here(self, holder.attr):
            return None
        found: set[str] = set()
        for store in self.nodes:
            if isinstance(store, ast.Assign) and _stores_into(store, self.this, holder.attr):
                types = self.expression(store.value, depth, set())
                if types is None:
                    return None
                found |= types
        return found or None


def _binds_otherwise(node: ast.AST, name: str) -> bool:
    """``global name``, ``except E as name``, ``import m as name``, ``def name``: not an assignment."""
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    if isinstance(node, ast.alias):
        return (node.asname or node.name.partition(".")[0]) == name
    return isinstance(node, (ast.ExceptHandler, *_SCOPES)) and getattr(node, "name", None) == name


def _only_filled_here(function: _Function, attr: str) -> bool:
    """The class binds ``attr`` once, to ``{}``, and no other method stores into it or rebinds it."""
    located = function.index.located(f"{function.owner}")
    if located is None or not isinstance(located[1], ast.ClassDef):
        return False
    cls = located[1]
    declared = [s for s in cls.body if isinstance(s, ast.Assign) and any(_named(t, attr) for t in s.targets)]
    if len(declared) != 1 or not isinstance(declared[0].value, ast.Dict) or declared[0].value.keys:
        return False
    mine = {id(node) for node in function.nodes}
    for node in ast.walk(cls):
        if not isinstance(node, ast.Attribute) or node.attr != attr or id(node) in mine:
            continue
        if not isinstance(node.ctx, ast.Load):
            return False  # self._CACHE = ... in another method
    for node in ast.walk(cls):
        stores = isinstance(node, (ast.Assign, ast.AugAssign)) and id(node) not in mine
        targets = getattr(node, "targets", [getattr(node, "target", None)])
        if stores and any(isinstance(t, ast.Subscript) and _is_attr(t.value, attr) for t in targets):
            return False
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and _is_attr(func.value, attr) and func.attr in _FILLING:
            return False
    return True


def _stores_into(node: ast.Assign, this: str | None, attr: str) -> bool:
    return any(
        isinstance(t, ast.Subscript)
        and isinstance(t.value, ast.Attribute)
        and t.value.attr == attr
        and ast.unparse(t.value.value) == this
        for t in node.targets
    )


def _reads_a_dict(node: ast.expr) -> bool:
    if isinstance(node, ast.Subscript):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and (len(node.args) == 1 or (len(node.args) == 2 and _is_none(node.args[1])))
        and not node.keywords
    )


def _is_attr(node: ast.expr, attr: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == attr


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _plain(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _head(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _called(index: Index, called: str, depth: int) -> set[str] | None:
    """What calling ``called`` gives: an instance of a class, or a function's known return."""
    from hookwright.refactor.receiver_types import is_stdlib_class
    from hookwright.refactor.symbol_index import returned

    if not called:
        return None
    kind = index.is_class(called)
    if kind:
        located = index.located(called)
        makes_itself = located is not None and "__new__" not in _members(located[1])
        return {called} if makes_itself else None  # a __new__ may hand back anything
    if kind is None:
        builtin = called.startswith("builtins.") and isinstance(getattr(builtins, called[9:], None), type)
        return {called} if builtin or is_stdlib_class(called) else None
    return returned(index, called, depth + 1) if depth < MAX_DEPTH else None


def _members(cls: ast.AST) -> set[str]:
    return {getattr(s, "name", "") for s in getattr(cls, "body", [])}


def inferred(
    index: Index, facts: FileFacts, function: ast.AST, owner: str | None, depth: int
) -> set[str] | None:
    """The one type every return of ``function`` gives (``owner``: the class it is called on), or None."""
    if not isinstance(function, ast.FunctionDef) or depth > MAX_DEPTH:
        return None  # async def: the call gives a coroutine
    decorators = [ast.unparse(d) for d in function.decorator_list]
    if any(d not in _KEPT_DECORATORS for d in decorators):
        return None
    found = _Function(index, facts, function, owner)
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in found.nodes):
        return None
    return found.returns(depth)
