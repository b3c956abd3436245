"""Template variables checked before anything renders: every problem, one line each, all at once.

A value's *role* says what it becomes. A pack declares it with a JSON Schema ``format`` on the
property (``identifier``, ``module``, ``path``); a string used in an output path pattern is at least a
path component even when the pack says nothing. Roles catch what a schema ``pattern`` rarely does:
keywords and builtins as names, dunders, NFKC look-alikes (``ｕser`` is ``user`` to Python),
over-long names, ``..`` or separators sneaking into a path.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hookwright.errors import BadInput
from hookwright.templates import quick_schema

MAX_IDENTIFIER = 63  # PostgreSQL cuts identifiers at 63 bytes; table names derive from entity names
MAX_COMPONENT_BYTES = 255  # a file name on every common filesystem
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
ROLES = ("identifier", "module", "path", "component")


@dataclass(frozen=True)
class Problem:
    pointer: str  # JSON pointer into the variables, "/fields/0/name"
    message: str


def _name(pointer: str) -> str:
    """``/fields/0/name`` -> ``fields[0].name``."""
    text = ""
    for part in pointer.strip("/").split("/"):
        text += f"[{part}]" if part.isdigit() else f".{part}" if text else part
    return text or "(variables)"


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


def _roles_of(schema: Mapping[str, Any], path_names: frozenset[str], top_name: str | None) -> set[str]:
    roles = set()
    declared = schema.get("format")
    if declared in ROLES:
        roles.add(declared)
    if top_name is not None and top_name in path_names and "path" not in roles:
        roles.add("component")
    return roles


def _walk(
    schema: Mapping[str, Any],
    value: Any,
    pointer: str,
    path_names: frozenset[str],
    top_name: str | None,
    out: list[Problem],
) -> None:
    if isinstance(value, str):
        allow_empty = schema.get("minLength") == 0
        if not value.strip() and not allow_empty:
            out.append(Problem(pointer, "is empty; give it a value"))
            return
        for role in sorted(_roles_of(schema, path_names, top_name)):
            out.extend(Problem(pointer, message) for message in check_value(value, role))
    elif isinstance(value, Mapping):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            sub = properties.get(name, extra if isinstance(extra, Mapping) else {})
            _walk(sub, item, f"{pointer}/{name}", path_names, top_name, out)
    elif isinstance(value, list):
        items = schema.get("items", {})
        for index, item in enumerate(value):
            _walk(
                items if isinstance(items, Mapping) else {},
                item,
                f"{pointer}/{index}",
                path_names,
                top_name,
                out,
            )
    elif value is None and schema.get("type") not in (None, "null") and "null" not in schema.get("type", ()):
        out.append(Problem(pointer, "is empty; give it a value"))


def apply_defaults(schema: Mapping[str, Any], value: Any) -> Any:
    """``value`` with every ``default`` of an object schema filled in, recursively (a copy)."""
    if isinstance(value, Mapping):
        properties = schema.get("properties", {})
        result = {k: apply_defaults(properties.get(k, {}), v) for k, v in value.items()}
        for name, sub in properties.items():
            if name not in result and "default" in sub:
                result[name] = apply_defaults(sub, _copy(sub["default"]))
        return result
    if isinstance(value, list):
        items = schema.get("items", {})
        return [apply_defaults(items if isinstance(items, Mapping) else {}, item) for item in value]
    return value


def _copy(value: Any) -> Any:
    import copy

    return copy.deepcopy(value)


_VALIDATORS: dict[int, tuple[Mapping[str, Any], Any]] = {}


def _validator(schema: Mapping[str, Any]) -> Any:
    # One compiled validator per pack schema (by identity: the pack keeps the schema alive and
    # the entry keeps it too, so the id is never reused): 1,000 items share it.
    entry = _VALIDATORS.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = (schema, _linear_validator_class()(schema))
        _VALIDATORS[id(schema)] = entry
    return entry[1]


@functools.cache
def _linear_validator_class() -> Any:
    """Draft 2020-12 whose ``pattern`` runs on RE2: a pack's pattern never backtracks on a value."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    from hookwright.user_regex import compile_pattern

    def pattern(validator: Any, expected: str, instance: Any, schema: Mapping[str, Any]) -> Any:
        if isinstance(instance, str) and not compile_pattern(
            expected, "a template variable's pattern"
        ).search(instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})


def problems(
    schema: Mapping[str, Any], values: Mapping[str, Any], path_names: Iterable[str] = ()
) -> list[Problem]:
    """Everything wrong with ``values`` (defaults already applied) for a pack's variables schema."""
    found: list[Problem] = []
    properties = schema.get("properties", {})
    names = frozenset(path_names)
    for name, value in values.items():
        _walk(properties.get(name, {}), value, f"/{name}", names, name, found)
    if not found and quick_schema.is_valid(schema, dict(values)):
        return []
    flagged = {p.pointer for p in found}
    declared = ", ".join(sorted(properties)) or "none"
    for error in _validator(schema).iter_errors(dict(values)):
        pointer = "".join(f"/{p}" for p in error.absolute_path)
        if error.validator == "additionalProperties" and not error.absolute_path:
            for extra in sorted(set(values) - set(properties)):
                found.append(
                    Problem(f"/{extra}", f"is not a variable of this template (declared: {declared})")
                )
        elif error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            sub = error.schema.get("properties", {}).get(missing, {})
            hint = f" ({sub['description']})" if sub.get("description") else ""
            found.append(Problem(f"{pointer}/{missing}", f"is required{hint}"))
        elif pointer not in flagged:
            found.append(Problem(pointer, error.message))
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda p: p.pointer)


def format_problems(label: str, found: Iterable[Problem]) -> list[str]:
    return [f"{label}: variable {_name(p.pointer)}: {p.message}" for p in found]


# -- values from the command line --------------------------------------------------------------------


def parse_assignments(pairs: Sequence[str], schema: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``k=v`` strings -> values typed by the schema (JSON/flow YAML for lists and objects)."""
    values: dict[str, Any] = {}
    found: list[str] = []
    properties = schema.get("properties", {})
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            found.append(f"--var {pair!r}: expected NAME=VALUE")
            continue
        if name in values:
            found.append(f"--var {name}: given twice")
            continue
        try:
            values[name] = coerce(properties.get(name, {}), raw)
        except ValueError as exc:
            found.append(f"--var {name}: {exc}")
    return values, found


def coerce(schema: Mapping[str, Any], raw: str) -> Any:
    declared = schema.get("type")
    kinds = set(declared) if isinstance(declared, list) else {declared} if declared else set()
    if not kinds or "string" in kinds:
        return raw
    if kinds <= {"integer"}:
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not an integer") from None
    if kinds <= {"number", "integer"}:
        try:
            return float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
    if kinds == {"boolean"}:
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise ValueError(f"{raw!r} is not true or false")
    from hookwright import strict_yaml

    try:
        return strict_yaml.loads(raw, "value", require_mapping=False).data
    except BadInput as exc:
        raise ValueError(f"cannot read {raw!r} as JSON or YAML ({exc})") from None
