"""``import pkg.sub`` rather than ``import pkg`` for code that reads ``pkg.sub.attr``.

``import pkg`` binds ``pkg`` but loads ``pkg.sub`` only when the package itself imports it; a file
that reads ``pkg`` only through one of the project's submodules imports that submodule, unless the
package's ``__init__`` already does (then ``import pkg`` is how such files are written).
"""

from __future__ import annotations

import ast

from hookwright.heal.project_names import ImportForm, ProjectIndex


def _file_of(index: ProjectIndex, module: str) -> str | None:
    """The project's file of dotted ``module``, wherever its source root is (``src/`` layouts too)."""
    base = module.replace(".", "/")
    for relpath in index.files:
        if relpath.endswith((f"{base}.py", f"{base}/__init__.py")) and index.module_of(relpath) == module:
            return relpath
    return None


def _package_imports(index: ProjectIndex, package_file: str, package: str, sub: str) -> bool:
    """The package's ``__init__`` imports ``sub`` (or cannot be read: then assume it does)."""
    text = index.text(package_file)
    try:
        tree = ast.parse(text) if text is not None else None
    except (SyntaxError, ValueError):
        tree = None
    if tree is None:
        return True
    dotted = f"{package}.{sub}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 1:
                base = f"{package}.{base}" if base else package
            elif node.level > 1:
                continue
            modules = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        if any(m == dotted or m.startswith(f"{dotted}.") for m in modules):
            return True
    return False


def deepest_module(form: ImportForm, chains: list[list[str]], index: ProjectIndex) -> ImportForm:
    """``form`` (a plain ``import module``) deepened along the submodules every use reads."""
    if form.name is not None or form.asname is not None or not chains:
        return form
    module = form.module
    while True:
        depth = len(module.split(".")) - 1
        following = {tuple(chain[: depth + 1]) for chain in chains if len(chain) > depth + 1}
        if len(following) != 1 or any(len(chain) <= depth + 1 for chain in chains):
            return ImportForm(module)
        sub = next(iter(following))[depth]
        package_file = _file_of(index, module)
        if package_file is None or not package_file.endswith("__init__.py"):
            return ImportForm(module)
        if _file_of(index, f"{module}.{sub}") is None or _package_imports(index, package_file, module, sub):
            return ImportForm(module)
        module = f"{module}.{sub}"
