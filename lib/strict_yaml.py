"""The strict loader for every YAML or JSON file a user writes.

YAML 1.1 silently turns ``on``/``no``/``y`` into booleans and ``2024-01-01`` into dates; duplicate keys
overwrite each other; aliases can expand exponentially. Here all of those are strings or errors, and
every value keeps the line and column it came from so that an error can point at it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from hookwright.errors import BadInput
from hookwright.yaml_document import Document, LoadError
from hookwright.yaml_graph import check_and_index
from hookwright.yaml_loader import StrictLoader, marked_error

# Document and LoadError live in yaml_document; callers know them by these names.
__all__ = ["MAX_BYTES", "Document", "LoadError", "load_path", "loads", "loads_json"]

MAX_BYTES = 4 * 1024 * 1024


def _decode(raw: bytes, source: str) -> str:
    if len(raw) > MAX_BYTES:
        raise BadInput(f"{source}: file is {len(raw)} bytes, over the {MAX_BYTES}-byte limit")
    if b"\0" in raw:
        raise BadInput(f"{source}: binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{source}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def loads(text_or_bytes: str | bytes, source: str = "<string>", *, require_mapping: bool = True) -> Document:
    text = _decode(text_or_bytes, source) if isinstance(text_or_bytes, bytes) else text_or_bytes
    if len(text) > MAX_BYTES:
        raise BadInput(f"{source}: over the {MAX_BYTES}-byte limit")
    loader = StrictLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in str(exc):
                mark = exc.problem_mark
                raise LoadError(
                    source,
                    mark.line + 1 if mark else 1,
                    mark.column + 1 if mark else 1,
                    "several YAML documents in one file; keep one (remove the extra `---`)",
                ) from None
            raise
        if node is None:
            raise LoadError(source, 1, 1, "empty document")
        positions = check_and_index(node, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise marked_error(exc, source) from None
    except yaml.YAMLError as exc:
        raise LoadError(source, 1, 1, str(exc)) from None
    except RecursionError:
        # PyYAML composes recursively: a file nested thousands deep is refused, not a crash.
        raise LoadError(source, 1, 1, "nested too deeply") from None
    finally:
        loader.dispose()
    if require_mapping and not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise LoadError(source, 1, 1, f"the top level must be a mapping, not {kind}")
    return Document(source, data, positions)


def loads_json(
    text_or_bytes: str | bytes, source: str = "<string>", *, require_mapping: bool = True
) -> Document:
    text = _decode(text_or_bytes, source) if isinstance(text_or_bytes, bytes) else text_or_bytes

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ValueError(f"duplicate key {key!r}")
            result[key] = value
        return result

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(source, exc.lineno, exc.colno, exc.msg) from None
    except ValueError as exc:
        raise LoadError(source, 1, 1, str(exc)) from None
    except RecursionError:
        raise LoadError(source, 1, 1, "nested too deeply") from None
    if require_mapping and not isinstance(data, dict):
        raise LoadError(source, 1, 1, "the top level must be an object")
    try:
        positions = loads(text, source, require_mapping=False).positions
    except BadInput:
        positions = {}  # valid JSON that YAML 1.1 cannot read: positions are a nicety
    return Document(source, data, positions)


def load_path(path: Path, *, require_mapping: bool = True, display: str | None = None) -> Document:
    from hookwright.bounded_read import read_file

    source = display or str(path)
    raw = read_file(path, MAX_BYTES, source)
    if path.suffix == ".json":
        return loads_json(raw, source, require_mapping=require_mapping)
    return loads(raw, source, require_mapping=require_mapping)
