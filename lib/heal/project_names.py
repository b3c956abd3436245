"""Where a name comes from in a project: how its other files import it, which module defines it.

Built lazily, one file at a time: a file is parsed only when its text mentions the name asked for,
so a fix in a 5,000-file repository reads a handful of files, not all of them.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import sys
import sysconfig
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

STDLIB = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True, order=True)
class ImportForm:
    """``import module [as asname]`` (name None) or ``from [.level]module import name [as asname]``."""

    module: str
    name: str | None = None
    asname: str | None = None
    level: int = 0

    @property
    def binds(self) -> str:
        if self.asname:
            return self.asname
        return self.name if self.name is not None else self.module.split(".")[0]

    def statement(self) -> str:
        alias = f" as {self.asname}" if self.asname else ""
        if self.name is None:
            return f"import {self.module}{alias}"
        return f"from {'.' * self.level}{self.module} import {self.name}{alias}"


@dataclass(frozen=True)
class FileNames:
    """What one file binds at module level: imported names and defined names."""

    module: str
    imports: dict[str, list[tuple[ImportForm, bool]]]  # name -> (absolute form, written relative?)
    defines: frozenset[str]
    from_statements: int = 0  # module-level `from ... import` statements
    multi_name: int = 0  # of which import several names
    local_imports: dict[str, list[tuple[ImportForm, bool]]] = field(default_factory=dict)  # inside functions
    spelled: tuple[dict[str, set[ImportForm]], ...] = ({}, {})  # as written: module level, inside functions


def module_name(relpath: str, exists: Callable[[str], bool]) -> str:
    """Dotted module name of a file: its folder chain up to the first folder without __init__.py."""
    path = PurePosixPath(relpath)
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while str(folder) not in ("", ".") and exists(str(folder / "__init__.py")):
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def absolute(module: str | None, level: int, importer: str, is_package: bool) -> str | None:
    """The absolute module of a (possibly relative) import written in module ``importer``."""
    if level == 0:
        return module
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([module] if module else [])]) or None


def _top_level(tree: ast.Module) -> Iterable[ast.stmt]:
    """Module-level statements, looking into top-level if/try blocks (optional imports live there)."""
    for node in tree.body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            for block in (node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])):
                yield from block
            for handler in getattr(node, "handlers", []):
                yield from handler.body


_TOP_DEFINITION = re.compile(r"^(?:class|def)\s+([A-Za-z_]\w*)", re.MULTILINE)


def _defined_at_column_zero(relpath: str, text: str, exists: Callable[[str], bool]) -> FileNames:
    """A module this interpreter cannot parse (Python 2 code, a file mid-edit) still defines what its
    unindented ``class`` and ``def`` lines name; its assignments (a script's ``file = ...``) and
    imports are not guessed."""
    defines = frozenset(_TOP_DEFINITION.findall(text))
    return FileNames(module_name(relpath, exists), {}, defines)


def _not_at_run_time(node: ast.stmt) -> bool:
    """``if __name__ == "__main__":`` (what it binds exists only when the file runs as a script) or
    ``if TYPE_CHECKING:`` (only for type checkers: importing it at run time fails)."""
    test = node.test if isinstance(node, ast.If) else None
    if isinstance(test, ast.Name | ast.Attribute):
        return (test.id if isinstance(test, ast.Name) else test.attr) == "TYPE_CHECKING"
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def names_of_file(relpath: str, text: str, exists: Callable[[str], bool]) -> FileNames | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return _defined_at_column_zero(relpath, text, exists)
    module = module_name(relpath, exists)
    is_package = PurePosixPath(relpath).name == "__init__.py"
    imports: dict[str, list[tuple[ImportForm, bool]]] = {}
    local: dict[str, list[tuple[ImportForm, bool]]] = {}
    defines: set[str] = set()
    froms = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module != "__future__"]
    top = [n for n in _top_level(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    nested = [n for f in tree.body if isinstance(f, _DEFS) for n in ast.walk(f) if isinstance(n, _IMPORTS)]
    sibling = _sibling_test(relpath, module, exists)
    spelled: tuple[dict[str, set[ImportForm]], ...] = ({}, {})
    for found, written, statements in ((imports, spelled[0], top), (local, spelled[1], nested)):
        for statement in statements:
            for form, relative in _forms(statement, module, is_package, sibling):
                found.setdefault(form.binds, []).append((form, relative))
            for form in _as_written(statement):
                written.setdefault(form.binds, set()).add(form)
    for node in _top_level(ast.Module([n for n in tree.body if not _not_at_run_time(n)], [])):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defines.add(node.name)
        elif isinstance(node, ast.Assign):
            defines.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            defines.add(node.target.id)
    multi = sum(len(n.names) > 1 for n in froms)
    return FileNames(module, imports, frozenset(defines), len(froms), multi, local, spelled)


def _as_written(node: ast.Import | ast.ImportFrom) -> list[ImportForm]:
    """The forms exactly as the statement spells them (``X as X``, a re-export, spelled ``X``)."""
    if isinstance(node, ast.Import):
        return [ImportForm(a.name, None, a.asname) for a in node.names if "." not in a.name or a.asname]
    names = [(a.name, None if a.asname == a.name else a.asname) for a in node.names if a.name != "*"]
    return [ImportForm(node.module or "", name, asname, node.level) for name, asname in names]


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)


def _sibling_test(relpath: str, module: str, exists: Callable[[str], bool]) -> Callable[[str], str | None]:
    """For a file inside a package: the package a top-level-looking ``import x`` really names when
    ``x`` is a module next to the file and not the standard library's (Python 2's implicit relative
    import: ``import log`` in ``twisted/python/failure.py`` is ``twisted.python.log``)."""
    package = module.rpartition(".")[0] if not relpath.endswith("__init__.py") else module
    folder = PurePosixPath(relpath).parent

    def sibling(dotted: str) -> str | None:
        first = dotted.split(".", maxsplit=1)[0]
        if not package or first in STDLIB or first == package.split(".", maxsplit=1)[0]:
            return None
        if exists(str(folder / f"{first}.py")) or exists(str(folder / first / "__init__.py")):
            return package
        return None

    return sibling


def _forms(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, sibling: Callable[[str], str | None]
) -> list[tuple[ImportForm, bool]]:
    """The absolute forms an import statement binds, each with whether it was written relative
    (with dots: an implicit relative import is learned in its absolute form, as written elsewhere)."""
    if isinstance(node, ast.Import):
        forms = []
        for alias in node.names:
            package = sibling(alias.name) if "." not in alias.name else None
            if package is not None:  # `import log` beside log.py: `from twisted.python import log`
                forms.append((ImportForm(package, alias.name, alias.asname), False))
            else:
                forms.append((ImportForm(alias.name, None, alias.asname), False))
        return forms
    if node.level == 0 and node.module is not None and (package := sibling(node.module)) is not None:
        beside = f"{package}.{node.module}"
        return [(ImportForm(beside, a.name, a.asname), False) for a in node.names if a.name != "*"]
    source = absolute(node.module, node.level, module, is_package)
    if source is None or node.module == "__future__":
        return []
    return [(ImportForm(source, a.name, a.asname), node.level > 0) for a in node.names if a.name != "*"]


class ProjectIndex:
    """The project's Python files, read on demand through ``read`` (bytes, or None if unreadable)."""

    def __init__(
        self, files: Iterable[str], read: Callable[[str], bytes | None], root: Path | None = None
    ) -> None:
        self.root = root  # the checkout on disk, when there is one: its interpreter and dependencies
        self.files = sorted(f for f in files if f.endswith((".py", ".pyi")))
        self._present = set(self.files)
        self._read = read
        self._texts: dict[str, str | None] = {}
        self._names: dict[str, FileNames | None] = {}

    @classmethod
    def from_directory(cls, root: Path, files: Iterable[str] | None = None) -> ProjectIndex:
        if files is None:
            skip = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".tox"}
            files = (
                p.relative_to(root).as_posix()
                for p in root.rglob("*.py")
                if not skip.intersection(p.relative_to(root).parts)
            )

        def read(relpath: str) -> bytes | None:
            try:
                return (root / relpath).read_bytes()
            except OSError:
                return None

        return cls(files, read, root)

    def exists(self, relpath: str) -> bool:
        return relpath in self._present

    def text(self, relpath: str) -> str | None:
        if relpath not in self._texts:
            data = self._read(relpath)
            self._texts[relpath] = None if data is None else data.decode("utf-8", "replace")
        return self._texts[relpath]

    def names(self, relpath: str) -> FileNames | None:
        if relpath not in self._names:
            text = self.text(relpath)
            self._names[relpath] = None if text is None else names_of_file(relpath, text, self.exists)
        return self._names[relpath]

    def module_of(self, relpath: str) -> str:
        return module_name(relpath, self.exists)

    @functools.cached_property
    def top_level_names(self) -> frozenset[str]:
        """First-party top-level modules and packages."""
        return frozenset(self.module_of(f).split(".")[0] for f in self.files if self.module_of(f))

    def _mentioning(self, name: str, exclude: str | None) -> Iterable[FileNames]:
        for relpath in self.files:
            if relpath == exclude:
                continue
            text = self.text(relpath)
            if text is None or name not in text:
                continue
            found = self.names(relpath)
            if found is not None:
                yield found

    def imported_only_locally(self, name: str, exclude: str | None = None) -> bool:
        """The other files import ``name`` inside functions only (to break a cycle, or to load lazily)."""
        files = [f for f in self._mentioning(name, exclude) if name in f.imports or name in f.local_imports]
        return bool(files) and all(name not in f.imports for f in files)

    def learned(
        self, name: str, exclude: str | None = None, local: bool = False
    ) -> list[tuple[ImportForm, int, int]]:
        """How the other files import ``name``: (form, times, times written relative), commonest first;
        ``local``: the imports inside their functions instead of at module level."""
        counts: Counter[ImportForm] = Counter()
        relative: Counter[ImportForm] = Counter()
        for found in self._mentioning(name, exclude):
            for form, was_relative in (found.local_imports if local else found.imports).get(name, []):
                counts[form] += 1
                relative[form] += was_relative
        # `Environment` and `Environment as Environment` both: None and str do not compare
        ranked = sorted(counts, key=lambda f: (-counts[f], f.module, f.name or "", f.asname or "", f.level))
        return [(form, counts[form], relative[form]) for form in ranked]

    def one_name_per_from(self, name: str) -> bool | None:
        """Whether the files mentioning ``name`` import one name per ``from`` statement; None: no telling."""
        statements = multi = 0
        for found in self._mentioning(name, None):
            statements += found.from_statements
            multi += found.multi_name
        return None if statements < 3 else multi == 0

    def definers(self, name: str, exclude: str | None = None) -> list[str]:
        """Modules that define ``name`` at their top level."""
        return sorted({found.module for found in self._mentioning(name, exclude) if name in found.defines})

    def module_file(self, module: str) -> str | None:
        base = module.replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in self._present and self.module_of(candidate) == module:
                return candidate
        return None

    def imports_exactly(self, module: str, exclude: str | None = None) -> bool:
        """Some other file imports ``module`` itself (``import m`` or ``from m import ...``)."""
        for found in self._mentioning(module.rsplit(".", 1)[-1], exclude):
            for forms in found.imports.values():
                if any(form.module == module for form, _ in forms):
                    return True
        return False

    def imports_back(self, module: str, target: str) -> bool:
        """Project module ``module`` imports ``target`` at its top level: importing it at the top of
        ``target`` too would be a cycle (which is why such imports live inside functions)."""
        relpath = self.module_file(module)
        found = self.names(relpath) if relpath is not None else None
        if found is None or not target:
            return False
        for forms in found.imports.values():
            for form, _ in forms:
                dotted = form.module if form.name is None else f"{form.module}.{form.name}"
                if target in (form.module, dotted) or form.module.startswith(target + "."):
                    return True
        return False

    def imports_module(self, module: str, exclude: str | None = None) -> bool:
        """Some file of the project imports ``module``'s top-level package (a dependency it evidently has)."""
        top = module.split(".", maxsplit=1)[0]
        for found in self._mentioning(top, exclude):
            for forms in found.imports.values():
                if any(form.module.split(".")[0] == top for form, _ in forms):
                    return True
        return False


@functools.cache
def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_submodule(dotted: str) -> bool:
    """``dotted`` (``xml.etree``) is a submodule file of the standard library; nothing is imported."""
    parts = dotted.split(".")
    if parts[0] not in STDLIB or len(parts) < 2:
        return False
    base = stdlib_dir().joinpath(*parts)
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def stdlib_package_imports(package: str, submodule: str) -> bool:
    """The package's ``__init__`` imports ``submodule`` itself, so ``import package`` is enough."""
    init = stdlib_dir().joinpath(*package.split("."), "__init__.py")
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return False
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.level == 1):
            continue
        if node.module == submodule or (node.module is None and any(a.name == submodule for a in node.names)):
            return True
        if isinstance(node, ast.Import) and any(a.name == f"{package}.{submodule}" for a in node.names):
            return True
    return False


def importable(module: str) -> bool:
    """The top-level package of ``module`` is installed here (looked up, never imported)."""
    try:
        return importlib.util.find_spec(module.split(".", 1)[0]) is not None
    except (ImportError, ValueError):
        return False
