"""What the project's own declarations say a module variable or an instance attribute holds (ast only).

A receiver is often neither a parameter nor a local: ``flask.g`` (``g: _AppCtxGlobals = ...`` in
another module), ``self.plugins`` (``self.plugins: dict[str, object] = {}`` in an ``__init__`` the
reduced tree left out), ``self.spec.opts``. Their declarations are read here from Python's ast of the
file that makes them: an annotation, a constructor call, a literal, a function whose return is
annotated, a parameter whose annotation is passed on (``self.spec = spec``). Each answer is the list of
the types it may be (qualified names, one per alternative), or None when some declaration says
nothing we can read: one unreadable assignment makes the whole answer unknown.
"""

from __future__ import annotations

import ast
import builtins
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hookwright.refactor.symbol_facts import FileFacts, class_members

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

_LITERALS = {
    ast.Dict: "builtins.dict",
    ast.DictComp: "builtins.dict",
    ast.List: "builtins.list",
    ast.ListComp: "builtins.list",
    ast.Set: "builtins.set",
    ast.SetComp: "builtins.set",
    ast.Tuple: "builtins.tuple",
    ast.JoinedStr: "builtins.str",
}
_WRAPPERS = {"Optional", "ClassVar", "Final", "Annotated", "Required", "NotRequired", "ReadOnly"}
METHODS = (ast.FunctionDef, ast.AsyncFunctionDef)
CLASS_OF = {"builtins.type", "typing.Type", "typing_extensions.Type"}  # type[X]: the class X or a subclass


def runtime_name(name: str) -> str:
    """``typing.Dict`` -> ``builtins.dict``, ``typing.Mapping`` -> ``collections.abc.Mapping``."""
    module, _, attr = name.rpartition(".")
    if module not in ("typing", "typing_extensions"):
        return name
    origin = getattr(getattr(typing, attr, None), "__origin__", None)
    return f"{origin.__module__}.{origin.__qualname__}" if isinstance(origin, type) else name


def _resolved(facts: FileFacts, dotted: str) -> str:
    found = facts.resolve(dotted) or (f"builtins.{dotted}" if hasattr(builtins, dotted) else dotted)
    return runtime_name(found)


