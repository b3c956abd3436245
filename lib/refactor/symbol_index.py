"""Where a Python symbol lives in a repository: its definition, re-exports and subclasses.

Files are read and parsed once, and only when their text holds a name we are looking for; what each
says comes from symbol_facts. The trees the rename analyses are parsed here too, with the code that
cannot matter left out (see ``reduced_tree``).
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput
from hookwright.refactor.self_bindings import self_binding
from hookwright.refactor.symbol_facts import (
    FileFacts,
    ModuleFile,
    class_members,
    dotted_ast,
    facts_from_ast,
    facts_from_cst,
    module_of,
)

if TYPE_CHECKING:
    import libcst as cst

OVERLOAD = {"overload", "typing.overload", "typing_extensions.overload"}
_MAX_HOPS = 8  # re-export chains longer than this are a cycle or a mistake
# Import statements and class headers, found in the text before anything is parsed: a file can only
# re-export a name it imports, and only derive from a class its class statements name.
_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*(?:\\\r?\n[^\n]*)*)", re.M
)
_CLASS = re.compile(rb"^[ \t]*class[ \t]+\w+[ \t]*\((?:[^()]|\([^()]*\))*\)", re.M)


class RenameRefused(BadInput):
    """The rename cannot be done as asked; ``str`` lists what is in the way."""


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

    def _matching(self, statement: re.Pattern[bytes], words: Sequence[str]) -> list[str]:
        """Files in which some ``statement`` (import, class header) holds one of ``words``."""
        word = re.compile(
            rb"(?<![\w])(?:" + b"|".join(re.escape(w.encode()) for w in sorted(words)) + rb")(?![\w])"
        )
        return [
            path
            for path in self.containing(*words)
            if any(word.search(match.group(0)) for match in statement.finditer(self.data(path)))
        ]

    def importing(self, *words: str) -> list[str]:
        """Files with an import statement naming one of ``words``, or importing ``*``."""
        stars = [p for p in self.paths if b"import *" in self.data(p)]
        return sorted({*self._matching(_IMPORT, words), *stars})

    def deriving(self, *words: str) -> list[str]:
        """Files with a class statement whose bases name one of ``words``."""
        return self._matching(_CLASS, words)

    @functools.cache  # noqa: B019
    def parsed(self, path: str) -> ast.Module | None:
        """Python's own tree of a file (None: syntax newer than this interpreter, or broken)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(self.data(path))
        except (SyntaxError, ValueError, RecursionError):
            return None

    @functools.cache  # noqa: B019
    def module(self, path: str) -> ModuleFile:
        return module_of(self.root, path)

    @functools.cache  # noqa: B019
    def tree(self, path: str) -> cst.Module | None:
        """libcst's tree of a file, None (and the reason kept) when it cannot be parsed."""
        import libcst as cst

        try:
            return cst.parse_module(self.data(path))
        # SyntaxError: tokenize's encoding detection, before libcst parses (bytes that are no text)
        except (cst.ParserSyntaxError, SyntaxError, UnicodeDecodeError, RecursionError) as exc:
            self.unparsable[path] = f"libcst cannot parse it: {str(exc).splitlines()[0]}"
            return None

    def reduced_tree(
        self,
        path: str,
        words: Sequence[str],
        init_words: Sequence[str] = (),
        places: re.Pattern[bytes] | None = None,
    ) -> tuple[cst.Module, tuple[int, ...] | None] | None:
        """libcst's tree of the file with the code that cannot matter left out (see symbol_reduce).

        Returns the tree and, for a reduced copy, the real line of each of its lines.
        """
        import libcst as cst

        from hookwright.refactor.symbol_reduce import reduce

        tree = self.parsed(path)
        reduced = None if tree is None else reduce(self.data(path), tree, words, init_words, places)
        if reduced is not None:
            try:
                return cst.parse_module(reduced.code), reduced.lines
            except (cst.ParserSyntaxError, SyntaxError, UnicodeDecodeError, RecursionError):
                pass
        full = self.tree(path)
        return None if full is None else (full, None)

    @functools.cache  # noqa: B019
    def facts(self, path: str) -> FileFacts | None:
        """Imports, definitions and classes; from Python's ast, or libcst for syntax newer than ours."""
        parsed = self.parsed(path)
        if parsed is not None:
            return facts_from_ast(self.module(path), parsed)
        tree = self.tree(path)
        return None if tree is None else facts_from_cst(self.module(path), tree)

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
                for number, part in enumerate(rest[1:], 2):
                    found = class_members(statement)
                    # an attribute only its methods bind (`self.NAME = ...` in __init__)
                    bound = self_binding(statement, part) if number == len(rest) else None
                    if found is not None and part not in found and bound is not None:
                        return facts, rest, bound
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
            for path in self.importing(*names):
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
            for path in self.deriving(*names):
                facts = self.facts(path)
                if facts is None:
                    continue
                for fqn, _, bases in facts.classes:
                    if fqn not in family and any(facts.resolve(base) in family for base in bases):
                        more |= self.aliases(fqn)
            if not more:
                return family
            family |= more

    def located(self, qualified: str, hops: int = 0) -> tuple[FileFacts, Any] | None:
        """(file, defining statement) of a module-level name or class member, re-exports followed."""
        parts = qualified.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:split])
            for path in self.modules.get(module, ()):
                facts = self.facts(path)
                if facts is None:
                    continue
                rest = parts[split:]
                if rest[0] in facts.defined:
                    statement = facts.defined[rest[0]]
                    for part in rest[1:]:
                        statement = (class_members(statement) or {}).get(part)
                    return (facts, statement) if statement is not None else None
                if rest[0] in facts.bindings and hops < _MAX_HOPS:
                    return self.located(".".join([facts.bindings[rest[0]], *rest[1:]]), hops + 1)
        return None

    def is_class(self, qualified: str) -> bool | None:
        """Whether a name of the repository is a class (None: not the repository's)."""
        found = self.located(qualified)
        if found is None:
            return None
        return type(found[1]).__name__ == "ClassDef"


