"""What a Python file says about its names, for renames: module name, imports, definitions, classes.

Read from Python's own ast when it can (several times faster than libcst) and from libcst (imported
lazily) for syntax newer than the running interpreter. No scope analysis here: that is libcst's job in
rename_sites, on the few files that hold the name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True)
class ModuleFile:
    path: str
    name: str  # dotted module name, as an import would spell it
    package: str  # the package relative imports start from


def module_of(root: Path, path: str) -> ModuleFile:
    """``src/pkg/mod.py`` -> ``pkg.mod``: the package starts at the topmost folder with an ``__init__``.

    Folders below it without one are namespace packages inside it (``flask/sansio/``), as Python
    imports them.
    """
    stem = path.rsplit(".", 1)[0]
    parts = stem.split("/")
    folders = parts[:-1]
    regular = [
        depth
        for depth in range(1, len(folders) + 1)
        if any((root.joinpath(*folders[:depth]) / f"__init__.{s}").is_file() for s in ("py", "pyi"))
    ]
    top = regular[0] - 1 if regular else len(folders)
    package_parts = folders[top:]
    if parts[-1] == "__init__":
        name = ".".join(package_parts)
        return ModuleFile(path, name, name)
    return ModuleFile(path, ".".join([*package_parts, parts[-1]]), ".".join(package_parts))


def absolute_module(module: ModuleFile, dots: int, name: str | None) -> str | None:
    """The module a ``from ...name import`` in ``module`` means (None: beyond the top package)."""
    if not dots:
        return name
    base = module.package.split(".") if module.package else []
    if dots - 1 > len(base):
        return None
    base = base[: len(base) - (dots - 1)]
    return ".".join([*base, *([name] if name else [])])


def dotted(node: Any) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        left = dotted(node.value)
        return f"{left}.{node.attr.value}" if left else None
    return None


def _unsubscripted(node: Any) -> Any:
    return node.value if type(node).__name__ == "Subscript" else node


def _statements(block: Any) -> list[Any]:
    """The statements of a suite, an else / except / finally clause, or an ``elif`` (an If)."""
    import libcst as cst

    if block is None:
        return []
    if isinstance(block, cst.If):
        return [block]
    if isinstance(block, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return list(block.body)
    return _statements(getattr(block, "body", None))


def _module_level(body: Sequence[Any]) -> Iterator[Any]:
    """Statements that run at import time: the body and what if/try/with blocks hold."""
    import libcst as cst

    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With)):
            blocks = [statement.body, getattr(statement, "orelse", None)]
            if isinstance(statement, (cst.Try, cst.TryStar)):
                blocks += [*statement.handlers, statement.finalbody]
            for block in blocks:
                yield from _module_level(_statements(block))
        else:
            yield statement


def targets(statement: Any) -> list[Any]:
    """The Name nodes an assignment statement binds directly."""
    import libcst as cst

    if isinstance(statement, cst.Assign):
        found = []
        for target in statement.targets:
            node = target.target
            elements = node.elements if isinstance(node, (cst.Tuple, cst.List)) else [node]
            found += [e.value if isinstance(e, cst.Element) else e for e in elements]
        return [n for n in found if isinstance(n, cst.Name)]
    if isinstance(statement, (cst.AnnAssign, cst.AugAssign)) and isinstance(statement.target, cst.Name):
        return [statement.target]
    if type(statement).__name__ == "TypeAlias":
        return [statement.name]
    return []


def members(body: Sequence[Any]) -> dict[str, Any]:
    """Names a module or class body defines -> the node that defines them (first wins)."""
    import libcst as cst

    found: dict[str, Any] = {}
    for statement in _module_level(body):
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            found.setdefault(statement.name.value, statement)
        for name in targets(statement):
            found.setdefault(name.value, statement)
    return found


@dataclass
class FileFacts:
    module: ModuleFile
    bindings: dict[str, str] = field(default_factory=dict)  # imported local name -> what it means
    defined: dict[str, Any] = field(default_factory=dict)  # module-level name -> defining statement
    classes: list[tuple[str, Any, list[str]]] = field(default_factory=list)  # (fqn, ClassDef, bases)
    stars: list[str] = field(default_factory=list)  # modules this one re-exports with `import *`

    def resolve(self, name: str) -> str | None:
        """What a dotted name used at module level refers to, as a fully qualified name."""
        head, _, rest = name.partition(".")
        if head in self.bindings:
            base = self.bindings[head]
        elif head in self.defined:
            base = f"{self.module.name}.{head}" if self.module.name else head
        else:
            return None
        return f"{base}.{rest}" if rest else base


def facts_from_cst(module: ModuleFile, tree: cst.Module) -> FileFacts:
    import libcst as cst

    facts = FileFacts(module, defined=members(tree.body))
    for statement in _module_level(tree.body):
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    facts.bindings[alias.asname.name.value] = full
                else:
                    facts.bindings[full.split(".")[0]] = full.split(".")[0]
        elif isinstance(statement, cst.ImportFrom):
            source = absolute_module(module, len(statement.relative), dotted(statement.module))
            if source is None:
                continue
            if isinstance(statement.names, cst.ImportStar):
                facts.stars.append(source)
                continue
            for alias in statement.names:
                name = dotted(alias.name) or ""
                local = (
                    alias.asname.name.value
                    if alias.asname and isinstance(alias.asname.name, cst.Name)
                    else name
                )
                facts.bindings[local] = f"{source}.{name}" if source else name

    def walk(body: Sequence[Any], prefix: str) -> None:
        for statement in _module_level(body):
            if isinstance(statement, cst.ClassDef):
                fqn = f"{prefix}.{statement.name.value}" if prefix else statement.name.value
                # Serializer[_T] derives from Serializer: a generic base is its class
                bases = [dotted(_unsubscripted(arg.value)) for arg in statement.bases if arg.keyword is None]
                facts.classes.append((fqn, statement, [b for b in bases if b]))
                walk(statement.body.body, fqn)

    walk(tree.body, module.name)
    return facts


def _ast_module_level(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in body:
        if isinstance(statement, (ast.If, ast.With)):
            yield from _ast_module_level(statement.body)
            yield from _ast_module_level(getattr(statement, "orelse", []))
        elif isinstance(statement, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            blocks = [statement.body, statement.orelse, statement.finalbody]  # type: ignore[attr-defined]
            blocks += [handler.body for handler in statement.handlers]  # type: ignore[attr-defined]
            for block in blocks:
                yield from _ast_module_level(block)
        else:
            yield statement


def _ast_members(body: Sequence[ast.stmt]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for statement in _ast_module_level(body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.setdefault(statement.name, statement)
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                targets += target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = [statement.target]
        elif type(statement).__name__ == "TypeAlias":
            targets = [statement.name]  # type: ignore[attr-defined]
        for target in targets:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, statement)
    return found


def dotted_ast(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        left = dotted_ast(node.value)
        return f"{left}.{node.attr}" if left else None
    return None


def facts_from_ast(module: ModuleFile, tree: ast.Module) -> FileFacts:
    """The same facts from Python's own parser: several times faster than libcst's."""
    facts = FileFacts(module, defined=_ast_members(tree.body))
    for statement in _ast_module_level(tree.body):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                head = alias.name.split(".")[0]
                facts.bindings[alias.asname or head] = alias.name if alias.asname else head
        elif isinstance(statement, ast.ImportFrom):
            source = absolute_module(module, statement.level, statement.module)
            for alias in statement.names if source is not None else ():
                if alias.name == "*":
                    facts.stars.append(source)  # type: ignore[arg-type]
                else:
                    local = alias.asname or alias.name
                    facts.bindings[local] = f"{source}.{alias.name}" if source else alias.name

    def walk(body: Sequence[ast.stmt], prefix: str) -> None:
        for statement in _ast_module_level(body):
            if isinstance(statement, ast.ClassDef):
                fqn = f"{prefix}.{statement.name}" if prefix else statement.name
                bases = [dotted_ast(b.value if isinstance(b, ast.Subscript) else b) for b in statement.bases]
                facts.classes.append((fqn, statement, [b for b in bases if b]))
                walk(statement.body, fqn)

    walk(tree.body, module.name)
    return facts


def class_members(statement: Any) -> dict[str, Any] | None:
    """Members of a class statement (Python's ast or libcst), None for anything else."""
    if isinstance(statement, ast.ClassDef):
        return _ast_members(statement.body)
    if type(statement).__name__ == "ClassDef":
        return members(statement.body.body)
    return None
