"""English plurals for template names: ``plural`` and ``singular`` of the last word, case kept."""

from __future__ import annotations

import re

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
