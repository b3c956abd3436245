"""How an import placed inside a block spells a module of the project: as that block's own imports do.

A file may import its package relatively at the top and absolutely where it imports lazily (fsspec's
``asyn.py``: ``from .utils import ...`` above, ``from fsspec import AbstractFileSystem`` in a
function), or the other way in its ``if TYPE_CHECKING:`` block (setuptools' ``from .. import
_static`` above, ``from setuptools.dist import Distribution`` in the block). Where the imports of
that kind of block agree, the new one is written their way; where they disagree or there are none,
the form is left as the project's evidence chose it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from hookwright.heal.project_names import STDLIB, ImportForm, ProjectIndex, absolute


def relative_to(form: ImportForm, target: str, is_package: bool) -> ImportForm:
    """``form`` (absolute) written relative to module ``target``."""
    package = target.split(".") if is_package else target.split(".")[:-1]
    parts = form.module.split(".")
    common = 0
    while common < min(len(package), len(parts)) and package[common] == parts[common]:
        common += 1
    if common == 0 or form.name is None:
        return form
    level = len(package) - common + 1
    return ImportForm(".".join(parts[common:]), form.name, form.asname, level)


def spelled_like(
    form: ImportForm, imports: Iterable[ast.stmt], project: ProjectIndex, path: str
) -> ImportForm:
    """``form`` written relatively or absolutely as every project ``from`` import among ``imports`` is."""
    if form.name is None:
        return form
    top = project.top_level_names
    ours = [
        node
        for node in imports
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").split(".")[0] in top)
    ]
    if not ours or len({node.level > 0 for node in ours}) > 1:
        return form
    target, is_package = project.module_of(path), path.endswith("__init__.py")
    if ours[0].level == 0 and form.level > 0:
        module = absolute(form.module, form.level, target, is_package)
        return form if module is None else ImportForm(module, form.name, form.asname)
    if ours[0].level > 0 and form.level == 0 and form.module.split(".")[0] == target.split(".")[0]:
        return relative_to(form, target, is_package)
    return form


def as_the_file_spells(form: ImportForm, tree: ast.Module, project: ProjectIndex, path: str) -> ImportForm:
    """``from pkg.util import x`` written ``from util import x`` when the file imports that module so
    already: Python 2's implicit relative import of a module beside it (terminator's ``from util
    import dbg, err`` in ``terminatorlib/terminator.py``), which the file's interpreter resolves."""
    if form.name is None or form.level > 0:
        return form
    package = project.module_of(path)
    if not path.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or node.level > 0 or not node.module or not package:
            continue
        if node.module.split(".")[0] in STDLIB or node.module == form.module:
            continue
        beside = f"{package}.{node.module}"
        if beside == form.module and project.module_file(beside) is not None:
            return ImportForm(node.module, form.name, form.asname)
    return form
