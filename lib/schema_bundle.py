"""Self-contained copies of the schemas, for tools that cannot follow a reference into another file.

``bundle(name)`` is the schema with every definition it reaches in other files copied into its own
``$defs`` (as ``common.relpath``, ``verify_commit.checks``, ...) and every ``$ref`` made local. The
copies of the top-level schemas ship in ``schemas/bundled/``; ``python -m hookwright.schema_bundle``
writes them again after a schema changes (``--check`` only says whether they are current).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from hookwright import schema_registry

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

BUNDLED = "bundled"
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


def render(name: str) -> str:
    return json.dumps(bundle(name), indent=2) + "\n"


def expected() -> dict[str, str]:
    """File name -> text of every bundled copy that should ship."""
    names = [n for n in schema_registry.schema_names() if top_level(n)]
    return {f"{n}{schema_registry.SCHEMA_SUFFIX}": render(n) for n in names}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hookwright.schema_bundle", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report bundled copies that are stale")
    parser.add_argument("--out", type=Path, help="folder to write (default: schemas/bundled/)")
    args = parser.parse_args(argv)
    from importlib import resources

    out = args.out or Path(str(resources.files("hookwright.schemas"))) / BUNDLED
    stale = []
    for file, text in expected().items():
        path = out / file
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(file)
            if not args.check:
                out.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for file in stale:
        print(f"{'stale' if args.check else 'wrote'}: {out / file}", file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
