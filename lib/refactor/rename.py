"""Renaming a Python symbol across a repository with libcst (imported lazily).

OLD is a dotted qualified name (``pkg.mod.func``, ``pkg.mod.Class.method``, a module constant). Its
definition is found through the symbol index (re-exports followed); only files whose text holds the old
name are parsed; libcst's scope analysis decides which names and attributes mean the symbol: the
definition, references, every import form (aliases too), ``__all__`` entries, methods reached through
``self`` / ``cls`` / ``super()``, overrides in subclasses. What cannot be proved (``getattr`` with a
string, other strings naming it, names that arrive through ``import *``, attributes of objects of
unknown type) is *unsure*: reported, and renamed only when asked; a member looked up by its name
(``hasattr(x, "name")``) on an object of unknown type is refused instead. Formatting is kept byte
for byte.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hookwright.refactor import external_classes
from hookwright.refactor.assigned_aliases import with_assigned_aliases
from hookwright.refactor.cst_positions import Misplaced
from hookwright.refactor.declarations import Declarations
from hookwright.refactor.name_owners import only_the_family_has
from hookwright.refactor.receiver_types import Types, stdlib_defines
from hookwright.refactor.rename_sites import FileSites, Site, Target
from hookwright.refactor.self_bindings import binds_on_self, bound_elsewhere
from hookwright.refactor.special_names import DATA_MODEL_NAMES, is_dunder_shaped
from hookwright.refactor.symbol_index import Index, RenameRefused, ancestors, returned
from hookwright.refactor.symbol_types import with_stdlib_bases

_LISTED = 8  # conflict sites named in a refusal


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
    others: tuple[Site, ...] = ()  # x.NAME where x is known to be of another type: left alone
    edits: int = 0  # places actually renamed (sure sites, and unsure ones when asked)
    member: bool = False  # a method or attribute of a class (not a module-level name)

    @property
    def lines(self) -> int:
        """Lines that differ between the files and their renamed bytes."""
        return sum(
            sum(a != b for a, b in zip(self.originals[p].split(b"\n"), data.split(b"\n"), strict=False))
            for p, data in self.contents.items()
        )

    def record(self, *, include_unsure: bool, dry_run: bool) -> dict[str, Any]:
        """The ``rename`` object of the pattern's record (schemas/refactor_patch.schema.json)."""
        return {
            "old": self.old,
            "new": self.new,
            "include_unsure": include_unsure,
            "dry_run": dry_run,
            "definition": {"path": self.definition.path, "line": self.definition.line},
            "sites": self.edits,
            "lines": self.lines,
            "typed": sum(site.kind == "typed" for site in self.sites),
            "other_type": len(self.others),
            "files": sorted(self.contents),
            "unsure": [
                {"path": s.path, "line": s.line, "column": s.column, "kind": s.kind, "text": s.text}
                | {"renamed": include_unsure}
                for s in self.unsure
            ],
        }


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
    for name in (parts[-1], new):
        if name in DATA_MODEL_NAMES:
            raise RenameRefused(f"{name} is a special name Python itself looks up; renaming it breaks that")


def _check_dunder_lookups(index: Index, name: str) -> None:
    """A dunder-shaped name outside the data model is still refused when code names it as a string."""
    from hookwright.refactor.rename_dispatch import written_as_a_string

    if not is_dunder_shaped(name):
        return
    path = written_as_a_string(index, name)  # (the index has every file read and parsed once)
    if path is not None:
        raise RenameRefused(
            f"{name} is written as a string in {path}: a special name looked up by name; renaming breaks that"
        )


def _listed(sites: Sequence[Site]) -> str:
    unique = sorted(set(f"{s.path}:{s.line}" for s in sites))
    more = f" and {len(unique) - _LISTED} more" if len(unique) > _LISTED else ""
    return ", ".join(unique[:_LISTED]) + more


def _definition_site(home: FileSites, statement: Any, name: str) -> Site:
    """Where the definition is: found by Python's ast (a line) or by libcst (a node)."""
    line = getattr(statement, "lineno", None)
    if line is not None:
        on_line = sorted(s for s in home.sites if s.line == line)
        return (
            replace(on_line[0], kind="definition")
            if on_line
            else Site(home.module.path, line, 1, "definition")
        )
    if getattr(getattr(statement, "name", None), "value", None) == name:
        return home.site(statement.name, "definition")
    from hookwright.refactor.symbol_facts import targets

    node = next((t for t in targets(statement) if t.value == name), statement)
    return home.site(node, "definition")


def _member_places(name: str, new: str) -> re.Pattern[bytes]:
    # What a file must hold for a member rename to find anything in it: `.name`, `def name`, a class
    # attribute (`name =`, `name:`), a string ending in the name (getattr, strings), or NEW anywhere.
    word, other = re.escape(name.encode()), re.escape(new.encode())
    places = (
        rb"\.\s*" + word + rb"\b",
        rb"\bdef\s+" + word + rb"\b",
        rb"^[ \t]*" + word + rb"[ \t]*(?::|=(?!=))",
        word + rb"[\'\"]",
        rb"(?<!\w)" + other + rb"(?!\w)",
    )
    return re.compile(b"|".join(places), re.M)


