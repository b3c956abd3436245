"""The package's JSON Schemas: finding and loading them, and one compiled validator per schema."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

# The schemas name each other by file name ("common.schema.json#/$defs/relpath") and carry no `$id`:
# a reference resolves against wherever the referring file is, so the files work as shipped, offline,
# in check-jsonschema and in editors. In this process each is registered under its file name.
SCHEMA_SUFFIX = ".schema.json"


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
