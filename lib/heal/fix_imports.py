"""Import fixers: add the import an undefined name needs, where the file's imports live; drop an unused one.

Where a name comes from, in the order the built-in rules try (each source is its own rule):
``project`` (how the project's other files import it), ``stdlib`` (a standard-library module used
as ``name.attr``), ``names`` (a table of well-known standard-library names: ``Path``,
``dataclass`` ...), ``definitions`` (the nearest project module defining it, or a project module
so named), ``alias`` (``np``, ``pd``, ``plt`` ... when the package is importable here or the
project already imports it).
"""

from __future__ import annotations

import ast

from hookwright import stdlib_index
from hookwright.heal import import_scope as placement
from hookwright.heal import import_stdlib, project_python
from hookwright.heal.fix_base import FixContext
from hookwright.heal.import_definers import defining, joins_a_definer
from hookwright.heal.import_guards import (
    left_its_function,
    misread_builtin,
    moved_builtin,
    namespace_filled_at_run_time,
    unguarded_import_breaks,
    vendored_shim,
)
from hookwright.heal.import_installed import installed_into_builtins
from hookwright.heal.import_learned import ranked_for_use
from hookwright.heal.import_nested import importing_branch, insert_into_block, reaching_imports
from hookwright.heal.import_placement import insert_import, merge_into, one_name_per_line
from hookwright.heal.import_siblings import as_siblings_write
from hookwright.heal.import_spelling import as_the_file_spells, relative_to, spelled_like
from hookwright.heal.import_submodule import deepest_module
from hookwright.heal.import_trace import find_trace, in_a_branch, insert_at_trace, module_gap
from hookwright.heal.import_type_blocks import stdlib_types_at_top, typing_names_in_blocks
from hookwright.heal.import_unused import remove_unused_import
from hookwright.heal.import_usage import nested_imports, usage
from hookwright.heal.project_names import STDLIB, ImportForm, ProjectIndex, absolute, importable

__all__ = ["ProjectIndex", "add_import", "insert_import", "remove_unused_import"]

SOURCES = ("project", "stdlib", "names", "definitions", "alias")


# -- where the name comes from -----------------------------------------------------------------------


def _absolute(form: ImportForm, ctx: FixContext) -> str:
    """The absolute module ``form`` imports from (its name too when that is a module of the project)."""
    assert ctx.project is not None
    is_package = ctx.path.endswith("__init__.py")
    module = absolute(form.module, form.level, ctx.project.module_of(ctx.path), is_package)
    if module is None:
        return ""
    if form.name is not None and ctx.project.module_file(f"{module}.{form.name}") is not None:
        return f"{module}.{form.name}"
    return module


def _uses_relative(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.ImportFrom) and n.level > 0 for n in tree.body)


def _consistent(form: ImportForm, chains: list[list[str]]) -> bool:
    """``import a.b`` suits a file that reads ``a`` only as ``a.b...``; ``import a`` suits the others."""
    parts = form.module.split(".")
    if form.name is not None or form.asname is not None or len(parts) == 1:
        return True
    return bool(chains) and all(chain[: len(parts) - 1] == parts[1:] for chain in chains)


def _in_project(name: str, tree: ast.Module, ctx: FixContext, learned_only: bool) -> list[ImportForm]:
    index = ctx.project
    if index is None:
        return []
    target = index.module_of(ctx.path)
    is_package = ctx.path.endswith("__init__.py")
    package = target.split(".") if is_package else target.split(".")[:-1]
    found = usage(tree, name)
    chains, called = [list(c) for c in found.chains], found.called
    form: ImportForm | None = None
    written_relative = False
    if learned_only:
        learned = [(f, n, r) for f, n, r in index.learned(name, exclude=ctx.path) if _consistent(f, chains)]
        if not learned and index.imported_only_locally(name, exclude=ctx.path):
            learned = [
                (f, n, r) for f, n, r in index.learned(name, ctx.path, local=True) if _consistent(f, chains)
            ]
        learned = ranked_for_use(learned, found)
        if len(learned) > 1 and learned[0][1] == learned[1][1] and _writes_project_absolute(tree, index):
            # a tie (electrum: `.interface` inside the package twice, `electrum.network` twice from
            # outside): the form its writers spell as this file spells its project imports
            learned.sort(key=lambda item: (-item[1], item[2] > 0))
        forms = [f for f, _, _ in learned]
        if learned and (spelled := as_siblings_write(name, tree, index, ctx.path, forms, bool(chains))):
            return [spelled]
        if learned:
            form, times, relative = learned[0]
            written_relative = relative * 2 > times
    else:
        form = defining(name, index, target, package, ctx.path, called)
    if form is None:
        return []
    form = deepest_module(form, chains, index)
    same_package = form.module.split(".")[0] == target.split(".")[0]
    relative_style = _uses_relative(tree) or written_relative
    if same_package and form.name is not None and relative_style and not _imports_absolutely(tree, form):
        climbed = relative_to(form, target, is_package)
        if climbed.level < 2 or not _siblings_only_relative(tree, target.split(".")[0]):
            form = climbed
    return [form]


