"""The project module that defines a name an import should bring: the nearest one, never a tie.

Near is by package: a module of the file's own package before one of a sibling package, and so on
out; before any of them, the one module the file already imports from that defines the name.
(A definer outside any package, ``doc/examples/rootscript.py``, still counts: a namespace
package's module, ``beetsplug/aura.py``, has the same shape.)
"""

from __future__ import annotations

import ast

from hookwright.heal.import_usage import type_checking_block, usage
from hookwright.heal.project_names import STDLIB, ImportForm, ProjectIndex, absolute


def _distance(module: str, package: list[str]) -> tuple[int, str]:
    parts = module.split(".")
    common = 0
    while common < min(len(parts), len(package)) and parts[common] == package[common]:
        common += 1
    return (len(package) - common) + (len(parts) - common), module


def defining(
    name: str, index: ProjectIndex, target: str, package: list[str], exclude: str, called: bool
) -> ImportForm | None:
    """The nearest project module defining ``name``, or a project module called ``name``; None if tied."""
    forms = [ImportForm(m, name) for m in index.definers(name, exclude=exclude) if m != target]
    for relpath in index.files if not called else ():  # a module is not called
        module = index.module_of(relpath)
        if module.rsplit(".", 1)[-1] == name and module != target and relpath != exclude:
            parent = module.rpartition(".")[0]
            forms.append(ImportForm(parent, name) if parent else ImportForm(name))
    if not forms:
        return None
    ranked = sorted(
        {
            f: _distance(f.module if f.name is None else f"{f.module}.{f.name}", package) for f in forms
        }.items(),
        key=lambda x: x[1],
    )
    if len(ranked) > 1 and ranked[0][1][0] == ranked[1][1][0]:
        return None
    return ranked[0][0]


def _reexports(package: str, name: str, index: ProjectIndex) -> bool:
    """``package``'s ``__init__`` imports ``name`` from the project and lists it in ``__all__``: an API
    that re-exports it (litestar's ``litestar.connection`` for ``Request``). One that imports a name
    for its own use (kivy's ``kivy.core`` and ``Logger``, electrum's ``gui.qt`` and ``WalletDB``) is not."""
    relpath = index.module_file(package)
    if relpath is None or not relpath.endswith("__init__.py"):
        return False
    names = index.names(relpath)
    forms = names.imports.get(name, []) if names is not None else []
    if not any(form.module.split(".")[0] in index.top_level_names for form, _ in forms):
        return False
    return name in _declared_all(index.text(relpath) or "")


def _declared_all(text: str) -> set[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    for node in tree.body:
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.List | ast.Tuple):
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            items = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
            return {item for item in items if isinstance(item, str)}
    return set()


def _through_sys_path(dotted: str | None, definers: set[str], index: ProjectIndex) -> bool:
    """``dotted`` is no module of the project by that name, but a definer's name ends with it: the
    project's folder on ``sys.path`` (Medusa's ``lib/pytvmaze`` imported as ``pytvmaze``)."""
    if not dotted or index.module_file(dotted) is not None:
        return False
    return any(definer.endswith(f".{dotted}") for definer in definers)


def joins_a_definer(name: str, tree: ast.Module, index: ProjectIndex, path: str) -> list[ImportForm]:
    """``name`` from the one module the file already imports from at module level that defines it:
    quodlibet's ``from quodlibet.formats._album import Album`` for the ``Playlist`` defined next to
    ``Album``, where other files import another ``Playlist`` from the browsers. No answer when a
    standard-library module the file imports from exports the name too, or when the file imports
    the name from that module under another name (pydantic's tests: ``from pydantic.dataclasses
    import dataclass as pydantic_dataclass`` beside ``from dataclasses import field``: the bare
    ``dataclass`` is the standard library's). Where none defines it, the one package among them
    that re-exports it. A module reached through a project folder on ``sys.path`` counts (Medusa's
    ``from pytvmaze.exceptions import ...`` is ``lib/pytvmaze/exceptions.py``). For a name read only
    in annotations, the ``if TYPE_CHECKING:`` block's imports count too (litestar: ``from
    litestar.connection import ASGIConnection`` there, ``Request``). Where none defines nor
    re-exports it, the one among them the project's other files import the name from (bcfg2's
    ``from Bcfg2.Compat import Queue``, bound by a ``try:`` import there; graphite's ``json`` from
    ``graphite.util``): the project's habit and the file's own imports agree."""
    from hookwright import stdlib_index

    stdlib = stdlib_index.load()  # None when the scan of this interpreter is unavailable
    definers = set(index.definers(name, exclude=path))
    importer, is_package = index.module_of(path), path.endswith("__init__.py")
    statements = list(tree.body)
    block = type_checking_block(tree)
    if block is not None and usage(tree, name).type_only:
        statements += block.body
    found: set[ImportForm] = set()
    reexported: set[ImportForm] = set()
    ways = index.learned(name, exclude=path)
    most = max((times for _, times, _ in ways), default=0)
    # only a way the project's files write at least as often as any other (sos: one `from sos.plugins
    # import os` against the many `import os` is no habit)
    learned = {f.module for f, times, _ in ways if f.name == name and not f.asname and times == most}
    imported_there: set[ImportForm] = set()
    for node in statements:
        if not isinstance(node, ast.ImportFrom):
            continue
        if any(a.name == name and a.asname not in (None, name) for a in node.names):
            return []  # the file renamed that one: the bare name is another object
        module = node.module or ""
        if node.level == 0 and module.split(".")[0] in STDLIB and stdlib and name in stdlib.exports(module):
            return []  # the standard library module the file imports from has one too
        dotted = absolute(node.module, node.level, importer, is_package)
        if dotted in definers or _through_sys_path(dotted, definers, index):
            found.add(ImportForm(module, name, None, node.level))
        elif dotted is not None and _reexports(dotted, name, index):
            reexported.add(ImportForm(module, name, None, node.level))
        elif dotted in learned:
            imported_there.add(ImportForm(module, name, None, node.level))
    chosen = found or reexported or imported_there
    return sorted(chosen) if len(chosen) == 1 else []
