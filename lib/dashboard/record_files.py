"""Reading record files for the dashboard: each one a Source, a broken one a Source that says why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from hookwright import bounded_read, records
from hookwright.dashboard.record_checks import Source
from hookwright.errors import BadInput

MAX_RECORD_BYTES = 16 * 1024 * 1024


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def read_source(path: Path) -> Source:
    """One record file; a broken one becomes a Source that says why, never an exception."""
    name = path.name
    try:
        raw = bounded_read.read_file(path, MAX_RECORD_BYTES, name)
    except BadInput as exc:
        return Source(name, kind="invalid", message=str(exc).removeprefix(f"{name}: "))
    if path.suffix != ".json":
        try:
            return Source(name, records.load(path))
        except BadInput as exc:
            return Source(name, kind="invalid", message=str(exc).removeprefix(f"{path}:"))
    # Records are hookwright's own output (json.dumps), so the plain parser is enough: the strict
    # loader's second, YAML pass for error positions costs ~1 ms a record, 10 s for 10,000.
    try:
        text = raw.decode("utf-8")
        return Source(name, json.loads(text, parse_constant=_reject_constant))
    except UnicodeDecodeError:
        return Source(name, kind="invalid", message="not UTF-8")
    except json.JSONDecodeError as exc:
        # json.dumps ends every record with its closing brace: one without it was cut short (a full
        # disk, a writer killed before the atomic rename existed); anything else is corrupt.
        stripped = text.strip()
        if stripped.startswith("{") and not stripped.endswith("}"):
            return Source(name, kind="truncated", message=f"ends early: {exc.msg}")
        return Source(name, kind="invalid", message=f"line {exc.lineno} column {exc.colno}: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        return Source(name, kind="invalid", message=str(exc))


def read_sources(directory: Path) -> Iterator[Source]:
    for path in records.iter_paths(directory):
        yield read_source(path)
