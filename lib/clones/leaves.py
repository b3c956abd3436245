"""Leaves: the names and literals of a range of statements, in a fixed order, each with its role.

Two ranges of the same shape have equal numbers of leaves in the same places; comparing them leaf by
leaf is how clone_relation tells a renamed copy from a fragment that does something else. Read only
for candidate pairs, never for every statement.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from hookwright.clones.units import syntax_fields

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Leaf:
    role: str  # name | store | param | def | call (a called name) | attr | method | kw | lit | module
    value: Any


def entry_leaves(node: Any) -> list[Leaf]:
    """The leaves of one entry's own syntax, in the order ``header_hashes`` visits them."""
    leaves: list[Leaf] = []
    called: set[int] = set()
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        item, role = stack.pop()
        if item is None:
            continue
        cls = item.__class__
        if cls is str:
            leaves.append(Leaf(role or "name", item))
            continue
        if cls is ast.Constant:
            leaves.append(Leaf("lit", item.value))
            continue
        if cls is ast.Call:
            called.add(id(item.func))
        for name in syntax_fields(cls):
            value = getattr(item, name, None)
            if value.__class__ is str:
                leaves.append(Leaf(_role(item, cls, name, called), value))
            elif value.__class__ is list:
                child_role = "store" if cls in (ast.Global, ast.Nonlocal) else ""
                if cls is ast.MatchClass and name == "kwd_attrs":
                    child_role = "kw"
                stack.extend((child, child_role) for child in reversed(value))
            elif isinstance(value, ast.AST):
                stack.append((value, ""))
    return leaves


def _role(item: Any, cls: type, name: str, called: set[int]) -> str:
    if cls is ast.Name:
        if id(item) in called:
            return "call"
        return "store" if isinstance(item.ctx, ast.Store | ast.Del) else "name"
    if cls is ast.Attribute:
        return "method" if id(item) in called else "attr"
    if cls is ast.arg:
        return "param"
    if cls is ast.keyword:
        return "kw"
    if cls in _DEFS:
        return "def"
    if cls is ast.ImportFrom:
        return "module"
    if cls is ast.alias:
        return "store" if name == "asname" else "module"
    return "store"  # except ... as NAME, match captures, type parameters: all bind a name
