"""An import placed inside a block: a function body that imports lazily, or ``if TYPE_CHECKING:``.

With the block's other imports (merged into a one-line ``from`` import of the same module, else at
its sorted place when they are sorted, else after them); in a block without imports, before its first
statement (after a docstring). The block's own indentation and the file's line endings are kept.
"""

from __future__ import annotations

import ast

from hookwright.heal.fix_base import Edit, apply_edits, indent_of, lines_of, newline_of
from hookwright.heal.import_placement import merge_into
from hookwright.heal.project_names import ImportForm

Block = ast.FunctionDef | ast.AsyncFunctionDef | ast.If


def _statements(owner: Block) -> list[ast.stmt]:
    body = list(owner.body)
    docstring = body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    if docstring and isinstance(owner, ast.FunctionDef | ast.AsyncFunctionDef):
        body = body[1:]
    return body


def _key(node: ast.Import | ast.ImportFrom | ImportForm) -> tuple[bool, str, str]:
    if isinstance(node, ImportForm):
        return node.name is not None, "." * node.level + node.module, node.name or ""
    if isinstance(node, ast.Import):
        return False, node.names[0].name, ""
    return True, "." * node.level + (node.module or ""), node.names[0].name


def insert_into_block(text: str, owner: Block, form: ImportForm) -> str | None:
    """``text`` with ``form`` imported inside ``owner``'s body, or None where that cannot be done cleanly."""
    body = _statements(owner)
    if not body or body[0].lineno == owner.lineno:
        return None  # `def f(): return x`: no line of its own to put an import on
    leading: list[ast.Import | ast.ImportFrom] = []
    for statement in body:
        if not isinstance(statement, ast.Import | ast.ImportFrom):
            break
        leading.append(statement)
    if form.name is not None and (merged := merge_into(text, leading, form)) is not None:
        return merged
    lines = lines_of(text)
    keys = [_key(n) for n in leading]
    anchor: ast.stmt
    if leading and keys == sorted(keys) and (later := [n for n in leading if _key(n) > _key(form)]):
        anchor, after = later[0], False
    elif leading:
        anchor, after = leading[-1], True
    else:
        anchor, after = body[0], False
    indent = indent_of(lines[anchor.lineno - 1])
    if len(indent) != anchor.col_offset:
        return None  # the anchor shares its line with something else
    index = (anchor.end_lineno or anchor.lineno) if after else anchor.lineno - 1
    start = sum(len(line) for line in lines[:index])
    prefix = "" if index == 0 or lines[index - 1].endswith(("\n", "\r")) else newline_of(text)
    return apply_edits(text, [Edit(start, start, prefix + indent + form.statement() + newline_of(text))])
