"""The filters a template may use: plain functions from values to strings, nothing that reaches out.

Names follow the pack format (snake, pascal, kebab, camel, upper, lower, plural, singular); ``json``,
``py`` and ``key`` quote values for the data and code files the built-in packs write.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from hookwright.templates.inflection import plural, singular

_WORD_BOUNDARY = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_BARE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Bare keys YAML 1.1 readers turn into booleans or nulls; quoting them keeps them strings everywhere.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none"})


def words(value: str) -> list[str]:
    """``HTTPServerError`` / ``http_server-error`` / ``http server error`` -> ``[http, server, error]``."""
    return [w.lower() for w in _WORD_BOUNDARY.split(str(value)) if w]


def snake(value: str) -> str:
    return "_".join(words(value))


def kebab(value: str) -> str:
    return "-".join(words(value))


def pascal(value: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(value))


def camel(value: str) -> str:
    text = pascal(value)
    return text[:1].lower() + text[1:]


def upper(value: str) -> str:
    return str(value).upper()


def lower(value: str) -> str:
    return str(value).lower()


def to_json(value: Any, indent: int | None = None) -> str:
    """A JSON literal; JSON strings are also valid YAML, TOML and Python string literals."""
    return json.dumps(value, ensure_ascii=False, indent=indent)


def to_python(value: Any) -> str:
    """A Python literal for a JSON-like value (strings double-quoted, as ruff format writes them)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_python(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{to_python(k)}: {to_python(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write a {type(value).__name__} as a Python literal")


def key(value: str) -> str:
    """A mapping key for YAML and TOML: bare when that reads back as the same string, else quoted."""
    text = str(value)
    if _BARE_KEY.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


FILTERS: dict[str, Callable[..., str]] = {
    "snake": snake,
    "pascal": pascal,
    "kebab": kebab,
    "camel": camel,
    "upper": upper,
    "lower": lower,
    "plural": plural,
    "singular": singular,
    "json": to_json,
    "py": to_python,
    "key": key,
}
