"""Where an added import belongs: the module's imports, a function's body, or ``if TYPE_CHECKING:``.

A function's body when every use of the name is inside that one function and the file imports
lazily there: the function already imports something, or the file imports this very name (or
from this very module) inside other functions and never at module level, or the project's other
files import the name inside functions only. The ``TYPE_CHECKING`` block when the file has one and
the name is only ever used where nothing evaluates it. Otherwise the module's own import block.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from hookwright.heal.import_nested import Block
from hookwright.heal.import_usage import Usage, nested_imports, type_checking_block, usage
from hookwright.heal.project_names import STDLIB, ImportForm


@dataclass(frozen=True)
class Scope:
    """A block found again in a changed tree: a function by its ``def`` line, or the TYPE_CHECKING block."""

    function_line: int | None  # None: the module's `if TYPE_CHECKING:` block


def _binds(node: ast.Import | ast.ImportFrom) -> set[str]:
    return {(a.asname or a.name).split(".")[0] for a in node.names}


def _stdlib(node: ast.Import | ast.ImportFrom | ImportForm) -> bool:
    if isinstance(node, ast.Import):
        return all(a.name.split(".")[0] in STDLIB for a in node.names)
    return node.level == 0 and (node.module or "").split(".")[0] in STDLIB


def _imports_inside(
    tree: ast.Module, function: ast.FunctionDef | ast.AsyncFunctionDef, forms: list[ImportForm]
) -> bool:
    """``function`` imports lazily; for a standard-library name, a standard-library module too (a
    function that imports only an optional package, ``try: import subliminal``, says nothing of
    where ``logging`` goes)."""
    inside = [node for node, owner in nested_imports(tree) if owner is function]
    if forms and all(_stdlib(form) for form in forms):
        return any(_stdlib(node) for node in inside)
    return bool(inside)


def _module_imported_lazily(tree: ast.Module, form: ImportForm) -> bool:
    """The file imports from ``form``'s module inside functions, and never at module level."""

    def same(node: ast.Import | ast.ImportFrom) -> bool:
        if isinstance(node, ast.ImportFrom):
            return (node.module or "", node.level) == (form.module, form.level)
        return any(alias.name == form.module for alias in node.names)

    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom) and same(n)]
    return not top and any(same(node) for node, _ in nested_imports(tree))


def local_forms(tree: ast.Module, name: str) -> list[ImportForm]:
    """How the file itself imports ``name`` inside its functions (and never at module level)."""
    top = {n for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom) for n in _binds(node)}
    if name in top:
        return []
    forms = []
    for node, _ in nested_imports(tree):
        for alias in node.names:
            if (alias.asname or alias.name.split(".")[0]) != name:
                continue
            if isinstance(node, ast.Import):
                forms.append(ImportForm(alias.name, None, alias.asname))
            else:
                forms.append(ImportForm(node.module or "", alias.name, alias.asname, node.level))
    return forms


def joins_module_import(tree: ast.Module, forms: list[ImportForm]) -> bool:
    """``from m import a`` at module level already: ``b`` from m joins it (nothing keeps m lazy)."""
    return any(
        form.name is not None
        and isinstance(node, ast.ImportFrom)
        and (node.module or "", node.level) == (form.module, form.level)
        for form in forms
        for node in tree.body
    )


def _imports_of(form: ImportForm, block: list[ast.stmt], plain_serves_from: bool = True) -> bool:
    """``block`` holds an import of ``form``'s module (for ``from m import X``, a plain ``import m``
    counts only when ``plain_serves_from``)."""
    for node in block:
        if isinstance(node, ast.ImportFrom) and (node.module or "", node.level) == (form.module, form.level):
            return True
        if (
            isinstance(node, ast.Import)
            and (plain_serves_from or form.name is None)
            and any(alias.name == form.module for alias in node.names)
        ):
            return True
    return False


def scope_for(
    tree: ast.Module,
    name: str,
    usage: Usage,
    forms: list[ImportForm],
    project_lazy: bool = False,
    traced: bool = False,
    module_traced: bool = False,
    stdlib_at_top: Callable[[list[ast.stmt]], bool] = lambda block: False,
    typing_in_block: bool = False,
) -> Scope | None:
    """Where ``forms`` go: a function or the TYPE_CHECKING block, or None for the module's imports.

    ``project_lazy``: the project's other files import the name inside functions only, or importing
    it at module level would make an import cycle (neither counts when the file imports from that
    module at module level already). ``traced``: the function that uses the name has
    the gap a deleted import leaves (import_trace), which decides; else ``module_traced`` (the
    module's head has one) outweighs how the project or the function imports, and a module-level
    ``from`` import of the same module outweighs how the function imports. ``stdlib_at_top``: given the
    file's ``TYPE_CHECKING`` block, whether a type-only standard-library name goes to the top;
    ``typing_in_block``: the project keeps ``typing``'s names in its blocks.
    """
    function = usage.function
    joins = joins_module_import(tree, forms)
    lazy = (
        traced
        or bool(local_forms(tree, name))
        or (
            not module_traced
            and (
                (project_lazy and not joins)  # that module is imported at load time already
                or (
                    not joins
                    and (
                        any(_module_imported_lazily(tree, form) for form in forms)
                        or (function is not None and _imports_inside(tree, function, forms))
                    )
                )
            )
        )
    )
    if function is not None and lazy:
        return Scope(function.lineno)
    block = type_checking_block(tree)
    if usage.type_only and block is not None:
        # With the imports of the same module, where the file has them; else where types come from.
        # (Always the block, as `from typing import Any` under `from typing import TYPE_CHECKING`
        # would want, gained 5 type-checking cases of the development set and lost 5 others.)
        if any(_imports_of(form, block.body) for form in forms):
            return Scope(None)
        # `import coverage` at the top gives `from coverage import Coverage` no statement to join
        # (coveragepy's html.py keeps that one in its block)
        if not any(_imports_of(form, tree.body, plain_serves_from=False) for form in forms):
            # a block of the project's own modules only, in a project whose blocks almost never
            # hold the standard library (xarray, prompt_toolkit): the top (import_type_blocks)
            if all(_stdlib(form) for form in forms) and stdlib_at_top(block.body):
                return None
            return Scope(None)
        # virtualenv's `from ...ref import PathRefToDest` binds a name the module runs: the file keeps
        # that project module's type-only names in its block. Not for the standard library: beside
        # `from typing import TYPE_CHECKING`, pip, scrapy and flask (the development set) join the
        # top import (`Any`, `Literal`, `collections.abc as c`), virtualenv's describe.py the block.
        if all(not _stdlib(form) and _binds_run_time_names_only(tree, form) for form in forms):
            return Scope(None)
        # ``typing_in_block``: the project's blocks hold `from typing import ...` almost always
        # (sentry-python), so its names go there even beside a top `from typing import TYPE_CHECKING`
        if typing_in_block and all(form.module == "typing" and not form.level for form in forms):
            return Scope(None)
    return None


def _binds_run_time_names_only(tree: ast.Module, form: ImportForm) -> bool:
    """Every name the module-level ``from`` imports of ``form``'s module bind is read at run time
    (what they bind only for annotations would say the file keeps type-only names at the top)."""
    bound = [
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "", node.level) == (form.module, form.level)
        for alias in node.names
    ]
    for name in bound:
        found = usage(tree, name)
        if not (found.chains or found.probes) or found.type_only:
            return False
    return bool(bound)


def find_block(tree: ast.Module, scope: Scope) -> Block | None:
    if scope.function_line is None:
        return type_checking_block(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.lineno == scope.function_line:
            return node
    return None
