"""The strict loader for every YAML or JSON file a user writes.

YAML 1.1 silently turns ``on``/``no``/``y`` into booleans and ``2024-01-01`` into dates; duplicate keys
overwrite each other; aliases can expand exponentially. Here all of those are strings or errors, and
every value keeps the line and column it came from so that an error can point at it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hookwright.errors import BadInput

MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion: a billion-laughs file stops here

Position = tuple[int, int]  # 1-based line and column


class LoadError(BadInput):
    def __init__(self, source: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{source}:{line}:{column}: {message}")
        self.source = source
        self.line = line
        self.column = column
        self.detail = message


@dataclass(frozen=True)
class Document:
    """Loaded data plus where each JSON pointer came from."""

    source: str
    data: Any
    positions: Mapping[str, Position]

    def position(self, pointer: str) -> Position:
        """The closest known position for a pointer (walking up to its parent)."""
        while True:
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: only true/false are booleans; no dates, no base 60."""


_StrictLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
):
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    value = loader.construct_scalar(node)  # type: ignore[arg-type]
    text = str(value)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [value for _, value in node.value]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refuse_bombs(root: yaml.Node, source: str) -> None:
    """Refuse cycles and documents whose aliases expand past MAX_NODES, in time linear in the file.

    Each distinct node's expanded size is computed once (aliases share nodes), so a billion laughs
    is refused after a few hundred steps, not after walking 200,000 expanded nodes.
    """
    size: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        mark = node.start_mark
        if finished:
            size[id(node)] = total = 1 + sum(size[id(child)] for child in _children(node))
            if total > MAX_NODES:
                message = f"document expands to more than {MAX_NODES} nodes (an alias bomb?)"
                raise LoadError(source, mark.line + 1, mark.column + 1, message)
        elif id(node) in entered:
            if id(node) not in size:  # entered, not finished: reached again from inside itself
                raise LoadError(source, mark.line + 1, mark.column + 1, "recursive alias")
        else:
            entered.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))


def _check_and_index(root: yaml.Node, source: str) -> dict[str, Position]:
    """Refuse duplicate keys, alias bombs and cycles; map every JSON pointer to its position."""
    _refuse_bombs(root, source)
    positions: dict[str, Position] = {}
    seen: set[int] = set()
    # Iterative: a deeply nested file must not blow Python's recursion limit. At most MAX_NODES steps.
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        mark = node.start_mark
        positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
        seen_before = id(node) in seen
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    stack.append((value_node, pointer))
                    continue
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
                if key in keys and not seen_before:
                    first = keys[key].start_mark
                    where = key_node.start_mark
                    raise LoadError(
                        source,
                        where.line + 1,
                        where.column + 1,
                        f"duplicate key {key!r} (first defined on line {first.line + 1})",
                    )
                keys[key] = key_node
                child = f"{pointer}/{_escape(key)}"
                positions.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, f"{pointer}/{index}"))
    return positions


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
    loader = _StrictLoader(text)
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
        positions = _check_and_index(node, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in problem:
            quoted = re.search(r"'([^']*)'", problem)
            tag = (quoted.group(1) if quoted else problem).replace("tag:yaml.org,2002:", "!!")
            problem = f"tag not allowed: {tag} (only plain YAML is read)"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(source, line, column, problem) from None
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
