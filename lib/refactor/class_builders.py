"""Functions that build a class at run time, and what calling that class makes (ast only).

WTForms' tests make their forms with ``def make_form(name="F", **fields): return type(str(name),
(Form,), fields)`` and call them: ``F = make_form(a=FieldList(t))``, then ``form = F(...)``; a
fixture ``return make_form("F1", a=FormField(F))`` gives a test such a class. ``type(name, bases,
namespace)`` makes a class deriving from exactly ``bases``, so an instance of it is one of each
base's (a subclass of ``Form`` is a ``BaseForm``). Read only when every ``return`` of the function is
such a call with a literal tuple of bases, each naming a class, and the function is not decorated;
the answer is the bases, judged as the classes the call makes (receiver_types.of_names). Anything
else: None (not known).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hookwright.refactor.return_inference import own_nodes

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index


def bases_built_by_call(index: Index, facts: FileFacts, call: ast.expr) -> set[str] | None:
    """``make_form("F1", ...)`` in ``facts``' module: the bases of the class it returns."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Name, ast.Attribute)):
        return None
    qualified = facts.resolve(ast.unparse(call.func))
    return bases_built_by(index, qualified) if qualified else None


def bases_built_by(index: Index, function: str) -> set[str] | None:
    """The bases of the class every ``return`` of the function ``function`` builds with ``type()``."""
    located = index.located(function)
    if located is None or not isinstance(located[1], ast.FunctionDef) or located[1].decorator_list:
        return None
    facts, statement = located
    nodes = own_nodes(statement)
    returned = [n.value for n in nodes if isinstance(n, ast.Return)]
    if not returned or any(isinstance(n, (ast.Yield, ast.YieldFrom)) or _binds_type(n) for n in nodes):
        return None
    found: set[str] = set()
    for value in returned:
        bases = _type_call_bases(index, facts, value)
        if bases is None:
            return None
        found |= bases
    return found or None


def _binds_type(node: ast.AST) -> bool:
    """A parameter or local called ``type``: not the builtin."""
    if isinstance(node, ast.arg):
        return node.arg == "type"
    return isinstance(node, ast.Name) and node.id == "type" and not isinstance(node.ctx, ast.Load)


def _type_call_bases(index: Index, facts: FileFacts, value: ast.expr | None) -> set[str] | None:
    """``type(name, (A, B), namespace)``, with the builtin ``type``: {A, B} when both are classes."""
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "type"
        and facts.resolve("type") is None  # not a `type` of the module's own
        and len(value.args) == 3
        and not value.keywords
        and isinstance(value.args[1], ast.Tuple)
        and value.args[1].elts
    ):
        return None
    from hookwright.refactor.receiver_types import is_stdlib_class

    found: set[str] = set()
    for base in value.args[1].elts:
        name = facts.resolve(ast.unparse(base)) if isinstance(base, (ast.Name, ast.Attribute)) else None
        if not name or not (index.is_class(name) or is_stdlib_class(name)):
            return None
        found.add(name)
    return found
