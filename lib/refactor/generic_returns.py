"""What a generic function's call gives when its signature says: ``def get(self, interface: Type[T])
-> T`` returns an instance of the class passed as ``interface`` (injector's ``injector.get(
AssistedBuilder[A])`` is an ``AssistedBuilder``). Only that shape: the return annotation is a bare
type variable (``T = TypeVar(...)`` in the project) and exactly one parameter is
annotated ``Type[T]`` / ``type[T]``; the argument must name a class (``A``, ``mod.A``, the generic
alias ``A[int]``, or a local name bound once to one of those). Anything else, a parameter, a call,
a name bound twice: nothing is said, and the site stays what it was (unsure)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hookwright.refactor.receiver_types import Verdict

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_TYPES = {"Type", "type"}
_MAX_HOPS = 3  # local names followed to the class they are bound to


def class_parameter(index: Index, function: str, on_instance: bool) -> tuple[str, int | None] | None:
    """The parameter whose class a call of ``function`` makes an instance of, and its place among a
    call's positional arguments (None: keyword-only). ``on_instance``: called as ``obj.method(...)``,
    so ``self`` is not among the arguments (a classmethod's ``cls`` never is)."""
    located = _located(index, function)
    if located is None:
        return None
    facts, statement = located
    variable = _type_variable(index, facts, statement.returns)
    if variable is None:
        return None
    decorators = {ast.unparse(d) for d in statement.decorator_list}
    positional = statement.args.posonlyargs + statement.args.args
    if (on_instance and "staticmethod" not in decorators) or "classmethod" in decorators:
        positional = positional[1:]  # self / cls, given by the call's receiver
    places = {arg.arg: number for number, arg in enumerate(positional)}
    given = [
        arg
        for arg in (*positional, *statement.args.kwonlyargs)
        if _names_class_of(facts, arg.annotation, variable)
    ]
    others = _others(statement, given[0]) if len(given) == 1 else []
    if len(given) != 1 or any(_mentions(facts, arg.annotation, variable) for arg in others):
        return None  # two places could give T, or T inside another parameter's type: not read
    return given[0].arg, places.get(given[0].arg)


def _located(index: Index, function: str) -> tuple[FileFacts, ast.FunctionDef] | None:
    from hookwright.refactor.symbol_index import located_member

    located = located_member(index, function)
    if located is None or not isinstance(located[1], ast.FunctionDef):
        return None  # an async def gives a coroutine
    if not all(_keeps_signature(index, located[0], d) for d in located[1].decorator_list):
        return None  # a decorator may replace the function (and an @overload is one of several)
    return located[0], located[1]


def _keeps_signature(index: Index, facts: FileFacts, decorator: ast.expr) -> bool:
    """``classmethod``, or a decorator of the project whose annotations say it hands back what it is
    given: ``def d(f: F) -> F`` used as ``@d``, ``def d(lock) -> Callable[[F], F]`` used as ``@d(...)``
    (injector's ``@synchronized(lock)``), where F is a type variable."""
    if ast.unparse(decorator) in ("staticmethod", "classmethod"):
        return True
    called = decorator.func if isinstance(decorator, ast.Call) else decorator
    qualified = facts.resolve(ast.unparse(called)) if isinstance(called, (ast.Name, ast.Attribute)) else None
    located = index.located(qualified) if qualified else None
    if located is None or not isinstance(located[1], ast.FunctionDef):
        return False
    home, function = located
    returns = function.returns
    if isinstance(decorator, ast.Call):  # -> Callable[[F], F]
        shape = returns.slice if isinstance(returns, ast.Subscript) else None
        parts = shape.elts if isinstance(shape, ast.Tuple) and len(shape.elts) == 2 else None
        given = parts[0].elts if parts and isinstance(parts[0], ast.List) else None
        kept = [given[0], parts[1]] if parts and given and len(given) == 1 else None
        callable_ = isinstance(returns, ast.Subscript) and ast.unparse(returns.value).endswith("Callable")
    else:  # (f: F) -> F
        first = (function.args.posonlyargs + function.args.args)[:1]
        kept = [first[0].annotation, returns] if first and first[0].annotation is not None else None
        callable_ = True
    variables = {_type_variable(index, home, part) for part in kept or ()}
    return bool(kept and callable_) and len(variables) == 1 and None not in variables


def _type_variable(index: Index, facts: FileFacts, returns: ast.expr | None) -> str | None:
    """The qualified name of the type variable a return annotation is, alone (``-> T``), or None."""
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        try:
            returns = ast.parse(returns.value, mode="eval").body
        except SyntaxError:
            return None
    qualified = facts.resolve(returns.id) if isinstance(returns, ast.Name) else None
    located = index.located(qualified) if qualified else None
    statement = located[1] if located is not None else None
    made = statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
    if isinstance(made, ast.Call) and ast.unparse(made.func).rsplit(".", 1)[-1] == "TypeVar":
        return qualified  # T = TypeVar("T"), in this module or one it imports T from
    return None


def _names_class_of(facts: FileFacts, annotation: ast.expr | None, variable: str) -> bool:
    """``Type[T]``, ``typing.Type[T]``, ``type[T]``: the class of which the result is an instance."""
    return (
        isinstance(annotation, ast.Subscript)
        and ast.unparse(annotation.value).rsplit(".", 1)[-1] in _TYPES
        and isinstance(annotation.slice, ast.Name)
        and facts.resolve(annotation.slice.id) == variable
    )


def _mentions(facts: FileFacts, annotation: ast.expr | None, variable: str) -> bool:
    return annotation is not None and any(
        isinstance(n, ast.Name) and facts.resolve(n.id) == variable for n in ast.walk(annotation)
    )


def _others(statement: ast.FunctionDef, given: ast.arg) -> list[ast.arg]:
    args = statement.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return [arg for arg in every if arg is not None and arg is not given]


def given_instance(
    sites: FileSites, call: Any, function: str, on_instance: bool, bound_once: Callable[[Any], Any]
) -> Verdict | None:
    """The verdict for ``call`` when ``function``'s signature says it gives an instance of the class
    passed (``injector.get(AssistedBuilder[A])``); None when it does not say, or the class is not named."""
    types = sites.target.types
    declared = types.declared if types is not None else None
    parameter = declared.class_parameter(function, on_instance) if declared is not None else None
    if types is None or parameter is None:
        return None
    passed = argument(call, *parameter)
    is_class = types.is_project_class
    named = class_named(passed, sites.cst, sites.qualified, is_class, bound_once) if passed else None
    if named is None:
        return None
    return types.of_type(named, min(named).rsplit(".", 1)[-1])


def argument(call: Any, name: str, place: int | None) -> Any | None:
    """The expression a libcst call passes for the parameter ``name`` at ``place``, when it says."""
    for number, arg in enumerate(call.args):
        if arg.star:
            return None  # f(*args) / f(**kw): which argument lands where is not read
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
        if arg.keyword is None and number == place:
            return arg.value
    return None


def class_named(
    node: Any, cst: Any, qualified: Any, is_class: Any, bound_once: Any, hops: int = 0
) -> set[str] | None:
    """The one class an expression names (``A``, ``m.A``, ``A[int]``, a name bound once to one)."""
    if isinstance(node, cst.Subscript):
        return class_named(node.value, cst, qualified, is_class, bound_once, hops)
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    names = qualified(node)
    if len(names) == 1 and is_class(min(names)):
        return set(names)
    value = bound_once(node) if isinstance(node, cst.Name) and hops < _MAX_HOPS else None
    return None if value is None else class_named(value, cst, qualified, is_class, bound_once, hops + 1)