def annotation(facts: FileFacts, node: ast.expr | None) -> list[str] | None:
    """The types an annotation written in ``facts``' module allows (None dropped), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return annotation(facts, ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return None
    if isinstance(node, ast.Constant) and node.value is None:
        return []
    if isinstance(node, (ast.Name, ast.Attribute)):
        return [_resolved(facts, ast.unparse(node))]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = annotation(facts, node.left), annotation(facts, node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Subscript):
        head = ast.unparse(node.value).rsplit(".", 1)[-1]
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head in _WRAPPERS:
            return annotation(facts, inner[0])
        if head == "Union":
            parts = [annotation(facts, element) for element in inner]
            return None if any(p is None for p in parts) else [n for p in parts for n in p or ()]
        return annotation(facts, node.value)  # dict[str, int]: a dict
    return None


def value(index: Index, facts: FileFacts, node: ast.expr, params: dict[str, ast.arg]) -> list[str] | None:
    """The types an assigned value has: a literal, a constructor, an annotated function, a parameter."""
    if type(node) in _LITERALS:
        return [_LITERALS[type(node)]]
    if isinstance(node, ast.Constant):
        return [] if node.value is None else [f"builtins.{type(node.value).__name__}"]
    if isinstance(node, ast.Name) and node.id in params:
        return annotation(facts, params[node.id].annotation)
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in params:
        return _method_returns(index, facts, params[func.value.id], func.attr)
    if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
        called = _resolved(facts, ast.unparse(node.func))
        kind = index.is_class(called)
        if kind is False:  # a function of the project: its return annotation
            from hookwright.refactor.symbol_index import returned

            found = returned(index, called)
            return None if found is None else sorted(runtime_name(name) for name in found)
        return [called] if kind or _is_class_outside(called) else None
    generic = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Subscript) else None
    if isinstance(generic, (ast.Name, ast.Attribute)):  # Ruler[RuleFunc](): an instance of the class
        called = _resolved(facts, ast.unparse(generic))
        return [called] if index.is_class(called) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Call):  # Middleware(Storage)(): __call__
        from hookwright.refactor.instance_calls import called_instance

        made = called_instance(index, value(index, facts, node.func, params))
        return None if made is None else sorted(made)
    return None


def _method_returns(index: Index, facts: FileFacts, param: ast.arg, method: str) -> list[str] | None:
    """``environment._tokenize(...)`` of a parameter annotated ``"Environment"``: what the method of
    each class the annotation allows says it returns."""
    from hookwright.refactor.symbol_index import returned

    classes = annotation(facts, param.annotation) if param.annotation is not None else None
    if not classes or not all(index.is_class(cls) for cls in classes):
        return None
    found = [returned(index, f"{cls}.{method}") for cls in classes]
    return (
        None if any(f is None for f in found) else sorted({runtime_name(n) for f in found for n in f or ()})
    )


def _is_class_outside(name: str) -> bool:
    from hookwright.refactor.receiver_types import is_stdlib_class

    return is_stdlib_class(name)


def module_variable(index: Index, qualified: str) -> list[str] | None:
    """What a module-level name of the project is declared to hold (``flask.globals.g``)."""
    located = index.located(qualified)
    if located is None:
        return None
    facts, statement = located
    return _declared(index, facts, [statement], qualified.rsplit(".", 1)[-1], {})


def instance_attribute(index: Index, cls: str, attr: str) -> list[str] | None:
    """What ``self.attr`` holds in a class of the project (or a base it inherits it from)."""
    from hookwright.refactor.symbol_index import ancestors

    for owner in [cls, *sorted(ancestors(index, cls))]:
        located = index.located(owner)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        facts, statement = located
        member = (class_members(statement) or {}).get(attr)
        if isinstance(member, METHODS) and is_property(member):  # what reading it gives, as annotated
            return annotation(facts, member.returns) or None
        found = class_declarations(statement, attr)
        if found:
            answers = [_bound(index, facts, owner, attr, *binding) for binding in found]
            if any(a is None for a in answers):
                return _stub_attribute(index, owner, attr)
            return sorted({name for a in answers for name in a or ()})
        if _stub_attribute(index, owner, attr) is not None:
            return _stub_attribute(index, owner, attr)
    return None


def is_property(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    names = {ast.unparse(d).rsplit(".", 1)[-1] for d in function.decorator_list}
    return bool(names & {"property", "cached_property"})


def _stub_attribute(index: Index, cls: str, attr: str) -> list[str] | None:
    """``attr: T`` in the class's body in its module's stub (stub_declarations)."""
    from hookwright.refactor.stub_declarations import stub_attribute

    found = stub_attribute(index, cls, attr)
    return (annotation(*found) or None) if found is not None else None


Binding = tuple[ast.stmt, dict[str, ast.arg], "ast.FunctionDef | ast.AsyncFunctionDef | None"]


def class_declarations(cls: ast.ClassDef, attr: str) -> list[Binding]:
    """Statements of a class that bind ``attr`` (class body) or ``self.attr`` (its methods)."""
    found: list[Binding] = []
    member = (class_members(cls) or {}).get(attr)
    if isinstance(member, (ast.Assign, ast.AnnAssign)):
        found.append((member, {}, None))
    for method in cls.body:
        if not isinstance(method, METHODS) or not method.args.args:
            continue
        this = method.args.args[0].arg
        params = {a.arg: a for a in (*method.args.posonlyargs, *method.args.args, *method.args.kwonlyargs)}
        for node in ast.walk(method):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and any(
                _is_self_attribute(t, this, attr) for t in targets
            ):
                found.append((node, params, method))
    return found


def _is_self_attribute(node: ast.expr | None, this: str, attr: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == attr
        and isinstance(node.value, ast.Name)
        and node.value.id == this
    )


def _bound(
    index: Index,
    facts: FileFacts,
    owner: str,
    attr: str,
    node: ast.stmt,
    params: dict[str, ast.arg],
    method: ast.FunctionDef | ast.AsyncFunctionDef | None,
) -> list[str] | None:
    """What one binding of ``self.attr`` stores; ``self.x = x`` of an untyped parameter: untyped_params."""
    stored = bound_value(node, attr) if isinstance(node, ast.Assign) else None
    untyped = isinstance(stored, ast.Name) and stored.id in params and params[stored.id].annotation is None
    if isinstance(method, ast.FunctionDef) and isinstance(stored, ast.Name) and untyped:
        from hookwright.refactor.untyped_params import stored_parameter

        return stored_parameter(index, owner, method, stored.id)
    return _declared(index, facts, [node], attr, params)


def bound_value(statement: ast.Assign, name: str) -> ast.expr | None:
    """What an assignment gives ``name`` (a name, or the attribute ``x.name``): its value, or in
    ``a, b = A(), B()`` the element at the name's place; None when places cannot be paired (a starred
    target or value, lengths that differ, a value that is not a literal tuple or list): the value is
    the whole tuple only for a target that is the name itself."""
    for target in statement.targets:
        if _names(target, name):
            return statement.value
        if not isinstance(target, (ast.Tuple, ast.List)) or not any(_names(e, name) for e in target.elts):
            continue
        given = statement.value
        if not isinstance(given, (ast.Tuple, ast.List)) or len(given.elts) != len(target.elts):
            return None
        if any(isinstance(e, ast.Starred) for e in (*target.elts, *given.elts)):
            return None
        return next(g for t, g in zip(target.elts, given.elts, strict=True) if _names(t, name))
    return None


def _names(target: ast.expr, name: str) -> bool:
    return (isinstance(target, ast.Name) and target.id == name) or (
        isinstance(target, ast.Attribute) and target.attr == name
    )


def _declared(
    index: Index, facts: FileFacts, statements: Iterable[ast.stmt], name: str, params: dict[str, ast.arg]
) -> list[str] | None:
    found: list[str] = []
    for statement in statements:
        if isinstance(statement, ast.AnnAssign):
            answer = annotation(facts, statement.annotation)
        elif isinstance(statement, ast.Assign):
            given = bound_value(statement, name)
            answer = None if given is None else value(index, facts, given, params)
        else:  # x += ..., a def, a class, an import: not a declaration we read
            return None
        if answer is None:
            return None
        found += answer
    return found


def with_stdlib_bases(classes: set[str]) -> set[str]:
    """``classes`` and every class a standard-library one among them derives from (MutableMapping ->
    Mapping, Collection, ...): a value annotated with any of them may be an instance of the family."""
    from hookwright.refactor.receiver_types import stdlib_class

    found = set(classes)
    for name in classes:
        cls = stdlib_class(name)
        if cls is not None:
            found |= {f"{base.__module__}.{base.__qualname__}" for base in cls.__mro__}
    return found
