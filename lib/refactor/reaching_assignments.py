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


class FunctionFlow:
    """One function's tree read once (parents, names declared ``global`` / ``nonlocal``), for every
    use of a name in it: a long test function holds hundreds of uses."""

    def __init__(self, function: Any, cst: Any) -> None:
        self.function, self.cst = function, cst
        self.parents: _Parents = {}
        self.outside: set[str] = set()  # global or nonlocal anywhere in the function
        stack = [function]
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.Global, cst.Nonlocal)):
                self.outside |= {item.name.value for item in node.names}
            for child in node.children:
                self.parents[id(child)] = node
                stack.append(child)

    def reaching(self, use: Any, assignments: Sequence[Any]) -> list[Any] | None:
        """The nodes of ``assignments`` (libcst ``Assignment.node``) that can reach ``use`` (a Name in
        the function, the scope of the name), or None when the flow does not decide it."""
        cst, parents, function = self.cst, self.parents, self.function
        if id(use) not in parents or any(id(node) not in parents for node in assignments):
            return None
        if any(_enclosing_function(node, parents, cst) is not function for node in [use, *assignments]):
            return None  # a nested function or lambda: it runs whenever it is called
        if use.value in self.outside:
            return None
        around_each = {id(node): self._around(node) for node in assignments}  # each and its ancestors
        covering = set().union(*around_each.values())
        chain = _chain(use, function, parents, cst)
        if chain is None or self._walrus_in(chain, assignments, around_each):
            return None
        for statements, index, compounds in chain:
            for earlier in reversed(statements[:index]):
                if id(earlier) not in covering:
                    continue
                if not _binds_on_every_path(earlier, use.value, cst):
                    return None
                return [node for node in assignments if id(earlier) in around_each[id(node)]]
            if not all(_may_enter(compound, statements, covering, cst) for compound in compounds):
                return None
        return None

    def _around(self, node: Any) -> set[int]:
        found = set()
        while node is not None and node is not self.function:
            found.add(id(node))
            node = self.parents.get(id(node))
        return found

    def _walrus_in(
        self, chain: list[_Level], assignments: Sequence[Any], around: dict[int, set[int]]
    ) -> bool:
        """``(x := make()) and x.ok()``: a binding in the very statement of the use, before it."""
        statements, index, _ = chain[1] if len(chain) > 1 else chain[0]
        if not statements:
            return False
        walruses = [n for n in assignments if isinstance(self.parents.get(id(n)), self.cst.NamedExpr)]
        return any(id(statements[index]) in around[id(node)] for node in walruses)


def _enclosing_function(node: Any, parents: _Parents, cst: Any) -> Any:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        current = parents.get(id(current))
    return current


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


def _may_enter(around: Any, block: Sequence[Any], covering: set[int], cst: Any) -> bool:
    """Whether leaving ``block`` for the statement ``around`` it lets no other binding reach the use."""
    if isinstance(around, cst.If):  # the other branches never run with this one
        return id(around.test) not in covering
    if isinstance(around, cst.Try):  # a handler, else or finally runs after some of the rest
        parts = [around.body, *around.handlers, around.orelse, around.finalbody]
        others = [part for part in parts if part is not None and _statements(part, cst) is not block]
        in_body = _statements(around.body, cst) is block
        return in_body or not any(id(part) in covering for part in others)
    return id(around) not in covering  # a loop comes round again; a with may swallow an error


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
