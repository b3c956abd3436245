"""Template variables checked before anything renders: every problem, one line each, all at once.

Each string is checked in its role (hookwright.templates.roles), then the whole against the schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hookwright.templates import quick_schema
from hookwright.templates.pack_schema import compiled_validator
from hookwright.templates.roles import ROLES, check_value


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
    for error in compiled_validator(schema).iter_errors(dict(values)):
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
