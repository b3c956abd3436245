"""A rename the project's tests cannot verify: pytest itself depends on the package being renamed.

pytest imports pluggy, iniconfig, packaging (and more) for its own use. When the repository is one of
them, the tests that would verify a rename run on a pytest that calls the package's API by name:
renaming ``PluginManager.add_hookspecs`` in pluggy breaks pytest before any test runs, so the verdict
says nothing about the rename. We say so before anything is written, with the places in pytest's
source that call the name. A name that built-in types also have (``get``, ``items``) cannot be told
apart in pytest's source without its types: that is only a warning.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from pathlib import Path

from hookwright.refactor.name_owners import BUILTIN_TYPES

_LISTED = 3


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _requirements(distribution: str) -> frozenset[str]:
    try:
        requires = importlib.metadata.requires(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        return frozenset()
    return frozenset(_normalised(re.split(r"[\s;<>=!~\[(]", line, maxsplit=1)[0]) for line in requires)


def pytest_calls(package: str, name: str, member: bool) -> list[str]:
    """``file:line`` of pytest's own source that names ``name`` of ``package``, when pytest needs it."""
    if _normalised(package) not in _requirements("pytest"):
        return []
    try:
        files = importlib.metadata.distribution("pytest").files or []
    except importlib.metadata.PackageNotFoundError:
        return []
    word = re.escape(name.encode())
    pattern = re.compile(rb"\." + word + rb"\b" if member else rb"(?<![\w.])" + word + rb"\b")
    found = []
    for file in sorted(files, key=str):
        if file.suffix != ".py":
            continue
        path = Path(str(file.locate()))
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if not member and package.encode() not in data:
            continue
        for match in pattern.finditer(data):
            line = data.count(b"\n", 0, match.start()) + 1
            found.append(f"{file}:{line}")
    return found


def unverifiable(package: str, name: str, member: bool) -> tuple[str, bool] | None:
    """Why the project's tests cannot verify the rename, and whether that is certain; None: they can."""
    calls = pytest_calls(package, name, member)
    if not calls:
        return None
    certain = not (member and any(hasattr(kind, name) for kind in BUILTIN_TYPES))
    more = f" and {len(calls) - _LISTED} more" if len(calls) > _LISTED else ""
    where = ", ".join(calls[:_LISTED]) + more
    if certain:
        return (
            f"pytest, which would run the tests that verify this rename, calls {name} of {package} by"
            f" that name ({where}); renamed, it breaks pytest itself, so the tests cannot verify it",
            True,
        )
    why = f"pytest's own source names .{name} ({where}); if that is this one, renaming it breaks pytest"
    return why, False
