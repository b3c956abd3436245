"""Renaming a Python symbol across a repository with libcst (imported lazily).

OLD is a dotted qualified name (``pkg.mod.func``, ``pkg.mod.Class.method``, a module constant). Its
definition is found through the symbol index (re-exports followed); only files whose text holds the old
name are parsed; libcst's scope analysis decides which names and attributes mean the symbol: the
definition, references, every import form (aliases too), ``__all__`` entries, methods reached through
``self`` / ``cls`` / ``super()``, overrides in subclasses. What cannot be proved (``getattr`` with a
string, other strings naming it, names that arrive through ``import *``, attributes of objects of
unknown type) is *unsure*: reported, and renamed only when asked. Formatting is kept byte for byte.
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hookwright.symbol_index import FileFacts, Index, ModuleFile, RenameRefused, absolute_module, dotted

ACCESSORS = frozenset({"getattr", "setattr", "hasattr", "delattr"})
_LISTED = 8  # conflict sites named in a refusal


@dataclass(frozen=True, order=True)
class Site:
    path: str
    line: int
    column: int
    kind: str  # definition, reference, import, attribute, __all__, self, super, getattr, string, ...
    text: str = ""


@dataclass(frozen=True)
class Plan:
    old: str
    new: str
    definition: Site
    sites: tuple[Site, ...]
    unsure: tuple[Site, ...]
    contents: dict[str, bytes]  # path -> renamed bytes, for files that change
    originals: dict[str, bytes]
    skipped: tuple[tuple[str, str], ...]  # files that could not be parsed, and why
    parsed: int


def _check_names(old: str, new: str) -> None:
    if not new.isidentifier():
        raise RenameRefused(f"{new!r} is not a Python identifier; NEW must be a bare name")
    if keyword.iskeyword(new):
        raise RenameRefused(f"{new!r} is a Python keyword; pick another name")
    parts = old.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        raise RenameRefused(f"{old!r} is not a dotted qualified name such as pkg.module.func")
    if parts[-1] == new:
        raise RenameRefused(f"{old} is already called {new}; nothing to rename")


@dataclass
class _Target:
    """What the symbol is called, everywhere: fully qualified names and the classes that own it."""

    name: str
    new: str
    symbols: set[str]  # fully qualified names that mean the symbol
    family: set[str]  # for a member: its class, the class's aliases and subclasses
    module_bindings: set[str] = field(default_factory=set)  # modules where NAME at top level is it


class _FilePass:
    """One file: find the sites with libcst's scope analysis; collect renames, unsure sites, conflicts."""

    def __init__(self, target: _Target, facts: FileFacts, include_unsure: bool) -> None:
        import libcst as cst
        from libcst.metadata import MetadataWrapper, PositionProvider, ScopeProvider

        self.cst = cst
        self.target = target
        self.module: ModuleFile = facts.module
        self.include_unsure = include_unsure
        wrapper = MetadataWrapper(facts.tree, unsafe_skip_copy=True)
        self.scopes = wrapper.resolve(ScopeProvider)
        self.positions = wrapper.resolve(PositionProvider)
        self.tree = facts.tree
        self.names: dict[int, str] = {}  # id(Name) -> new value
        self.strings: dict[int, str] = {}  # id(SimpleString) -> new literal
        self.sites: list[Site] = []
        self.unsure: list[Site] = []
        self.conflicts: list[Site] = []
        self.builtin_uses: list[Site] = []
        self.binds = False  # a plain name (not an attribute) is renamed here
        self._skip: set[int] = set()
        self._typed: set[int] = set()  # assignments that make an instance of the family
        self._first_params: dict[str, str] = {}  # method fqn -> its self/cls parameter
        self._star = False

    # -- helpers -----------------------------------------------------------------------------------

    def site(self, node: Any, kind: str, text: str = "") -> Site:
        where = self.positions[node].start
        return Site(self.module.path, where.line, where.column + 1, kind, text)

    def qualified(self, node: Any) -> set[str]:
        from libcst.metadata import QualifiedNameSource

        scope = self.scopes.get(node)
        if scope is None:
            return set()
        try:
            found = scope.get_qualified_names_for(node)
        except Exception:  # libcst gives up on some exotic nodes; so do we
            return set()
        names = set()
        for qname in found:
            name = qname.name
            if qname.source == QualifiedNameSource.BUILTIN or (
                qname.source == QualifiedNameSource.IMPORT and not name.startswith(".")
            ):
                names.add(name)
                continue
            bare = name.lstrip(".")
            dots = len(name) - len(bare)
            base = absolute_module(self.module, dots, None) if dots else self.module.name
            if base is not None:
                names.add(f"{base}.{bare}" if base else bare)
        return names

    def rename(self, node: Any, kind: str, *, sure: bool = True, check_scope: bool = False) -> None:
        if id(node) in self.names:
            return
        site = self.site(node, kind)
        if not sure:
            self.unsure.append(site)
            if not self.include_unsure:
                return
        else:
            self.sites.append(site)
        self.names[id(node)] = self.target.new
        if check_scope:
            self._check_scope(node)

    def _check_scope(self, node: Any) -> None:
        """NEW must not already be bound where the renamed name is resolved."""
        from libcst.metadata import BuiltinScope, ClassScope

        scope = self.scopes.get(node)
        first = scope
        while scope is not None and not isinstance(scope, BuiltinScope):
            if not isinstance(scope, ClassScope) or scope is first:
                for assignment in scope.assignments[self.target.new]:
                    target = getattr(assignment, "node", None)
                    if target is not None and target in self.positions:
                        self.conflicts.append(self.site(target, "already-bound"))
            scope = scope.parent if scope.parent is not scope else None

    def rename_string(self, node: Any, kind: str, sure: bool) -> None:
        self._skip.add(id(node))
        value = node.evaluated_value if isinstance(node.evaluated_value, str) else None
        site = self.site(node, kind, node.value)
        (self.sites if sure else self.unsure).append(site)
        if value is None or node.raw_value != value or not (sure or self.include_unsure):
            return
        head = value[: len(value) - len(self.target.name)]
        self.strings[id(node)] = f"{node.prefix}{node.quote}{head}{self.target.new}{node.quote}"

    # -- the walk ----------------------------------------------------------------------------------

    def run(self) -> None:
        self._walk(self.tree, None, None)

    def _walk(self, node: Any, owner: str | None, function: str | None) -> None:
        """``owner``: the class whose body we are in; ``function``: the innermost function's path."""
        cst = self.cst
        handler = getattr(self, f"visit_{type(node).__name__}", None)
        if isinstance(node, cst.ClassDef):
            prefix = f"{function}.<locals>" if function else owner or self.module.name
            owner = f"{prefix}.{node.name.value}" if prefix else node.name.value
            function = None
        elif isinstance(node, cst.FunctionDef):
            name = node.name.value
            if owner is not None:
                path = f"{owner}.{name}"
                params = node.params.posonly_params or node.params.params
                if params and "staticmethod" not in {dotted(d.decorator) for d in node.decorators}:
                    self._first_params[path] = params[0].name.value
            elif function is not None:
                path = f"{function}.<locals>.{name}"
            else:
                path = f"{self.module.name}.{name}"
            owner, function = None, path
        if handler is not None:
            handler(node, owner, function)
        for child in node.children:
            self._walk(child, owner, function)

    def visit_ClassDef(self, node: Any, owner: str | None, function: str | None) -> None:
        statements = getattr(node.body, "body", ())
        if owner in self.target.family and statements:
            self._bound_in(self.scopes.get(statements[0]))

    def _bound_in(self, scope: Any) -> None:
        if scope is None:
            return
        for assignment in scope.assignments[self.target.new]:
            target = getattr(assignment, "node", None)
            if target is not None and target in self.positions:
                self.conflicts.append(self.site(target, "already-bound"))

    def visit_Name(self, node: Any, owner: str | None, function: str | None) -> None:
        if id(node) in self._skip:
            return
        if node.value == self.target.new and f"builtins.{node.value}" in self.qualified(node):
            self.builtin_uses.append(self.site(node, "shadows-builtin"))
        if node.value != self.target.name:
            return
        names = self.qualified(node)
        if names & self.target.symbols:
            self.rename(node, "reference", check_scope=True)
            self.binds = True
        elif not names and self._star and self.scopes.get(node) is not None:
            self.rename(node, "star-import", sure=False)

    def visit_Arg(self, node: Any, owner: str | None, function: str | None) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_Param(self, node: Any, owner: str | None, function: str | None) -> None:
        self._skip.add(id(node.name))
        if node.annotation is not None and self.qualified(node.annotation.annotation) & self.target.family:
            self._typed.add(id(node))

    def visit_Attribute(self, node: Any, owner: str | None, function: str | None) -> None:
        self._skip.add(id(node.attr))
        if node.attr.value != self.target.name:
            return
        base = node.value
        is_super = isinstance(base, self.cst.Call) and dotted(base.func) == "super"
        if not is_super and self.qualified(node) & self.target.symbols:
            self.rename(node.attr, "attribute")
        elif not self.target.family:
            return  # a function or constant: another object's attribute of the same name
        elif is_super and function and function.rsplit(".", 1)[0] in self.target.family:
            self.rename(node.attr, "super")
        elif self._is_self(base):
            self.rename(node.attr, "self")
        elif isinstance(base, self.cst.Name) and self._made_here(base):
            self.rename(node.attr, "instance")
        else:
            self.rename(node.attr, "attribute", sure=False)

    def _is_self(self, base: Any) -> bool:
        if isinstance(base, self.cst.Call):  # cls().meth
            base = base.func
        if not isinstance(base, self.cst.Name):
            return False
        for name in self.qualified(base):
            method, sep, param = name.rpartition(".<locals>.")
            if (
                sep
                and self._first_params.get(method) == param
                and method.rsplit(".", 1)[0] in self.target.family
            ):
                return True
        return False

    def _made_here(self, base: Any) -> bool:
        """``x.meth`` where every assignment of ``x`` is ``x = Class(...)`` or a parameter ``x: Class``."""
        scope = self.scopes.get(base)
        if scope is None:
            return False
        nodes = [getattr(assignment, "node", None) for assignment in scope[base.value]]
        return bool(nodes) and all(node is not None and id(node) in self._typed for node in nodes)

    def visit_Assign(self, node: Any, owner: str | None, function: str | None) -> None:
        targets = [t.target for t in node.targets]
        if any(isinstance(t, self.cst.Name) and t.value == "__all__" for t in targets):
            self._all_entries(node.value)
        if isinstance(node.value, self.cst.Call) and self.qualified(node.value.func) & self.target.family:
            self._typed.update(id(t) for t in targets if isinstance(t, self.cst.Name))

    def visit_AnnAssign(self, node: Any, owner: str | None, function: str | None) -> None:
        if (
            isinstance(node.target, self.cst.Name)
            and self.qualified(node.annotation.annotation) & self.target.family
        ):
            self._typed.add(id(node.target))

    def visit_AugAssign(self, node: Any, owner: str | None, function: str | None) -> None:
        if isinstance(node.target, self.cst.Name) and node.target.value == "__all__":
            self._all_entries(node.value)

    def _all_entries(self, value: Any) -> None:
        if f"{self.module.name}.{self.target.name}" not in self.target.module_bindings:
            return
        for element in getattr(value, "elements", None) or [value]:
            string = getattr(element, "value", element)
            if isinstance(string, self.cst.SimpleString) and string.evaluated_value == self.target.name:
                self.rename_string(string, "__all__", sure=True)

    def visit_ImportFrom(self, node: Any, owner: str | None, function: str | None) -> None:
        source = absolute_module(self.module, len(node.relative), dotted(node.module))
        if isinstance(node.names, self.cst.ImportStar):
            self._star = self._star or f"{source}.{self.target.name}" in self.target.symbols
            return
        for alias in node.names:
            self._skip.add(id(alias.name))
            if alias.asname is not None:
                self._skip.add(id(alias.asname.name))
            if (
                isinstance(alias.name, self.cst.Name)
                and f"{source}.{alias.name.value}" in self.target.symbols
            ):
                self.rename(alias.name, "import")
                if alias.asname is None:  # the import binds NEW here from now on
                    self.binds = True
                    self._bound_in(self.scopes.get(node))

    def visit_Import(self, node: Any, owner: str | None, function: str | None) -> None:
        for alias in node.names:
            part = alias.name
            while isinstance(part, self.cst.Attribute):
                self._skip.add(id(part.attr))
                part = part.value
            self._skip.add(id(part))

    def visit_Call(self, node: Any, owner: str | None, function: str | None) -> None:
        func = dotted(node.func)
        if func in ("__all__.extend", "__all__.append"):
            for arg in node.args:
                self._all_entries(arg.value)
        elif func in ACCESSORS and len(node.args) >= 2 and f"builtins.{func}" in self.qualified(node.func):
            string = node.args[1].value
            if isinstance(string, self.cst.SimpleString) and string.evaluated_value == self.target.name:
                self.rename_string(string, "getattr", sure=False)

    def visit_SimpleString(self, node: Any, owner: str | None, function: str | None) -> None:
        value = node.evaluated_value
        if id(node) in self._skip or not isinstance(value, str) or not value.endswith(self.target.name):
            return
        if value == self.target.name or value.replace(":", ".") in self.target.symbols:
            self.rename_string(node, "string", sure=False)

    def renamed(self) -> bytes | None:
        """The file with every chosen site renamed, or None when nothing changes."""
        if not self.names and not self.strings:
            return None
        names, strings = self.names, self.strings

        class Apply(self.cst.CSTTransformer):  # type: ignore[name-defined,misc]
            def leave_Name(self, original: Any, updated: Any) -> Any:
                return updated.with_changes(value=names[id(original)]) if id(original) in names else updated

            def leave_SimpleString(self, original: Any, updated: Any) -> Any:
                return (
                    updated.with_changes(value=strings[id(original)]) if id(original) in strings else updated
                )

        return self.tree.visit(Apply()).bytes


