"""Whether an error self-heal was told about is really there, before it edits a file on that word alone.

In the hook and with ``--from-log`` nothing is re-run to prove a fix, so a fix is only as good as the
error it answers. Two kinds of report are not taken at their word:

* an undefined name in a package's ``__init__.py`` that names one of its submodules: importing
  ``pkg.exceptions`` (``from .exceptions import Error`` here, or in any module) sets ``exceptions``
  on the package, and the package's namespace is that ``__init__``'s globals, so the name is bound.
  ruff's F821 cannot know (issue 18 saw ``from . import operator`` rewritten for it);
* an error from a saved log that the file, as it is now, no longer has: the log is older than the
  fix, and healing it again would add a second ``import json``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path, PurePosixPath

from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.engine import Detector

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast

_UNDEFINED = re.compile(r"Undefined name `(?P<name>[^`]+)`")
_NAME_ERROR = re.compile(r"name '(?P<name>[^']+)' is not defined")


def undefined_name(diagnostic: Diagnostic) -> str | None:
    """The name in ruff's F821 or in CPython's NameError, else None."""
    pattern = {"F821": _UNDEFINED, "NameError": _NAME_ERROR}.get(diagnostic.error_type)
    found = pattern.match(diagnostic.message) if pattern else None
    return found["name"] if found else None


def _module(text: str) -> ast.Module | None:
    import ast

    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _submodules(package: str, node: ast.stmt) -> list[str]:
    """The submodules of ``package`` an unconditional import statement of its ``__init__`` binds."""
    import ast

    if isinstance(node, ast.ImportFrom):
        if node.level == 1 and node.module:
            return [node.module.split(".")[0]]  # from .exceptions import Error
        dotted = [node.module or ""] if node.level == 0 else []
    elif isinstance(node, ast.Import):
        dotted = [alias.name for alias in node.names]  # import pkg.exceptions
    else:
        return []
    found = []
    for name in dotted:
        parts = name.split(".")
        found += [parts[i + 1] for i in range(len(parts) - 1) if parts[i] == package]
    return found


def bound_by_submodule_import(root: Path | None, path: str, text: str, diagnostic: Diagnostic) -> bool:
    """True for a linter's undefined name in a package's ``__init__`` that names one of its submodules.

    Whether the import system has bound it by then depends on what imported the submodule first,
    anywhere in the program: no static check can tell, so no fix for it can be proven.
    """
    name = undefined_name(diagnostic)
    if diagnostic.error_type != "F821" or name is None:
        return False
    where = PurePosixPath(path)
    if where.name not in ("__init__.py", "__init__.pyi"):
        return False
    if root is not None:
        folder = root / where.parent
        if (folder / f"{name}.py").is_file() or (folder / name).is_dir():
            return True
    tree = _module(text)
    return tree is not None and any(name in _submodules(where.parent.name, node) for node in tree.body)


def _bound_at_module_level(text: str, name: str) -> bool:
    """``name`` bound by a statement the module always runs: an import, def, class or assignment."""
    import ast

    tree = _module(text)
    for node in tree.body if tree else ():
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = {node.name}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
        else:
            continue
        if name in names:
            return True
    return False


def still_there(
    diagnostic: Diagnostic, text: str, now: Sequence[Diagnostic], checked: Collection[str]
) -> bool:
    """False for a logged error the file as it is now shows no sign of, where a static check can see it.

    ``now``: what the detector finds in ``text``; ``checked``: the codes it checks besides syntax.
    A syntax error needs no test here: the log's syntax errors are replaced by CPython's for the file
    as it is now before this runs (``heal.command.command_diagnostics``).
    """
    if diagnostic.error_type in checked:
        return diagnostic.key() in {d.key() for d in now}
    name = undefined_name(diagnostic)
    if name is None or "F821" not in checked:
        return True  # nothing static can confirm it: the fix is validated as any other
    if any(undefined_name(d) == name for d in now):
        return True
    # ruff finds the name defined: unless it is only bound somewhere ruff trusts and run time may not
    # (a conditional import, say), the error the log shows has been fixed since.
    return not _bound_at_module_level(text, name)


class ImportAwareDetector(Detector):
    """A Detector that drops a linter's undefined names that are a package's submodules (see above)."""

    def __call__(self, path: str, text: str) -> list[Diagnostic]:
        return self._trusted(path, text, super().__call__(path, text))

    def many(self, texts: dict[str, str], on_disk: set[str]) -> dict[str, list[Diagnostic]]:
        found = super().many(texts, on_disk)
        return {path: self._trusted(path, texts[path], items) for path, items in found.items()}

    def _trusted(self, path: str, text: str, found: list[Diagnostic]) -> list[Diagnostic]:
        if not path.endswith(("__init__.py", "__init__.pyi")):
            return found
        return [d for d in found if not bound_by_submodule_import(self.root, path, text, d)]
