"""The sites of one file that mean a symbol, found with libcst's scope analysis (imported lazily).

A walk over the file in source order: names and attributes whose qualified names are the symbol's,
every import form, ``__all__`` entries, ``self`` / ``cls`` / ``super()`` inside the class family,
instances made or annotated in sight; and what cannot be proved (``getattr`` strings, other strings,
names from ``import *``, attributes of unknown objects) as unsure. It also notes where NEW is already
bound in the scopes it touches, so the rename can be refused with the places named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hookwright.refactor import run_time_modules
from hookwright.refactor.class_attribute_calls import attribute_of_family
from hookwright.refactor.cst_positions import Positions, edited
from hookwright.refactor.receiver_types import Types
from hookwright.refactor.rename_receivers import Receivers
from hookwright.refactor.self_bindings import slot_entries
from hookwright.refactor.symbol_facts import ModuleFile, absolute_module, dotted

ACCESSORS = frozenset({"getattr", "setattr", "hasattr", "delattr"})


@dataclass(frozen=True, order=True)
class Site:
    path: str
    line: int
    column: int
    kind: str  # definition, reference, import, attribute, __all__, self, super, getattr, string, ...
    text: str = ""


@dataclass
class Target:
    """What the symbol is called, everywhere: fully qualified names and the classes that own it."""

    name: str
    new: str
    symbols: set[str]  # fully qualified names that mean the symbol
    family: set[str]  # for a member: its class, the class's aliases and subclasses
    module_bindings: set[str] = field(default_factory=set)  # modules where NAME at top level is it
    types: Types | None = None  # for a member: what the code says receivers are
    unique: bool = False  # no other class of the project, no built-in type has an attribute NAME


class FileSites:
    """One file: find the sites with libcst's scope analysis; collect renames, unsure sites, conflicts."""

    def __init__(
        self,
        target: Target,
        module: ModuleFile,
        tree: Any,
        include_unsure: bool,
        lines: Sequence[int] | None = None,
    ) -> None:
        import libcst as cst
        from libcst.metadata import MetadataWrapper, ScopeProvider

        self.cst = cst
        self.target = target
        self.module = module
        self.include_unsure = include_unsure
        wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        self.scopes = wrapper.resolve(ScopeProvider)
        self.positions = Positions(wrapper, (target.name, target.new), lines)
        self.tree = tree
        self._context: list[tuple[str | None, str | None]] = [(None, None)]
        self.names: dict[int, str] = {}  # id(Name) -> new value
        self.strings: dict[int, str] = {}  # id(SimpleString) -> new literal
        self.sites: list[Site] = []
        self.unsure: list[Site] = []
        self.conflicts: list[Site] = []
        self.builtin_uses: list[Site] = []
        self.binds = False  # a plain name (not an attribute) is renamed here
        self.others: list[Site] = []  # attribute sites of an object known to be of another type
        self.base_calls: list[Site] = []  # self.NAME in a base class of the family: it calls the member
        self.lookups: list[Site] = []  # getattr(x, "NAME") on an x of unknown type: refused
        self._skip: set[int] = set()
        self.first_params: dict[str, str] = {}  # method fqn -> its self/cls parameter
        self.receivers = Receivers(self)
        self._star = False
        self.run_time_modules: dict[int, str | None] = {}  # id(Name) -> m = importlib.import_module(...)
        self._annotation_strings: set[int] = set()
        self._pending: list[tuple[Any, str, str, list[Site]]] = []  # placed once the walk is over

    # -- helpers -----------------------------------------------------------------------------------

    def site(self, node: Any, kind: str, text: str = "") -> Site:
        """Where ``node`` is; only once the walk has seen every node (see cst_positions)."""
        line, column = self.positions[node]
        return Site(self.module.path, line, column, kind, text)

    def note(self, node: Any, kind: str, into: list[Site], text: str = "") -> None:
        self._pending.append((node, kind, text, into))

    def qualified(self, node: Any) -> set[str]:
        scope = self.scopes.get(node)
        return set() if scope is None else self._resolved(scope, node)

    def _resolved(self, scope: Any, node: Any) -> set[str]:
        """Qualified names of a node, or of a bare name given as a str, as ``scope`` sees it."""
        from libcst.metadata import QualifiedNameSource

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

    def rename(
        self, node: Any, kind: str, *, sure: bool = True, check_scope: bool = False, why: str = ""
    ) -> None:
        if id(node) in self.names:
            return
        self.note(node, kind, self.sites if sure else self.unsure, why)
        if not sure and not self.include_unsure:
            return
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
                    if target is not None:
                        self.note(target, "already-bound", self.conflicts)
            scope = scope.parent if scope.parent is not scope else None

    def rename_string(self, node: Any, kind: str, sure: bool) -> None:
        self._skip.add(id(node))
        value = node.evaluated_value if isinstance(node.evaluated_value, str) else None
        self.note(node, kind, self.sites if sure else self.unsure, node.value)
        if value is None or node.raw_value != value or not (sure or self.include_unsure):
            return
        head = value[: len(value) - len(self.target.name)]
        self.strings[id(node)] = f"{node.prefix}{node.quote}{head}{self.target.new}{node.quote}"

    # -- the walk ----------------------------------------------------------------------------------

    def run(self) -> None:
        walker = self

        class Walk(self.cst.CSTVisitor):  # type: ignore[name-defined,misc]
            def on_visit(self, node: Any) -> bool:
                walker.enter(node)
                return True

            def on_leave(self, original_node: Any) -> None:
                walker._context.pop()
                walker.receivers.leave(original_node)

        self.tree.visit(Walk())
        self.receivers.decide()
        for node, kind, text, into in self._pending:
            into.append(self.site(node, kind, text))

    def enter(self, node: Any) -> None:
        """``owner``: the class whose body we are in; ``function``: the innermost function's path."""
        cst = self.cst
        owner, function = self._context[-1]
        handler = getattr(self, f"visit_{type(node).__name__}", None)
        self.positions.note(node)
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
                    self.first_params[path] = params[0].name.value
            elif function is not None:
                path = f"{function}.<locals>.{name}"
            else:
                path = f"{self.module.name}.{name}"
            owner, function = None, path
        if handler is not None:
            handler(node, owner, function)
        self.receivers.enter(node, owner, function)
        self._context.append((owner, function))

    def visit_ClassDef(self, node: Any, owner: str | None, function: str | None) -> None:
        statements = getattr(node.body, "body", ())
        family = self.target.family
        if (
            family
            and owner not in family
            and any(
                self.qualified(arg.value) & family or attribute_of_family(self, arg.value)
                for arg in node.bases
            )
        ):
            # A subclass the index cannot see (defined inside a function): it joins the family here.
            family.add(owner)  # type: ignore[arg-type]
            self.target.symbols.add(f"{owner}.{self.target.name}")
        if owner in family and statements:
            self._bound_in(self.scopes.get(statements[0]))

    def _bound_in(self, scope: Any) -> None:
        if scope is None:
            return
        for assignment in scope.assignments[self.target.new]:
            target = getattr(assignment, "node", None)
            if target is not None:
                self.note(target, "already-bound", self.conflicts)

    def visit_Name(self, node: Any, owner: str | None, function: str | None) -> None:
        if id(node) in self._skip:
            return
        if node.value == self.target.new and f"builtins.{node.value}" in self.qualified(node):
            self.note(node, "shadows-builtin", self.builtin_uses)
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

    def visit_Attribute(self, node: Any, owner: str | None, function: str | None) -> None:
        self._skip.add(id(node.attr))
        if node.attr.value != self.target.name:
            return
        base = node.value
        is_super = isinstance(base, self.cst.Call) and dotted(base.func) == "super"
        if not is_super and self.qualified(node) & self.target.symbols:
            self.rename(node.attr, "attribute")
        elif not self.target.family:
            run_time_modules.attribute(self, node, base)  # else a function or constant: another's attribute
        elif is_super and function and function.rsplit(".", 1)[0] in self.target.family:
            self.rename(node.attr, "super")
        elif self._is_self(base):
            self.rename(node.attr, "self")
        else:
            self.receivers.later(node, function)

    def _is_self(self, base: Any) -> bool:
        cls = self.self_class(base)
        return cls is not None and cls in self.target.family

    def self_class(self, base: Any) -> str | None:
        """The class whose method's ``self`` / ``cls`` (or ``cls()``) ``base`` is, if it is one."""
        if isinstance(base, self.cst.Call):  # cls().meth
            base = base.func
        if not isinstance(base, self.cst.Name):
            return None
        for name in self.qualified(base):
            method, sep, param = name.rpartition(".<locals>.")
            if sep and self.first_params.get(method) == param:
                return method.rsplit(".", 1)[0]
        return None

    def visit_Assign(self, node: Any, owner: str | None, function: str | None) -> None:
        targets = [t.target for t in node.targets]
        run_time_modules.record(self, targets, node.value)
        if any(isinstance(t, self.cst.Name) and t.value == "__all__" for t in targets):
            self._all_entries(node.value)
        elif (
            function is None
            and owner in self.target.family
            and any(isinstance(t, self.cst.Name) and t.value == "__slots__" for t in targets)
        ):
            slot_entries(self, node.value)

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
            asname = alias.asname.name if alias.asname is not None else None
            if asname is not None:
                self._skip.add(id(asname))
            imported = f"{source}.{alias.name.value}" if isinstance(alias.name, self.cst.Name) else None
            if imported in self.target.symbols:
                self.rename(alias.name, "import")
                if isinstance(asname, self.cst.Name) and asname.value == self.target.name:
                    self.rename(asname, "import")  # `import x as x`: the explicit re-export idiom
                    asname = None
                if asname is None:  # the import binds NEW here from now on
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
        elif func == "dict" and "builtins.dict" in self.qualified(node.func):
            self._dict_keys(node)
        elif func in ACCESSORS and len(node.args) >= 2 and f"builtins.{func}" in self.qualified(node.func):
            string = node.args[1].value
            if isinstance(string, self.cst.SimpleString) and string.evaluated_value == self.target.name:
                if self.target.types is None:
                    self.rename_string(string, "getattr", sure=False)
                else:  # a member: decided by what the object is, once the walk is over
                    self._skip.add(id(string))
                    self.receivers.later_lookup(string, node.args[0].value, func)

    def _dict_keys(self, call: Any) -> None:
        """``dict(flip=[...])`` makes the key 'flip', as a string would (toolz's signature registry)."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == self.target.name:
                name = arg.keyword.value
                why = f"dict({name}=...) makes the key '{name}', which a lookup by name may use"
                self.rename(arg.keyword, "string", sure=False, why=why)

    def visit_Annotation(self, node: Any, owner: str | None, function: str | None) -> None:
        stack = [node]
        while stack:
            child = stack.pop()
            if isinstance(child, self.cst.SimpleString):
                self._annotation_strings.add(id(child))
            stack.extend(child.children)

    def visit_SimpleString(self, node: Any, owner: str | None, function: str | None) -> None:
        value = node.evaluated_value
        if id(node) in self._skip or not isinstance(value, str) or not value.endswith(self.target.name):
            return
        if id(node) in self._annotation_strings and value == self.target.name:
            # `frame: "Frame"`: a forward reference means what the bare name means here
            scope = self.scopes.get(node)
            if scope is not None and self._resolved(scope, value) & self.target.symbols:
                self.rename_string(node, "annotation", sure=True)
                return
        if value == self.target.name or value.replace(":", ".") in self.target.symbols:
            self.rename_string(node, "string", sure=False)

    @property
    def edits(self) -> int:
        return len(self.names) + len(self.strings)

    def renamed(self, original: bytes | None = None) -> bytes | None:
        """The file with every chosen site renamed, or None when nothing changes (see ``edited``)."""
        chosen = {**self.names, **self.strings}
        if not chosen:
            return None
        replacements = [(node, chosen[id(node)]) for node, *_ in self._pending if id(node) in chosen]
        return edited(self.tree, self.positions, replacements, original)
