"""What a parameter without a type holds, read from every call of its function in the repository (ast).

``def _test_getsizeof(self, cache): cache.getsizeof(1)`` says nothing of ``cache``, but its only
callers write ``self._test_getsizeof(self.Cache(maxsize=3))``. When every place that names the
function is a call we can read (``self.f(...)`` in the class or a subclass, ``f(...)`` / ``mod.f(...)``
for a module function), and each passes, at the parameter's position or by keyword, a value
return_inference can type, the parameter holds one of those types. Any other use (passed as a
callback, called on another receiver, named in a string, ``*args``), a decorator, a special name or
an override of a standard-library method (the library may call it) makes the answer None.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from hookwright.refactor.return_inference import _Function

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
Function = ast.FunctionDef | ast.AsyncFunctionDef
Use = tuple[ast.expr, "Function | None", "str | None"]  # (name node, enclosing function, its class)


def passed_types(index: Index, function: str, param: str) -> list[str] | None:
    """The types every call of ``function`` in the repository passes as ``param`` (None: not known)."""
    return _every_call(index, function, param, functools.partial(_argument, index), private=False)


def passed_texts(index: Index, function: str, param: str) -> set[str] | None:
    """The texts every call of ``function`` passes as ``param`` when each passes a literal text (Cerberus'
    ``self.__get_rule_handler('validate', rule)``); None when any passes something else. A private
    method (``__name``, mangled) is read too: outside its class it is reached only by its mangled name,
    and a project that writes that name anywhere declines."""
    found = _every_call(index, function, param, _literal_text, private=True)
    return set(found) if found is not None else None


Where = tuple["int | None", str]  # the parameter's position among those a call passes, and its name
Reader = Callable[["FileFacts", ast.Call, Where, Function, "str | None"], "set[str] | None"]


def _every_call(index: Index, function: str, param: str, read: Reader, *, private: bool) -> list[str] | None:
    """What ``read`` says every call of ``function`` passes as ``param``, all together (see the module)."""
    from hookwright.refactor.receiver_types import stdlib_defines
    from hookwright.refactor.symbol_index import ancestors

    located = index.located(function)
    owner, _, name = function.rpartition(".")
    if located is None or not isinstance(located[1], _FUNCTIONS):
        return None
    method = bool(index.is_class(owner))
    decorators = _plain_decorators(located[1], located[0]) if method else set()
    if decorators is None or (located[1].decorator_list and not decorators):
        return None  # any other decorator may wrap the function and change what it receives
    mangled = f"_{owner.rsplit('.', 1)[-1].lstrip('_')}{name}"
    if not (private and method and _is_private(name)) and name.startswith("__"):
        return None
    if name.startswith("__") and index.containing(mangled):
        return None  # reached by its mangled name somewhere: a use we do not read
    if method and any(stdlib_defines(b, name) for b in ancestors(index, owner)):
        return None
    bound = method and "staticmethod" not in decorators  # self or cls comes first, not from the call
    where = _position(located[1], param, bound)
    if where is None:
        return None
    related = index.subclasses({owner}) | ancestors(index, owner) if method else set()
    found: set[str] = set()
    calls = 0
    for path in index.containing(name):
        tree, facts = index.parsed(path), index.facts(path)
        if tree is None or facts is None or _named_in_a_string(tree, name):
            return None  # unreadable, or named in a string (getattr, a registry): not every call is seen
        calls_of = {id(c.func): c for c in ast.walk(tree) if isinstance(c, ast.Call)}
        partials = _partials(tree, facts)  # their later arguments come unseen: no arity to check
        calls_of |= partials
        for node, enclosing, cls in _uses(tree, facts):
            if not _is_ours(node, name, function, facts, enclosing, cls, related, method, index):
                continue
            call = calls_of.get(id(node))
            if call is not None and id(node) not in partials and not _binds(call, located[1], bound):
                if bound and not decorators and _binds(call, located[1], False):
                    return None  # Owner.f(obj, x) passes self too: it may be ours, one place later
                continue  # Python raises TypeError before entering our function: a call of another
            if call is None or enclosing is None:
                return None
            types = read(facts, call, where, enclosing, cls)
            if types is None:
                return None
            found |= types
            calls += 1
    return sorted(found) if calls and found else None


def _partials(tree: ast.Module, facts: FileFacts) -> dict[int, ast.Call]:
    """``functools.partial(self.f, a)``: a call of ``f`` whose first positional arguments are ``a``; the
    rest come later, unseen (and a keyword given here may be overridden then, so none is kept)."""
    found: dict[int, ast.Call] = {}
    for call in ast.walk(tree):
        if (
            isinstance(call, ast.Call)
            and call.args
            and not isinstance(call.args[0], ast.Starred)
            and isinstance(call.func, (ast.Name, ast.Attribute))
            and facts.resolve(ast.unparse(call.func)) == "functools.partial"
        ):
            found[id(call.args[0])] = ast.Call(func=call.args[0], args=call.args[1:], keywords=[])
    return found


def _named_in_a_string(tree: ast.Module, name: str) -> bool:
    """A string value holds the name as a word (``getattr(x, "f")``, ``after="f"``, ``"on_" + "f"``);
    comments and docstrings (a string standing alone as a statement) call nothing."""
    alone = {id(s.value) for s in ast.walk(tree) if isinstance(s, ast.Expr)}
    alone |= {  # hasattr(x, "f") asks whether x has it and calls nothing
        id(c.args[1])
        for c in ast.walk(tree)
        if isinstance(c, ast.Call)
        and isinstance(c.func, ast.Name)
        and c.func.id == "hasattr"
        and len(c.args) == 2
    }
    word = re.compile(rf"\b{re.escape(name)}\b")
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in alone
        and word.search(node.value) is not None
        for node in ast.walk(tree)
    )


def _plain_decorators(function: Function, facts: FileFacts) -> set[str] | None:
    """The names of the decorators when each is the builtin ``classmethod`` or ``staticmethod`` (which
    change only whether the class comes first); None when any other decorates the method."""
    names = {d.id for d in function.decorator_list if isinstance(d, ast.Name)}
    plain = len(names) == len(function.decorator_list) and names <= {"classmethod", "staticmethod"}
    return names if plain and not any(facts.resolve(n) for n in names) else None


def _binds(call: ast.Call, function: Function, bound: bool) -> bool:
    """Whether Python could enter ``function`` with this call's arguments (``bound``: self or cls
    comes first, not from the call); a call it cannot enter reaches another function of the name."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return True  # *args or **kwargs: what they hold is not seen
    args = function.args
    every = [*args.posonlyargs, *args.args]
    required = every[: len(every) - len(args.defaults)][1 if bound else 0 :]
    positional = every[1 if bound else 0 :]
    if len(call.args) > len(positional) and args.vararg is None:
        return False
    named = {k.arg for k in call.keywords}
    if args.kwarg is None and not named <= {a.arg for a in (*args.args, *args.kwonlyargs)}:
        return False
    given = {a.arg for a in positional[: len(call.args)]} | named
    needed = [a.arg for a in required] + [
        a.arg for a, default in zip(args.kwonlyargs, args.kw_defaults, strict=True) if default is None
    ]
    return all(name in given for name in needed)


