"""Check data against the package's JSON Schemas: every issue, best first, in words a user can act on.

``schema_issues`` returns SchemaIssues; ``check_document`` raises SchemaError with
``FILE:LINE:COL: /pointer: message``. jsonschema is imported only when a schema is actually checked: it
costs ~50 ms at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput, SchemaError
from hookwright.schema_registry import SCHEMA_SUFFIX, load_schema, schema_names, validator

if TYPE_CHECKING:
    from hookwright.strict_yaml import Document


@dataclass(frozen=True)
class SchemaIssue:
    pointer: str
    message: str


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _properties(schema: Mapping[str, Any]) -> set[str]:
    """Property names a schema allows, following ``$ref`` into the package's schemas."""
    names = set(schema.get("properties", {}))
    ref = schema.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        file, _, definition = ref.partition("#/$defs/")
        candidates = [file.removesuffix(SCHEMA_SUFFIX)] if file else schema_names()
        for candidate in candidates:
            target = load_schema(candidate).get("$defs", {}).get(definition)
            if target is not None:
                names |= _properties(target)
                break
    return names


def _message(error: Any) -> str:
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        extra = re.findall(r"'([^']+)'", error.message)
        allowed = sorted(_properties(error.schema))
        names = ", ".join(repr(e) for e in extra) or "a property"
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key {names}{hint}"
    if error.validator == "format" and error.cause is not None:
        return str(error.cause)
    if error.validator == "pattern" and error.schema.get("format") == "relpath":
        from hookwright.safe_paths import safe_relpath

        try:
            safe_relpath(error.instance)
        except BadInput as exc:
            return str(exc)
        return f"{error.instance!r} must be a path inside the repository that does not start with '-'"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    return str(error.message)


def schema_issues(name: str, data: Any, definition: str | None = None) -> list[SchemaIssue]:
    """Every violation, best first."""
    from jsonschema.exceptions import best_match, relevance

    errors = list(validator(name, definition).iter_errors(data))
    if not errors:
        return []
    best = best_match(errors)
    ordered = sorted(errors, key=relevance)
    if best is not None:
        # best_match may descend into a oneOf/anyOf and return a sub-error not in the top list.
        ordered = [best, *(e for e in ordered if e is not best)]
    issues = []
    for error in ordered:
        deepest = error
        # A failed anyOf/oneOf says little; its most relevant sub-error says what to change.
        while deepest.context:
            deepest = best_match(deepest.context) or deepest.context[0]
        pointer = _pointer(deepest.absolute_path)
        if deepest.validator in ("additionalProperties", "unevaluatedProperties"):
            extra = re.findall(r"'([^']+)'", deepest.message)
            if len(extra) == 1:  # point at the unknown key itself, so the line number is its line
                pointer += _pointer(extra)
        issues.append(SchemaIssue(pointer, _message(deepest)))
    return list(dict.fromkeys(issues))


def check_document(
    document: Document,
    name: str,
    definition: str | None = None,
    *,
    data: Any = None,
    base_pointer: str = "",
    all_errors: bool = False,
) -> None:
    """Raise SchemaError naming file, line, column and JSON pointer of the best (or every) error."""
    issues = schema_issues(name, document.data if data is None else data, definition)
    if not issues:
        return
    lines = []
    for issue in issues if all_errors else issues[:1]:
        pointer = base_pointer + issue.pointer
        line, column = document.position(pointer)
        lines.append(f"{document.source}:{line}:{column}: {pointer or '/'}: {issue.message}")
    raise SchemaError("\n".join(lines) if all_errors else lines[0])
