"""The project's own interpreter, and the third-party modules it can import.

Under pre-commit, hookwright runs in an environment of its own, so what *it* can import says nothing
about the project. The project's interpreter is its virtualenv (``.venv``, ``venv`` or ``env`` in the
repository, else an activated ``$VIRTUAL_ENV`` that is not hookwright's own), else the interpreter
running hookwright. It is asked once, only when an import fix gets this far: its importable top-level
modules and the distributions that provide them. A dependency the project declares (pyproject.toml,
setup.cfg, requirements*.txt) is what turns "importable" into "meant".
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from pathlib import Path

_ENVIRONMENTS = (".venv", "venv", "env")
_LIST_MODULES = (
    "import json, pkgutil, sys\n"
    "from importlib.metadata import packages_distributions\n"
    "tops = sorted({m.name for m in pkgutil.iter_modules()} | set(sys.builtin_module_names))\n"
    "json.dump({'modules': tops, 'dists': packages_distributions()}, sys.stdout)\n"
)
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def interpreter(root: Path) -> str:
    for name in _ENVIRONMENTS:
        for candidate in (root / name / "bin" / "python", root / name / "Scripts" / "python.exe"):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    active = os.environ.get("VIRTUAL_ENV")
    if active and Path(active).resolve() != Path(sys.prefix).resolve():
        candidate = Path(active) / "bin" / "python"
        if candidate.is_file():
            return str(candidate)
    return sys.executable


@functools.cache
def _inventory(python: str) -> tuple[frozenset[str], dict[str, list[str]]]:
    from hookwright import parallel

    # -I: the project's own folder is not on the path, so its modules are not mistaken for installed ones.
    result = parallel.run([python, "-I", "-c", _LIST_MODULES], timeout=60)
    try:
        data = json.loads(result.stdout) if result.returncode == 0 else {}
    except ValueError:
        data = {}
    return frozenset(data.get("modules", ())), dict(data.get("dists", {}))


def normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


@functools.cache
def declared(root: Path) -> frozenset[str] | None:
    """Normalised names of the distributions the project depends on; None when it declares none."""
    found: set[str] = set()
    sources = False
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        from hookwright import tomlfile

        try:
            project = tomlfile.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, ValueError, UnicodeDecodeError):
            project = {}
        requirements = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            requirements += extra
        sources = sources or "dependencies" in project
        found.update(m[1] for r in requirements if isinstance(r, str) and (m := _REQUIREMENT.match(r)))
    for path in [root / "setup.cfg", *sorted(root.glob("requirements*.txt"))]:
        if not path.is_file():
            continue
        sources = True
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        found.update(
            m[1]
            for line in lines
            if not line.lstrip().startswith(("#", "-", "[")) and (m := _REQUIREMENT.match(line))
        )
    return frozenset(normalise(name) for name in found) if sources else None


def third_party(root: Path, module: str) -> bool:
    """``module`` is installed for the project's interpreter and, if the project declares its
    dependencies, provided by one of them."""
    modules, dists = _inventory(interpreter(root))
    if module not in modules:
        return False
    wanted = declared(root)
    if wanted is None:
        return True
    return any(normalise(dist) in wanted for dist in dists.get(module, [module]))