def _listed(sites: Sequence[Site]) -> str:
    unique = sorted(set(f"{s.path}:{s.line}" for s in sites))
    more = f" and {len(unique) - _LISTED} more" if len(unique) > _LISTED else ""
    return ", ".join(unique[:_LISTED]) + more


def _definition_node(statement: Any, name: str) -> Any:
    if hasattr(statement, "name") and getattr(statement.name, "value", None) == name:
        return statement.name
    from hookwright.symbol_index import _targets

    return next((t for t in _targets(statement) if t.value == name), statement)


def plan(root: Path, paths: Sequence[str], old: str, new: str, *, include_unsure: bool = False) -> Plan:
    """Every site of ``old`` and the files renamed to ``new``; RenameRefused when it cannot be done."""
    _check_names(old, new)
    index = Index(root, paths)
    facts, parts, statement = index.definition(old)
    name = parts[-1]
    top = index.aliases(f"{facts.module.name}.{parts[0]}")
    if len(parts) == 1:
        family: set[str] = set()
        symbols = top
    else:
        suffix = "".join(f".{part}" for part in parts[1:-1])
        family = index.subclasses({alias + suffix for alias in top})
        symbols = {f"{owner}.{name}" for owner in family}
    target = _Target(name, new, symbols, family, set(symbols) if len(parts) == 1 else set())
    passes: list[_FilePass] = []
    for path in index.containing(name):
        file_facts = index.facts(path)
        if file_facts is not None:
            file_pass = _FilePass(target, file_facts, include_unsure)
            file_pass.run()
            passes.append(file_pass)
    home = next((p for p in passes if p.module.path == facts.module.path), None)
    if home is None:
        raise RenameRefused(f"{facts.module.path}, where {old} is defined, cannot be parsed")
    definition = home.site(_definition_node(statement, name), "definition")
    conflicts = [site for p in passes for site in p.conflicts]
    if hasattr(builtins, new):
        conflicts += [site for p in passes if p.binds for site in p.builtin_uses]
    if conflicts:
        raise RenameRefused(f"cannot rename {old} to {new}: {new} is already bound at {_listed(conflicts)}")
    contents: dict[str, bytes] = {}
    originals: dict[str, bytes] = {}
    for file_pass in passes:
        data = file_pass.renamed()
        if data is not None and data != index.data(file_pass.module.path):
            contents[file_pass.module.path] = data
            originals[file_pass.module.path] = index.data(file_pass.module.path)
    where = (definition.path, definition.line, definition.column)
    sites = sorted(
        replace(s, kind="definition") if (s.path, s.line, s.column) == where else s
        for p in passes
        for s in p.sites
    )
    return Plan(
        old,
        new,
        definition,
        tuple(sites),
        tuple(sorted(site for p in passes for site in p.unsure)),
        contents,
        originals,
        tuple(sorted(index.unparsable.items())),
        len(passes),
    )
