"""Dropping an unused import: the one name ruff points at, the whole statement when it was the last.

A package's ``__init__.py`` imports to re-export, a name in ``__all__`` is exported, a ``__future__``
import changes the compiler: none of these is removed; nor a statement that shares its line with
other code or is the only statement of its block.
"""

from __future__ import annotations

import ast

from hookwright.heal.fix_base import Edit, FixContext, apply_edits, body, lines_of


def _declared_all(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value:
                names.update(
                    n.value
                    for n in ast.walk(node.value)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                )
    return names


def remove_unused_import(text: str, ctx: FixContext) -> str | None:
    """Remove the import name at ``ctx.line``/``ctx.column`` (the whole statement if it was the last)."""
    if ctx.line is None or ctx.path.endswith("__init__.py"):
        return None  # a package's __init__ imports to re-export
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    statement = _statement_at(tree, ctx.line)
    if statement is None or (isinstance(statement, ast.ImportFrom) and statement.module == "__future__"):
        return None
    lines = lines_of(text)
    raw = body(lines[ctx.line - 1]).encode()
    wanted = ctx.groups.get("name", "")
    chosen = [
        a
        for a in statement.names
        if a.lineno == ctx.line
        and (
            ctx.column is None
            or len(raw[: a.col_offset].decode()) < ctx.column <= len(raw[: a.end_col_offset].decode())
        )
        and (not wanted or wanted.lstrip(".").endswith(a.asname or a.name) or wanted.endswith(a.name))
    ]
    if len(chosen) != 1 or (chosen[0].asname or chosen[0].name.split(".")[0]) in _declared_all(tree):
        return None
    keep = [a for a in statement.names if a is not chosen[0]]
    return _rewrite(text, tree, statement, keep)


def _statement_at(tree: ast.Module, line: int) -> ast.Import | ast.ImportFrom | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno <= line <= (
            node.end_lineno or node.lineno
        ):
            return node
    return None


def _rewrite(
    text: str, tree: ast.Module, node: ast.Import | ast.ImportFrom, keep: list[ast.alias]
) -> str | None:
    lines = lines_of(text)
    first, last = node.lineno, node.end_lineno or node.lineno
    start = sum(len(x) for x in lines[: first - 1])
    end = start + sum(len(x) for x in lines[first - 1 : last])
    head = lines[first - 1][: len(body(lines[first - 1]).encode()[: node.col_offset].decode())]
    tail_line = body(lines[last - 1])
    tail = tail_line[len(tail_line.encode()[: node.end_col_offset].decode()) :]
    if head.strip() or tail.strip().startswith(";"):
        return None  # shares its line with other code: `x = 1; import os`
    if not keep:
        if _only_statement(tree, node):
            return None  # removing it would leave an empty block
        return apply_edits(text, [Edit(start, end, "")])
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in keep)
    if isinstance(node, ast.Import):
        statement = f"import {names}"
    else:
        statement = f"from {'.' * node.level}{node.module or ''} import {names}"
    if first != last:
        return None  # a parenthesised multi-line import: leave its layout to its author
    ending = lines[last - 1][len(tail_line) :]
    return apply_edits(text, [Edit(start, end, head + statement + tail + ending)])


def _only_statement(tree: ast.Module, node: ast.stmt) -> bool:
    """The statement is the whole body of its block (``try:``, ``if``): removing it empties the block."""
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and node in block:
                return len(block) == 1 and parent is not tree
    return False
