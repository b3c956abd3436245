"""Re-exports made by assignment: ``reduceby = toolz.curry(toolz.reduceby)`` at module level.

``toolz.curried`` carries every toolz function under its own name, each bound by an assignment of a
wrapper of the function; toolz's tests check that the two namespaces hold the same names. A module
that binds, at its top level, the symbol's own name to the symbol (``name = pkg.name``) or to a
call whose first argument is the symbol (``name = wrap(pkg.name, ...)``) re-exports it as surely as
an import would: that name is renamed with it, and so is everything that imports it from there. A
different name (``rs = curry(reduceby)``) is a new name of the user's, and is left alone.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hookwright.refactor.symbol_facts import dotted_ast

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index


def with_assigned_aliases(index: Index, found: set[str]) -> set[str]:
    """``found`` (a symbol and its re-exports), with the names assignments re-export it under."""
    found = set(found)
    while True:
        more = set()
        for alias in _assigned(index, found) - found:
            more |= index.aliases(alias)  # `from toolz.curried import reduceby` follows that name
        if more <= found:
            return found
        found |= more


def _assigned(index: Index, found: set[str]) -> set[str]:
    names = {alias.rsplit(".", 1)[-1] for alias in found}
    aliases = set()
    for path in index.containing(*names):
        facts, tree = index.facts(path), index.parsed(path)
        if facts is None or tree is None or not facts.module.name:
            continue
        for statement in tree.body:
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            target, value = statement.targets[0], statement.value
            if not isinstance(target, ast.Name) or target.id not in names:
                continue
            if isinstance(value, ast.Call) and value.args and not isinstance(value.args[0], ast.Starred):
                value = value.args[0]
            wrapped = dotted_ast(value)
            if wrapped and wrapped.rsplit(".", 1)[-1] == target.id and facts.resolve(wrapped) in found:
                aliases.add(f"{facts.module.name}.{target.id}")
    return aliases
