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

_WORD_BOUNDARY = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_IRREGULAR = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
    "datum": "data",
    "index": "indices",
    "matrix": "matrices",
    "status": "statuses",
    "quiz": "quizzes",
}
_SINGULAR = {plural: single for single, plural in _IRREGULAR.items()}
_UNCOUNTABLE = frozenset({"data", "info", "metadata", "news", "series", "species", "equipment", "sheep"})
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


def _match_case(word: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _split_last(value: str) -> tuple[str, str]:
    match = re.search(r"[A-Za-z]+$", value)
    if not match:
        return value, ""
    start = match.start()
    # In CamelCase only the last capitalised word is the noun: "UserProfile" -> "Profile".
    camel_start = max((m.start() for m in re.finditer(r"[A-Z][a-z]", value[start:])), default=0)
    return value[: start + camel_start], value[start + camel_start :]


def plural(value: str) -> str:
    head, word = _split_last(str(value))
    lowered = word.lower()
    if not word or lowered in _UNCOUNTABLE or lowered in _SINGULAR:
        return str(value)
    if lowered in _IRREGULAR:
        result = _IRREGULAR[lowered]
    elif re.search(r"(s|x|z|ch|sh)$", lowered):
        result = lowered + "es"
    elif re.search(r"[^aeiou]y$", lowered):
        result = lowered[:-1] + "ies"
    else:
        result = lowered + "s"
    return head + _match_case(result, word)


def singular(value: str) -> str:
    head, word = _split_last(str(value))
    lowered = word.lower()
    if not word or lowered in _UNCOUNTABLE or lowered in _IRREGULAR:
        return str(value)
    if lowered in _SINGULAR:
        result = _SINGULAR[lowered]
    elif lowered.endswith("ies") and len(lowered) > 3:
        result = lowered[:-3] + "y"
    elif re.search(r"(ss|x|z|ch|sh)es$", lowered) or lowered.endswith("uses"):
        result = lowered[:-2]
    elif lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")):
        result = lowered[:-1]
    else:
        result = lowered
    return head + _match_case(result, word)


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
