"""Run by a child interpreter (``python -I stdlib_scan.py``): what its standard library exports, as marshal.

Standalone on purpose (no hookwright import): it runs in isolated mode, so neither the user's
project nor a package shadowing a standard module can change what it finds, and whatever importing
the modules prints or leaves behind dies with the child. Output, one marshal'd dict:

* ``modules``: module -> {public name: (kind, key)}; kind is c(lass) f(unction) a(sync function)
  m(odule) v(alue); ``key`` names the object itself, so that re-exports of one object agree
  (os.path.join and posixpath.join; typing.Iterable and collections.abc.Iterable);
* ``from_counts``: module -> {name: how often the standard library's own code (tests included)
  writes ``from module import name``}: the preference when several modules export a name;
* ``alias_counts``: alias -> {module: times written ``import module as alias``};
* ``attributes``: module -> the public names it holds beyond its exports (``socket.SocketIO`` is not
  in ``__all__``; ``http.client.NOT_ACCEPTABLE`` is put into its globals at run time): what
  ``import module as alias`` can read as ``alias.name``, modules left out;
* ``attrs``: key -> the public attributes of a class or module whose name several modules export
  or that shares its module's name (``datetime.datetime``): how to tell them apart by use;
* ``class_attrs``: every attribute name (``dir``) of every class a module of the standard library
  holds, public or not: a name no standard-library object can carry (what a rename may assume).
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import marshal
import os
import pkgutil
import re
import sys
import sysconfig
import types
import warnings

# Importing these has effects (a browser, a printed poem, a GUI), or they are the test suite; and
# builtins, whose names are never undefined.
SKIP_TOP = {"builtins", "antigravity", "this", "idlelib", "test", "turtledemo", "lib2to3", "pydoc_data",
            "ensurepip", "tkinter", "turtle", "__hello__", "__phello__", "__main__"}  # fmt: skip
SKIP_PART = {"test", "tests", "idle_test", "__main__"}
FROM = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)", re.M)
AS = re.compile(r"^[ \t]*import[ \t]+([\w.]+)[ \t]+as[ \t]+(\w+)[ \t]*(?:#.*)?$", re.M)


def _load(name: str) -> types.ModuleType | None:
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except BaseException:
        return None


def modules() -> dict[str, types.ModuleType]:
    found = {}
    for top in sorted(sys.stdlib_module_names):
        if top.startswith("_") or top in SKIP_TOP or (module := _load(top)) is None:
            continue
        found[top] = module
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), top + ".", onerror=lambda _: None):
            parts = info.name.split(".")
            if any(p.startswith("_") or p in SKIP_PART for p in parts):
                continue
            if (sub := _load(info.name)) is not None:
                found[info.name] = sub
    for name, module in list(sys.modules.items()):  # os.path: a module that is no package's file
        parts = name.split(".")
        private = any(p.startswith("_") for p in parts) or SKIP_PART.intersection(parts)
        if parts[0] in found and name not in found and not private and isinstance(module, types.ModuleType):
            found[name] = module
    return found


def _kind(value: object) -> str:
    if isinstance(value, type):
        return "c"
    if isinstance(value, types.ModuleType):
        return "m"
    if inspect.iscoroutinefunction(value):
        return "a"  # `await sleep(1)` is asyncio's, `sleep(1)` time's
    return "f" if callable(value) else "v"


def _key(module: str, name: str, value: object) -> str:
    if isinstance(value, types.ModuleType):
        return value.__name__
    origin = getattr(value, "__origin__", None)
    if isinstance(origin, type) and getattr(value, "_name", None) == name:
        value = origin  # typing.Iterable stands for collections.abc.Iterable: one object, two homes
    owner, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if isinstance(owner, str) and isinstance(qualname, str) and _kind(value) in "cfa":
        return f"{owner}.{qualname}"
    return f"{module}.{name}"


def exports(
    name: str, module: types.ModuleType, known: dict[str, types.ModuleType]
) -> dict[str, tuple[str, str]]:
    declared = getattr(module, "__all__", None)
    found: dict[str, tuple[str, str]] = {}
    if isinstance(declared, list | tuple):
        names = [n for n in declared if isinstance(n, str) and hasattr(module, n)]
    else:
        # No __all__: its own public definitions, not what it imported for itself.
        names = []
        for attr, value in vars(module).items():
            if attr.startswith("_") or isinstance(value, types.ModuleType):
                continue
            owner = getattr(value, "__module__", None) if _kind(value) in "cfa" else None
            if owner is None or owner == name or owner.startswith("_") or f"{owner}.".startswith(f"{name}."):
                names.append(attr)
    for attr in names:
        value = getattr(module, attr)
        found[attr] = (_kind(value), _key(name, attr, value))
    for sub in known:  # `from unittest import mock`: a package exports its submodules
        parent, _, child = sub.rpartition(".")
        if parent == name:
            found.setdefault(child, ("m", sub))
    return found


def other_attributes(module: types.ModuleType, exported: dict[str, tuple[str, str]]) -> list[str]:
    return sorted(
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and attr not in exported and not isinstance(value, types.ModuleType)
    )


def usage_counts() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    from_counts: dict[str, dict[str, int]] = {}
    alias_counts: dict[str, dict[str, int]] = {}
    for folder, dirs, files in os.walk(sysconfig.get_paths()["stdlib"]):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "dist-packages", "__pycache__")]
        for file in files:
            if not file.endswith(".py"):
                continue
            try:
                with open(os.path.join(folder, file), encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                continue
            for match in FROM.finditer(text):
                counts = from_counts.setdefault(match[1], {})
                for item in match[2].strip("()").replace("\\", " ").split(","):
                    words = item.split()
                    if words and words[0].isidentifier():
                        counts[words[0]] = counts.get(words[0], 0) + 1
            for match in AS.finditer(text):
                counts = alias_counts.setdefault(match[2], {})
                counts[match[1]] = counts.get(match[1], 0) + 1
    return from_counts, alias_counts


def scan() -> dict[str, object]:
    known = modules()
    table = {name: exports(name, module, known) for name, module in known.items()}
    owners: dict[str, set[str]] = {}
    for found in table.values():
        for attr, (_, key) in found.items():
            owners.setdefault(attr, set()).add(key)
    attrs: dict[str, list[str]] = {}
    for name, found in table.items():
        for attr, (kind, key) in found.items():
            shared = len(owners[attr]) > 1 or attr == name.rpartition(".")[2]
            if shared and kind in "cm" and key not in attrs:
                value = getattr(known[name], attr, None)
                attrs[key] = sorted(a for a in dir(value) if not a.startswith("_"))
    from_counts, alias_counts = usage_counts()
    return {
        "modules": table,
        "from_counts": from_counts,
        "alias_counts": alias_counts,
        "attributes": {name: other_attributes(known[name], found) for name, found in table.items()},
        "attrs": attrs,
        "class_attrs": sorted(class_attributes(known)),
    }


def class_attributes(known: dict[str, types.ModuleType]) -> set[str]:
    """The attribute names of every class the modules hold (private classes too: a module's
    ``Future`` may live in ``concurrent.futures._base`` and be handed out by a function)."""
    names: set[str] = set()
    loaded = [m for n, m in list(sys.modules.items()) if n.split(".")[0] in known]
    for module in list(known.values()) + loaded:
        for value in list(vars(module).values()):
            if isinstance(value, type):
                try:
                    names.update(dir(value))
                except Exception:  # a class whose __dir__ misbehaves tells us nothing
                    continue
    return names


if __name__ == "__main__":
    sys.stdout.buffer.write(marshal.dumps(scan()))