def _refuse_built_lookups(index: Index, old: str, name: str, classes: set[str]) -> None:
    """A class of the family or a base finds the member by a name built at run time: refuse."""
    from hookwright.refactor.rename_dispatch import built_lookups, given_lookups, written_as_a_string

    located = [(cls, found) for cls in sorted(classes) if (found := index.located(cls)) is not None]
    lookups = built_lookups([(cls, found[1]) for cls, found in located], name, index)
    given = [] if lookups else given_lookups([(cls, found[1]) for cls, found in located], name)
    written = written_as_a_string(index, name) if given else None
    if lookups or written:
        cls, line = (lookups or given)[0]
        facts, statement = next(found for c, found in located if c == cls)
        path = facts.module.path  # the class by the name its module defines it under, not a re-export's
        cls = next((fqn for fqn, node, _ in facts.classes if node is statement), cls)
        how = f"a name given at run time, and {written} has '{name}'" if written else ""
        how = how or "a name it builds at run time"
        raise RenameRefused(
            f"cannot rename {old}: {cls} looks it up by {how} ({path}:{line});"
            " renaming it here breaks that lookup"
        )


def plan(root: Path, paths: Sequence[str], old: str, new: str, *, include_unsure: bool = False) -> Plan:
    """Every site of ``old`` and the files renamed to ``new``; RenameRefused when it cannot be done."""
    _check_names(old, new)
    index = Index(root, paths)
    _check_dunder_lookups(index, old.rsplit(".", maxsplit=1)[-1])
    facts, parts, statement = index.definition(old)
    name = parts[-1]
    top = with_assigned_aliases(index, index.aliases(f"{facts.module.name}.{parts[0]}"))
    if len(parts) == 1:
        family: set[str] = set()
        symbols = top
    else:
        suffix = "".join(f".{part}" for part in parts[1:-1])
        family = index.subclasses({alias + suffix for alias in top})
        symbols = {f"{owner}.{name}" for owner in family}
    target = Target(name, new, symbols, family, set(symbols) if len(parts) == 1 else set())
    if len(parts) > 1:
        owner = f"{facts.module.name}.{'.'.join(parts[:-1])}"
        lineage = ancestors(index, owner)
        for base in sorted(lineage):
            if index.is_class(base) and (
                index.located(f"{base}.{name}") is not None or binds_on_self(index, base, name)
            ):
                raise RenameRefused(
                    f"cannot rename {old}: it overrides {base}.{name}; rename that one to rename the"
                    " whole family, or give this one a name of its own by hand"
                )
            if stdlib_defines(base, name):
                origin = "the standard library"
            elif index.is_class(base) is None and external_classes.defines(base, name):
                origin = f"the installed package {base.split('.')[0]}"
            else:
                continue
            raise RenameRefused(
                f"cannot rename {old}: it overrides {base}.{name} of {origin}, which calls it by that name"
            )
        collision = bound_elsewhere(index, family | lineage, new)
        if collision is not None:
            raise RenameRefused(f"cannot rename {old} to {new}: {new} is already bound at {collision}")
        target.types = Types(
            family,
            with_stdlib_bases(lineage),
            index.is_class,
            lambda function: returned(index, function),
            Declarations(index, family, name),
        )
        target.unique = only_the_family_has(index, name, family)
        _refuse_built_lookups(index, old, name, family | lineage)
    passes: list[FileSites] = []
    relevant = _member_places(name, new) if len(parts) > 1 else None
    # a subclass that never names the member is still where NEW may already be bound (a collision)
    homes = {found[0].module.path for cls in family if (found := index.located(cls)) is not None}
    for path in sorted({*index.containing(name), *homes}):
        if relevant is not None and not relevant.search(index.data(path)):
            continue  # only `next(...)`, a local `next`: nothing a member rename touches or trips on
        classes = sorted({cls.rsplit(".", 1)[-1] for cls in family})
        reduced = index.reduced_tree(path, (name, new), classes, relevant)
        if reduced is not None:
            tree, lines = reduced
            file_pass = FileSites(target, index.module(path), tree, include_unsure, lines)
            file_pass.run()
            passes.append(file_pass)
    home = next((p for p in passes if p.module.path == facts.module.path), None)
    if home is None:
        raise RenameRefused(f"{facts.module.path}, where {old} is defined, cannot be parsed")
    definition = _definition_site(home, statement, name)
    base_calls = [site for p in passes for site in p.base_calls]
    if base_calls:
        raise RenameRefused(
            f"cannot rename {old}: its base class {base_calls[0].text} calls it on self by that name at"
            f" {_listed(base_calls)}; renaming it here breaks those calls"
        )
    lookups = [site for p in passes for site in p.lookups]
    if lookups:
        raise RenameRefused(
            f"cannot rename {old}: {lookups[0].path}:{lookups[0].line} looks it up by its name,"
            f" {lookups[0].text}; renaming it breaks that lookup if the object is one of ours, and"
            f" renaming the string breaks it if it is not (all such lookups: {_listed(lookups)})"
        )
    conflicts = [site for p in passes for site in p.conflicts]
    if hasattr(builtins, new):
        conflicts += [site for p in passes if p.binds for site in p.builtin_uses]
    if conflicts:
        raise RenameRefused(f"cannot rename {old} to {new}: {new} is already bound at {_listed(conflicts)}")
    contents: dict[str, bytes] = {}
    originals: dict[str, bytes] = {}
    for number, file_sites in enumerate(passes):
        path = file_sites.module.path
        try:
            data = file_sites.renamed(index.data(path))
        except Misplaced:  # should never happen; if it does, the full tree decides
            passes[number] = full = FileSites(target, index.module(path), index.tree(path), include_unsure)
            full.run()
            data = full.renamed()
        if data is not None and data != index.data(path):
            contents[path] = data
            originals[path] = index.data(path)
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
        tuple(sorted(site for p in passes for site in p.others)),
        sum(p.edits for p in passes if p.module.path in contents),
        len(parts) > 1,
    )
