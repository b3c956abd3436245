"""Where a new import goes: where the file keeps its imports, in the section and order they follow.

Sections as isort and ruff have them (``__future__``, standard library, third party, first party);
inside a section, the sorted position when the section is sorted (``import`` before ``from`` or
mixed, whichever the file does), else after the last import of the same kind; a ``from`` import of
a module the file already imports from is merged into that statement unless the file (or its
project) writes one name per ``from`` statement.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from hookwright.heal.fix_base import Edit, apply_edits, body, lines_of, newline_of
from hookwright.heal.project_names import STDLIB, ImportForm, ProjectIndex

_SECTIONS = {"future": 0, "stdlib": 1, "third": 2, "first": 3}


def _section(module: str, level: int, project: ProjectIndex | None) -> str:
    top = module.split(".", 1)[0]
    if level > 0 or (project is not None and top in project.top_level_names):
        return "first"
    if top == "__future__":
        return "future"
    return "stdlib" if top in STDLIB else "third"


def _import_block(tree: ast.Module, name: str = "") -> list[ast.Import | ast.ImportFrom]:
    """Module-level imports before the first definition: where this file keeps its imports; for
    ``name``, only those before the first statement that reads it when the module loads (sickbeard's
    ``import shutil`` then ``shutil.copyfile = ...`` in the middle of its imports)."""
    found: list[ast.Import | ast.ImportFrom] = []
    first_read = _first_read_at_load(tree, name) if name else None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            break
        if first_read is not None and node.lineno >= first_read:
            break
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__"):
            found.append(node)
    return found


def _first_read_at_load(tree: ast.Module, name: str) -> int | None:
    """The first line of a module-level statement (not a function's body) that reads ``name``."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return None  # past the imports' place: what reads it later does not move them
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node)):
            return node.lineno
    return None


def _module_of(node: ast.Import | ast.ImportFrom) -> tuple[str, int]:
    if isinstance(node, ast.Import):
        return node.names[0].name, 0
    return node.module or "", node.level


def _sort_key(is_from: bool, module: str, level: int, by_kind: bool, name: str = "") -> tuple[Any, ...]:
    dotted = ("." * level + module).lower()
    return (is_from, dotted, name.lower()) if by_kind else (dotted, is_from, name.lower())


def _first_name(node: ast.Import | ast.ImportFrom) -> str:
    return node.names[0].name if isinstance(node, ast.ImportFrom) else ""


def one_name_per_line(block: Sequence[ast.Import | ast.ImportFrom], project_style: bool | None) -> bool:
    """One name per ``from`` statement (reorder-python-imports style): the file's way, else the project's."""
    froms = [n for n in block if isinstance(n, ast.ImportFrom)]
    if any(len(n.names) > 1 for n in froms):
        return False
    return len(froms) >= 2 or bool(project_style)


def import_position(
    tree: ast.Module, form: ImportForm, project: ProjectIndex | None
) -> tuple[int, bool, str]:
    """(line to insert before, 1-based; whether that is after the line instead; extra blank line)."""
    block = _import_block(tree, form.binds)
    section = _section(form.module, form.level, project)
    if not block:
        return _after_header(tree), True, "after"
    same = [n for n in block if _section(*_module_of(n), project) == section]
    mine = _sort_key(form.name is not None, form.module, form.level, True, form.name or "")
    if same:
        for by_kind in (True, False):
            keys = [
                _sort_key(isinstance(n, ast.ImportFrom), *_module_of(n), by_kind, _first_name(n))
                for n in same
            ]
            if keys == sorted(keys):
                new = _sort_key(form.name is not None, form.module, form.level, by_kind, form.name or "")
                later = [n for n, k in zip(same, keys, strict=True) if k > new]
                if later:
                    return later[0].lineno, False, ""
                return same[-1].end_lineno or same[-1].lineno, True, ""
        kind = [n for n in same if isinstance(n, ast.ImportFrom) == mine[0]]
        if kind:
            return kind[-1].end_lineno or kind[-1].lineno, True, ""
        if not mine[0]:  # the section's first plain import: before its `from` imports, as isort puts it
            return same[0].lineno, False, ""
        return same[-1].end_lineno or same[-1].lineno, True, ""
    rank = _SECTIONS[section]
    later = [n for n in block if _SECTIONS[_section(*_module_of(n), project)] > rank]
    if later:
        return later[0].lineno, False, "after"
    return block[-1].end_lineno or block[-1].lineno, True, "before"


