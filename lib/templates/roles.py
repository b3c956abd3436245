"""What a template variable's value may be in its role: an identifier, a module, a path or one component.

A value's *role* says what it becomes. A pack declares it with a JSON Schema ``format`` on the
property (``identifier``, ``module``, ``path``); a string used in an output path pattern is at least a
path component even when the pack says nothing. Roles catch what a schema ``pattern`` rarely does:
keywords and builtins as names, dunders, NFKC look-alikes (``ｕser`` is ``user`` to Python),
over-long names, ``..`` or separators sneaking into a path.
"""

from __future__ import annotations

import builtins
import keyword
import unicodedata

MAX_IDENTIFIER = 63  # PostgreSQL cuts identifiers at 63 bytes; table names derive from entity names
MAX_COMPONENT_BYTES = 255  # a file name on every common filesystem
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
ROLES = ("identifier", "module", "path", "component")


def _identifier_problems(value: str, *, what: str, allow_builtins: bool = False) -> list[str]:
    if value[:1].isdigit():
        return [f"{value!r} starts with a digit; a {what} cannot"]
    if "-" in value and what == "module name":
        return [f"{value!r} has a hyphen; a module name cannot (use {value.replace('-', '_')!r})"]
    if not value.isidentifier():
        return [f"{value!r} is not a valid Python {what} (letters, digits and _ only)"]
    if keyword.iskeyword(value):
        return [f"{value!r} is a Python keyword; it cannot be a {what}"]
    if value.startswith("__") and value.endswith("__"):
        return [f"{value!r} is a dunder name, reserved for Python itself; pick a plain {what}"]
    if not allow_builtins and value in _BUILTINS:
        return [f"{value!r} would shadow the Python builtin of that name; pick another {what}"]
    if len(value) > MAX_IDENTIFIER:
        return [f"{what} is {len(value)} characters long, over the limit of {MAX_IDENTIFIER}"]
    return []


def _nfkc_problem(value: str) -> list[str]:
    normal = unicodedata.normalize("NFKC", value)
    if normal != value:
        return [f"{value!r} contains look-alike characters; Python and many tools read it as {normal!r}"]
    return []


def _component_problems(value: str) -> list[str]:
    if "\0" in value:
        return ["contains a NUL byte, which no path may hold"]
    if "/" in value or "\\" in value:
        return [f"{value!r} contains a path separator; it names one file or folder"]
    if value in (".", ".."):
        return [f"{value!r} would point at a folder outside the file's own"]
    if len(value.encode()) > MAX_COMPONENT_BYTES:
        return [f"is {len(value.encode())} bytes long, over the {MAX_COMPONENT_BYTES}-byte file name limit"]
    return []


def _path_problems(value: str) -> list[str]:
    if "\0" in value:
        return ["contains a NUL byte, which no path may hold"]
    if "\\" in value:
        return [f"{value!r} contains a backslash; write paths with /"]
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        return [f"{value!r} is absolute; give a path inside the repository"]
    parts = value.split("/")
    if ".." in parts:
        return [f"{value!r} contains '..', which would leave the target folder"]
    for part in parts:
        if len(part.encode()) > MAX_COMPONENT_BYTES:
            return [f"a part of {value!r} is over the {MAX_COMPONENT_BYTES}-byte file name limit"]
    return []


def check_value(value: str, role: str) -> list[str]:
    """Problems with one string in one role; empty means fine."""
    found = _nfkc_problem(value)
    if role == "identifier":
        found += _identifier_problems(value, what="name")
    elif role == "module":
        for part in value.split("."):
            found += _identifier_problems(part, what="module name", allow_builtins=True)
            found += _component_problems(part)
    elif role == "path":
        found += _path_problems(value)
    elif role == "component":
        found += _component_problems(value)
    return list(dict.fromkeys(found))
