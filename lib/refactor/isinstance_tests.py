"""What an ``if`` test says of a name in its body: ``isinstance(x, Cart)``, alone or joined by ``and``.

``if isinstance(item, AoT) and self._body:`` (tomlkit's ``Container.append``) runs its body only when
``item`` is an ``AoT``; ``or`` and ``not`` say nothing of the body, and are not read.
"""

from __future__ import annotations

from typing import Any


def narrowed_by(test: Any, cst: Any) -> tuple[str, list[Any]] | None:
    """(name, the type expressions it is an instance of) inside the body of ``if test:``, or None."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        parts = [test.left, test.right]  # `a and b and c` nests to the left: the first test is deepest
        while isinstance(parts[0], cst.BooleanOperation) and isinstance(parts[0].operator, cst.And):
            parts[:1] = [parts[0].left, parts[0].right]
        test = next((part for part in parts if _is_isinstance(part, cst)), test)
    if not _is_isinstance(test, cst) or len(test.args) != 2:
        return None
    if not isinstance(test.args[0].value, cst.Name):
        return None
    kinds = test.args[1].value
    types = [e.value for e in kinds.elements] if isinstance(kinds, cst.Tuple) else [kinds]
    return test.args[0].value.value, types


def narrowed_after(statement: Any, cst: Any) -> tuple[str, list[Any]] | None:
    """(name, types) that the statements after ``statement`` in its block can count on: ``assert
    isinstance(event, Close)``, or ``if not isinstance(event, Close): raise ...`` (its body always
    leaves: raise, return, continue or break, and it has no ``else``). None for anything else."""
    if isinstance(statement, cst.Assert):
        return narrowed_by(statement.test, cst)
    if (
        not isinstance(statement, cst.If)
        or statement.orelse is not None
        or not isinstance(statement.test, cst.UnaryOperation)
        or not isinstance(statement.test.operator, cst.Not)
        or not _always_leaves(statement.body, cst)
    ):
        return None
    return narrowed_by(statement.test.expression, cst)


def _always_leaves(body: Any, cst: Any) -> bool:
    """The block's last statement is a raise, return, continue or break (one line or indented)."""
    lines = body.body
    last = lines[-1] if lines else None
    small = last.body if isinstance(last, cst.SimpleStatementLine) else [last]
    if isinstance(body, cst.SimpleStatementSuite):
        small = list(lines)
    return bool(small) and isinstance(small[-1], (cst.Raise, cst.Return, cst.Continue, cst.Break))


def _is_isinstance(node: Any, cst: Any) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "isinstance"


def rebound(node: Any, cst: Any, entering: bool) -> set[str]:
    """The names ``node`` binds again, which ends what an ``isinstance`` test said of them: ``if
    isinstance(resp, bytes): resp = req.response``. A loop's or ``with``'s target is bound before its
    body runs (``entering``); an assignment once its value has been read (leaving it)."""
    if entering:
        if isinstance(node, (cst.For, cst.CompFor)):
            return _names(node.target, cst)
        if isinstance(node, cst.WithItem) and node.asname is not None:
            return _names(node.asname.name, cst)
        return set()
    if isinstance(node, cst.Assign):
        return {name for target in node.targets for name in _names(target.target, cst)}
    if isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
        return _names(node.target, cst)
    return set()


def _names(target: Any, cst: Any) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _names(element.value, cst)}
    if isinstance(target, cst.StarredElement):
        return _names(target.value, cst)
    return set()
