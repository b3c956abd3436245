"""Validate data against the package's JSON Schemas, and what a project needs (tools, modules, paths).

Everything here returns Findings or raises SchemaError with ``FILE:LINE:COL: /pointer: message``.
jsonschema is imported only when a schema is actually checked: it costs ~50 ms at start-up.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib.util
import json
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput, SchemaError
from hookwright.reporting import Finding

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from hookwright.strict_yaml import Document

# The schemas name each other by file name ("common.schema.json#/$defs/relpath") and carry no `$id`:
# a reference resolves against wherever the referring file is, so the files work as shipped, offline,
# in check-jsonschema and in editors. In this process each is registered under its file name.
SCHEMA_SUFFIX = ".schema.json"


# -- schemas -----------------------------------------------------------------------------------------


def schema_names() -> list[str]:
    files = resources.files("hookwright.schemas").iterdir()
    return sorted(f.name.removesuffix(SCHEMA_SUFFIX) for f in files if f.name.endswith(SCHEMA_SUFFIX))


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    resource = resources.files("hookwright.schemas") / f"{name}{SCHEMA_SUFFIX}"
    if not resource.is_file():
        raise BadInput(f"unknown schema {name!r}; known: {', '.join(schema_names())}")
    schema: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return schema


@functools.cache
def _registry() -> Any:
    from referencing import Registry, Resource

    return Registry().with_resources(
        (f"{n}{SCHEMA_SUFFIX}", Resource.from_contents(load_schema(n))) for n in schema_names()
    )


_REPOSITORY: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "hookwright_repository", default=None
)


@contextlib.contextmanager
def paths_inside(root: Path | None) -> Iterator[None]:
    """While validating, ``relpath`` values must also stay inside ``root`` on disk (no symlink escape)."""
    token = _REPOSITORY.set(root)
    try:
        yield
    finally:
        _REPOSITORY.reset(token)


def _relpath_ok(value: object) -> bool:
    from hookwright.safe_paths import resolve_inside, safe_relpath

    if not isinstance(value, str):
        return True
    safe_relpath(value)
    root = _REPOSITORY.get()
    if root is not None:
        resolve_inside(root, value)
    return True


@functools.cache
def _format_checker() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    from hookwright.errors import PathEscape

    checker = FormatChecker(formats=Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("relpath", raises=PathEscape)(_relpath_ok)
    return checker


@functools.cache
def validator(name: str, definition: str | None = None) -> Validator:
    """A compiled validator for a schema (or one of its ``$defs``), built once per process."""
    from jsonschema import Draft202012Validator

    root = load_schema(name)
    schema: dict[str, Any] = root
    if definition is not None:
        if definition not in root.get("$defs", {}):
            raise BadInput(f"schema {name!r} has no definition {definition!r}")
        schema = {"$ref": f"{name}{SCHEMA_SUFFIX}#/$defs/{definition}"}
    return Draft202012Validator(schema, registry=_registry(), format_checker=_format_checker())


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


# -- what a project needs ----------------------------------------------------------------------------


def missing_executables(names: Iterable[str]) -> list[Finding]:
    return [
        Finding(None, None, None, "missing-executable", f"{name} is not installed or not on PATH")
        for name in names
        if shutil.which(name) is None
    ]


def missing_modules(names: Iterable[str]) -> list[Finding]:
    return [
        Finding(None, None, None, "missing-module", f"Python module {name} cannot be imported")
        for name in names
        if importlib.util.find_spec(name) is None
    ]


def missing_paths(root: Any, required: Mapping[str, str]) -> list[Finding]:
    """Project-structure check: ``{relative path: "file" | "dir"}`` that must exist under root."""
    findings = []
    for relative, kind in required.items():
        path = Path(root) / relative
        ok = path.is_dir() if kind == "dir" else path.is_file()
        if not ok:
            findings.append(Finding(relative, None, None, "missing-path", f"expected a {kind} here"))
    return findings
