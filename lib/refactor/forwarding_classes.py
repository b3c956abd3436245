"""Classes that hand attributes they lack to another object (``__getattr__``): their instances may
answer to any name.

tinydb's ``TinyDB.__getattr__`` passes every attribute it does not have to its default ``Table``, so
``db.insert_multiple(...)`` is ``Table.insert_multiple``. Calling such a receiver "another type, left
alone" renames the method and leaves that call behind; it is unsure instead, unless the class (or a
base the repository shows) defines the member itself, which Python then finds before ``__getattr__``,
or the hook says where it forwards: a ``__getattr__`` whose whole body is
``return getattr(<value>, name)``, with a value whose type the code says (``self.table(...)``,
annotated ``-> Table``), makes ``db.search`` that type's ``search``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from hookwright.refactor.symbol_facts import class_members
from hookwright.refactor.symbol_index import ancestors

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_HOOKS = ("__getattr__", "__getattribute__")


def forwards(index: Index, cls: str, member: str) -> bool:
    """An instance of ``cls`` may answer ``.member`` through ``__getattr__``/``__getattribute__``."""
    hooked = False
    for name in (cls, *sorted(ancestors(index, cls))):
        located = index.located(name)
        members = class_members(located[1]) if located is not None else None
        if not members:
            continue
        if member in members:
            return False
        hooked = hooked or any(hook in members for hook in _HOOKS)
    return hooked


def makes_its_own(index: Index, cls: str) -> bool:
    """``cls`` or a class of ours it derives from has a ``__new__`` that may return something other
    than a new instance of the class it is given (WTForms' ``StringField(...)`` gives an
    ``UnboundField``); one whose every ``return`` is ``<base>.__new__(cls, ...)`` makes its own."""
    for name in (cls, *sorted(ancestors(index, cls))):
        located = index.located(name)
        members = class_members(located[1]) if located is not None else None
        if members and "__new__" in members and not _returns_its_instance(members["__new__"]):
            return True
    return False


def _returns_its_instance(new: Any) -> bool:
    """Every ``return`` of ``__new__`` gives ``<base>.__new__(cls, ...)``, directly or through a name
    only ever bound to one (``self = super().__new__(cls, value)``, then ``return self``)."""
    if not isinstance(new, ast.FunctionDef) or not new.args.args:
        return False
    given = new.args.args[0].arg

    def makes(value: Any) -> bool:
        return _makes(value, given)

    bound: dict[str, bool] = {}
    for node in ast.walk(new):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                ok = isinstance(target, ast.Name) and makes(node.value)
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):  # (not self.x = ...)
                        bound[name.id] = bound.get(name.id, True) and ok
        if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.With, ast.NamedExpr)):
            for name in ast.walk(node.target if not isinstance(node, ast.With) else node):
                if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                    bound[name.id] = False
    returns = [n for n in ast.walk(new) if isinstance(n, ast.Return)]
    return bool(returns) and all(
        makes(r.value) or (isinstance(r.value, ast.Name) and bound.get(r.value.id, False)) for r in returns
    )


def _makes(value: Any, given: str) -> bool:
    """``<base>.__new__(cls, ...)``, ``cls`` being ``__new__``'s first parameter (``given``)."""
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "__new__"
        and bool(value.args)
        and isinstance(value.args[0], ast.Name)
        and value.args[0].id == given
    )


def new_gives(index: Index, cls: str) -> set[str] | None:
    """The classes calling ``cls`` may give, when the one ``__new__`` in its line says so at every
    ``return``: ``<base>.__new__(cls, ...)`` is ``cls`` itself, a call of a class of ours that makes
    its own instances is that class (WTForms' ``Field.__new__`` returns ``super().__new__(cls)`` or
    ``UnboundField(cls, ...)``: a ``StringField`` or an ``UnboundField``). Anything else: None."""
    from hookwright.refactor.return_inference import own_nodes

    lines = [(name, index.located(name)) for name in (cls, *sorted(ancestors(index, cls)))]
    news = [
        (located[0], members["__new__"])
        for _, located in lines
        if located is not None and (members := class_members(located[1]) or {}) and "__new__" in members
    ]
    if len(news) != 1 or not isinstance(news[0][1], ast.FunctionDef) or not news[0][1].args.args:
        return None
    facts, new = news[0]
    given = new.args.args[0].arg
    found: set[str] = set()
    for node in own_nodes(new):
        if not isinstance(node, ast.Return):
            continue
        value = node.value
        if _makes(value, given):
            found.add(cls)
            continue
        func = value.func if isinstance(value, ast.Call) else None
        called = facts.resolve(ast.unparse(func)) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if called is None or not index.is_class(called) or makes_its_own(index, called):
            return None
        found.add(called)
    return found or None


def forwarded_to(index: Index, cls: str) -> list[str] | None:
    """The types ``cls``'s ``__getattr__`` hands every attribute on to, when its code says (else None)."""
    from hookwright.refactor.return_inference import _Function

    hooks: list[tuple[str, Any, FileFacts]] = []
    for name in (cls, *sorted(ancestors(index, cls))):
        located = index.located(name)
        members = class_members(located[1]) if located is not None else None
        if located is not None and members:
            hooks += [(name, members[hook], located[0]) for hook in _HOOKS if hook in members]
    if len(hooks) != 1 or not isinstance(hooks[0][1], ast.FunctionDef) or hooks[0][1].name != "__getattr__":
        return None  # __getattribute__, or several hooks along the bases: which one answers is not read
    owner, function, facts = hooks[0]
    value = _forwarded_value(function)
    if value is None:
        return None
    types = _Function(index, facts, function, owner).expression(value, 0, set())
    if not types or cls in types or not all(index.is_class(t) for t in types):
        return None  # forwarding to itself, or to something not a class of the repository
    return sorted(types)


def _forwarded_value(function: ast.FunctionDef) -> ast.expr | None:
    """``<value>`` of a body that is only ``return getattr(<value>, name)`` (after a docstring)."""
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if len(body) != 1 or len(params) != 2 or not isinstance(body[0], ast.Return):
        return None
    call = body[0].value
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "getattr"
        and len(call.args) == 2
        and not call.keywords
        and isinstance(call.args[1], ast.Name)
        and call.args[1].id == params[1]
    ):
        return call.args[0]
    return None
