"""What the items of a container another module declares are (ast): ``p.conns`` where ``conns`` is a
property annotated ``-> ValuesView[Connection]``, ``p.conn[k]`` where ``__init__`` sets ``self.conn =
{CLIENT: Connection(CLIENT), ...}``, what unpacking a call of ``def make() -> tuple[A, B]`` gives.

Each answer is the qualified types an item may be, or None when a declaration does not say. A literal
is read only when the class never fills it afterwards (``self.conn[k] = ...``, ``.append(...)``,
``.update(...)`` in any of its methods): a later item could be of any type.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hookwright.refactor.container_items import Read, ast_shape, items
from hookwright.refactor.symbol_facts import FileFacts, class_members
from hookwright.refactor.symbol_types import annotation, class_declarations, value

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

_METHODS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FILLING = {"append", "extend", "insert", "add", "update", "setdefault", "__setitem__", "appendleft"}


def member_items(index: Index, cls: str, attr: str, read: Read) -> list[str] | None:
    """What ``read`` gives from ``x.attr`` on an instance of ``cls`` (a property or an attribute)."""
    from hookwright.refactor.symbol_index import ancestors

    for owner in [cls, *sorted(ancestors(index, cls))]:
        located = index.located(owner)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        facts, statement = located
        member = (class_members(statement) or {}).get(attr)
        if isinstance(member, _METHODS):
            return annotated_items(facts, member.returns, read) if _is_property(member) else None
        found = class_declarations(statement, attr)
        if not found:
            continue
        if _filled_later(statement, attr):
            return None
        answers = [_bound_items(index, facts, node, params, read) for node, params, _ in found]
        return None if any(a is None for a in answers) else sorted({n for a in answers for n in a or ()})
    return None


def returned_items(index: Index, function: str, read: Read) -> list[str] | None:
    """What ``read`` gives from calling ``function``, by its return annotation."""
    located = index.located(function)
    if located is None or not isinstance(located[1], _METHODS):
        return None
    return annotated_items(located[0], located[1].returns, read)


def annotated_items(facts: FileFacts, node: ast.expr | None, read: Read) -> list[str] | None:
    found = items(node, read, ast_shape) if node is not None else None
    names = [annotation(facts, element) for element in found or ()]
    if not names or any(n is None for n in names):
        return None  # nothing said, or only None: no item to judge by
    return sorted({name for n in names for name in n or ()}) or None


def _bound_items(
    index: Index, facts: FileFacts, node: ast.stmt, params: dict[str, ast.arg], read: Read
) -> list[str] | None:
    if isinstance(node, ast.AnnAssign):
        return annotated_items(facts, node.annotation, read)
    stored = node.value if isinstance(node, ast.Assign) else None
    chosen = _literal_items(stored, read) if stored is not None else None
    if not chosen:  # an empty literal says nothing of what is put in later
        return None
    answers = [value(index, facts, element, params) for element in chosen]
    return None if any(a is None for a in answers) else [n for a in answers for n in a or ()]


def _literal_items(node: ast.expr, read: Read) -> list[ast.expr] | None:
    if isinstance(node, ast.Dict) and all(key is not None for key in node.keys):  # no {**other}
        keys = [key for key in node.keys if key is not None]
        if read.how == "items" and read.count == 2:
            return keys if read.position == 0 else node.values
        if read.how in ("iter", "keys"):
            return keys
        return node.values if read.how in ("item", "values") else None
    sequence = isinstance(node, (ast.List, ast.Tuple, ast.Set))
    if sequence and not any(isinstance(e, ast.Starred) for e in node.elts):
        if read.how == "unpack" and isinstance(node, ast.Tuple):
            return [node.elts[read.position]] if len(node.elts) == read.count else None
        indexed = read.how == "item" and not isinstance(node, ast.Set)
        return node.elts if read.how == "iter" or indexed else None
    return None


def _is_property(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    names = {ast.unparse(d).rsplit(".", 1)[-1] for d in function.decorator_list}
    return bool(names & {"property", "cached_property"})


def _filled_later(cls: ast.ClassDef, attr: str) -> bool:
    """``self.attr[k] = v``, ``del self.attr[k]`` or ``self.attr.append(v)`` in a method of the class."""
    for node in ast.walk(cls):
        stored = isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load)
        if stored and _is_attr(node.value, attr):
            return True
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        if called and node.func.attr in _FILLING and _is_attr(node.func.value, attr):
            return True
    return False


def _is_attr(node: ast.expr, attr: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name)