def ancestors(index: Index, qualified: str) -> set[str]:
    """The classes ``qualified`` derives from, as far as the repository shows them (``builtins.dict``)."""
    found: set[str] = set()
    todo = [qualified]
    while todo:
        located = index.located(todo.pop())
        if located is None or type(located[1]).__name__ != "ClassDef":
            continue
        facts, statement = located
        for base in _bases(statement):
            name = facts.resolve(base) or (f"builtins.{base}" if hasattr(builtins, base) else base)
            if name not in found:
                found.add(name)
                todo.append(name)
    return found


def _bases(statement: Any) -> list[str]:
    if isinstance(statement, ast.ClassDef):  # MutableMapping[str, str]: the class is MutableMapping
        return [ast.unparse(b.value if isinstance(b, ast.Subscript) else b) for b in statement.bases]
    from hookwright.refactor.symbol_facts import dotted

    return [name for arg in statement.bases if arg.keyword is None and (name := dotted(arg.value))]


def located_member(index: Index, function: str) -> tuple[FileFacts, Any] | None:
    """Where a function or a class's member is defined: on the class, else on the first base that has it."""
    located = index.located(function)
    owner, _, member = function.rpartition(".")
    if located is None and index.is_class(owner):
        for base in sorted(ancestors(index, owner)):
            located = index.located(f"{base}.{member}")
            if located is not None:
                break
    return located


def returned(index: Index, function: str, depth: int = 0) -> set[str] | None:
    """The qualified names calling a function or method gives: its return annotation, else what its
    returns say (return_inference); for a class attribute, the classes it is set to (None: not known)."""
    located = located_member(index, function)
    owner, _, member = function.rpartition(".")
    if located is not None and isinstance(located[1], (ast.Assign, ast.AnnAssign)) and index.is_class(owner):
        from hookwright.refactor.class_attribute_calls import classes_called

        return classes_called(index, owner, member)  # self.Cache(...) where Cache = TTLCache
    if located is None and index.is_class(owner):
        from hookwright.refactor.class_attribute_calls import classes_stored

        return classes_stored(index, owner, member)  # self.error_cls(...), error_cls: type[E] in __init__
    if located is None or not isinstance(located[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    facts, statement = located
    if any(dotted_ast(d) in OVERLOAD for d in statement.decorator_list):
        return None  # the first of several @overload signatures (tomlkit's item): one of many returns
    if statement.returns is None:  # the module's stub (.pyi) annotates it, or its returns say
        from hookwright.refactor.stub_declarations import unannotated_returns

        return unannotated_returns(index, function, (facts, statement), depth)
    names = _annotation_names(statement.returns)
    if names is None:
        return None
    found = set()
    for name in names:
        typevar = _receivers_type(statement, name) and not index.is_class(facts.resolve(name) or name)
        if name.rsplit(".", 1)[-1] == "Self" or typevar:
            found.add(owner)
        elif name != "None":
            found.add(facts.resolve(name) or (f"builtins.{name}" if hasattr(builtins, name) else name))
    return found or None


def _receivers_type(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """``def parse(cls: Type[T], ...) -> T`` or ``def copy(self: T) -> T``: what it is called on."""
    first = (function.args.posonlyargs + function.args.args)[:1]
    hint = first[0].annotation if first else None
    if isinstance(hint, ast.Subscript) and ast.unparse(hint.value).rsplit(".", 1)[-1] in ("Type", "type"):
        hint = hint.slice
    return hint is not None and ast.unparse(hint) == name


def _annotation_names(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation_names(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return None
    if isinstance(node, (ast.Name, ast.Attribute)):
        return [ast.unparse(node)]
    if isinstance(node, ast.Constant) and node.value is None:
        return ["None"]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _annotation_names(node.left), _annotation_names(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Subscript) and ast.unparse(node.value).rsplit(".", 1)[-1] in (
        "Optional",
        "Union",
    ):
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        parts = [_annotation_names(element) for element in inner]
        return None if any(p is None for p in parts) else [n for p in parts for n in p or ()]
    return None
