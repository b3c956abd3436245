"""What meson-python's editable loader imports from a work tree.

``pip install -e`` of a meson-python project writes ``_mpkg_editable_loader.py`` and a ``.pth`` that
runs it: a finder placed *first* on ``sys.meta_path`` that rebuilds the build folder (``ninja``) and
answers for the project's top-level packages from the source folder, whatever PYTHONPATH says.
Setting its own marker (``MESONPY_EDITABLE_SKIP``, a list of build folders) turns it off, in the
process and in every child that inherits it; the packages are then linked to the private copy as for
setuptools' finder. A package with compiled modules (built only in the build folder) then fails to
import: a failure, never a pass of what the copy does not hold.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hookwright.testing.editable_installs import inside

SKIP_VARIABLE = "MESONPY_EDITABLE_SKIP"
_FINDER_CALLS = ("MesonpyMetaFinder", "install")  # meson-python >= 0.13, and older
_SITE_PREFIXES = ("{py_purelib}/", "{py_platlib}/")


def loader_arguments(loader: Path) -> tuple[set[str], str] | None:
    """(top-level names, build folder) from the loader's finder call; None when it cannot be read."""
    import ast  # here: only a meson-python editable install has a loader to read

    try:
        tree = ast.parse(loader.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in _FINDER_CALLS:
            continue
        try:
            values = [ast.literal_eval(arg) for arg in node.args]
        except ValueError:
            continue
        at = next((i for i, v in enumerate(values) if isinstance(v, set | list | tuple)), None)
        if at is None or at + 1 >= len(values) or not isinstance(values[at + 1], str):
            continue
        return {str(name) for name in values[at]}, values[at + 1]
    return None


def packages(loader: Path, roots: list[str]) -> tuple[dict[str, str], str | None]:
    """(package -> its folder in a work tree, the build folder to skip) for one loader; the build
    folder is None when nothing it answers for comes from a work tree."""
    found = loader_arguments(loader)
    if found is None:
        return {}, None
    names, build = found
    plan_file = os.path.join(build, "meson-info", "intro-install_plan.json")
    try:
        with open(plan_file, encoding="utf-8") as handle:
            plan = json.load(handle)
    except (OSError, ValueError):
        plan = {}
    mapped: dict[str, str] = {}
    for section in plan.values() if isinstance(plan, dict) else ():
        for source, install in section.items() if isinstance(section, dict) else ():
            destination = install.get("destination", "") if isinstance(install, dict) else ""
            relative = next((destination[len(p) :] for p in _SITE_PREFIXES if destination.startswith(p)), "")
            top, _, rest = relative.partition("/")
            if top in names and rest == "__init__.py":
                held = inside(os.path.dirname(source), roots)
                if held is not None:
                    mapped[top] = held
    from_work_tree = bool(mapped) or inside(build, roots) is not None
    return mapped, build if from_work_tree else None
