"""A new module wired into its package: missing ``__init__.py`` files, and its names added to ``__all__``."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

from hookwright.templates import creation


def _all_node(tree: ast.Module) -> ast.Assign | ast.AnnAssign | None:
    found: ast.Assign | ast.AnnAssign | None = None
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = node.value
            literal = isinstance(value, ast.List | ast.Tuple) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
            )
            found = node if literal else None  # a computed __all__ is the package's business
    return found


def _offset(lines: list[str], lineno: int, col: int) -> int:
    # ast columns count UTF-8 bytes; the text counts characters.
    line = lines[lineno - 1]
    return sum(len(x) for x in lines[: lineno - 1]) + len(line.encode("utf-8")[:col].decode("utf-8"))


def add_exports(source: str, module_name: str, names: Sequence[str]) -> str | None:
    """``source`` of an ``__init__.py`` with ``names`` imported from the module and in ``__all__``.

    None when the package keeps no literal ``__all__`` (then it is left as it is).
    """
    tree = ast.parse(source)
    node = _all_node(tree)
    if node is None or node.value is None:
        return None
    value = node.value
    assert isinstance(value, ast.List | ast.Tuple)
    existing = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    new = [n for n in names if n not in existing]
    if not new:
        return source
    lines = source.splitlines(keepends=True)
    start = _offset(lines, value.lineno, value.col_offset)
    end = _offset(lines, value.end_lineno or value.lineno, value.end_col_offset or 0)
    every = [*existing, *new]
    open_, close = ("[", "]") if isinstance(value, ast.List) else ("(", ")")
    one_line = (
        open_ + ", ".join(f'"{n}"' for n in every) + ("," if close == ")" and len(every) == 1 else "") + close
    )
    multi = value.end_lineno != value.lineno or len(one_line) + value.col_offset > 88
    literal = open_ + "\n" + "".join(f'    "{n}",\n' for n in every) + close if multi else one_line
    text = source[:start] + literal + source[end:]
    # The import goes after the last import above __all__ (after __future__ and the docstring).
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom) and n.lineno < node.lineno]
    at_line = (imports[-1].end_lineno or imports[-1].lineno) if imports else node.lineno - 1
    head = text.splitlines(keepends=True)
    statement = f"from .{module_name} import {', '.join(new)}\n"
    if at_line > 0 and not head[at_line - 1].endswith("\n"):
        head[at_line - 1] += "\n"
    head.insert(at_line, statement)
    return "".join(head)


def wiring(
    root: Path, package_dir: str, depth: int, module_name: str, exports: Sequence[str]
) -> list[creation.Output]:
    """``__init__.py`` for every package folder that lacks one, and the new names in ``__all__``."""
    outputs = []
    parts = package_dir.split("/") if package_dir else []
    for level in range(len(parts) - depth, len(parts)):
        folder = "/".join(parts[: level + 1])
        init = f"{folder}/__init__.py"
        if not (root / init).exists():
            outputs.append(creation.Output(init, b"", "package wiring"))
    if parts and exports:
        init = f"{package_dir}/__init__.py"
        path = root / init
        if path.is_file():
            source = path.read_text(encoding="utf-8")
            updated = add_exports(source, module_name, exports)
            if updated is not None and updated != source:
                outputs.append(
                    creation.Output(init, updated.encode("utf-8"), "package wiring", may_modify=True)
                )
    return outputs
