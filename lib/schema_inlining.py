"""A schema made self-contained: every definition it reaches in other files copied into its own ``$defs``.

``bundle(name)`` names the copies ``common.relpath``, ``verify_commit.checks``, ... and makes every
``$ref`` local, for tools that cannot follow a reference into another file.
"""

from __future__ import annotations

import copy

from hookwright import schema_registry

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

_METADATA = {"$schema", "$id", "$comment", "title", "description", "$defs"}


def top_level(name: str) -> bool:
    """A schema a document is checked against (config, instance, ...), not only a library of $defs."""
    return bool(set(schema_registry.load_schema(name)) - _METADATA)


def _stem(file: str) -> str:
    return file.removesuffix(schema_registry.SCHEMA_SUFFIX)


def bundle(name: str) -> dict[str, Any]:
    root = copy.deepcopy(schema_registry.load_schema(name))
    home = f"{name}{schema_registry.SCHEMA_SUFFIX}"
    inlined: dict[str, Any] = {}
    wanted: list[tuple[str, str]] = []  # (file, definition or "" for the whole file), in order met

    def local(ref: str, file: str) -> str:
        target, _, fragment = ref.partition("#")
        target = target or file
        if target == home:
            return f"#{fragment}"
        parts = fragment.split("/")
        if fragment and parts[1:2] != ["$defs"]:
            raise ValueError(f"{file}: cannot bundle a reference outside $defs: {ref}")
        definition = parts[2] if fragment else ""
        rest = "/".join(parts[3:])
        key = f"{_stem(target)}.{definition}" if definition else _stem(target)
        if key not in inlined and (target, definition) not in wanted:
            wanted.append((target, definition))
        return f"#/$defs/{key}" + (f"/{rest}" if rest else "")

    def rewrite(node: Any, file: str) -> Any:
        if isinstance(node, dict):
            return {
                k: local(v, file) if k == "$ref" and isinstance(v, str) else rewrite(v, file)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [rewrite(item, file) for item in node]
        return node

    bundled = rewrite(root, home)
    while wanted:
        file, definition = wanted.pop(0)
        source = schema_registry.load_schema(_stem(file))
        key = f"{_stem(file)}.{definition}" if definition else _stem(file)
        inlined[key] = {}  # taken before rewriting: a definition that refers to itself is not queued again
        if definition:
            inlined[key] = rewrite(source["$defs"][definition], file)
        else:
            inlined[key] = rewrite({k: v for k, v in source.items() if k not in _METADATA}, file)
    bundled.pop("$id", None)
    defs = {**bundled.get("$defs", {}), **dict(sorted(inlined.items()))}
    header = {k: bundled[k] for k in ("$schema", "title", "description") if k in bundled}
    header["$comment"] = (
        f"schemas/{home} with every definition it uses from other files inlined; "
        "written by `python -m hookwright.schema_bundle`, do not edit"
    )
    body = {k: v for k, v in bundled.items() if k not in header and k != "$defs"}
    return {**header, **body, **({"$defs": defs} if defs else {})}