def _writes_project_absolute(tree: ast.Module, index: ProjectIndex) -> bool:
    """The file imports the rest of its project absolutely (``from electrum.util import ...``)."""
    froms = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 0]
    return any((n.module or "").split(".")[0] in index.top_level_names for n in froms)


def _imports_absolutely(tree: ast.Module, form: ImportForm) -> bool:
    """The file writes ``from form.module import ...`` at module level already: its own spelling of
    that very module (ZODB's tests write ``from ZODB.tests import X`` once per name beside one
    ``from . import util``), which a new name from it keeps."""
    return any(
        isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == form.module
        for node in tree.body
    )


def _siblings_only_relative(tree: ast.Module, top: str) -> bool:
    """The file writes ``from .x import`` for its own package and ``from top.a.b import`` for the
    rest of the project (tox's style), never ``from ..x import``."""
    froms = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    absolute = any(n.level == 0 and (n.module or "").split(".")[0] == top for n in froms)
    return absolute and all(n.level <= 1 for n in froms)


def from_project(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    """The way this file imports ``name`` in its other functions, else from the module it already
    imports from that defines it, else the way the project's other files import it, the commonest first."""
    return (
        placement.local_forms(tree, name)[:1]
        or (
            joins_a_definer(name, tree, ctx.project, ctx.path)
            if ctx.project and not moved_builtin(name)
            else []
        )
        or _in_project(name, tree, ctx, learned_only=True)
    )


def from_definitions(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    """The nearest project module defining ``name`` at its top level (or a project module so named)."""
    if ctx.project is not None and vendored_shim(name, ctx.project, ctx.path):
        return []
    return _in_project(name, tree, ctx, learned_only=False)


def from_stdlib(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    """A standard-library module read as ``name.attr`` (or the member of that name it holds)."""
    return import_stdlib.module_or_member(name, usage(tree, name), stdlib_index.load())


def from_stdlib_name(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    """A bare name the standard library exports (``Path``, ``dedent``): the one object it can be."""
    project = ctx.project
    if project is not None and (
        project.definers(name, exclude=ctx.path) or name.split(".", maxsplit=1)[0] in project.top_level_names
    ):
        return []  # the project has its own: the definitions rule finds it
    imported_from = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported_from |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    known = None if project is None else (lambda module: project.imports_exactly(module, exclude=ctx.path))
    forms = import_stdlib.bare_name(name, usage(tree, name), stdlib_index.load(), imported_from, known)
    if project is not None and any(f.module.split(".")[0] in project.top_level_names for f in forms):
        return []  # a module of the project shadows that standard-library module
    return forms


def from_stdlib_alias(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    """``import typing as t`` for ``t.Any``: the one module the alias abbreviates that has every attribute."""
    return import_stdlib.aliased_module(name, usage(tree, name), stdlib_index.load())


def _installed(module: str, ctx: FixContext) -> bool:
    """Importable by the project's interpreter (in a checkout), else by this one."""
    root = ctx.project.root if ctx.project is not None else None
    if root is None:
        return importable(module)
    return project_python.third_party(root, module.split(".", maxsplit=1)[0])


def from_alias(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    module = ctx.params.get("aliases", {}).get(name)
    if not module:
        return []
    known = _installed(module, ctx) or (ctx.project is not None and ctx.project.imports_module(module))
    return [ImportForm(module, None, name)] if known else []


def from_installed(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    """A third-party package read as ``name.attr`` that the project's interpreter has and the project
    depends on (or that another of its files imports from)."""
    project = ctx.project
    if project is None or project.root is None or name in STDLIB or name in project.top_level_names:
        return []
    if not usage(tree, name).as_module:
        return []
    if project.imports_module(name, exclude=ctx.path) or project_python.third_party(project.root, name):
        return [ImportForm(name)]
    return []


def from_names(name: str, tree: ast.Module, ctx: FixContext) -> list[ImportForm]:
    module = ctx.params.get("names", {}).get(name)
    return [ImportForm(module, name)] if module else []


RESOLVERS = {
    "project": from_project,
    "stdlib": from_stdlib,
    "stdlib-name": from_stdlib_name,
    "stdlib-alias": from_stdlib_alias,
    "names": from_names,
    "definitions": from_definitions,
    "alias": from_alias,
    "installed": from_installed,
}


def add_import(text: str, ctx: FixContext) -> str | None:
    """Add the import the undefined name ``ctx.groups['name']`` needs, from ``ctx.params['source']``."""
    name = ctx.groups.get("name", "")
    source = ctx.params.get("source", "")
    if not name.isidentifier() or source not in RESOLVERS:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    if left_its_function(tree, name) or namespace_filled_at_run_time(tree):
        return None
    forms = RESOLVERS[source](name, tree, ctx)
    if forms and ctx.project is not None and installed_into_builtins(name, ctx.project, ctx.path):
        return None  # the project puts it into every module's namespace when it starts
    if ctx.project is not None:
        forms = [as_the_file_spells(form, tree, ctx.project, ctx.path) for form in forms]
    if not forms or any(form.binds != name for form in forms):
        return None
    found = usage(tree, name)
    if misread_builtin(name, forms):
        return None  # Python 2's `cmp` is not `filecmp.cmp`
    if any(f.module.split(".")[0] in STDLIB and f.level == 0 for f in forms):
        index = stdlib_index.load()
        if not all(import_stdlib.fits_use(form, found, index) for form in forms):
            return None  # `import datetime` for `datetime.now()`: compiles, and is wrong
    lazy = ctx.project is not None and (
        ctx.project.imported_only_locally(name, exclude=ctx.path)
        or any(ctx.project.imports_back(_absolute(f, ctx), ctx.project.module_of(ctx.path)) for f in forms)
    )
    trace = find_trace(text, tree, found.function, name) if found.function is not None else None
    module_traced = found.function is not None and module_gap(text, tree)
    if (
        trace is not None
        and not trace.strong
        and (module_traced or placement.joins_module_import(tree, forms))
    ):
        trace = None  # a blank line after a docstring or a comment is weaker evidence than these
    if (
        trace is not None
        and in_a_branch(trace, text, found.function)
        and placement.joins_module_import(tree, forms)
    ):
        trace = None  # a conditional load of a module the file loads at import time: layout, not a trace
    at_top = stdlib_types_at_top(ctx.project)
    in_block = found.type_only and typing_names_in_blocks(ctx.project)
    scope = placement.scope_for(
        tree, name, found, forms, lazy, trace is not None, module_traced, at_top, in_block
    )
    loaded = placement.joins_module_import(tree, forms)
    if (
        found.guarded
        and unguarded_import_breaks(forms, found.versioned, loaded)
        and (trace is None or scope is None)
    ):
        # code for another interpreter: only the gap its own import left (`try:` then a blank line,
        # pdm's lazy `import venv`) puts it back where it is guarded too
        return None
    style = ctx.project.one_name_per_from(name) if ctx.project is not None else None
    for proposed in forms:
        block = placement.find_block(ast.parse(text), scope) if scope is not None else None
        form = proposed
        if block is not None and ctx.project is not None:
            # the block's own imports, or for a function those of every function of the file
            kin = block.body if isinstance(block, ast.If) else [n for n, _ in nested_imports(tree)]
            form = spelled_like(proposed, kin, ctx.project, ctx.path)
        local: list[ast.ImportFrom] = []
        if isinstance(block, ast.If):  # `if TYPE_CHECKING:`: its imports serve annotations anywhere
            local = [n for n in ast.walk(block) if isinstance(n, ast.ImportFrom)]
        elif block is not None:
            local = reaching_imports(block, name)
        single = one_name_per_line(local, style)
        if form.name is not None and not single and (merged := merge_into(text, local, form)) is not None:
            new: str | None = merged  # with the function's own import from that module, wherever it is
        elif trace is not None and scope is not None and scope.function_line is not None and len(forms) == 1:
            new = insert_at_trace(text, trace, form)
        elif block is not None:
            branch = importing_branch(block, name) if not isinstance(block, ast.If) else None
            new = insert_into_block(text, branch or block, form, ctx.project)
        else:
            new = insert_import(text, form, ctx.project, style)
        if new is None:
            return None
        text = new
    return text
