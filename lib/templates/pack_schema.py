"""A pack's variables schema applied to values: defaults filled in, one linear-time validator per schema."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any


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


def compiled_validator(schema: Mapping[str, Any]) -> Any:
    # One compiled validator per pack schema (by identity: the pack keeps the schema alive and
    # the entry keeps it too, so the id is never reused): 1,000 items share it.
    entry = _VALIDATORS.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = (schema, linear_validator_class()(schema))
        _VALIDATORS[id(schema)] = entry
    return entry[1]


@functools.cache
def linear_validator_class() -> Any:
    """Draft 2020-12 whose ``pattern`` runs on RE2: a pack's pattern never backtracks on a value."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    from hookwright.user_regex import compile_pattern

    def pattern(validator: Any, expected: str, instance: Any, schema: Mapping[str, Any]) -> Any:
        if isinstance(instance, str) and not compile_pattern(
            expected, "a template variable's pattern"
        ).search(instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})
