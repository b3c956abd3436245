"""An import placed inside a block: a function body that imports lazily, or ``if TYPE_CHECKING:``.

With the block's other imports (merged into a one-line ``from`` import of the same module, else at
its sorted place when they are sorted, else after them); in a block without imports, before its first
statement (after a docstring). The block's own indentation and the file's line endings are kept.
"""

from __future__ import annotations

import ast

from hookwright.heal.fix_base import Edit, apply_edits, indent_of, lines_of, newline_of
from hookwright.heal.import_placement import import_position, merge_into, one_name_per_line
from hookwright.heal.project_names import ImportForm, ProjectIndex

Block = ast.FunctionDef | ast.AsyncFunctionDef | ast.If


def _statements(owner: Block) -> list[ast.stmt]:
    body = list(owner.body)
    docstring = body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    if docstring and isinstance(owner, ast.FunctionDef | ast.AsyncFunctionDef):
        body = body[1:]
    return body


def reaching_imports(owner: ast.AST, name: str) -> list[ast.ImportFrom]:
    """The ``from`` imports inside ``owner`` that bind before every use of ``name`` runs: those in
    the blocks that hold its first use, ahead of it. One in another branch (``if m: from colorsys
    import hls_to_rgb``) binds nothing where the name is read: joining it would leave it unbound."""
    uses = [n for n in ast.walk(owner) if isinstance(n, ast.Name) and n.id == name]
    if not uses:
        return []
    first = min(uses, key=lambda n: (n.lineno, n.col_offset))
    found: list[ast.ImportFrom] = []
    node: ast.AST = owner
    while True:
        blocks = [getattr(node, f, None) for f in ("body", "orelse", "finalbody")]
        blocks += [h.body for h in getattr(node, "handlers", [])]
        holder = next((b for b in blocks if isinstance(b, list) and _holds(b, first)), None)
        if isinstance(node, ast.Try | ast.TryStar) and holder is not node.body:
            # an except clause (its type too), else or finally runs after the try body began
            found += [s for s in node.body if isinstance(s, ast.ImportFrom)]
        if holder is None:
            return found
        for statement in holder:
            if statement.lineno > first.lineno or _holds([statement], first):
                node = statement
                break
            if isinstance(statement, ast.ImportFrom):
                found.append(statement)
        else:
            return found


def importing_branch(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.If | None:
    """The innermost ``if`` of ``function`` whose body holds every use of ``name`` and opens with
    imports: that branch loads what it needs itself (``if name == "__version__": import ...``)."""
    uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name]
    branches = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.If)
        and isinstance(node.body[0], ast.Import | ast.ImportFrom)
        and uses
        and all(_holds(node.body, use) for use in uses)
    ]
    return max(branches, key=lambda node: node.lineno, default=None)


def _holds(block: list[ast.stmt], use: ast.Name) -> bool:
    return any(s.lineno <= use.lineno <= (s.end_lineno or s.lineno) for s in block)


def _key(node: ast.Import | ast.ImportFrom | ImportForm) -> tuple[bool, str, str]:
    """Case-blind, as isort, ruff and reorder-python-imports sort."""
    if isinstance(node, ImportForm):
        return node.name is not None, ("." * node.level + node.module).lower(), (node.name or "").lower()
    if isinstance(node, ast.Import):
        return False, node.names[0].name.lower(), ""
    return True, ("." * node.level + (node.module or "")).lower(), node.names[0].name.lower()


def insert_into_block(
    text: str, owner: Block, form: ImportForm, project: ProjectIndex | None = None
) -> str | None:
    """``text`` with ``form`` imported inside ``owner``'s body, or None where that cannot be done cleanly."""
    body = _statements(owner)
    if not body or body[0].lineno == owner.lineno:
        return None  # `def f(): return x`: no line of its own to put an import on
    leading: list[ast.Import | ast.ImportFrom] = []
    for statement in body:
        if not isinstance(statement, ast.Import | ast.ImportFrom):
            break
        leading.append(statement)
    single = one_name_per_line(leading, None)
    if form.name is not None and not single and (merged := merge_into(text, leading, form)) is not None:
        return merged
    lines = lines_of(text)
    if isinstance(owner, ast.If) and leading:
        return _into_sections(text, lines, leading, form, project)
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


def _into_sections(
    text: str,
    lines: list[str],
    leading: list[ast.Import | ast.ImportFrom],
    form: ImportForm,
    project: ProjectIndex | None,
) -> str | None:
    """An ``if TYPE_CHECKING:`` block's imports are grouped like the module's (standard library,
    third party, first party, a blank line between): the new one joins its section, in its order."""
    indent = indent_of(lines[leading[0].lineno - 1])
    if any(len(indent_of(lines[n.lineno - 1])) != n.col_offset for n in leading):
        return None
    line, after, blank = import_position(ast.Module(body=list(leading), type_ignores=[]), form, project)
    newline = newline_of(text)
    statement = indent + form.statement() + newline
    if after:
        index = line
        statement = (newline if blank == "before" else "") + statement
    else:
        index = line - 1
        statement += newline if blank == "after" else ""
    start = sum(len(x) for x in lines[:index])
    return apply_edits(text, [Edit(start, start, statement)])