def _position(function: Function, param: str, method: bool) -> tuple[int | None, str] | None:
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)][1 if method else 0 :]
    if param in positional:
        return positional.index(param), param
    keywords = [a.arg for a in function.args.kwonlyargs]
    return (None, param) if param in keywords else None


def _uses(tree: ast.Module, facts: FileFacts) -> Iterator[Use]:
    """Every Name and Attribute node, with the function it is in and that function's class."""
    classes = {id(statement): fqn for fqn, statement, _ in facts.classes}

    def walk(node: ast.AST, function: Function | None, cls: str | None) -> Iterator[Use]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from walk(child, function, classes.get(id(child)))
            elif isinstance(child, _FUNCTIONS):  # an async def calls as a def does
                yield from walk(child, child, cls if function is None else None)
            else:
                if isinstance(child, (ast.Name, ast.Attribute)):
                    yield child, function, cls
                yield from walk(child, function, cls)

    yield from walk(tree, None, None)


def _is_ours(
    node: ast.expr,
    name: str,
    function: str,
    facts: FileFacts,
    enclosing: Function | None,
    cls: str | None,
    related: set[str],
    method: bool,
    index: Index,
) -> bool:
    """Whether this use names the function; one that may and cannot be told apart counts as ours."""
    if method:
        if not isinstance(node, ast.Attribute) or node.attr != name:
            return False
        this = enclosing.args.args[0].arg if enclosing is not None and enclosing.args.args else None
        on_self = isinstance(node.value, ast.Name) and node.value.id == this and cls is not None
        if on_self:
            return cls in related
        named = _class_named(node.value, facts, enclosing)
        # Other.f(...) on a class of ours outside the family finds f in Other's own ancestry, never
        # ours (an alias `f = Owner.f` is a use that is not a call, which declines the whole answer)
        return named is None or not index.is_class(named) or named in related
    if isinstance(node, ast.Name) and node.id == name:
        return facts.resolve(name) == function
    return (
        isinstance(node, ast.Attribute) and node.attr == name and facts.resolve(ast.unparse(node)) == function
    )


def _class_named(receiver: ast.expr, facts: FileFacts, enclosing: Function | None) -> str | None:
    """What ``Other`` in ``Other.f`` names at module level, unless the function binds ``Other`` itself."""
    head = receiver
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name):
        return None
    if enclosing is not None:
        local = {a.arg for a in ast.walk(enclosing.args) if isinstance(a, ast.arg)}
        local |= {
            n.id for n in ast.walk(enclosing) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
        }
        if head.id in local:
            return None
    return facts.resolve(ast.unparse(receiver))


def _is_private(name: str) -> bool:
    return name.startswith("__") and not name.endswith("__")


def _given(call: ast.Call, where: Where) -> ast.expr | None:
    """The argument a call passes for the parameter; None when left to its default, passed twice or
    hidden in ``*args`` / ``**kwargs``."""
    position, param = where
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    given = [k.value for k in call.keywords if k.arg == param]
    if position is not None and position < len(call.args):
        given.append(call.args[position])
    return given[0] if len(given) == 1 else None


def _literal_text(
    facts: FileFacts, call: ast.Call, where: Where, enclosing: Function, cls: str | None
) -> set[str] | None:
    given = _given(call, where)
    text = given.value if isinstance(given, ast.Constant) else None
    return {text} if isinstance(text, str) else None


def _argument(
    index: Index, facts: FileFacts, call: ast.Call, where: Where, enclosing: Function, cls: str | None
) -> set[str] | None:
    given = _given(call, where)
    return None if given is None else _Function(index, facts, enclosing, cls).expression(given, 0, set())
