"""Where a Python symbol lives in a repository: module names, definitions, re-exports and subclasses.

Only what a rename needs, read from libcst trees (imported lazily) without the costly scope analysis:
each file's module-level imports and definitions and its classes with their bases. Files are read and
parsed once, and only when their text holds a name we are looking for.
"""

from __future__ import annotations

import ast
import functools
import re
import warnings
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


def _facts(module: ModuleFile, tree: cst.Module) -> FileFacts:
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
                bases = [dotted(arg.value) for arg in statement.bases if arg.keyword is None]
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


def _ast_dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        left = _ast_dotted(node.value)
        return f"{left}.{node.attr}" if left else None
    return None


def _ast_facts(module: ModuleFile, tree: ast.Module) -> FileFacts:
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
                bases = [_ast_dotted(base) for base in statement.bases]
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
        """Files whose text holds any of ``words`` (as a whole word): only these are ever parsed."""
        alternatives = b"|".join(re.escape(w.encode()) for w in sorted(words))
        pattern = re.compile(rb"(?<![\w])(?:" + alternatives + rb")(?![\w])")
        needles = [w.encode() for w in words]
        return [
            p for p in self.paths if any(n in self.data(p) for n in needles) and pattern.search(self.data(p))
        ]

    @functools.cache  # noqa: B019
    def module(self, path: str) -> ModuleFile:
        return module_of(self.root, path)

    @functools.cache  # noqa: B019
    def tree(self, path: str) -> cst.Module | None:
        """libcst's tree of a file, None (and the reason kept) when it cannot be parsed."""
        import libcst as cst

        try:
            return cst.parse_module(self.data(path))
        except (cst.ParserSyntaxError, UnicodeDecodeError, RecursionError) as exc:
            self.unparsable[path] = f"libcst cannot parse it: {str(exc).splitlines()[0]}"
            return None

    def reduced_tree(self, path: str, words: Sequence[str]) -> cst.Module | None:
        """libcst's tree of the file with every function body that cannot matter left empty.

        Scope analysis costs in proportion to the code, and most bodies of a large module never
        mention the name. A body without any of ``words``, ``global`` or ``nonlocal`` binds nothing
        outside itself, so its lines become blank (``pass`` on the first): every line keeps its number
        and every kept line its columns, and positions found in the reduced file hold in the real one.
        """
        import libcst as cst

        data = self.data(path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError):
            return self.tree(path)
        keep = re.compile(
            rb"(?<!\w)(?:"
            + b"|".join(re.escape(w.encode()) for w in (*words, "global", "nonlocal"))
            + rb")(?!\w)"
        )
        lines = data.split(b"\n")
        blanked = 0
        stack: list[ast.AST] = [tree]
        while stack:
            node = stack.pop()
            for child in ast.iter_child_nodes(node):
                body = getattr(child, "body", None)
                if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) or not body:
                    stack.append(child)
                    continue
                first, last = body[0].lineno, child.end_lineno or body[-1].lineno
                text = b"\n".join(lines[first - 1 : last])
                if first == child.lineno or keep.search(text) or body[0].col_offset == 0:
                    stack.append(child)
                    continue
                indent = lines[first - 1][: body[0].col_offset]
                for number in range(first, last + 1):
                    ending = b"\r" if lines[number - 1].endswith(b"\r") else b""
                    lines[number - 1] = (indent + b"pass" if number == first else b"") + ending
                blanked += last - first + 1
        if not blanked:
            return self.tree(path)
        try:
            return cst.parse_module(b"\n".join(lines))
        except (cst.ParserSyntaxError, UnicodeDecodeError, RecursionError):
            return self.tree(path)

    @functools.cache  # noqa: B019
    def facts(self, path: str) -> FileFacts | None:
        """Imports, definitions and classes; from Python's ast, or libcst for syntax newer than ours."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return _ast_facts(self.module(path), ast.parse(self.data(path)))
        except (SyntaxError, ValueError, RecursionError):
            tree = self.tree(path)
            return None if tree is None else _facts(self.module(path), tree)

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
                    found = class_members(statement)
                    if found is None or part not in found:
                        where = f"{module}.{rest[0]}"
                        raise RenameRefused(f"{asked} does not exist: {where} has no member {part!r}")
                    statement = found[part]
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
            # `from mod import *` re-exports too, without naming the name: such files are few.
            for path in self.containing(*names, "import *"):
                facts = self.facts(path)
                if facts is None or not facts.module.name:
                    continue
                for local, target in facts.bindings.items():
                    if target in found:
                        more.add(f"{facts.module.name}.{local}")
                for alias in found:
                    source, _, name = alias.rpartition(".")
                    if source in facts.stars and not name.startswith("_"):
                        more.add(f"{facts.module.name}.{name}")
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
