"""Whether a fix is kept: the error it answers is gone, and it brought no new one.

Compile errors hide everything after them (ruff and CPython stop at the first), so a fix of one may
reveal errors that were there all along; only the lines the fix wrote can have brought those, and
an undefined name the fix did not write (it reads the name no more often than before) was there too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.fix_base import lines_of
from hookwright.sequence_ends import common_ends


def changed_lines(old: str, new: str) -> set[int]:
    """Lines of ``new`` (1-based) that a fix wrote or removed text next to."""
    a, b = lines_of(old), lines_of(new)
    head, tail = common_ends(a, b)
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed.update(range(head + j1 + 1, head + max(j2, j1 + 1) + 1))
    return changed


_UNDEFINED = re.compile(r"Undefined name `(?P<name>[^`]+)`")


def _bound_anywhere(text: str, name: str) -> bool:
    """``name`` is given a value somewhere in ``text``: a scope the fix moved a line out of could hold it."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, ast.Import | ast.ImportFrom) and any(
            (a.asname or a.name.split(".")[0]) == name for a in node.names
        ):
            return True
        if isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            return True
    return False


def _revealed(found: Diagnostic, old: str, new: str) -> bool:
    """An undefined name the syntax error hid, not one the fix brought: the file binds it nowhere
    (so no scope it was moved out of held it) and reads it no more often than before."""
    match = _UNDEFINED.match(found.message) if found.error_type == "F821" else None
    if match is None:
        return False
    name = match["name"]
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    return len(word.findall(new)) <= len(word.findall(old)) and not _bound_anywhere(new, name)


def judge(
    target: Diagnostic,
    before: Sequence[Diagnostic],
    after: Sequence[Diagnostic],
    changed: set[int],
    texts: tuple[str, str] = ("", ""),
    written: set[int] | None = None,
) -> str | None:
    """None when the fix is kept; otherwise why it is rolled back (``texts``: before and after it).

    ``written``: the lines of the fixed text that the session's kept fixes and this one wrote since
    the file last compiled. An undefined name there may come from an earlier fix, judged while the
    file did not compile yet (xarray's ``@maxsize.setter`` moved into the method above it, then the
    method's body indented to match: compiled, ``maxsize`` undefined; fresh8, made worse before).
    """
    reach = max([*changed, target.line or 0])
    masked = any(d.is_syntax for d in before)  # ruff and compile stop at the first syntax error
    for found in after:
        if found.is_syntax:
            if not target.is_syntax:
                return f"the fix broke the syntax: {found.describe()}"
            if (found.line or 0) <= reach:
                return f"the error is still there: {found.describe()}"
            continue
        if found.key() == target.key():
            return f"the error is still there: {found.describe()}"
        if found.key() in {d.key() for d in before}:
            continue
        if not masked or ((found.line or 0) in (written or changed) and not _revealed(found, *texts)):
            return f"the fix introduced {found.describe()}"
    return None
