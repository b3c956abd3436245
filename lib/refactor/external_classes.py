"""Whether a class outside the repository (``werkzeug.wrappers.Request``) has a given attribute.

A method that overrides one of an installed library's classes is called by that library by name:
renaming it breaks the override without a word. We read the library's source from this
interpreter's ``sys.path`` with Python's ``ast`` and never import it (importing runs its code):
the class, its members, its bases, and ``from .x import Name`` re-exports, a few hops deep.
The standard library is asked directly (receiver_types.stdlib_defines), since importing it is safe.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

_HOPS = 6


@functools.cache
def _module_source(module: str) -> ast.Module | None:
    parts = module.split(".")
    for entry in sys.path:
        base = Path(entry or ".").joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            try:
                return ast.parse(candidate.read_bytes())
            except (OSError, SyntaxError, ValueError):
                continue
    return None


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def defines(qualified_class: str, name: str, hops: int = 0) -> bool | None:
    """True / False when the library's source says; None when it cannot be found or read."""
    module, _, cls = qualified_class.rpartition(".")
    tree = _module_source(module) if module and hops < _HOPS else None
    if tree is None:
        return None
    is_package = _is_package(module)
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == cls:
            members = {target.id for node in statement.body for target in _bound(node)}
            if name in members:
                return True
            for base in statement.bases:
                dotted = _resolve(tree, module, ast.unparse(base), is_package)
                if dotted and defines(dotted, name, hops + 1):
                    return True
            return False
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if (alias.asname or alias.name) == cls:
                    source = _absolute(module, statement, is_package)
                    return defines(f"{source}.{alias.name}", name, hops + 1)
    return None


def _bound(node: ast.stmt) -> list[ast.Name]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [ast.Name(node.name)]
    if isinstance(node, ast.Assign):
        return [t for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target]
    return []


def _is_package(module: str) -> bool:
    parts = module.split(".")
    return any(Path(entry or ".").joinpath(*parts, "__init__.py").is_file() for entry in sys.path)


def _resolve(tree: ast.Module, module: str, written: str, is_package: bool) -> str | None:
    """What a base class written in ``module`` means, as a qualified name."""
    head, _, rest = written.partition(".")
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if (alias.asname or alias.name) == head:
                    found = f"{_absolute(module, statement, is_package)}.{alias.name}"
                    return f"{found}.{rest}" if rest else found
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if (alias.asname or alias.name.split(".")[0]) == head:
                    return written if not alias.asname else f"{alias.name}.{rest}"
        elif isinstance(statement, ast.ClassDef) and statement.name == head:
            return f"{module}.{written}"
    return None
