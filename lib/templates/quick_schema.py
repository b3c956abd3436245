"""A fast yes for the JSON Schema subset template variables use; anything else goes to jsonschema.

A batch of 1,000 items spends most of its variable checking inside jsonschema's generic machinery
(~0.3 ms an item). ``is_valid`` answers True only when every keyword it meets is one it knows and
the value passes; False or None (an unknown keyword) sends the caller to jsonschema, which then
also writes the messages. It never says yes where jsonschema would say no.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ANNOTATIONS = frozenset(
    {"description", "default", "title", "examples", "$comment", "format", "deprecated", "readOnly", "$defs"}
)
_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


class _Unknown(Exception):
    pass


def _regex(pattern: str) -> Any:
    # A template pack's pattern meets the user's values: RE2, linear time (hookwright.user_regex).
    from hookwright.user_regex import compile_pattern

    return compile_pattern(pattern, "a template variable's pattern")


def _equal(a: Any, b: Any) -> bool:
    # JSON equality, all the way down: True is not 1, [True] is not [1], 1.0 is 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _check(schema: Any, value: Any, root: Mapping[str, Any]) -> bool:
    if schema is True or schema == {}:
        return True
    if schema is False or not isinstance(schema, Mapping):
        return False
    for key, expected in schema.items():
        if key in _ANNOTATIONS:
            continue
        if not _keyword(key, expected, schema, value, root):
            return False
    return True


def _keyword(key: str, expected: Any, schema: Mapping[str, Any], value: Any, root: Mapping[str, Any]) -> bool:
    if key == "type":
        names = expected if isinstance(expected, list) else [expected]
        if any(name not in _TYPES for name in names):
            raise _Unknown(key)
        return any(_TYPES[name](value) for name in names)
    if key == "enum":
        return any(_equal(value, option) for option in expected)
    if key == "const":
        return _equal(value, expected)
    if key == "$ref":
        if not (isinstance(expected, str) and expected.startswith("#/$defs/")):
            raise _Unknown(key)
        return _check(root.get("$defs", {}).get(expected[8:], False), value, root)
    if key == "anyOf":
        return any(_check(sub, value, root) for sub in expected)
    if key == "not":
        return not _check(expected, value, root)
    if isinstance(value, str):
        if key == "pattern":
            return _regex(expected).search(value) is not None
        if key in ("minLength", "maxLength"):
            return len(value) >= expected if key == "minLength" else len(value) <= expected
    if isinstance(value, int | float) and not isinstance(value, bool) and key in ("minimum", "maximum"):
        return value >= expected if key == "minimum" else value <= expected
    if isinstance(value, list):
        if key == "items":
            return all(_check(expected, item, root) for item in value)
        if key in ("minItems", "maxItems"):
            return len(value) >= expected if key == "minItems" else len(value) <= expected
    if isinstance(value, dict):
        if key == "required":
            return all(name in value for name in expected)
        if key == "properties":
            return all(_check(sub, value[name], root) for name, sub in expected.items() if name in value)
        if key == "additionalProperties":
            known = schema.get("properties", {})
            extra = [v for k, v in value.items() if k not in known]
            return all(_check(expected, item, root) for item in extra)
        if key == "propertyNames":
            return all(_check(expected, name, root) for name in value)
        if key in ("minProperties", "maxProperties"):
            return len(value) >= expected if key == "minProperties" else len(value) <= expected
    if key in _KNOWN_FOR_OTHER_TYPES:
        return True  # a string keyword on a number, and so on: it does not apply
    raise _Unknown(key)


_KNOWN_FOR_OTHER_TYPES = frozenset(
    {
        "pattern", "minLength", "maxLength", "minimum", "maximum", "items", "minItems", "maxItems",
        "required", "properties", "additionalProperties", "propertyNames", "minProperties", "maxProperties",
    }
)  # fmt: skip


def is_valid(schema: Mapping[str, Any], value: Any) -> bool | None:
    """True: valid. False: invalid. None: a keyword this checker does not know (ask jsonschema)."""
    try:
        return _check(schema, value, schema)
    except _Unknown:
        return None
