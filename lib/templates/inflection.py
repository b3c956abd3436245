"""English plurals for template names: ``plural`` and ``singular`` of the last word, case kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

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


def _inflect(value: str, unchanged: Collection[str], rule: Callable[[str], str]) -> str:
    """``rule`` applied to the last word, lower-cased, then given the word's case back."""
    head, word = _split_last(str(value))
    lowered = word.lower()
    if not word or lowered in _UNCOUNTABLE or lowered in unchanged:
        return str(value)
    return head + _match_case(rule(lowered), word)


def _plural_of(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _singular_of(word: str) -> str:
    if word in _SINGULAR:
        return _SINGULAR[word]
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", word) or word.endswith("uses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(value: str) -> str:
    return _inflect(value, _SINGULAR, _plural_of)  # a word already plural stays as it is


def singular(value: str) -> str:
    return _inflect(value, _IRREGULAR, _singular_of)  # a word already singular stays as it is
