"""``NAME=VALUE`` from the command line, typed by the pack's variables schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hookwright.errors import BadInput


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
