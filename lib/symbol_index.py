"""Where a Python symbol lives in a repository: module names, definitions, re-exports and subclasses.

Only what a rename needs, read from libcst trees (imported lazily) without the costly scope analysis:
each file's module-level imports and definitions and its classes with their bases. Files are read and
parsed once, and only when their text holds a name we are looking for.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput

if TYPE_CHECKING:
    import libcst as cst

_MAX_HOPS = 8  # re-export chains longer than this are a cycle or a mistake


class RenameRefused(BadInput):
    """The rename cannot be done as asked; ``str`` lists what is in the way."""


@dataclass(frozen=True)
class ModuleFile:
    path: str
    name: str  # dotted module name, as an import would spell it
    package: str  # the package relative imports start from


def module_of(root: Path, path: str) -> ModuleFile:
    """``src/pkg/mod.py`` -> ``pkg.mod``: the parents that hold an ``__init__.py`` form the package."""
    stem = path.rsplit(".", 1)[0]
    parts = stem.split("/")
    folders = parts[:-1]
    top = len(folders)
    while top > 0 and any((root.joinpath(*folders[:top]) / f"__init__.{s}").is_file() for s in ("py", "pyi")):
        top -= 1
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


def _module_level(body: Sequence[Any]) -> Iterator[Any]:
    """Statements that run at import time: the body and what if/try/with blocks hold."""
    import libcst as cst

    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With)):
            blocks = [statement.body]
            if isinstance(statement, cst.If) and statement.orelse is not None:
                blocks.append(statement.orelse)
            if isinstance(statement, (cst.Try, cst.TryStar)):
                blocks += [h.body for h in statement.handlers]
                blocks += [b.body for b in (statement.orelse, statement.finalbody) if b is not None]
            for block in blocks:
                yield from _module_level(getattr(block, "body", ()))
        else:
            yield statement


def _targets(statement: Any) -> list[Any]:
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
        for name in _targets(statement):
            found.setdefault(name.value, statement)
    return found


@dataclass
class FileFacts:
    module: ModuleFile
    tree: cst.Module
    bindings: dict[str, str] = field(default_factory=dict)  # imported local name -> what it means
    defined: dict[str, Any] = field(default_factory=dict)  # module-level name -> defining statement
    classes: list[tuple[str, Any, list[str]]] = field(default_factory=list)  # (fqn, ClassDef, bases)

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


def _facts(module: ModuleFile, tree: cst.Module) -> FileFacts:
    import libcst as cst

    facts = FileFacts(module, tree, defined=members(tree.body))
    for statement in _module_level(tree.body):
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    facts.bindings[alias.asname.name.value] = full
                else:
                    facts.bindings[full.split(".")[0]] = full.split(".")[0]
        elif isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
            source = absolute_module(module, len(statement.relative), dotted(statement.module))
            if source is None:
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
                bases = [dotted(arg.value) for arg in statement.bases if arg.keyword is None]
                facts.classes.append((fqn, statement, [b for b in bases if b]))
                walk(statement.body.body, fqn)

    walk(tree.body, module.name)
    return facts


class Index:
    """The Python files of a repository, read and parsed on demand, once."""

    def __init__(self, root: Path, paths: Iterable[str]) -> None:
        self.root = root
        self.paths = sorted(paths)
        self.modules: dict[str, list[str]] = {}
        for path in self.paths:
            # A stub and its module share a name: the .py file comes first.
            self.modules.setdefault(module_of(root, path).name, []).append(path)
        for found in self.modules.values():
            found.sort(key=lambda p: p.endswith(".pyi"))
        self.unparsable: dict[str, str] = {}

    @functools.cache  # noqa: B019 - one Index per rename; the cache is the point
    def data(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def containing(self, *words: str) -> list[str]:
        """Files whose text holds any of ``words``: only these are ever parsed."""
        needles = [w.encode() for w in words]
        return [p for p in self.paths if any(n in self.data(p) for n in needles)]

    @functools.cache  # noqa: B019
    def facts(self, path: str) -> FileFacts | None:
        import libcst as cst

        try:
            tree = cst.parse_module(self.data(path))
        except (cst.ParserSyntaxError, UnicodeDecodeError, RecursionError) as exc:
            self.unparsable[path] = f"libcst cannot parse it: {str(exc).splitlines()[0]}"
            return None
        return _facts(module_of(self.root, path), tree)

    def definition(self, qualified: str) -> tuple[FileFacts, list[str], Any]:
        """(file, [Name, Member...], defining statement) of a dotted name, following re-exports."""
        parts = qualified.split(".")
        if qualified in self.modules:
            raise RenameRefused(f"{qualified} is a module; renaming modules is not supported")
        for split in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:split])
            if module in self.modules:
                return self._find(module, parts[split:], qualified, 0)
        raise RenameRefused(f"{qualified} does not exist: no module of the repository is a prefix of it")

    def _find(self, module: str, rest: list[str], asked: str, hops: int) -> tuple[FileFacts, list[str], Any]:
        for path in self.modules.get(module, ()):
            facts = self.facts(path)
            if facts is None:
                continue
            if rest[0] in facts.defined:
                statement = facts.defined[rest[0]]
                for part in rest[1:]:
                    body = getattr(getattr(statement, "body", None), "body", None)
                    if type(statement).__name__ != "ClassDef" or body is None or part not in members(body):
                        raise RenameRefused(
                            f"{asked} does not exist: {module}.{rest[0]} has no member {part!r}"
                        )
                    statement = members(body)[part]
                return facts, rest, statement
            if rest[0] in facts.bindings and hops < _MAX_HOPS:
                target = facts.bindings[rest[0]].split(".")
                for split in range(len(target) - 1, 0, -1):
                    source = ".".join(target[:split])
                    if source in self.modules and source != module:
                        return self._find(source, target[split:] + rest[1:], asked, hops + 1)
        raise RenameRefused(f"{asked} does not exist: {module} defines no {rest[0]!r}")

    def aliases(self, qualified: str) -> set[str]:
        """``qualified`` and every name it is re-exported under (``from .mod import func`` in a package)."""
        found = {qualified}
        while True:
            names = {alias.rsplit(".", 1)[-1] for alias in found}
            more = set()
            for path in self.containing(*names):
                facts = self.facts(path)
                if facts is None or not facts.module.name:
                    continue
                for local, target in facts.bindings.items():
                    if target in found:
                        more.add(f"{facts.module.name}.{local}")
            if more <= found:
                return found
            found |= more

    def subclasses(self, classes: set[str]) -> set[str]:
        """``classes`` and every class of the repository derived from one of them, with re-exports."""
        family = set(classes)
        while True:
            names = {alias.rsplit(".", 1)[-1] for alias in family}
            more = set()
            for path in self.containing(*names):
                facts = self.facts(path)
                if facts is None:
                    continue
                for fqn, _, bases in facts.classes:
                    if fqn not in family and any(facts.resolve(base) in family for base in bases):
                        more |= self.aliases(fqn)
            if not more:
                return family
            family |= more