def _after_header(tree: ast.Module) -> int:
    """The last line of the module docstring and ``__future__`` imports (0 when there are none)."""
    last = 0
    for index, node in enumerate(tree.body):
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if not (docstring and isinstance(node.value.value, str)) and not future:  # type: ignore[attr-defined]
            break
        last = node.end_lineno or node.lineno
    return last


def _by_type(name: str) -> tuple[int, str]:
    """isort's and ruff's default order: CONSTANTS, then Classes, then everything else."""
    bare = name.split(" as ", maxsplit=1)[0]
    rank = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
    return rank, bare.lower()


def _with_name(names: list[str], new: str) -> list[str]:
    """``names`` with ``new`` where the statement's own order puts it: by type (one name alone gives
    no other evidence, and that is the formatters' default), else case-blind, else plain; else last."""
    for key in (_by_type, str.lower, None):
        if names == sorted(names, key=key):  # type: ignore[arg-type]
            return sorted([*names, new], key=key)  # type: ignore[arg-type]
    return [*names, new]


def merge_into(text: str, statements: Sequence[ast.Import | ast.ImportFrom], form: ImportForm) -> str | None:
    """Add ``name`` to a one-line ``from module import ...`` of the same module among ``statements``."""
    for node in statements:
        if not isinstance(node, ast.ImportFrom) or (node.module or "", node.level) != (
            form.module,
            form.level,
        ):
            continue
        if node.lineno != node.end_lineno or any(a.name == "*" for a in node.names):
            return None
        line = body(lines_of(text)[node.lineno - 1])
        raw = line.encode()
        first = len(raw[: node.names[0].col_offset].decode())
        last = len(raw[: node.names[-1].end_col_offset].decode())
        if "(" in line[:first] or "\\" in line:
            return None
        names = [
            line[len(raw[: a.col_offset].decode()) : len(raw[: a.end_col_offset].decode())]
            for a in node.names
        ]
        if form.name is None:
            return None  # `import module`: nothing to merge into a from-import
        if any((a.name, a.asname) == (form.name, form.asname) for a in node.names):
            return None  # it is there already and still does not reach the use: a second copy fixes nothing
        new = form.name if not form.asname else f"{form.name} as {form.asname}"
        names = _with_name(names, new)
        start = sum(len(x) for x in lines_of(text)[: node.lineno - 1])
        return apply_edits(text, [Edit(start + first, start + last, ", ".join(names))])
    return None


def insert_import(
    text: str, form: ImportForm, project: ProjectIndex | None = None, project_style: bool | None = None
) -> str | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    single = one_name_per_line(_import_block(tree), project_style)
    if (
        form.name is not None
        and not single
        and (merged := merge_into(text, _import_block(tree, form.binds), form)) is not None
    ):
        return merged
    lines = lines_of(text)
    newline = newline_of(text)
    line, after, blank = import_position(tree, form, project)
    if after:
        index = line
        prefix = "" if index == 0 or lines[index - 1].endswith(("\n", "\r")) else newline
        statement = (
            prefix + (newline if blank in ("before", "after") and index else "") + form.statement() + newline
        )
        if blank == "after" and index == 0 and lines and lines[0].strip():
            statement += newline
    else:
        index = line - 1
        statement = form.statement() + newline + (newline if blank == "after" else "")
    start = sum(len(x) for x in lines[:index])
    return apply_edits(text, [Edit(start, start, statement)])
