"""Which assignments of a function's local name can reach one use of it: the flow of the function.

``apply_patch(doc, patch)`` (jsonpatch) rebinds ``patch`` in both branches of an ``if`` just above
``patch.apply(doc)``: at that use ``patch`` holds what those two assignments give, not the
parameter. Walking back from the use through the statements before it, block by block, the first
statement that binds the name decides: if it binds it on every path that goes on (an assignment;
an ``if`` / ``else`` whose branches all bind it or leave; a ``try`` whose body and handlers do) it is
the only one that reaches; if a path can skip it, nothing is decided. Leaving a block for the
statement around it is allowed only where no other binding can come in: a loop binding the name
(its next round comes back), a ``try`` whose body binds it when the use is in a handler, a ``with``
(a context manager may swallow the exception that skipped the binding), an ``if`` test with ``:=``.
Anything else (``global``, a nested function binding it through ``nonlocal``) keeps the old answer:
every assignment counts. None means "not decided".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

_Parents = dict[int, Any]
_Level = tuple[Sequence[Any], int, list[Any]]


def reaching(function: Any, use: Any, assignments: Sequence[Any], cst: Any) -> list[Any] | None:
    """The nodes of ``assignments`` (libcst ``Assignment.node``) that can reach ``use`` in ``function``
    (a FunctionDef, the scope of the name), or None when the flow does not decide it."""
    parents = _parents(function)
    if id(use) not in parents or any(id(node) not in parents for node in assignments):
        return None
    if any(_enclosing_function(node, parents, cst) is not function for node in [use, *assignments]):
        return None  # a nested function or lambda: it runs whenever it is called
    if declared_outside(function, use.value, cst):
        return None
    inside = {id(node) for node in assignments}
    chain = _chain(use, function, parents, cst)
    if chain is None or _walrus_in(chain, parents, inside, cst):
        return None
    for statements, index, around in chain:
        for earlier in reversed(statements[:index]):
            if not _contains(earlier, inside):
                continue
            if not _binds_on_every_path(earlier, use.value, cst):
                return None
            return [node for node in assignments if _contains(earlier, {id(node)})]
        if not all(_may_enter(compound, statements, inside, cst) for compound in around):
            return None
    return None


def _walrus_in(chain: list[_Level], parents: _Parents, inside: set[int], cst: Any) -> bool:
    """``(x := make()) and x.ok()``: a binding in the very statement of the use, before it."""
    statements, index, _ = chain[1] if len(chain) > 1 else chain[0]
    if not statements:
        return False
    stack = [statements[index]]
    while stack:
        node = stack.pop()
        if id(node) in inside and isinstance(parents.get(id(node)), cst.NamedExpr):
            return True
        stack.extend(node.children)
    return False


def _parents(function: Any) -> _Parents:
    found: _Parents = {}
    stack = [function]
    while stack:
        node = stack.pop()
        for child in node.children:
            found[id(child)] = node
            stack.append(child)
    return found


def _enclosing_function(node: Any, parents: _Parents, cst: Any) -> Any:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        current = parents.get(id(current))
    return current


def declared_outside(function: Any, name: str, cst: Any) -> bool:
    """``global name`` / ``nonlocal name`` anywhere in the function."""
    stack = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(n.name.value == name for n in node.names):
            return True
        stack.extend(node.children)
    return False


def _chain(use: Any, function: Any, parents: _Parents, cst: Any) -> list[_Level] | None:
    """From the use out to the function's body: (the statements of a block, the index of the one
    holding the use, the compound statements between that block and the next one out). A use in a
    statement's header (``if x.ok():``, ``while x.more():``) starts with an empty block."""
    found: list[_Level] = [([], 0, [])]
    child, node = use, parents.get(id(use))
    while node is not None and node is not function:
        if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.SimpleStatementLine)):
            index = next((i for i, s in enumerate(node.body) if s is child), None)
            if index is None:
                return None
            found.append((node.body, index, []))
        elif isinstance(node, cst.BaseCompoundStatement):
            found[-1][2].append(node)
        child, node = node, parents.get(id(node))
    return found if node is function else None


def _contains(node: Any, wanted: set[int]) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in wanted:
            return True
        stack.extend(current.children)
    return False


def _may_enter(around: Any, block: Sequence[Any], inside: set[int], cst: Any) -> bool:
    """Whether leaving ``block`` for the statement ``around`` it lets no other binding reach the use."""
    if isinstance(around, cst.If):  # the other branches never run with this one
        return not _contains(around.test, inside)
    if isinstance(around, cst.Try):  # a handler, else or finally runs after some of the rest
        parts = [around.body, *around.handlers, around.orelse, around.finalbody]
        others = [part for part in parts if part is not None and _statements(part, cst) is not block]
        in_body = _statements(around.body, cst) is block
        return in_body or not any(_contains(part, inside) for part in others)
    return not _contains(around, inside)  # a loop comes round again; a with may swallow an error


def _statements(part: Any, cst: Any) -> Sequence[Any]:
    block = part if isinstance(part, (cst.IndentedBlock, cst.SimpleStatementSuite)) else part.body
    return block.body  # type: ignore[no-any-return]


def _binds_on_every_path(statement: Any, name: str, cst: Any) -> bool:
    """Every way on past ``statement`` has bound ``name`` (a way that leaves, by return, raise,
    break or continue, does not go on)."""
    if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return _block_binds(statement.body, name, cst)
    if isinstance(statement, (cst.Assign, cst.AnnAssign)):
        assign = isinstance(statement, cst.Assign)
        targets = [t.target for t in statement.targets] if assign else [statement.target]
        return statement.value is not None and any(name in _plain_names(t, cst) for t in targets)
    if isinstance(statement, cst.If):
        orelse = statement.orelse
        if orelse is None:
            return False
        other = orelse.body.body if isinstance(orelse, cst.Else) else [orelse]
        return _block_binds(statement.body.body, name, cst) and _block_binds(other, name, cst)
    if isinstance(statement, cst.Try):
        if statement.finalbody is not None and _block_binds(statement.finalbody.body.body, name, cst):
            return True
        handled = all(_block_binds(h.body.body, name, cst) for h in statement.handlers)
        return handled and _block_binds(statement.body.body, name, cst)
    return False


def _block_binds(statements: Iterable[Any], name: str, cst: Any) -> bool:
    for statement in statements:
        if isinstance(statement, (cst.Return, cst.Raise, cst.Break, cst.Continue)):
            return True
        if _binds_on_every_path(statement, name, cst):
            return True
    return False


def _plain_names(target: Any, cst: Any) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _plain_names(element.value, cst)}
    return set()
