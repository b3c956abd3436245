"""Where a deleted local import stood: the blank line it left inside the function that uses the name.

Formatted code (black, ruff format) has no blank line right after a block's header and never two
in a row inside a function; an import deleted from the head of a block, or from before the blank
line that separated it from the code, leaves exactly that. Such a gap before the name's first use,
at a level that holds the use, is where the import goes back: before the gap after a header, after
the first blank line of a double one. No gap: no trace, and placement falls back to its other rules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from hookwright.heal.fix_base import (
    Edit,
    apply_edits,
    body,
    end_of_code,
    indent_of,
    lines_of,
    newline_of,
)
from hookwright.heal.import_usage import Function
from hookwright.heal.project_names import ImportForm


@dataclass(frozen=True)
class Trace:
    """An import's old place: insert before 0-based line ``index``, indented ``indent``."""

    index: int
    indent: str
    strong: bool = True  # after a header or two blank lines; a gap after a docstring or comment is weak


def _in_strings(tree: ast.AST) -> set[int]:
    """Lines inside a multi-line string (their blank lines are text, not layout)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant | ast.JoinedStr) and (node.end_lineno or node.lineno) > node.lineno:
            inside.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
    return inside


def _first_use(function: Function, name: str) -> ast.Name | None:
    uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name]
    return min(uses, key=lambda n: (n.lineno, n.col_offset), default=None)


def _header(line: str) -> bool:
    text = body(line)
    return text[: end_of_code(text)].rstrip().endswith(":")


def _docstring_end(function: Function) -> int | None:
    first = function.body[0]
    if len(function.body) > 1 and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first.end_lineno if isinstance(first.value.value, str) else None
    return None


def _docstrings_stand_alone(tree: ast.Module, lines: list[str]) -> bool:
    """The file's functions follow a docstring with code directly, never with a blank line (its style)."""
    gaps = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (end := _docstring_end(node)):
            gaps.append(not lines[end].strip())
    return len(gaps) >= 3 and gaps.count(True) == 1  # only the function the import was taken from


def _overlap(a: Function, b: Function) -> bool:
    return a.lineno <= (b.end_lineno or b.lineno) and b.lineno <= (a.end_lineno or a.lineno)


def _comment(line: str) -> bool:
    return line.strip().startswith("#")


def find_trace(text: str, tree: ast.Module, function: Function, name: str) -> Trace | None:
    """The gap nearest before ``name``'s first use in ``function`` (its own body, not a nested def's).

    A gap: one or more blank lines after a block's header, or after a comment that now describes
    nothing; two or more anywhere else; one after the docstring in a file that never has one there.
    A file whose other functions have such gaps too is written that way: there, a gap is no trace.
    """
    use = _first_use(function, name)
    if use is None or not function.body:
        return None
    lines = lines_of(text)
    strings = _in_strings(tree)
    others = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and not _overlap(node, function)  # not one that holds this one, nor one inside it
    ]
    stops = [(n.end_lineno or n.lineno) + 1 for n in others]
    if any(_gaps(lines, strings, n, stop, None, None) for n, stop in zip(others, stops, strict=True)):
        return None
    use_indent = indent_of(lines[use.lineno - 1])
    # The function itself first, then the ones around it: `def outer(): <gap> ... def inner(): use`.
    for owner in [function, *_enclosing(tree, function)]:
        docstring_end = _docstring_end(owner)
        after_docstring = docstring_end if docstring_end and _docstrings_stand_alone(tree, lines) else None
        found = _gaps(lines, strings, owner, use.lineno, use_indent, after_docstring)
        if found:
            return found[-1]
    return None


def _enclosing(tree: ast.Module, function: Function) -> list[Function]:
    """The functions ``function`` is nested in, innermost first."""
    outer = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.lineno < function.lineno
        and (node.end_lineno or 0) >= (function.end_lineno or 0)
    ]
    return sorted(outer, key=lambda node: -node.lineno)


def _gaps(
    lines: list[str],
    strings: set[int],
    function: Function,
    stop: int,
    use_indent: str | None,
    after_docstring: int | None,
) -> list[Trace]:
    """The gaps in ``function`` before line ``stop``, at levels that hold ``use_indent`` (any: None)."""
    own_level = indent_of(lines[function.body[0].lineno - 1])
    found = []
    number = function.body[0].lineno
    while number - 1 > function.lineno and (not lines[number - 2].strip() or _comment(lines[number - 2])):
        number -= 1  # blank lines (and comments) between the header and the first statement
    while number < min(stop, len(lines)):
        if lines[number - 1].strip() or number in strings:
            number += 1
            continue
        run_end = number
        while run_end + 1 < min(stop, len(lines)) and not lines[run_end].strip():
            run_end += 1  # lines[run_end] is line run_end + 1
        following = run_end + 1
        before = lines[number - 2] if number >= 2 else ""
        # A comment after a header's gap stands at the level of the code it describes; elsewhere a
        # blank line before a comment is how paragraphs of code are written.
        commented = _comment(lines[following - 1])
        indent = indent_of(lines[following - 1]) if lines[following - 1].strip() else None
        holds = indent is not None and (use_indent is None or use_indent.startswith(indent))
        if indent is not None and holds and indent.startswith(own_level):
            if _header(before) and indent_of(before) != indent:
                found.append(Trace(number - 1, indent))
            elif commented:
                pass
            elif number - 1 == after_docstring or (_comment(before) and indent_of(before) == indent):
                found.append(Trace(number - 1, indent, strong=False))
            elif run_end > number:
                found.append(Trace(number, indent))
        number = run_end + 1
    return found


def in_a_branch(trace: Trace, text: str, function: Function | None) -> bool:
    """The trace stands deeper than the function's own body, under an ``if``/``for``/... inside it.

    An import there loads conditionally; when the file imports from that module at module level
    already, such a load would bring nothing, so the gap is layout (dipy's ``if ends('.trk'):``
    then a blank line, where the commit joined ``from dipy.io.streamline import ...`` at the top).
    """
    if function is None or not function.body:
        return False
    own_level = indent_of(lines_of(text)[function.body[0].lineno - 1])
    return len(trace.indent) > len(own_level)


def insert_at_trace(text: str, trace: Trace, form: ImportForm) -> str:
    lines = lines_of(text)
    start = sum(len(line) for line in lines[: trace.index])
    return apply_edits(text, [Edit(start, start, trace.indent + form.statement() + newline_of(text))])


def module_gap(text: str, tree: ast.Module) -> bool:
    """The module's head (before its first ``def`` or ``class``) holds the gap a deleted import leaves.

    Formatted code never has three blank lines in a row at module level, nor two before an import
    (imports stand together) or after the module's docstring; a head with any of these, in a file
    that nowhere else has three in a row, lost an import there.
    """
    lines = lines_of(text)
    strings = _in_strings(tree)
    heads = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    head_end = min((_first_line(n) for n in heads), default=len(lines) + 1)
    imports = {n.lineno for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)}
    first = tree.body[0] if tree.body else None
    is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    docstring = first.end_lineno if first is not None and is_docstring else None
    in_head = False
    number = 1
    while number <= len(lines):
        if lines[number - 1].strip() or number in strings:
            number += 1
            continue
        end = number
        while end < len(lines) and not lines[end].strip():
            end += 1  # lines[end] is line end + 1
        run = end - number + 1
        if run >= 3 and number >= head_end:
            return False  # the file's own style
        if number < head_end and (run >= 3 or (run == 2 and (end + 1 in imports or number - 1 == docstring))):
            in_head = True
        number = end + 1
    return in_head


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])
