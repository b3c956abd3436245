"""Pattern instances: a file that names a pattern and gives its inputs, read strictly and validated.

The envelope is read first (schema_version, then pattern), and ``inputs`` is validated against that
pattern's own schema alone: a oneOf over seven patterns would bury the one error that matters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright import schema_registry, strict_yaml, validation
from hookwright.errors import BadInput, SchemaError
from hookwright.reporting import PATTERNS

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Instance:
    source: str
    pattern: str
    id: str | None
    description: str | None
    inputs: Mapping[str, Any]


def _fail(document: strict_yaml.Document, pointer: str, message: str) -> SchemaError:
    line, column = document.position(pointer)
    return SchemaError(f"{document.source}:{line}:{column}: {pointer or '/'}: {message}")


def _check_version(document: strict_yaml.Document) -> None:
    data = document.data
    if "schema_version" not in data:
        raise _fail(
            document, "", f'missing schema_version (add `schema_version: "{SCHEMA_VERSION}"` at the top)'
        )
    version = data["schema_version"]
    if not isinstance(version, str):
        raise _fail(document, "/schema_version", f'must be a string: write "{version}" with quotes')
    if version != SCHEMA_VERSION:
        newer = version.split(".")[0].isdigit() and int(version.split(".")[0]) > int(SCHEMA_VERSION)
        why = "is newer than this hookwright reads; upgrade hookwright" if newer else "is not a known version"
        raise _fail(document, "/schema_version", f"{version!r} {why} (this one reads {SCHEMA_VERSION!r})")


def _check_pattern(document: strict_yaml.Document) -> str:
    pattern = document.data.get("pattern")
    if pattern is None:
        raise _fail(document, "", f"missing pattern (one of: {', '.join(PATTERNS)})")
    if pattern not in PATTERNS:
        raise _fail(document, "/pattern", f"unknown pattern {pattern!r}; valid: {', '.join(PATTERNS)}")
    return str(pattern)


def load(
    path: Path, *, root: Path | None = None, all_errors: bool = False, display: str | None = None
) -> Instance:
    """Read and validate an instance file; SchemaError (exit 2) names file, line, column and pointer."""
    document = strict_yaml.load_path(path, display=display)
    _check_version(document)
    pattern = _check_pattern(document)
    try:
        schema_registry.load_schema(pattern)
    except BadInput:
        raise _fail(document, "/pattern", f"no schema for pattern {pattern!r} in this version") from None
    with schema_registry.paths_inside(root):
        validation.check_document(document, "instance", "envelope", all_errors=all_errors)
        validation.check_document(
            document,
            pattern,
            "inputs",
            data=document.data["inputs"],
            base_pointer="/inputs",
            all_errors=all_errors,
        )
    data = document.data
    return Instance(document.source, pattern, data.get("id"), data.get("description"), data["inputs"])
